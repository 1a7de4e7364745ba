export { starrocksQueryApiRef } from './StarrocksQueryApi';
export type {
  QueryAuditListOptions,
  QueryStreamOptions,
  QueryStreamSummary,
  StarrocksQueryApi,
} from './StarrocksQueryApi';
export { StarrocksQueryClient } from './StarrocksQueryClient';
