import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { BackendRequester, queryString } from '@akili/plugin-akili-react';
import type { AkiliIdentityInfo } from '@akili/plugin-akili-common';
import type {
  QualityIncidentDetail,
  QualityIncidentPage,
  QualityProductSummary,
  QualityResultPage,
  QualityTenantDashboard,
  QualityTenantScores,
  QualityTrend,
  ResolveIncidentRequest,
} from '@akili/plugin-quality-common';
import type { IncidentListQuery, QualityApi } from './QualityApi';

/**
 * {@link QualityApi} over HTTP: the `quality` backend plugin's `/v1` routes (and the akili
 * backend's `/v1/me` and `/v1/tenants`), called with the user's token through `fetchApi`.
 *
 * @public
 */
export class QualityClient implements QualityApi {
  private readonly requester: BackendRequester;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.requester = new BackendRequester(options);
  }

  getSummary(namespace: string, name: string): Promise<QualityProductSummary> {
    return this.request(`${productPath(namespace, name)}/summary`);
  }

  getTrend(
    namespace: string,
    name: string,
    days: 30 | 90,
  ): Promise<QualityTrend> {
    return this.request(
      `${productPath(namespace, name)}/trend${queryString({ days })}`,
    );
  }

  listResults(
    namespace: string,
    name: string,
    query: { rule?: string; limit?: number; cursor?: string } = {},
  ): Promise<QualityResultPage> {
    return this.request(
      `${productPath(namespace, name)}/results${queryString({
        rule: query.rule,
        limit: query.limit,
        cursor: query.cursor,
      })}`,
    );
  }

  listProductIncidents(
    namespace: string,
    name: string,
    state: 'open' | 'all' = 'open',
  ): Promise<QualityIncidentPage> {
    return this.request(
      `${productPath(namespace, name)}/incidents${queryString({ state })}`,
    );
  }

  getTenantScores(tenant: string): Promise<QualityTenantScores> {
    return this.request(`${tenantPath(tenant)}/scores`);
  }

  getDashboard(tenant: string, days?: number): Promise<QualityTenantDashboard> {
    return this.request(
      `${tenantPath(tenant)}/dashboard${queryString({ days })}`,
    );
  }

  listTenantIncidents(
    tenant: string,
    query: IncidentListQuery = {},
  ): Promise<QualityIncidentPage> {
    return this.request(
      `${tenantPath(tenant)}/incidents${queryString({
        state: query.state,
        product: query.product,
        limit: query.limit,
        cursor: query.cursor,
      })}`,
    );
  }

  getIncident(tenant: string, id: string): Promise<QualityIncidentDetail> {
    return this.request(incidentPath(tenant, id));
  }

  acknowledgeIncident(
    tenant: string,
    id: string,
  ): Promise<QualityIncidentDetail> {
    return this.post(`${incidentPath(tenant, id)}/acknowledge`, {});
  }

  assignIncident(
    tenant: string,
    id: string,
    assignee: string,
  ): Promise<QualityIncidentDetail> {
    return this.post(`${incidentPath(tenant, id)}/assign`, { assignee });
  }

  resolveIncident(
    tenant: string,
    id: string,
    request: ResolveIncidentRequest,
  ): Promise<QualityIncidentDetail> {
    return this.post(`${incidentPath(tenant, id)}/resolve`, request);
  }

  commentIncident(
    tenant: string,
    id: string,
    comment: string,
  ): Promise<QualityIncidentDetail> {
    return this.post(`${incidentPath(tenant, id)}/comments`, { comment });
  }

  getIdentity(): Promise<AkiliIdentityInfo> {
    return this.requester.request('akili', '/v1/me');
  }

  async listTenantNames(): Promise<string[]> {
    const { items } = await this.requester.request<{
      items: Array<{ name: string }>;
    }>('akili', '/v1/tenants');
    return items.map(tenant => tenant.name);
  }

  private request<T>(path: string): Promise<T> {
    return this.requester.request<T>('quality', path);
  }

  private post<T>(path: string, body: unknown): Promise<T> {
    return this.requester.request<T>('quality', path, { method: 'POST', body });
  }
}

function productPath(namespace: string, name: string): string {
  return `/v1/products/${encodeURIComponent(namespace)}/${encodeURIComponent(
    name,
  )}`;
}

function tenantPath(tenant: string): string {
  return `/v1/tenants/${encodeURIComponent(tenant)}`;
}

function incidentPath(tenant: string, id: string): string {
  return `${tenantPath(tenant)}/incidents/${encodeURIComponent(id)}`;
}
