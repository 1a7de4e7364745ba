/**
 * What the Akili frontend plugins share: reading API errors, calling their backends, the
 * one-action dialog, the classification and severity chips, quality rules' expectations and the
 * tenant picker, the times in the reader's zone (`Timestamp`) and the list state kept in the URL
 * (`useQueryParamState`). The components built on `@backstage/core-components` (the error panel, the
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
export {
  browserTimeZone,
  formatAbsoluteTime,
  formatDate,
  formatRelative,
  formatTimeOfDay,
  formatTimestamp,
} from './time';
export type { TimeValue } from './time';
export { Timestamp } from './Timestamp';
export type { TimestampProps } from './Timestamp';
export { useQueryParamState } from './useQueryParamState';
export type {
  QueryParamSetOptions,
  QueryParamStateOptions,
} from './useQueryParamState';
export type {
  TenantPickerProps,
  UserTenant,
  UserTenantsSource,
  UserTenantsState,
} from './tenants';
