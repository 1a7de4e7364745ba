import { LoggerService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthProviderFactory,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { AkiliGuestConfig, AkiliSignInConfig } from './config';
import { issueAkiliToken } from './resolver';
import { AkiliTenantRegistry as TenantRegistry } from '@akili/plugin-akili-node';

/** What the guest authenticator hands to the resolver: nothing but that it may sign in. */
type GuestResult = { guest: true };

/**
 * The guest of local development (`auth.providers.guest`), like Backstage's guest provider: it
 * signs in without credentials, and only when `NODE_ENV` is `development` or
 * `auth.providers.guest.dangerouslyAllowOutsideDevelopment` is true; elsewhere (production) it
 * refuses every request.
 */
function createAkiliGuestAuthenticator(guest: AkiliGuestConfig) {
  return createProxyAuthenticator<{ disabled: boolean }, GuestResult, unknown>({
    async defaultProfileTransform() {
      return { profile: { displayName: guest.displayName } };
    },
    initialize({ config }) {
      const allowOutsideDevelopment =
        config.getOptionalBoolean('dangerouslyAllowOutsideDevelopment') ===
        true;
      return {
        disabled:
          process.env.NODE_ENV !== 'development' && !allowOutsideDevelopment,
      };
    },
    async authenticate(_options, { disabled }) {
      if (disabled) {
        throw new NotAllowedError(
          "The guest provider cannot be used outside of a development environment unless 'auth.providers.guest.dangerouslyAllowOutsideDevelopment' is enabled",
        );
      }
      return { result: { guest: true } };
    },
  });
}

/**
 * Auth provider `guest` with the Akili identity contract: the guest's tenant roles come from
 * the groups configured in `akili.signIn.guest.groups`, mapped like Authentik groups (same
 * pattern, same tenant registry check), at every sign-in and refresh. Nothing is read from the
 * catalog, so a guest token fetched the moment the backend answers already carries its
 * tenants.
 */
export function createAkiliGuestProviderFactory(deps: {
  guest: AkiliGuestConfig;
  config: AkiliSignInConfig;
  registry: TenantRegistry;
  logger: LoggerService;
}): AuthProviderFactory {
  const { guest } = deps;
  return createProxyAuthProviderFactory<GuestResult>({
    authenticator: createAkiliGuestAuthenticator(guest),
    signInResolver: async (_info, ctx) =>
      issueAkiliToken(
        {
          userEntityRef: guest.userEntityRef,
          username: guest.username,
          displayName: guest.displayName,
          groups: guest.groups,
        },
        ctx,
        deps,
      ),
  });
}
