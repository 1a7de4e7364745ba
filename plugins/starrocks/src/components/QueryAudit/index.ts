export { QueryAudit } from './QueryAudit';
