import { createApiRef } from '@backstage/frontend-plugin-api';
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

/**
 * The tenant management API of the Akili control plane, as the portal uses it.
 *
 * @remarks
 *
 * Every method rejects with a `ResponseError` (from `@backstage/errors`) when the backend
 * answers with an error status; its `statusCode` tells a 403 or 404 from other failures.
 *
 * @public
 */
export interface AkiliTenantsApi {
  /** Who the signed-in user is to Akili: platform admin or not, and their tenant roles. */
  getIdentity(): Promise<AkiliIdentityInfo>;
  /** All tenants for platform admins; the caller's own tenants for everyone else. */
  listTenants(): Promise<AkiliListResponse<Tenant>>;
  /** One tenant; a 404 when it does not exist or the caller is not a member. */
  getTenant(name: string): Promise<Tenant>;
  /** Creates a tenant (platform admins only); a 409 when the name is taken. */
  createTenant(request: CreateTenantRequest): Promise<Tenant>;
  /** Changes a tenant's title, description or quotas (platform admins only). */
  updateTenant(name: string, request: UpdateTenantRequest): Promise<Tenant>;
  /** Suspends a tenant, with the reason shown to its members (platform admins only). */
  suspendTenant(name: string, request: SuspendTenantRequest): Promise<Tenant>;
  /** Resumes a suspended tenant (platform admins only). */
  resumeTenant(name: string): Promise<Tenant>;
  /** Users seen calling Akili as members of the tenant (its operators and platform admins). */
  listMembers(name: string): Promise<AkiliListResponse<TenantMember>>;
  /** The tenant's domain events in the control plane's outbox (operators, admins). */
  getEventsStatus(name: string): Promise<TenantEventsStatus>;
  /** One page of the messages the tenant's consumers gave up on, newest first (operators, admins). */
  listDeadLetters(
    name: string,
    options?: {
      status?: AkiliDeadLetterStatus;
      limit?: number;
      cursor?: string;
    },
  ): Promise<AkiliListResponse<AkiliDeadLetter>>;
  /** Publishes a dead letter again to its topic and marks it retried (operators, admins). */
  retryDeadLetter(name: string, id: string): Promise<AkiliDeadLetter>;
  /** The tenant's API tokens and the permissions the caller may grant (operators, admins). */
  listApiTokens(name: string): Promise<AkiliApiTokenList>;
  /** Issues an API token; its secret is in this answer only (operators, admins). */
  createApiToken(
    name: string,
    request: CreateAkiliApiTokenRequest,
  ): Promise<CreatedAkiliApiToken>;
  /** Revokes an API token: callers using it are refused within 30 s (operators, admins). */
  revokeApiToken(name: string, id: string): Promise<AkiliApiToken>;
  /**
   * Whether a new data product may take a name in the tenant, asked as the caller (those who may
   * submit products in it): free in the registry, in the catalog and in GitLab, or where it is
   * taken. A 400 for a name the manifest would refuse.
   */
  checkProductName(
    tenant: string,
    name: string,
  ): Promise<ProductNameAvailability>;
  /** One page of the tenant's audit trail, newest first (its operators and platform admins). */
  listAuditEntries(
    name: string,
    options?: { limit?: number; cursor?: string },
  ): Promise<AkiliListResponse<TenantAuditEntry>>;
}

/**
 * Reference to the {@link AkiliTenantsApi}.
 *
 * @public
 */
export const akiliTenantsApiRef = createApiRef<AkiliTenantsApi>().with({
  id: 'plugin.akili.tenants',
  pluginId: 'akili',
});
