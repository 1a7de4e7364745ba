import { createApiRef } from '@backstage/frontend-plugin-api';
import type { AkiliIdentityInfo } from '@akili/plugin-akili-common';
import type {
  LaunchRunRequest,
  ProductRunsResponse,
  ReexecuteRunRequest,
  RunDetail,
  RunListQuery,
  RunListResponse,
  RunLogLevel,
  RunLogPage,
  RunAuditEntry,
  RunPermissions,
} from '@akili/plugin-dagster-common';

/**
 * Options of {@link DagsterRunsApi.getRunLogs}.
 *
 * @public
 */
export interface RunLogQuery {
  /** Where the previous page ended; absent for the first page. */
  cursor?: string;
  limit?: number;
  /** Only events of these levels; all levels when absent or empty. */
  levels?: RunLogLevel[];
}

/**
 * The runs API of the `dagster` backend plugin, as the portal uses it.
 *
 * @remarks
 *
 * Every method rejects with a `ResponseError` (from `@backstage/errors`) when the backend
 * answers with an error status. Its `statusCode` and `body.error.name` tell a 403, a 404 or a
 * Dagster that is not configured or does not answer (503, see `DAGSTER_ERROR_NAMES`) apart.
 *
 * @public
 */
export interface DagsterRunsApi {
  /** The runs of a data product, newest first, and the jobs and assets it can launch. */
  listProductRuns(
    namespace: string,
    name: string,
    query?: RunListQuery,
  ): Promise<ProductRunsResponse>;
  /** Launches a run of the product's job or of some of its assets; a 400 names bad run config. */
  launchRun(
    namespace: string,
    name: string,
    request: LaunchRunRequest,
  ): Promise<RunDetail>;
  /** One run with its steps; a 404 also for a run of another tenant. */
  getRun(runId: string): Promise<RunDetail>;
  /** One page of a run's log, oldest first, from `cursor` on. */
  getRunLogs(runId: string, query?: RunLogQuery): Promise<RunLogPage>;
  /** Launches a new run that re-executes this one; resolves with the new run. */
  reexecuteRun(runId: string, request: ReexecuteRunRequest): Promise<RunDetail>;
  /** Asks Dagster to stop the run; a 409 when it has already finished. */
  terminateRun(runId: string): Promise<RunDetail>;
  /** All runs of a tenant across its products, newest first (its operators). */
  listTenantRuns(
    tenant: string,
    query?: RunListQuery,
  ): Promise<RunListResponse>;
  /** A page of the tenant's run control audit trail, newest first (its operators). */
  listRunAudit(
    tenant: string,
    query?: { limit?: number; cursor?: string },
  ): Promise<{ items: RunAuditEntry[]; nextCursor?: string }>;
  /** What the caller may do with the tenant's runs, to show only the buttons that work. */
  getRunPermissions(tenant: string): Promise<RunPermissions>;
  /** Who the caller is to Akili and their tenants (the akili backend's `GET /v1/me`). */
  getIdentity(): Promise<AkiliIdentityInfo>;
  /** The names of every tenant (the akili backend's `GET /v1/tenants`; all of them for admins). */
  listTenantNames(): Promise<string[]>;
}

/**
 * Reference to the {@link DagsterRunsApi}.
 *
 * @public
 */
export const dagsterRunsApiRef = createApiRef<DagsterRunsApi>().with({
  id: 'plugin.dagster.runs',
  pluginId: 'dagster',
});
