/**
 * Catalog support for Akili data products.
 *
 * @packageDocumentation
 */
export { catalogModuleAkili as default } from './module';
export { DataProductProcessor } from './processor/DataProductProcessor';
export { DataProductEntityProvider } from './providers/DataProductEntityProvider';
export type { ProviderRunSummary } from './providers/DataProductEntityProvider';
export { FolderManifestSource } from './providers/FolderManifestSource';
export { GitlabManifestSource } from './providers/GitlabManifestSource';
export type { ManifestFile, ManifestSource } from './providers/types';
export {
  ANNOTATION_MANIFEST_ERRORS,
  ANNOTATION_MANIFEST_FORMAT,
  ANNOTATION_MANIFEST_SOURCE,
} from './providers/annotations';
