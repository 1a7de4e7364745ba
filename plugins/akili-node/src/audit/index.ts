export { runAuditedAction } from './intentAndOutcome';
export type { AuditedActionSteps } from './intentAndOutcome';
