import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { BackendRequester, queryString } from '@akili/plugin-akili-react';
import type { AkiliIdentityInfo } from '@akili/plugin-akili-common';
import type {
  LaunchRunRequest,
  ProductRunsResponse,
  ReexecuteRunRequest,
  RunDetail,
  RunListQuery,
  RunListResponse,
  RunLogPage,
  RunAuditEntry,
  RunPermissions,
} from '@akili/plugin-dagster-common';
import type { DagsterRunsApi, RunLogQuery } from './DagsterRunsApi';

/**
 * {@link DagsterRunsApi} over HTTP: the `dagster` backend plugin's `/v1` routes (and the akili
 * backend's `/v1/me`), called with the user's token through `fetchApi`.
 *
 * @public
 */
export class DagsterRunsClient implements DagsterRunsApi {
  private readonly requester: BackendRequester;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.requester = new BackendRequester(options);
  }

  listProductRuns(
    namespace: string,
    name: string,
    query: RunListQuery = {},
  ): Promise<ProductRunsResponse> {
    return this.request(
      `${productPath(namespace, name)}/runs${runListQueryString(query)}`,
    );
  }

  launchRun(
    namespace: string,
    name: string,
    request: LaunchRunRequest,
  ): Promise<RunDetail> {
    return this.request(`${productPath(namespace, name)}/runs`, {
      method: 'POST',
      body: request,
    });
  }

  getRun(runId: string): Promise<RunDetail> {
    return this.request(runPath(runId));
  }

  getRunLogs(runId: string, query: RunLogQuery = {}): Promise<RunLogPage> {
    return this.request(
      `${runPath(runId)}/logs${queryString({
        cursor: query.cursor,
        limit: query.limit,
        levels: query.levels?.join(','),
      })}`,
    );
  }

  reexecuteRun(
    runId: string,
    request: ReexecuteRunRequest,
  ): Promise<RunDetail> {
    return this.request(`${runPath(runId)}/reexecute`, {
      method: 'POST',
      body: request,
    });
  }

  terminateRun(runId: string): Promise<RunDetail> {
    return this.request(`${runPath(runId)}/terminate`, {
      method: 'POST',
      body: {},
    });
  }

  listTenantRuns(
    tenant: string,
    query: RunListQuery = {},
  ): Promise<RunListResponse> {
    return this.request(
      `${tenantPath(tenant)}/runs${runListQueryString(query)}`,
    );
  }

  getRunPermissions(tenant: string): Promise<RunPermissions> {
    return this.request(`${tenantPath(tenant)}/run-permissions`);
  }

  getIdentity(): Promise<AkiliIdentityInfo> {
    return this.request('/v1/me', { pluginId: 'akili' });
  }

  async listTenantNames(): Promise<string[]> {
    const { items } = await this.request<{ items: Array<{ name: string }> }>(
      '/v1/tenants',
      { pluginId: 'akili' },
    );
    return items.map(tenant => tenant.name);
  }

  listRunAudit(
    tenant: string,
    query: { limit?: number; cursor?: string } = {},
  ): Promise<{ items: RunAuditEntry[]; nextCursor?: string }> {
    return this.request(
      `${tenantPath(tenant)}/run-audit${queryString({
        limit: query.limit,
        cursor: query.cursor,
      })}`,
    );
  }

  private request<T>(
    path: string,
    options: { method?: string; body?: unknown; pluginId?: string } = {},
  ): Promise<T> {
    return this.requester.request<T>(options.pluginId ?? 'dagster', path, {
      method: options.method,
      body: options.body,
    });
  }
}

/** The filters of a run list as the backend reads them: statuses as one `status=A,B`. */
function runListQueryString(query: RunListQuery): string {
  return queryString({
    status: query.statuses?.join(','),
    job: query.job,
    product: query.product,
    createdAfter: query.createdAfter,
    createdBefore: query.createdBefore,
    limit: query.limit,
    cursor: query.cursor,
  });
}

function productPath(namespace: string, name: string): string {
  return `/v1/products/${encodeURIComponent(namespace)}/${encodeURIComponent(
    name,
  )}`;
}

function runPath(runId: string): string {
  return `/v1/runs/${encodeURIComponent(runId)}`;
}

function tenantPath(tenant: string): string {
  return `/v1/tenants/${encodeURIComponent(tenant)}`;
}
