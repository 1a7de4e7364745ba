import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { BackendRequester, queryString } from '@akili/plugin-akili-react';
import type {
  AkiliApiToken,
  AkiliApiTokenList,
  AkiliDeadLetter,
  AkiliDeadLetterStatus,
  AkiliIdentityInfo,
  AkiliListResponse,
  CreateAkiliApiTokenRequest,
  CreatedAkiliApiToken,
  CreateTenantRequest,
  ProductNameAvailability,
  SuspendTenantRequest,
  Tenant,
  TenantAuditEntry,
  TenantEventsStatus,
  TenantMember,
  UpdateTenantRequest,
} from '@akili/plugin-akili-common';
import { AkiliTenantsApi } from './AkiliTenantsApi';

/**
 * {@link AkiliTenantsApi} over HTTP: the `akili` backend plugin's `/v1` routes, called with
 * the user's token through `fetchApi`.
 *
 * @public
 */
export class AkiliTenantsClient implements AkiliTenantsApi {
  private readonly requester: BackendRequester;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.requester = new BackendRequester(options);
  }

  getIdentity(): Promise<AkiliIdentityInfo> {
    return this.request('/v1/me');
  }

  listTenants(): Promise<AkiliListResponse<Tenant>> {
    return this.request('/v1/tenants');
  }

  getTenant(name: string): Promise<Tenant> {
    return this.request(tenantPath(name));
  }

  createTenant(request: CreateTenantRequest): Promise<Tenant> {
    return this.request('/v1/tenants', { method: 'POST', body: request });
  }

  updateTenant(name: string, request: UpdateTenantRequest): Promise<Tenant> {
    return this.request(tenantPath(name), { method: 'PATCH', body: request });
  }

  suspendTenant(name: string, request: SuspendTenantRequest): Promise<Tenant> {
    return this.request(`${tenantPath(name)}/suspend`, {
      method: 'POST',
      body: request,
    });
  }

  resumeTenant(name: string): Promise<Tenant> {
    return this.request(`${tenantPath(name)}/resume`, {
      method: 'POST',
      body: {},
    });
  }

  listMembers(name: string): Promise<AkiliListResponse<TenantMember>> {
    return this.request(`${tenantPath(name)}/members`);
  }

  getEventsStatus(name: string): Promise<TenantEventsStatus> {
    return this.request(`${tenantPath(name)}/events`);
  }

  listDeadLetters(
    name: string,
    options: {
      status?: AkiliDeadLetterStatus;
      limit?: number;
      cursor?: string;
    } = {},
  ): Promise<AkiliListResponse<AkiliDeadLetter>> {
    return this.request(
      `${tenantPath(name)}/dead-letters${queryString(options)}`,
    );
  }

  retryDeadLetter(name: string, id: string): Promise<AkiliDeadLetter> {
    return this.request(
      `${tenantPath(name)}/dead-letters/${encodeURIComponent(id)}/retry`,
      { method: 'POST', body: {} },
    );
  }

  listApiTokens(name: string): Promise<AkiliApiTokenList> {
    return this.request(`${tenantPath(name)}/api-tokens`);
  }

  createApiToken(
    name: string,
    request: CreateAkiliApiTokenRequest,
  ): Promise<CreatedAkiliApiToken> {
    return this.request(`${tenantPath(name)}/api-tokens`, {
      method: 'POST',
      body: request,
    });
  }

  revokeApiToken(name: string, id: string): Promise<AkiliApiToken> {
    return this.request(
      `${tenantPath(name)}/api-tokens/${encodeURIComponent(id)}`,
      { method: 'DELETE' },
    );
  }

  checkProductName(
    tenant: string,
    name: string,
  ): Promise<ProductNameAvailability> {
    return this.request(
      `${tenantPath(tenant)}/product-names/${encodeURIComponent(name)}`,
    );
  }

  listAuditEntries(
    name: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<AkiliListResponse<TenantAuditEntry>> {
    return this.request(`${tenantPath(name)}/audit${queryString(options)}`);
  }

  private request<T>(
    path: string,
    options: { method?: string; body?: unknown } = {},
  ): Promise<T> {
    return this.requester.request<T>('akili', path, options);
  }
}

function tenantPath(name: string): string {
  return `/v1/tenants/${encodeURIComponent(name)}`;
}
