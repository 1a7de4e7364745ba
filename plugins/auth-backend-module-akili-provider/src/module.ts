import { createBackendModule } from '@backstage/backend-plugin-api';
import { oidcAuthenticator } from '@backstage/plugin-auth-backend-module-oidc-provider';
import {
  AuthProviderFactory,
  AuthProviderRouteHandlers,
  OAuthEnvironmentHandler,
  authProvidersExtensionPoint,
  createOAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { ConfigReader } from '@backstage/config';
import { readAkiliSignInConfig } from './config';
import { createAkiliSignInResolver } from './resolver';

/**
 * Builds the handlers of each auth environment with a resolver configured from
 * that environment's `akili` block. A sign-in resolver does not know its
 * environment, so each environment gets its own factory.
 */
const akiliOidcProviderFactory: AuthProviderFactory = options => {
  const handlers = new Map<string, AuthProviderRouteHandlers>();
  for (const env of options.config.keys()) {
    const envConfig = options.config.getConfig(env);
    const signInResolver = createAkiliSignInResolver(
      readAkiliSignInConfig(envConfig),
      options.logger.child({ authEnv: env }),
    );
    const factory = createOAuthProviderFactory({
      authenticator: oidcAuthenticator,
      signInResolver,
    });
    handlers.set(
      env,
      factory({
        ...options,
        config: new ConfigReader(
          { [env]: envConfig.get() },
          `auth.providers.${options.providerId}`,
        ),
      }),
    );
  }
  return new OAuthEnvironmentHandler(handlers);
};

/**
 * Authentik sign-in for Akili: registers the `oidc` auth provider with the
 * Akili group resolver. Use it instead of
 * `@backstage/plugin-auth-backend-module-oidc-provider`, not next to it.
 *
 * @public
 */
export const authModuleAkiliProvider = createBackendModule({
  pluginId: 'auth',
  moduleId: 'akili-provider',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: 'oidc',
          factory: akiliOidcProviderFactory,
        });
      },
    });
  },
});
