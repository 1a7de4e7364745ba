import { createApiRef } from '@backstage/frontend-plugin-api';
import type { AkiliIdentityInfo } from '@akili/plugin-akili-common';
import type {
  QueryAuditPage,
  QueryOutcome,
  QueryRequestBody,
  QueryResult,
  QueryResultColumn,
  QueryCellValue,
  SchemaResponse,
} from '@akili/plugin-starrocks-common';

/**
 * What a streamed query reports when it ends: the summary line of the NDJSON answer. The backend
 * adds `bytes`, `durationMs`, `masked` and `queryId` as it learns them; until it does, the client
 * fills `bytes` with what it received and `durationMs` with what it measured.
 *
 * @public
 */
export type QueryStreamSummary = Pick<QueryResult, 'rowCount' | 'truncated'> &
  Partial<Pick<QueryResult, 'bytes' | 'durationMs' | 'masked' | 'queryId'>>;

/**
 * Callbacks and cancellation of {@link StarrocksQueryApi.streamQuery}.
 *
 * @public
 */
export interface QueryStreamOptions {
  /** Aborting cancels the request; the server kills the query when the client goes away. */
  signal?: AbortSignal;
  /** Called once, before any row, with the result's columns. */
  onColumns?(columns: QueryResultColumn[]): void;
  /** Called for each batch of rows as they arrive, in order. */
  onRows?(rows: QueryCellValue[][], bytesReceived: number): void;
}

/**
 * Which page of the query audit trail {@link StarrocksQueryApi.listAudit} reads, and its filters.
 *
 * @public
 */
export interface QueryAuditListOptions {
  /** Entries per page, 1 to 200 (the backend's default is 50). */
  limit?: number;
  /** The `nextCursor` of the previous page, for the next older one. */
  cursor?: string;
  /** Only the queries of this caller: `user:<namespace>/<name>` or `token:<id>`. */
  actor?: string;
  /** Only the queries that ended so. */
  outcome?: QueryOutcome;
}

/**
 * The query API of the `starrocks` backend plugin, as the portal uses it.
 *
 * @remarks
 *
 * Every method rejects with a `ResponseError` (from `@backstage/errors`) when the backend answers
 * with an error status: 400 for a refused statement (`Query refused: <reason> (line L, column
 * C)`), 404 for a tenant the caller may not query, 429 over the tenant's concurrency quota, 503
 * when the tenant's engine is not configured. An aborted call rejects with an `AbortError`.
 *
 * @public
 */
export interface StarrocksQueryApi {
  /** The tables the caller may query in the tenant, with columns, classifications and contracts. */
  getSchema(tenant: string): Promise<SchemaResponse>;
  /** Runs a statement and streams its rows (NDJSON); resolves with the summary at the end. */
  streamQuery(
    tenant: string,
    request: QueryRequestBody,
    options?: QueryStreamOptions,
  ): Promise<QueryStreamSummary>;
  /** Runs a statement and answers the whole result as CSV (`Accept: text/csv`). */
  downloadCsv(
    tenant: string,
    request: QueryRequestBody,
    options?: { signal?: AbortSignal },
  ): Promise<Blob>;
  /**
   * The tenant's query audit trail, newest first (`akili.query.audit.read`: its operators and
   * platform admins; 403 for its other members, 404 for another tenant, 400 for a bad filter).
   */
  listAudit(
    tenant: string,
    options?: QueryAuditListOptions,
  ): Promise<QueryAuditPage>;
  /** Who the caller is to Akili and their tenants (the akili backend's `GET /v1/me`). */
  getIdentity(): Promise<AkiliIdentityInfo>;
  /** The names of every tenant (the akili backend's `GET /v1/tenants`; all of them for admins). */
  listTenantNames(): Promise<string[]>;
}

/**
 * Reference to the {@link StarrocksQueryApi}.
 *
 * @public
 */
export const starrocksQueryApiRef = createApiRef<StarrocksQueryApi>().with({
  id: 'plugin.starrocks.query',
  pluginId: 'starrocks',
});
