import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  AkiliDeadLetter,
  AkiliDeadLetterStatus,
  AkiliIdentityInfo,
  AkiliListResponse,
  CreateTenantRequest,
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
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
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

  listAuditEntries(
    name: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<AkiliListResponse<TenantAuditEntry>> {
    return this.request(`${tenantPath(name)}/audit${queryString(options)}`);
  }

  private async request<T>(
    path: string,
    options: { method?: string; body?: unknown } = {},
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('akili');
    const init: RequestInit = { method: options.method ?? 'GET' };
    if (options.body !== undefined) {
      init.headers = { 'Content-Type': 'application/json' };
      init.body = JSON.stringify(options.body);
    }
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

/** `?a=1&b=x` of the options that are set, or nothing. */
function queryString(
  options: Record<string, string | number | undefined>,
): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(options)) {
    if (value !== undefined && value !== '') {
      query.set(name, String(value));
    }
  }
  const search = query.toString();
  return search ? `?${search}` : '';
}

function tenantPath(name: string): string {
  return `/v1/tenants/${encodeURIComponent(name)}`;
}
