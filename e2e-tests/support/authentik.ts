/*
 * An OpenID Provider laid out like an Authentik application, for the end-to-end tests: issuer and
 * discovery under /application/o/<slug>/, the groups claim with the profile scope, emails sent
 * unverified (Authentik's default), and a username + password login form.
 *
 * Run: node --require ./node_modules/@backstage/cli/config/nodeTransform.cjs \
 *        e2e-tests/support/authentik.ts <port> <backend base URL>
 */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import Provider from 'oidc-provider';

export const E2E_PASSWORD = 'akili-e2e';

/** The people of the end-to-end tests and the Authentik groups they are in. */
export const E2E_USERS: Record<string, { name: string; groups: string[] }> = {
  alice: { name: 'Alice Acme', groups: ['akili-acme-developer', 'staff'] },
  bob: { name: 'Bob Globex', groups: ['akili-globex-developer'] },
  root: { name: 'Root Admin', groups: ['akili-platform-admins'] },
  nobody: { name: 'No Tenant', groups: ['staff'] },
};

const SLUG = 'akili';
const ISSUER_PATH = `/application/o/${SLUG}`;

function loginPage(uid: string, error?: string) {
  return `<!doctype html><html><head><title>Sign in - authentik</title></head><body>
<main><h1>Welcome to authentik!</h1>
${error ? `<p role="alert">${error}</p>` : ''}
<form method="post" action="${ISSUER_PATH}/interaction/${uid}/login">
<label>Username <input name="username" autocomplete="username" autofocus></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Log in</button>
</form></main></body></html>`;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

export function startAuthentik(port: number, backendBaseUrl: string) {
  const issuer = `http://localhost:${port}${ISSUER_PATH}/`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'akili-portal',
        client_secret: 'akili-portal-secret',
        redirect_uris: [`${backendBaseUrl}/api/auth/oidc/handler/frame`],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username', 'groups'],
      email: ['email', 'email_verified'],
    },
    conformIdTokenClaims: false,
    cookies: { keys: ['akili-e2e-cookie-key'] },
    features: { devInteractions: { enabled: false } },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) =>
        `${ISSUER_PATH}/interaction/${interaction.uid}`,
    },
    issueRefreshToken: async () => true,
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      RefreshToken: 86400,
      Session: 86400,
      Grant: 86400,
    },
    async findAccount(_ctx: unknown, id: string) {
      const user = E2E_USERS[id];
      return user
        ? {
            accountId: id,
            claims: async () => ({
              sub: id,
              preferred_username: id,
              name: user.name,
              email: `${id}@example.com`,
              email_verified: false,
              groups: user.groups,
            }),
          }
        : undefined;
    },
  });

  const callback = provider.callback();
  const server = createServer(
    async (
      req: IncomingMessage & { originalUrl?: string },
      res: ServerResponse,
    ) => {
      const url = req.url ?? '/';
      const interaction = url.match(
        new RegExp(`^${ISSUER_PATH}/interaction/([^/?]+)(/login)?`),
      );
      try {
        if (interaction && req.method === 'GET') {
          await provider.interactionDetails(req, res);
          res.setHeader('content-type', 'text/html');
          res.end(loginPage(interaction[1]));
          return;
        }
        if (interaction && req.method === 'POST' && interaction[2]) {
          const details = await provider.interactionDetails(req, res);
          const form = await readForm(req);
          const username = form.get('username') ?? '';
          if (!E2E_USERS[username] || form.get('password') !== E2E_PASSWORD) {
            res.setHeader('content-type', 'text/html');
            res.end(loginPage(interaction[1], 'Invalid username or password'));
            return;
          }
          // Authentik's default flow has no consent step for a confidential app.
          const grant = new provider.Grant({
            accountId: username,
            clientId: String(details.params.client_id),
          });
          grant.addOIDCScope(String(details.params.scope));
          const grantId = await grant.save();
          await provider.interactionFinished(
            req,
            res,
            { login: { accountId: username }, consent: { grantId } },
            { mergeWithLastSubmission: false },
          );
          return;
        }
        if (url.startsWith(`${ISSUER_PATH}/`)) {
          req.originalUrl = url;
          req.url = url.slice(ISSUER_PATH.length);
          callback(req, res);
          return;
        }
        res.statusCode = 404;
        res.end('not found');
      } catch (error) {
        res.statusCode = 500;
        res.end(String(error));
      }
    },
  );
  server.listen(port);
  return { server, issuer };
}

if (require.main === module) {
  const port = Number(process.argv[2] ?? 7190);
  const backend = process.argv[3] ?? 'http://localhost:7107';
  const { issuer } = startAuthentik(port, backend);
  // eslint-disable-next-line no-console
  console.log(`Authentik-like OpenID Provider at ${issuer}`);
}
