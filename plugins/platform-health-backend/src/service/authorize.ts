import { NotAllowedError } from '@backstage/errors';
import {
  AkiliTenantPermission,
  akiliRolesGrant,
} from '@akili/plugin-akili-common';
import { AkiliRequest, TenancyService } from '@akili/plugin-akili-node';
import { akiliPlatformHealthReadPermission } from '@akili/plugin-platform-health-common';

/**
 * Authorizes `akili.platform.health.read` (the default) or `akili.platform.health.status.read`
 * through akili-node's one authorization path. Both are platform-wide but granted per tenant
 * role: platform admins pass `authorizePlatform`; a user passes `authorize` in the first of their
 * tenants whose role grants it, so the tenant's status and the permission policy are checked as
 * everywhere else. API tokens, scoped to one tenant's data, never read platform data.
 */
export async function authorizePlatformHealthRead(
  tenancy: TenancyService,
  req: AkiliRequest,
  permission: AkiliTenantPermission = akiliPlatformHealthReadPermission,
): Promise<void> {
  const authentication = await tenancy.authenticate(req);
  const { principal, actorRef } = authentication;
  if (principal.type !== 'user') {
    throw new NotAllowedError(
      `${actorRef} may not read platform health: it is not tenant data`,
    );
  }
  if (principal.platformAdmin) {
    await tenancy.authorizePlatform(authentication, { permission });
    return;
  }
  const granting = Object.keys(principal.tenants)
    .sort()
    .filter(tenant => akiliRolesGrant(principal.tenants[tenant], permission));
  let refusal: unknown;
  for (const tenant of granting) {
    try {
      await tenancy.authorize(authentication, { tenant, permission });
      return;
    } catch (error) {
      // A suspended tenant does not grant it; another tenant may.
      refusal = error;
    }
  }
  throw (
    refusal ??
    new NotAllowedError(
      `${actorRef} needs role ${permission.grantedTo.join(
        ' or ',
      )} in a tenant, or to be a platform admin, for ${permission.name}`,
    )
  );
}
