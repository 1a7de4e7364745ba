/*
 * The Authentik-like OpenID Provider of the end-to-end tests (`make test` starts it before the
 * portal; app-config.e2e.yaml points the portal's `oidc` provider at it).
 *
 * Run: node --require ./node_modules/@backstage/cli/config/nodeTransform.cjs \
 *        e2e-tests/support/authentik.ts <port> <backend base URL>
 */
import { startAuthentikTestProvider } from '@akili/authentik-test-provider';
import { E2E_PASSWORD, E2E_USERS } from './users';

const port = Number(process.argv[2] ?? 7190);
const backend = process.argv[3] ?? 'http://localhost:7107';

startAuthentikTestProvider({
  port,
  users: E2E_USERS,
  password: E2E_PASSWORD,
  clients: [
    {
      clientId: 'akili-portal',
      clientSecret: 'akili-portal-secret',
      redirectUris: [`${backend}/api/auth/oidc/handler/frame`],
    },
  ],
}).then(({ issuer }) => {
  // eslint-disable-next-line no-console
  console.log(`Authentik-like OpenID Provider at ${issuer}`);
});
