export {
  importOdcs,
  exportOdcs,
  mapOdcsClassification,
  outputPortContractId,
  registeredContract,
  UNSPECIFIED_QUALITY_ENGINE,
} from './odcs';
export type { ImportOdcsOptions } from './odcs';
export { importOdcsProduct } from './odcsProduct';
export type { ImportOdcsProductOptions } from './odcsProduct';
export {
  importOdps,
  exportOdps,
  DEFAULT_ODPS_PRODUCT_TYPE,
  DEFAULT_ODPS_DOMAIN,
} from './odps';
export type { ImportOdpsOptions } from './odps';
export {
  validateOdcs,
  validateOdps,
  odcsJsonSchema,
  odpsJsonSchema,
} from './validators';
export { AKILI_PROPERTIES, ANNOTATION_ODPS_ID } from './util';
export * from './types';
