import { LoggerService } from '@backstage/backend-plugin-api';
import { AuthenticationError } from '@backstage/errors';
import { OidcAuthResult } from '@backstage/plugin-auth-backend-module-oidc-provider';
import {
  OAuthAuthenticatorResult,
  SignInResolver,
} from '@backstage/plugin-auth-node';
import { AkiliSignInConfig } from './config';
import { groupsToAkiliIdentity, toAkiliUsername } from './groups';

/**
 * Creates the sign-in resolver that turns an Authentik sign-in into a Backstage
 * token carrying the Akili ownership refs. It reads the claims from
 * `fullProfile.userinfo` and never the profile email (Authentik marks it unverified).
 *
 * @public
 */
export function createAkiliSignInResolver(
  config: AkiliSignInConfig,
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
    const identity = groupsToAkiliIdentity(userinfo.groups, {
      username,
      ...config,
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
