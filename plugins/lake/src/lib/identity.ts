import {
  AkiliIdentityInfo,
  akiliRolesGrant,
  AkiliTenantPermission,
} from '@akili/plugin-akili-common';

/** Whether the identity's roles in `tenant` (or being a platform admin) grant `permission`. */
export function identityGrants(
  identity: AkiliIdentityInfo | undefined,
  tenant: string,
  permission: AkiliTenantPermission,
): boolean {
  if (!identity) {
    return false;
  }
  if (identity.platformAdmin) {
    return true;
  }
  const roles = identity.tenants.find(t => t.name === tenant)?.roles ?? [];
  return akiliRolesGrant(roles, permission);
}
