/**
 * Catalog support for Akili data products.
 *
 * @packageDocumentation
 */
export { catalogModuleAkili as default } from './module';
export { assertGitlabEventsNeedTheSecret } from './module';
export { DataProductProcessor } from './processor/DataProductProcessor';
export type { DataProductProcessorOptions } from './processor/DataProductProcessor';
export {
  ConfigSharedOwnerGroups,
  ownerProblem,
  productOwnerRef,
} from './processor/owners';
export type { SharedOwnerGroups } from './processor/owners';
export { DataProductEntityProvider } from './providers/DataProductEntityProvider';
export type {
  DataProductEntityProviderOptions,
  ProviderRunSummary,
} from './providers/DataProductEntityProvider';
export {
  ControlPlaneRegistryReader,
  PRODUCT_REGISTERED_TOPIC,
  RegistryEntityProvider,
} from './providers/RegistryEntityProvider';
export type {
  RegistryEntityProviderOptions,
  RegistryReader,
} from './providers/RegistryEntityProvider';
export { FolderManifestSource } from './providers/FolderManifestSource';
export type { FolderManifestSourceOptions } from './providers/FolderManifestSource';
export {
  GITLAB_PUSH_TOPIC,
  GitlabManifestSource,
} from './providers/GitlabManifestSource';
export type { GitlabManifestSourceOptions } from './providers/GitlabManifestSource';
export type {
  ManifestChanges,
  ManifestFile,
  ManifestScan,
  ManifestSource,
  UnreadablePlace,
} from './providers/types';
export {
  ANNOTATION_MANIFEST_ERRORS,
  ANNOTATION_MANIFEST_FORMAT,
  ANNOTATION_MANIFEST_SOURCE,
  ANNOTATION_REGISTRY_REVISION,
} from './providers/annotations';
