export { ManifestParserPool } from './ManifestParserPool';
export type {
  ManifestParserPoolOptions,
  ManifestParserService,
} from './ManifestParserPool';
export { manifestParserServiceRef } from './manifestParserServiceRef';
