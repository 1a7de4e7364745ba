export { starrocksQueryApiRef } from './StarrocksQueryApi';
export type {
  QueryStreamOptions,
  QueryStreamSummary,
  StarrocksQueryApi,
} from './StarrocksQueryApi';
export { StarrocksQueryClient } from './StarrocksQueryClient';
