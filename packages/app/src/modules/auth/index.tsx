import {
  ApiBlueprint,
  configApiRef,
  createFrontendModule,
  discoveryApiRef,
  oauthRequestApiRef,
} from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { OAuth2 } from '@backstage/core-app-api';
import type { IdentityProviders } from '@backstage/core-components';
import { authentikAuthApiRef } from './authentikApi';

const authentikAuthApi = ApiBlueprint.make({
  name: 'authentik',
  params: defineParams =>
    defineParams({
      api: authentikAuthApiRef,
      deps: {
        discoveryApi: discoveryApiRef,
        oauthRequestApi: oauthRequestApiRef,
        configApi: configApiRef,
      },
      factory: ({ discoveryApi, oauthRequestApi, configApi }) =>
        OAuth2.create({
          configApi,
          discoveryApi,
          oauthRequestApi,
          provider: { id: 'oidc', title: 'Authentik', icon: () => null },
          environment: configApi.getOptionalString('auth.environment'),
          // Authentik sends the groups claim with the profile scope.
          defaultScopes: ['openid', 'profile', 'email', 'offline_access'],
        }),
    }),
});

/**
 * The sign-in page offers the providers listed in `akili.signIn.providers`: Authentik in
 * production, the guest (a demo user of the demo tenant) locally.
 */
const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => {
      const { SignInPage } = await import('@backstage/core-components');
      const { useApi } = await import('@backstage/frontend-plugin-api');
      return props => {
        const config = useApi(configApiRef);
        const wanted = config.getOptionalStringArray(
          'akili.signIn.providers',
        ) ?? ['guest'];
        const providers: IdentityProviders = [];
        if (wanted.includes('authentik')) {
          providers.push({
            id: 'authentik',
            title: 'Authentik',
            message: 'Sign in with your Akili account',
            apiRef: authentikAuthApiRef,
          });
        }
        if (wanted.includes('guest')) {
          providers.push('guest');
        }
        return (
          <SignInPage {...props} title="Akili Portal" providers={providers} />
        );
      };
    },
  },
});

export const authModule = createFrontendModule({
  pluginId: 'app',
  extensions: [authentikAuthApi, signInPage],
});
