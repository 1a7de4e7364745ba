/**
 * What the Akili frontend plugins share: reading API errors, calling their backends, the
 * one-action dialog, the classification and severity chips, quality rules' expectations and the
 * tenant picker. The components built on `@backstage/core-components` (the error panel, the
 * states of a tenant page) are in `@akili/plugin-akili-react/components`, so that this entry
 * point loads outside a browser (the API clients' tests run in Node).
 *
 * @packageDocumentation
 */
export { ActionDialog } from './ActionDialog';
export type { ActionDialogProps } from './ActionDialog';
export { BackendRequester, queryString } from './BackendRequester';
export {
  CLASSIFICATIONS,
  ClassificationChip,
  classificationColors,
  classificationLabel,
  ColoredChip,
  SeverityChip,
  severityColors,
} from './classification';
export type { ChipColors } from './classification';
export { RuleExpectation, ruleExpectation } from './qualityRules';
export {
  QualityStatusBadge,
  qualityStatusColors,
  qualityStatusLabel,
  useQualityScores,
} from './quality';
export type { QualityScoresState } from './quality';
export {
  errorMessage,
  errorName,
  errorStatus,
  isForbidden,
  isNotFound,
} from './errors';
export { chooseTenant, TenantPicker, useUserTenants } from './tenants';
export { formatRelative, formatTimestamp } from './time';
export type {
  TenantPickerProps,
  UserTenant,
  UserTenantsSource,
  UserTenantsState,
} from './tenants';
