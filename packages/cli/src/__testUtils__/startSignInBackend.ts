import fs from 'node:fs';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import authPlugin from '@backstage/plugin-auth-backend';
import akiliPlugin from '@akili/plugin-akili-backend';
import {
  defaultServicesForTestBackend,
  testSignInProviderModule,
} from '@akili/plugin-akili-node/testUtils';
import { parse } from 'yaml';

/**
 * The portal's users and the ownership refs their portal sign-in gives them (what the Akili
 * sign-in resolver makes of their Authentik groups).
 */
export const SIGN_IN_USERS = {
  alice: ['user:default/alice', 'group:akili/acme.developer'],
  bob: ['user:default/bob', 'group:akili/globex.developer'],
} as const;

export type SignInUser = keyof typeof SIGN_IN_USERS;

/** The portal's frontend address (`app.baseUrl`): the consent page lives there. */
export const APP_URL = 'http://app.akili.test';

/** `auth.clientIdMetadataDocuments` of the repository's app-config.yaml: what the portal runs. */
function portalBrowserSignInConfig(): { enabled: boolean } {
  const appConfig = parse(
    fs.readFileSync(
      path.resolve(__dirname, '../../../../app-config.yaml'),
      'utf8',
    ),
  );
  return appConfig.auth.clientIdMetadataDocuments;
}

/** The sign-in provider standing in for the portal's Authentik sign-in. */
const PORTAL_SIGN_IN = 'portal-test';

/**
 * The portal backend as `akili login` meets it: the real auth backend (its OpenID provider with
 * `auth.clientIdMetadataDocuments` as app-config.yaml sets it) and the real control plane, on
 * the default services of `@backstage/backend-defaults` (real auth, httpAuth and userInfo: the
 * tokens are real JWTs), SQLite, a free port, two tenants.
 *
 * The auth backend accepts an `http://localhost` client id only in development (production is
 * https): NODE_ENV is `development` while the backend runs; `stop` restores it. With
 * `browserSignIn: false`, the auth backend runs without them, as Backstage's default is.
 */
export async function startSignInBackend(
  options: { browserSignIn?: boolean } = {},
) {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'development';
  const backend = await startTestBackend({
    features: [
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: APP_URL },
          backend: {
            baseUrl: 'http://localhost:7007',
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
          auth: {
            session: { secret: 'cli-login-test' },
            providers: { [PORTAL_SIGN_IN]: {} },
            clientIdMetadataDocuments: {
              ...portalBrowserSignInConfig(),
              ...(options.browserSignIn === false ? { enabled: false } : {}),
            },
          },
          akili: {
            tenants: {
              seed: [
                { name: 'acme', title: 'ACME Retail' },
                { name: 'globex', title: 'Globex Logistics' },
              ],
            },
          },
        },
      }),
      ...defaultServicesForTestBackend(),
      authPlugin,
      testSignInProviderModule({
        providerId: PORTAL_SIGN_IN,
        users: SIGN_IN_USERS,
      }),
      akiliPlugin,
      catalogServiceMock.factory({ entities: [] }),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  return {
    url,
    /** The user's Backstage token, as the portal's frontend holds it once signed in. */
    async portalToken(user: SignInUser): Promise<string> {
      const response = await fetch(
        `${url}/api/auth/${PORTAL_SIGN_IN}/refresh?user=${user}`,
      );
      if (!response.ok) {
        throw new Error(`Test sign-in failed: ${response.status}`);
      }
      return ((await response.json()) as { token: string }).token;
    },
    async stop() {
      await backend.stop();
      process.env.NODE_ENV = nodeEnv;
    },
  };
}
