export { runAuditedAction } from './intentAndOutcome';
export type { AuditedActionSteps } from './intentAndOutcome';
export { IntentOutcomeAuditTable } from './IntentOutcomeAuditTable';
export type {
  IntentOutcomeAuditOutcome,
  IntentOutcomeAuditRow,
  IntentOutcomeAuditTableOptions,
} from './IntentOutcomeAuditTable';
