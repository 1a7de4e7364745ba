import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  createOAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { readAkiliGuestConfig, readAkiliSignInConfig } from './config';
import { createAkiliGuestProviderFactory } from './guest';
import { TenantRegistryClient } from '@akili/plugin-akili-node';
import { createAkiliSignInResolver } from './resolver';
import {
  resilientOidcAuthenticator,
  withProviderUnavailableRefresh,
} from './oidc';

/**
 * Registers auth providers `oidc` (Authentik) and `guest` (local development) with the Akili
 * identity contract: tenant roles from groups (Authentik's, or the guest's configured ones),
 * checked against the tenant registry at every sign-in and refresh. It replaces both
 * `@backstage/plugin-auth-backend-module-oidc-provider`'s and
 * `@backstage/plugin-auth-backend-module-guest-provider`'s modules: install this one instead.
 *
 * @public
 */
export const authModuleAkiliProvider = createBackendModule({
  pluginId: 'auth',
  moduleId: 'akili-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        logger: coreServices.logger,
      },
      async init({ providers, config, discovery, auth, logger }) {
        const signInConfig = readAkiliSignInConfig(config);
        const registry = new TenantRegistryClient({ discovery, auth });
        providers.registerProvider({
          providerId: 'oidc',
          // Backstage's OIDC authenticator, surviving its provider going away (see oidc.ts).
          factory: withProviderUnavailableRefresh(
            createOAuthProviderFactory({
              authenticator: resilientOidcAuthenticator,
              signInResolver: createAkiliSignInResolver(
                signInConfig,
                registry,
                logger,
              ),
            }),
          ),
        });
        providers.registerProvider({
          providerId: 'guest',
          factory: createAkiliGuestProviderFactory({
            guest: readAkiliGuestConfig(config),
            config: signInConfig,
            registry,
            logger,
          }),
        });
      },
    });
  },
});
