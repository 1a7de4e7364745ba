import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { oidcAuthenticator } from '@backstage/plugin-auth-backend-module-oidc-provider';
import {
  authProvidersExtensionPoint,
  createOAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { readAkiliSignInConfig } from './config';
import { TenantRegistryClient } from './TenantRegistryClient';
import { createAkiliSignInResolver } from './resolver';

/**
 * Registers auth provider `oidc` (Authentik) with the Akili sign-in resolver. It replaces
 * `@backstage/plugin-auth-backend-module-oidc-provider`'s module: install one or the other.
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
        providers.registerProvider({
          providerId: 'oidc',
          factory: createOAuthProviderFactory({
            authenticator: oidcAuthenticator,
            signInResolver: createAkiliSignInResolver(
              readAkiliSignInConfig(config),
              new TenantRegistryClient({ discovery, auth }),
              logger,
            ),
          }),
        });
      },
    });
  },
});
