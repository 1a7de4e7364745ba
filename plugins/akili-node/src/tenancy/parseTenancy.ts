import { parseAkiliAccess } from '@akili/plugin-akili-common';

/**
 * A role a user holds in an Akili tenant.
 *
 * @public
 */
export type AkiliTenantRole = 'developer' | 'operator' | 'consumer';

/**
 * All tenant roles, in their canonical order.
 *
 * @public
 */
export const AKILI_TENANT_ROLES: readonly AkiliTenantRole[] = [
  'developer',
  'operator',
  'consumer',
];

/**
 * The tenancy facts carried by a user's ownership entity refs.
 *
 * @public
 */
export interface AkiliTenancy {
  /** Tenant name to the roles held there (deduplicated, in canonical order). */
  tenants: Record<string, AkiliTenantRole[]>;
  /** Whether the user is a platform admin, who may act in every tenant. */
  platformAdmin: boolean;
}

/**
 * Reads tenant memberships and roles from a user's ownership entity refs
 * (`group:akili/<tenant>.<role>`, `group:akili/platform-admin`). The parsing itself is
 * `parseAkiliAccess` of `@akili/plugin-akili-common`, shared with the permission policy, so
 * both always agree on who is in which tenant; this adapts it to a plain record with roles in
 * canonical order.
 *
 * @public
 */
export function parseTenancy(ownershipEntityRefs: string[]): AkiliTenancy {
  const access = parseAkiliAccess(
    ownershipEntityRefs.filter(ref => typeof ref === 'string'),
  );
  const tenants: Record<string, AkiliTenantRole[]> = {};
  for (const tenant of [...access.tenantRoles.keys()].sort()) {
    const held = access.tenantRoles.get(tenant)!;
    tenants[tenant] = AKILI_TENANT_ROLES.filter(role => held.has(role));
  }
  return { tenants, platformAdmin: access.platformAdmin };
}

/**
 * The roles a tenancy grants in one tenant, or `undefined` when it is not a member. Safe for any
 * tenant string (a tenant named like an `Object.prototype` member is not "found" by accident).
 *
 * @public
 */
export function tenantRoles(
  tenancy: Pick<AkiliTenancy, 'tenants'>,
  tenant: string,
): AkiliTenantRole[] | undefined {
  return Object.prototype.hasOwnProperty.call(tenancy.tenants, tenant)
    ? tenancy.tenants[tenant]
    : undefined;
}

/**
 * Whether a tenancy may act in a tenant: platform admins always may; members may when they hold
 * one of `roles` (any role when `roles` is absent or empty).
 *
 * @public
 */
export function hasTenantAccess(
  tenancy: AkiliTenancy,
  tenant: string,
  roles?: readonly AkiliTenantRole[],
): boolean {
  if (tenancy.platformAdmin) {
    return true;
  }
  const held = tenantRoles(tenancy, tenant);
  if (!held) {
    return false;
  }
  return (
    !roles || roles.length === 0 || roles.some(role => held.includes(role))
  );
}
