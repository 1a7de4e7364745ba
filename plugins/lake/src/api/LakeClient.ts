import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { BackendRequester, queryString } from '@akili/plugin-akili-react';
import type { AkiliIdentityInfo } from '@akili/plugin-akili-common';
import type {
  AccessAgreement,
  AccessAgreementList,
  AccessAgreementRequest,
  LakeDownload,
  LakeListing,
  LakePortsResponse,
  LakePreview,
  LakeTenantUsage,
  LakeUsageResponse,
} from '@akili/plugin-lake-common';
import type { AccessAgreementQuery, LakeApi, LakeListQuery } from './LakeApi';

/**
 * {@link LakeApi} over HTTP: the `lake` backend plugin's `/v1` routes, called with the user's
 * token through `fetchApi`.
 *
 * @public
 */
export class LakeClient implements LakeApi {
  private readonly requester: BackendRequester;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.requester = new BackendRequester(options);
  }

  getPorts(namespace: string, name: string): Promise<LakePortsResponse> {
    return this.request(`${productPath(namespace, name)}/ports`);
  }

  listObjects(
    namespace: string,
    name: string,
    port: string,
    query: LakeListQuery = {},
  ): Promise<LakeListing> {
    return this.request(
      `${portPath(namespace, name, port)}/objects${queryString({
        path: query.path,
        cursor: query.cursor,
        limit: query.limit,
      })}`,
    );
  }

  getPreview(
    namespace: string,
    name: string,
    port: string,
    path: string,
    options: { rows?: number } = {},
  ): Promise<LakePreview> {
    return this.request(
      `${portPath(namespace, name, port)}/preview${queryString({
        path,
        rows: options.rows,
      })}`,
    );
  }

  createDownload(
    namespace: string,
    name: string,
    port: string,
    path: string,
  ): Promise<LakeDownload> {
    return this.request(`${portPath(namespace, name, port)}/download`, {
      method: 'POST',
      body: { path },
    });
  }

  getTenantUsage(tenant: string): Promise<LakeTenantUsage> {
    return this.request(`/v1/tenants/${encodeURIComponent(tenant)}/usage`);
  }

  listUsage(): Promise<LakeUsageResponse> {
    return this.request('/v1/usage');
  }

  requestAgreement(request: AccessAgreementRequest): Promise<AccessAgreement> {
    return this.request('/v1/agreements', { method: 'POST', body: request });
  }

  listAgreements(query: AccessAgreementQuery): Promise<AccessAgreementList> {
    return this.request(
      `/v1/agreements${queryString({
        tenant: query.tenant,
        side: query.side,
        status: query.status,
        product: query.product,
      })}`,
    );
  }

  getAgreement(id: string): Promise<AccessAgreement> {
    return this.request(agreementPath(id));
  }

  approveAgreement(
    id: string,
    note?: string,
    columns?: string[],
  ): Promise<AccessAgreement> {
    return this.request(`${agreementPath(id)}/approve`, {
      method: 'POST',
      body: {
        ...(note === undefined ? {} : { note }),
        ...(columns === undefined ? {} : { columns }),
      },
    });
  }

  rejectAgreement(id: string, note: string): Promise<AccessAgreement> {
    return this.request(`${agreementPath(id)}/reject`, {
      method: 'POST',
      body: { note },
    });
  }

  revokeAgreement(id: string, reason: string): Promise<AccessAgreement> {
    return this.request(`${agreementPath(id)}/revoke`, {
      method: 'POST',
      body: { reason },
    });
  }

  withdrawAgreement(id: string): Promise<AccessAgreement> {
    return this.request(`${agreementPath(id)}/withdraw`, {
      method: 'POST',
      body: {},
    });
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

  private request<T>(
    path: string,
    options: { method?: string; body?: unknown } = {},
  ): Promise<T> {
    return this.requester.request<T>('lake', path, options);
  }
}

function productPath(namespace: string, name: string): string {
  return `/v1/products/${encodeURIComponent(namespace)}/${encodeURIComponent(
    name,
  )}`;
}

function portPath(namespace: string, name: string, port: string): string {
  return `${productPath(namespace, name)}/ports/${encodeURIComponent(port)}`;
}

function agreementPath(id: string): string {
  return `/v1/agreements/${encodeURIComponent(id)}`;
}
