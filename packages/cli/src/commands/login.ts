import { AkiliIdentityInfo } from '@akili/plugin-akili-common';
import {
  BrowserLoginError,
  DEFAULT_BROWSER_TIMEOUT_MS,
  authorizeUrl,
  createAuthorizationSecrets,
  discoverCliClient,
  exchangeCode,
  openInBrowser,
  startCallbackListener,
} from '../lib/browserLogin';
import {
  NotSignedInError,
  configFile,
  normalizeUrl,
  readStoredLogin,
  removeStoredLogin,
  resolveLogin,
  writeStoredLogin,
} from '../lib/config';
import { CliIo, ExitCode, UsageError } from '../lib/io';
import {
  PortalUnavailableError,
  callPortal,
  describeFailure,
  exitCodeForStatus,
  timeoutFromEnv,
} from '../lib/portal';

type Login = { url: string; token: string };

/** Asks the control plane who the token belongs to (`GET /api/akili/v1/me`). */
async function fetchIdentity(
  login: Login,
  io: CliIo,
): Promise<AkiliIdentityInfo | ExitCode> {
  try {
    const response = await callPortal(login, {
      method: 'GET',
      path: '/v1/me',
      timeoutMs: timeoutFromEnv(io.env),
    });
    if (response.status === 200 && typeof response.body === 'object') {
      return response.body as AkiliIdentityInfo;
    }
    io.err(`${describeFailure(response, login)}\n`);
    return response.status === 200
      ? ExitCode.Unavailable
      : exitCodeForStatus(response.status);
  } catch (error) {
    if (error instanceof PortalUnavailableError) {
      io.err(`${error.message}\n`);
      return ExitCode.Unavailable;
    }
    throw error;
  }
}

function describeIdentity(identity: AkiliIdentityInfo): string[] {
  const lines = [identity.userEntityRef];
  if (identity.platformAdmin) {
    lines.push('  platform admin');
  }
  for (const tenant of identity.tenants) {
    lines.push(
      `  ${tenant.name}: ${
        tenant.roles.length > 0 ? tenant.roles.join(', ') : 'API token'
      }`,
    );
  }
  if (!identity.platformAdmin && identity.tenants.length === 0) {
    lines.push('  no tenant');
  }
  return lines;
}

/** Options of `akili login`. */
export interface LoginOptions {
  url?: string;
  token?: string;
  /** Print the sign-in address instead of opening a browser. */
  noBrowser?: boolean;
  /** Seconds to wait for the browser sign-in. */
  timeout?: number;
}

/** How `akili login` opens the sign-in address: the user's browser, or a test's client. */
export type OpenBrowser = (url: string, io: CliIo) => void | Promise<void>;

/**
 * Browser sign-in: a loopback listener on 127.0.0.1, the portal's authorization URL opened (or
 * printed), the code it brings exchanged (with the PKCE verifier) for the user's own token.
 * Answers the token and its expiry, or the exit code of a failure already reported.
 */
async function signInWithBrowser(
  portalUrl: string,
  options: LoginOptions,
  io: CliIo,
  openBrowser: OpenBrowser,
): Promise<{ token: string; expiresAt: string } | ExitCode> {
  const callTimeoutMs = timeoutFromEnv(io.env);
  const secrets = createAuthorizationSecrets();
  const listener = await startCallbackListener({
    state: secrets.state,
    timeoutMs:
      options.timeout !== undefined
        ? options.timeout * 1000
        : DEFAULT_BROWSER_TIMEOUT_MS,
    io,
  });
  try {
    const clientId = await discoverCliClient(portalUrl, callTimeoutMs);
    const url = authorizeUrl({
      portalUrl,
      clientId,
      redirectUri: listener.redirectUri,
      secrets,
    });
    io.err(
      options.noBrowser
        ? `Open this address in a browser on this machine, sign in to the portal and approve:\n\n  ${url}\n\n`
        : `Opening the portal in your browser; sign in and approve. If no browser opens, open:\n\n  ${url}\n\n`,
    );
    if (!options.noBrowser) {
      await openBrowser(url, io);
    }
    io.err('Waiting for the sign-in...\n');
    const code = await listener.code;
    const issued = await exchangeCode({
      portalUrl,
      code,
      redirectUri: listener.redirectUri,
      verifier: secrets.verifier,
      timeoutMs: callTimeoutMs,
    });
    return {
      token: issued.accessToken,
      expiresAt: issued.expiresAt.toISOString(),
    };
  } catch (error) {
    if (error instanceof BrowserLoginError) {
      io.err(`${error.message}\n`);
      return ExitCode.Auth;
    }
    if (error instanceof PortalUnavailableError) {
      io.err(`${error.message}\n`);
      return ExitCode.Unavailable;
    }
    throw error;
  } finally {
    await listener.close();
  }
}

/**
 * `akili login --url <portal>`: signs the user in through the browser (the portal's own OpenID
 * provider, authorization code with PKCE to a loopback listener) and keeps the user's token,
 * valid for an hour. With `--token`, keeps an Akili API token instead. Either way the token is
 * checked against the portal, then kept in the user's configuration directory (mode 0600).
 * Nothing is kept when the portal refuses the token or cannot be reached.
 */
export async function runLogin(
  options: LoginOptions,
  io: CliIo,
  openBrowser: OpenBrowser = openInBrowser,
): Promise<ExitCode> {
  // Signing in again (an expired sign-in) needs no --url: the saved portal is taken.
  const rawUrl =
    options.url ?? (io.env.AKILI_URL || (await readStoredLogin(io.env))?.url);
  const token = options.token ?? io.env.AKILI_TOKEN;
  if (!rawUrl) {
    throw new UsageError('Give the portal with --url <url> (or AKILI_URL)');
  }
  if (
    options.timeout !== undefined &&
    !(Number.isFinite(options.timeout) && options.timeout > 0)
  ) {
    throw new UsageError(
      `--timeout must be a number of seconds above 0, not "${options.timeout}"`,
    );
  }
  const url = normalizeUrl(rawUrl);
  let login: { url: string; token: string; expiresAt?: string };
  if (token) {
    login = { url, token: token.trim() };
  } else {
    const signedIn = await signInWithBrowser(url, options, io, openBrowser);
    if (typeof signedIn === 'number') {
      io.err('Not signed in: nothing was saved\n');
      return signedIn;
    }
    login = { url, ...signedIn };
  }
  const identity = await fetchIdentity(login, io);
  if (typeof identity === 'number') {
    io.err('Not signed in: nothing was saved\n');
    return identity;
  }
  const file = await writeStoredLogin(io.env, login);
  io.out(`Signed in to ${login.url} as ${identity.userEntityRef}\n`);
  io.out(
    `Saved in ${file} (readable by you only)${
      login.expiresAt
        ? `; valid until ${login.expiresAt}, then run "akili login" again`
        : ''
    }\n`,
  );
  if (io.env.AKILI_URL || io.env.AKILI_TOKEN) {
    io.err(
      'Note: AKILI_URL / AKILI_TOKEN are set and override the saved login\n',
    );
  }
  return ExitCode.Ok;
}

/** `akili logout`: forgets the stored login. */
export async function runLogout(io: CliIo): Promise<ExitCode> {
  const removed = await removeStoredLogin(io.env);
  io.out(
    removed
      ? `Signed out: removed ${configFile(io.env)}\n`
      : 'Not signed in: there was no saved login\n',
  );
  if (io.env.AKILI_TOKEN) {
    io.err('Note: AKILI_TOKEN is still set in this environment\n');
  }
  return ExitCode.Ok;
}

/** `akili whoami`: who the portal takes the caller for, and their tenants and roles. */
export async function runWhoami(
  options: { format: 'text' | 'json' },
  io: CliIo,
): Promise<ExitCode> {
  let login;
  try {
    login = await resolveLogin(io.env);
  } catch (error) {
    if (error instanceof NotSignedInError) {
      io.err(`${error.message}\n`);
      return ExitCode.Auth;
    }
    throw error;
  }
  const identity = await fetchIdentity(login, io);
  if (typeof identity === 'number') {
    return identity;
  }
  if (options.format === 'json') {
    io.out(`${JSON.stringify({ url: login.url, ...identity }, null, 2)}\n`);
  } else {
    io.out(`${describeIdentity(identity).join('\n')}\n`);
    io.out(
      `Portal ${login.url} (${
        login.urlFrom === 'config' ? configFile(io.env) : login.urlFrom
      }), token from ${
        login.tokenFrom === 'config' ? configFile(io.env) : login.tokenFrom
      }${login.expiresAt ? `, valid until ${login.expiresAt}` : ''}\n`,
    );
  }
  return ExitCode.Ok;
}
