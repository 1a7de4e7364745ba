import { createHash } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** A person known to the provider: the claims a default Authentik sends for them. */
export interface AuthentikTestUser {
  /**
   * The `sub` claim; defaults to {@link authentikHashedUserId} of the user's key, like
   * Authentik's default subject mode.
   */
  sub?: string;
  /** `preferred_username`; defaults to the user's key. */
  username?: string;
  name?: string;
  /** Sent with `email_verified: false`, as Authentik does by default. */
  email?: string;
  /** Authentik group names, sent in the `groups` claim of the profile scope. */
  groups: string[];
}

/** An OAuth client registered at the provider (the portal's backend). */
export interface AuthentikTestClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

/** @public */
export interface AuthentikTestProviderOptions {
  /** Users by login name. */
  users: Record<string, AuthentikTestUser>;
  clients: AuthentikTestClient[];
  /** Password every user logs in with on the login form. */
  password: string;
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Host name in the issuer URL; the server listens on it. Defaults to `localhost`. */
  host?: string;
  /** The Authentik application slug: issuer `http://<host>:<port>/application/o/<slug>/`. */
  slug?: string;
  /**
   * Logs in the user named by the authorization request's `login_hint` without showing the login
   * form, for tests that drive the flow over HTTP rather than in a browser.
   */
  acceptLoginHint?: boolean;
}

/** @public */
export interface AuthentikTestProvider {
  issuer: string;
  /** The discovery document URL, as configured in `metadataUrl`. */
  metadataUrl: string;
  server: Server;
  /**
   * Down: stops listening and drops open connections (a provider that is gone: connections are
   * refused). Up: listens on the same port again, with its sessions, grants and refresh tokens
   * kept, as a restarted Authentik keeps them in its database.
   */
  setDown(down: boolean): Promise<void>;
  close(): Promise<void>;
}

/** The install id the provider pretends to have, for {@link authentikHashedUserId}. */
const INSTALL_ID = 'akili-authentik-test-provider';

/**
 * The subject Authentik sends in its default subject mode (`hashed_user_id`): the SHA-256 hex of
 * `<user id>-<install id>`, 64 characters. Here the user id is the user's key.
 *
 * @public
 */
export function authentikHashedUserId(userId: string): string {
  return createHash('sha256').update(`${userId}-${INSTALL_ID}`).digest('hex');
}

function loginPage(action: string, error?: string) {
  return `<!doctype html><html><head><title>Sign in - authentik</title></head><body>
<main><h1>Welcome to authentik!</h1>
${error ? `<p role="alert">${error}</p>` : ''}
<form method="post" action="${action}">
<label>Username <input name="username" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Log in</button>
</form></main></body></html>`;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

/**
 * Starts the provider. Like Authentik, it serves the issuer and discovery under
 * `/application/o/<slug>/`, sends a hashed user id as `sub`, `groups` with the profile scope and
 * `email_verified: false`, has no consent step for the portal's client, and issues refresh
 * tokens (`offline_access`).
 */
export async function startAuthentikTestProvider(
  options: AuthentikTestProviderOptions,
): Promise<AuthentikTestProvider> {
  const host = options.host ?? 'localhost';
  const issuerPath = `/application/o/${options.slug ?? 'akili'}`;
  const server = createServer();
  await new Promise<void>(resolve =>
    server.listen(options.port ?? 0, host, resolve),
  );
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${host}:${port}${issuerPath}/`;

  const subjectOf = (login: string) =>
    options.users[login].sub ?? authentikHashedUserId(login);
  const loginOfSubject = (sub: string) =>
    Object.keys(options.users).find(login => subjectOf(login) === sub);

  const provider = new Provider(issuer, {
    clients: options.clients.map(client => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: client.redirectUris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    })),
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username', 'groups'],
      email: ['email', 'email_verified'],
    },
    conformIdTokenClaims: false,
    cookies: { keys: ['akili-test-cookie-key'] },
    features: { devInteractions: { enabled: false } },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) =>
        `${issuerPath}/interaction/${interaction.uid}`,
    },
    issueRefreshToken: async () => true,
    // Explicit lifetimes (the library warns about its defaults otherwise).
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      Grant: 86400,
      IdToken: 3600,
      Interaction: 600,
      RefreshToken: 86400,
      Session: 86400,
    },
    // The account id is the subject (oidc-provider sends it as `sub`); the user's entry is read
    // at every request, so tests may change it between sign-in and refresh.
    async findAccount(_ctx: unknown, accountId: string) {
      const login = loginOfSubject(accountId);
      const user = login === undefined ? undefined : options.users[login];
      return user && login !== undefined
        ? {
            accountId,
            claims: async () => ({
              sub: accountId,
              preferred_username: user.username ?? login,
              name: user.name ?? login,
              email: user.email ?? `${login}@example.com`,
              email_verified: false,
              groups: user.groups,
            }),
          }
        : undefined;
    },
  });

  // Logs the user in and grants what was asked, ending the interaction.
  async function finishLogin(
    req: IncomingMessage,
    res: import('node:http').ServerResponse,
    login: string,
    details: { params: Record<string, unknown> },
  ) {
    const accountId = subjectOf(login);
    const grant = new provider.Grant({
      accountId,
      clientId: String(details.params.client_id),
    });
    grant.addOIDCScope(String(details.params.scope));
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  const callback = provider.callback();
  const interactionPath = new RegExp(
    `^${issuerPath}/interaction/([^/?]+)(/login)?`,
  );
  server.on(
    'request',
    async (req: IncomingMessage & { originalUrl?: string }, res) => {
      const url = req.url ?? '/';
      const interaction = url.match(interactionPath);
      try {
        if (interaction) {
          const details = await provider.interactionDetails(req, res);
          const action = `${issuerPath}/interaction/${interaction[1]}/login`;
          const hint = String(details.params.login_hint ?? '');
          if (req.method === 'GET') {
            if (options.acceptLoginHint && options.users[hint]) {
              await finishLogin(req, res, hint, details);
              return;
            }
            res.setHeader('content-type', 'text/html');
            res.end(loginPage(action));
            return;
          }
          const form = await readForm(req);
          const username = form.get('username') ?? '';
          if (
            !options.users[username] ||
            form.get('password') !== options.password
          ) {
            res.setHeader('content-type', 'text/html');
            res.end(loginPage(action, 'Invalid username or password'));
            return;
          }
          await finishLogin(req, res, username, details);
          return;
        }
        if (url.startsWith(`${issuerPath}/`)) {
          // oidc-provider serves from its issuer path; strip the prefix like a mount would.
          req.originalUrl = url;
          req.url = url.slice(issuerPath.length);
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

  const close = () =>
    new Promise<void>(resolve => {
      if (!server.listening) {
        resolve();
        return;
      }
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return {
    issuer,
    metadataUrl: `${issuer}.well-known/openid-configuration`,
    server,
    async setDown(down: boolean) {
      if (down) {
        await close();
      } else if (!server.listening) {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, host, () => {
            server.off('error', reject);
            resolve();
          });
        });
      }
    },
    close,
  };
}
