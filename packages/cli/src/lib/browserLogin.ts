import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { CliIo } from './io';
import { PortalUnavailableError, unavailableError } from './portal';

/**
 * Browser sign-in through the auth backend's own OpenID provider (Backstage's OIDC provider with
 * Client ID Metadata Documents, `auth.clientIdMetadataDocuments`): the authorization code flow
 * with PKCE, the code delivered to a loopback listener (RFC 8252), for the built-in CLI client
 * `<portal>/api/auth/.well-known/oauth-client/cli.json`. The portal's consent page
 * (`/oauth2/authorize/:sessionId`, `@backstage/plugin-auth`) asks the signed-in user to approve.
 */

/** The path the loopback listener answers on; the CLI client's metadata registers it. */
export const CALLBACK_PATH = '/callback';

/** How long `akili login` waits for the browser by default. */
export const DEFAULT_BROWSER_TIMEOUT_MS = 5 * 60_000;

/** The browser sign-in did not complete: refused, timed out, or the portal does not offer it. */
export class BrowserLoginError extends Error {
  name = 'BrowserLoginError';
}

/** The tokens the portal's token endpoint answers (`POST /api/auth/v1/token`). */
export interface IssuedToken {
  /** A Backstage user token: the portal's plugins take it as the user. */
  accessToken: string;
  /** When the token expires: its `exp` claim, else `expires_in` from now. */
  expiresAt: Date;
}

/** The PKCE pair and the one-time `state` of one sign-in. */
export interface AuthorizationSecrets {
  verifier: string;
  challenge: string;
  state: string;
}

/** Fresh random PKCE verifier (S256 challenge) and state, 256 bits each. */
export function createAuthorizationSecrets(): AuthorizationSecrets {
  const verifier = crypto.randomBytes(32).toString('base64url');
  return {
    verifier,
    challenge: crypto.createHash('sha256').update(verifier).digest('base64url'),
    state: crypto.randomBytes(32).toString('base64url'),
  };
}

const authBase = (url: string) => `${url}/api/auth`;

async function fetchJson(
  portalUrl: string,
  url: string,
  init: RequestInit & { timeoutMs: number },
): Promise<{ status: number; body: any }> {
  const signal = AbortSignal.timeout(init.timeoutMs);
  try {
    const response = await fetch(url, {
      ...init,
      signal,
      redirect: 'error',
      headers: { accept: 'application/json', ...init.headers },
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Keep the text for the message.
    }
    return { status: response.status, body };
  } catch (error) {
    throw unavailableError(
      error,
      { url: portalUrl },
      signal.aborted ? { timeoutMs: init.timeoutMs } : undefined,
    );
  }
}

/** The `error_description` (or `error`) of an OAuth error answer, or the text. */
function oauthError(body: unknown, status: number): string {
  if (body && typeof body === 'object') {
    const { error, error_description: description } = body as Record<
      string,
      unknown
    >;
    if (typeof description === 'string' && description) return description;
    if (typeof error === 'string' && error) return error;
    const message = (error as { message?: unknown } | undefined)?.message;
    if (typeof message === 'string') return message;
  }
  if (typeof body === 'string' && body.trim()) {
    return body.trim().slice(0, 300);
  }
  return `HTTP ${status}`;
}

/**
 * The client id of the CLI at this portal: the URL of the CLI client's metadata document, as
 * the portal itself states it.
 *
 * @throws BrowserLoginError when the portal does not offer browser sign-in.
 */
export async function discoverCliClient(
  portalUrl: string,
  timeoutMs: number,
): Promise<string> {
  const metadataUrl = `${authBase(
    portalUrl,
  )}/.well-known/oauth-client/cli.json`;
  const { status, body } = await fetchJson(portalUrl, metadataUrl, {
    method: 'GET',
    timeoutMs,
  });
  if (status === 404) {
    throw new BrowserLoginError(
      `The portal at ${portalUrl} does not offer browser sign-in (auth.clientIdMetadataDocuments is not enabled); sign in with --token <Akili API token> instead`,
    );
  }
  if (status !== 200 || typeof body?.client_id !== 'string') {
    throw new PortalUnavailableError(
      `The portal at ${portalUrl} answered ${status} for ${metadataUrl}: ${oauthError(
        body,
        status,
      )}`,
    );
  }
  return body.client_id;
}

/** The portal's authorization URL the user opens: it leads to the consent page. */
export function authorizeUrl(options: {
  portalUrl: string;
  clientId: string;
  redirectUri: string;
  secrets: AuthorizationSecrets;
}): string {
  const url = new URL(`${authBase(options.portalUrl)}/v1/authorize`);
  url.searchParams.set('client_id', options.clientId);
  url.searchParams.set('redirect_uri', options.redirectUri);
  url.searchParams.set('response_type', 'code');
  // No offline_access: the CLI keeps no refresh token (see the README).
  url.searchParams.set('scope', 'openid');
  url.searchParams.set('state', options.secrets.state);
  url.searchParams.set('code_challenge', options.secrets.challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}

/** When a JWT expires (its `exp` claim), if it says. */
function jwtExpiry(token: string): Date | undefined {
  try {
    const payload = JSON.parse(
      Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'),
    );
    return typeof payload?.exp === 'number'
      ? new Date(payload.exp * 1000)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Exchanges the authorization code for the user's token, proving with the PKCE verifier that
 * this process started the sign-in.
 *
 * @throws BrowserLoginError when the portal refuses the code (used, expired, wrong verifier).
 */
export async function exchangeCode(options: {
  portalUrl: string;
  code: string;
  redirectUri: string;
  verifier: string;
  timeoutMs: number;
}): Promise<IssuedToken> {
  const { status, body } = await fetchJson(
    options.portalUrl,
    `${authBase(options.portalUrl)}/v1/token`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'authorization_code',
        code: options.code,
        redirect_uri: options.redirectUri,
        code_verifier: options.verifier,
      }),
      timeoutMs: options.timeoutMs,
    },
  );
  if (status !== 200 || typeof body?.access_token !== 'string') {
    const refused = status >= 400 && status < 500;
    const message = `The portal at ${
      options.portalUrl
    } refused the authorization code (${status}: ${oauthError(body, status)})`;
    throw refused
      ? new BrowserLoginError(`${message}; run "akili login" again`)
      : new PortalUnavailableError(message);
  }
  const expiresIn = Number(body.expires_in);
  return {
    accessToken: body.access_token,
    expiresAt:
      jwtExpiry(body.access_token) ??
      new Date(
        Date.now() + (Number.isFinite(expiresIn) ? expiresIn : 3600) * 1000,
      ),
  };
}

const page = (title: string, text: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body style="font-family:sans-serif;margin:3em"><h1>${title}</h1><p>${text}</p></body></html>`;

/** The loopback listener that receives the authorization code. */
export interface CallbackListener {
  /** `http://127.0.0.1:<port>/callback`: the redirect URI of this sign-in. */
  redirectUri: string;
  /**
   * The authorization code, once a request with the right `state` brings it.
   *
   * @throws BrowserLoginError when the portal reports an error (the user denied) or no code
   * arrives within the time limit.
   */
  code: Promise<string>;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 (a random port, never other interfaces) for the redirect that brings
 * the authorization code. Only a request with this sign-in's `state` counts: others are
 * answered 400 and the listener keeps waiting (a page of another site cannot end the sign-in).
 * The first good answer wins; the listener answers nothing useful afterwards.
 */
export async function startCallbackListener(options: {
  state: string;
  timeoutMs: number;
  io: CliIo;
}): Promise<CallbackListener> {
  let settle: { resolve(code: string): void; reject(e: Error): void };
  const code = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Nobody may await it yet (a test closing early): never an unhandled rejection.
  code.catch(() => {});
  let done = false;
  const wait: { timer?: NodeJS.Timeout } = {};
  const finish = (result: { code: string } | { error: Error }) => {
    if (done) return;
    done = true;
    clearTimeout(wait.timer);
    if ('code' in result) settle.resolve(result.code);
    else settle.reject(result.error);
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const reply = (status: number, title: string, text: string) => {
      res.writeHead(status, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(page(title, text));
    };
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) {
      reply(404, 'Not found', 'This address only receives the sign-in.');
      return;
    }
    if (done) {
      reply(410, 'Sign-in already finished', 'You can close this tab.');
      return;
    }
    const state = url.searchParams.get('state');
    if (
      !state ||
      state.length !== options.state.length ||
      !crypto.timingSafeEqual(Buffer.from(state), Buffer.from(options.state))
    ) {
      options.io.err(
        'Ignored a sign-in answer whose state does not match this login\n',
      );
      reply(
        400,
        'Sign-in refused',
        'This answer does not belong to the running "akili login" (its state does not match).',
      );
      return;
    }
    const error = url.searchParams.get('error');
    if (error) {
      const description = url.searchParams.get('error_description') ?? error;
      reply(
        200,
        'Sign-in not completed',
        'The portal did not sign you in; see the terminal.',
      );
      finish({
        error: new BrowserLoginError(
          `The portal did not sign you in: ${description}`,
        ),
      });
      return;
    }
    const received = url.searchParams.get('code');
    if (!received) {
      reply(400, 'Sign-in refused', 'The answer carries no code.');
      return;
    }
    reply(
      200,
      'Signed in to Akili',
      'The command line has your sign-in. You can close this tab.',
    );
    finish({ code: received });
  });

  wait.timer = setTimeout(
    () =>
      finish({
        error: new BrowserLoginError(
          `No sign-in arrived within ${
            options.timeoutMs / 1000
          } s; run "akili login" again (--timeout <seconds> waits longer), or sign in with --token <Akili API token>`,
        ),
      }),
    options.timeoutMs,
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    redirectUri: `http://127.0.0.1:${port}${CALLBACK_PATH}`,
    code,
    close: async () => {
      finish({ error: new BrowserLoginError('The sign-in was stopped') });
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}

/**
 * Opens the URL in the user's browser (`open`, `xdg-open`, `start`); on failure says so and
 * leaves the printed URL to the user.
 */
export function openInBrowser(url: string, io: CliIo): void {
  let command = 'xdg-open';
  let args = [url];
  if (process.platform === 'darwin') {
    command = 'open';
  } else if (process.platform === 'win32') {
    command = 'cmd';
    args = ['/c', 'start', '""', url.replace(/&/g, '^&')];
  }
  const warn = (error: Error) =>
    io.err(
      `Could not open a browser (${error.message}); open the address above yourself\n`,
    );
  try {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.on('error', warn);
    child.unref();
  } catch (error) {
    warn(error as Error);
  }
}
