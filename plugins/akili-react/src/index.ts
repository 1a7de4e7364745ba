/**
 * What the Akili frontend plugins share: reading API errors, calling their backends, the
 * one-action dialog, the error panel, the classification and severity chips, quality rules'
 * expectations and the tenant picker with its page states.
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
export { PluginErrorPanel } from './PluginErrorPanel';
export type {
  PluginErrorCase,
  PluginErrorPanelProps,
} from './PluginErrorPanel';
export {
  errorMessage,
  errorName,
  errorStatus,
  isForbidden,
  isNotFound,
} from './errors';
export {
  chooseTenant,
  TenantGate,
  TenantPicker,
  useUserTenants,
} from './tenants';
export type {
  TenantGateProps,
  TenantPickerProps,
  UserTenant,
  UserTenantsSource,
  UserTenantsState,
} from './tenants';
