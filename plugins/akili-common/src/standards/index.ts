export {
  importOdcs,
  exportOdcs,
  mapOdcsClassification,
  outputPortContractId,
} from './odcs';
export { importOdps, exportOdps, DEFAULT_ODPS_PRODUCT_TYPE } from './odps';
export {
  validateOdcs,
  validateOdps,
  odcsJsonSchema,
  odpsJsonSchema,
} from './validators';
export { AKILI_PROPERTIES, ANNOTATION_ODPS_ID } from './util';
export * from './types';
