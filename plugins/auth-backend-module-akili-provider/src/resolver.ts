import { LoggerService } from '@backstage/backend-plugin-api';
import { AuthenticationError } from '@backstage/errors';
import { OidcAuthResult } from '@backstage/plugin-auth-backend-module-oidc-provider';
import {
  AuthResolverContext,
  BackstageSignInResult,
  OAuthAuthenticatorResult,
  SignInResolver,
} from '@backstage/plugin-auth-node';
import { AkiliSignInConfig } from './config';
import { groupsToAkiliIdentity, tenantsNamedByGroups } from './groups';
import { displayNameFromClaims, userEntityRefFromSubject } from './subject';
import { AkiliTenantRegistry as TenantRegistry } from '@akili/plugin-akili-node';

/** Who is signing in, as their identity (Authentik, or the guest's configuration) says. */
export interface AkiliSignInSubject {
  /** The user entity ref (for people: derived from the OIDC `sub`). */
  userEntityRef: string;
  /** How refusals and logs name the user (their username); display only. */
  username: string;
  /** The name people see (the `name` claim of the token); display only. */
  displayName: string;
  /** The identity provider groups (the `groups` claim), mapped under `akili.tenancy`. */
  groups: unknown;
}

/**
 * Issues the Backstage token of an Akili user: the groups are mapped to tenant roles, and only
 * tenants the registry knows as active count (asked at every sign-in and every refresh, so the
 * token always reflects the identity and the registry of now, never what the catalog has read
 * so far). The token carries `sub`, `ent` and the display name (`name`).
 */
export async function issueAkiliToken(
  subject: AkiliSignInSubject,
  ctx: AuthResolverContext,
  deps: {
    config: AkiliSignInConfig;
    registry: TenantRegistry;
    logger: LoggerService;
  },
): Promise<BackstageSignInResult> {
  const { config, registry, logger } = deps;
  const tenantStatuses = await registry.statuses(
    tenantsNamedByGroups(subject.groups, config.groupPattern),
  );
  const identity = groupsToAkiliIdentity(subject.groups, {
    userEntityRef: subject.userEntityRef,
    username: subject.username,
    ...config,
    tenantStatuses,
  });
  for (const ignored of identity.ignoredGroups) {
    logger.warn('Ignored Akili group at sign-in', {
      user: subject.userEntityRef,
      username: subject.username,
      group: ignored.group,
      reason: ignored.reason,
    });
  }
  return ctx.issueToken({
    claims: {
      sub: identity.userEntityRef,
      ent: identity.ownershipEntityRefs,
      name: subject.displayName,
    },
  });
}

/**
 * The Akili sign-in resolver for Authentik: the user is the OIDC subject (`sub`, stable and
 * unique; see `userEntityRefFromSubject`), named for people by `name` / `preferred_username`
 * (the email arrives unverified from a default Authentik and is never used), tenant roles come
 * from the `groups` claim, and only tenants the registry knows as active count. Users and groups
 * need not exist in the catalog: the token carries the ownership refs itself. A token refresh
 * reads the userinfo again and runs this resolver again.
 */
export function createAkiliSignInResolver(
  config: AkiliSignInConfig,
  registry: TenantRegistry,
  logger: LoggerService,
): SignInResolver<OAuthAuthenticatorResult<OidcAuthResult>> {
  return async (info, ctx) => {
    const userinfo = info.result.fullProfile?.userinfo ?? {};
    const userEntityRef = userEntityRefFromSubject(userinfo.sub);
    if (!userEntityRef) {
      throw new AuthenticationError(
        'Sign-in refused: the identity provider sent no usable subject (sub) claim',
      );
    }
    const displayName = displayNameFromClaims(userinfo) ?? userEntityRef;
    const username =
      displayNameFromClaims({
        preferred_username: userinfo.preferred_username,
      }) ?? displayName;
    return issueAkiliToken(
      { userEntityRef, username, displayName, groups: userinfo.groups },
      ctx,
      { config, registry, logger },
    );
  };
}
