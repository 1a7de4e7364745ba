/**
 * The Akili data product model: manifest types, JSON schema, parser and validator, and the
 * mapping to and from the Bitol ODPS and ODCS standards.
 *
 * @packageDocumentation
 */

export * from './manifest/types';
export {
  dataProductManifestSchema,
  NAME_PATTERN,
  PORT_NAME_PATTERN,
} from './manifest/schema';
export type { JsonSchema } from './manifest/schema';
export {
  MAX_MANIFEST_BYTES,
  parseManifest,
  validateManifestObject,
} from './manifest/parse';
export type {
  ParseManifestOptions,
  ParseManifestResult,
} from './manifest/parse';
export {
  dataProductRef,
  isDataProductEntity,
  parseInputProductRef,
} from './manifest/refs';
export type { DataProductEntityRef } from './manifest/refs';
export { checkCron, parseIsoDuration } from './manifest/semantics';
export { diffManifests, semverMajor } from './manifest/diff';
export {
  dataProductNameProblem,
  MAX_NAME_LENGTH,
  nameProblem,
} from './manifest/names';
export {
  manifestFromTemplateInput,
  PRODUCT_TEMPLATE_KINDS,
  templateManifestYaml,
} from './manifest/template';
export type {
  ProductTemplateColumn,
  ProductTemplateKind,
  ProductTemplateOutputPort,
  ProductTemplateValues,
} from './manifest/template';
export type {
  ManifestChange,
  ManifestChangeKind,
  ManifestDiff,
} from './manifest/diff';
export * from './standards';
export * from './roles';
export * from './permissions';
export * from './tenants';
export * from './products';
export * from './apiTokens';
export * from './groupNaming';
export * from './events';
export * from './gitlabTenancy';
export * from './codeLocations';
