/**
 * Query Akili data products in the portal: the SQL workbench page (schema browser, completion,
 * streamed results in a virtualized grid, CSV download, saved queries and history) and the Query
 * tab of data products.
 *
 * @packageDocumentation
 */
export { starrocksPlugin as default } from './plugin';
export { starrocksQueryApiRef, StarrocksQueryClient } from './api';
export type {
  QueryAuditListOptions,
  QueryStreamOptions,
  QueryStreamSummary,
  StarrocksQueryApi,
} from './api';
