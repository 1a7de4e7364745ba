export { ManifestPreview, templateManifest } from './ManifestPreview';
export { manifestPreviewField, validateManifestPreview } from './field';
