import {
  akiliPermissions,
  akiliRolesGrant,
  AkiliTenantPermission,
} from '@akili/plugin-akili-common';
import { dagsterPermissions } from '@akili/plugin-dagster-common';
import { qualityPermissions } from '@akili/plugin-quality-common';
import { starrocksPermissions } from '@akili/plugin-starrocks-common';
import { AkiliPrincipal } from '@akili/plugin-akili-node';

/**
 * Every permission an API token may hold: the Akili permissions a tenant role grants, of every
 * Akili plugin that accepts tokens. Platform-only permissions (no granting role, such as
 * `akili.tenant.admin`) are never given to a token: a token acts inside one tenant.
 */
export const API_TOKEN_PERMISSIONS: readonly AkiliTenantPermission[] = [
  ...akiliPermissions,
  ...dagsterPermissions,
  ...starrocksPermissions,
  ...qualityPermissions,
].filter(permission => permission.grantedTo.length > 0);

/**
 * The permission names the caller may put in a token of `tenant`: those their roles there
 * grant (every token permission for a platform admin). Tokens grant none.
 */
export function grantableApiTokenPermissions(
  principal: AkiliPrincipal,
  tenant: string,
): string[] {
  if (principal.type !== 'user') {
    return [];
  }
  const roles = Object.prototype.hasOwnProperty.call(principal.tenants, tenant)
    ? principal.tenants[tenant]
    : [];
  return API_TOKEN_PERMISSIONS.filter(
    permission => principal.platformAdmin || akiliRolesGrant(roles, permission),
  ).map(permission => permission.name);
}
