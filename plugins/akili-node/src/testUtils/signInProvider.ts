import { createBackendModule } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { authProvidersExtensionPoint } from '@backstage/plugin-auth-node';

/**
 * For tests that run the real auth backend: a sign-in provider module that issues real
 * Backstage user tokens for a fixed set of users, as the Akili sign-in resolver would from
 * their Authentik groups. `GET /api/auth/<providerId>/refresh?user=<name>` answers
 * `{ token }`, issued through the auth backend's own resolver context (the same issuer, signing
 * keys and stored user info as a real sign-in); an unknown user is a 404. The provider needs
 * an (empty) entry under `auth.providers.<providerId>`.
 *
 * @param options.users - user names and the ownership refs their token carries, the user's
 * entity ref first.
 * @public
 */
export function testSignInProviderModule(options: {
  providerId: string;
  users: Readonly<Record<string, readonly string[]>>;
}) {
  const { providerId, users } = options;
  return createBackendModule({
    pluginId: 'auth',
    moduleId: `${providerId}-test-provider`,
    register(reg) {
      reg.registerInit({
        deps: { providers: authProvidersExtensionPoint },
        async init({ providers }) {
          providers.registerProvider({
            providerId,
            factory: ({ resolverContext }) => ({
              async start(_req, res) {
                res.status(404).end();
              },
              async frameHandler(_req, res) {
                res.status(404).end();
              },
              async refresh(req, res) {
                const user = String(req.query.user);
                if (!Object.hasOwn(users, user)) {
                  throw new NotFoundError(`No test user '${user}'`);
                }
                const ent = [...users[user]];
                const { token } = await resolverContext.issueToken({
                  claims: { sub: ent[0], ent },
                });
                res.json({ token });
              },
            }),
          });
        },
      });
    },
  });
}
