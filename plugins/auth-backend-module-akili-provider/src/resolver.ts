import { LoggerService } from '@backstage/backend-plugin-api';
import { AuthenticationError } from '@backstage/errors';
import { OidcAuthResult } from '@backstage/plugin-auth-backend-module-oidc-provider';
import {
  OAuthAuthenticatorResult,
  SignInResolver,
} from '@backstage/plugin-auth-node';
import { AkiliSignInConfig } from './config';
import {
  groupsToAkiliIdentity,
  tenantsNamedByGroups,
  toAkiliUsername,
} from './groups';
import { TenantRegistry } from './TenantRegistryClient';

/**
 * The Akili sign-in resolver for Authentik: the user is named by `preferred_username` (the email
 * arrives unverified from a default Authentik, so it is never used to identify anyone), tenant
 * roles come from the `groups` claim, and only tenants the registry knows as active count. Users
 * and groups need not exist in the catalog: the token carries the ownership refs itself.
 */
export function createAkiliSignInResolver(
  config: AkiliSignInConfig,
  registry: TenantRegistry,
  logger: LoggerService,
): SignInResolver<OAuthAuthenticatorResult<OidcAuthResult>> {
  return async (info, ctx) => {
    const userinfo = info.result.fullProfile?.userinfo ?? {};
    const username = toAkiliUsername(userinfo.preferred_username);
    if (!username) {
      throw new AuthenticationError(
        'Sign-in refused: the identity provider sent no usable preferred_username claim',
      );
    }
    const tenantStatuses = await registry.statuses(
      tenantsNamedByGroups(userinfo.groups, config.groupPattern),
    );
    const identity = groupsToAkiliIdentity(userinfo.groups, {
      username,
      ...config,
      tenantStatuses,
    });
    for (const ignored of identity.ignoredGroups) {
      logger.warn('Ignored Akili group at sign-in', {
        user: username,
        group: ignored.group,
        reason: ignored.reason,
      });
    }
    return ctx.issueToken({
      claims: {
        sub: identity.userEntityRef,
        ent: identity.ownershipEntityRefs,
      },
    });
  };
}
