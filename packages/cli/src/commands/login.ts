import { AkiliIdentityInfo } from '@akili/plugin-akili-common';
import {
  NotSignedInError,
  configFile,
  normalizeUrl,
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

/**
 * `akili login --url <portal> --token <token>`: checks the token against the portal, then keeps
 * URL and token in the user's configuration directory (mode 0600). Nothing is kept when the
 * portal refuses the token or cannot be reached.
 */
export async function runLogin(
  options: { url?: string; token?: string },
  io: CliIo,
): Promise<ExitCode> {
  const rawUrl = options.url ?? io.env.AKILI_URL;
  const token = options.token ?? io.env.AKILI_TOKEN;
  if (!rawUrl) {
    throw new UsageError('Give the portal with --url <url> (or AKILI_URL)');
  }
  if (!token) {
    throw new UsageError(
      'Give an Akili API token with --token <token> (or AKILI_TOKEN); operators issue them on the Tenants page',
    );
  }
  const login = { url: normalizeUrl(rawUrl), token: token.trim() };
  const identity = await fetchIdentity(login, io);
  if (typeof identity === 'number') {
    io.err('Not signed in: nothing was saved\n');
    return identity;
  }
  const file = await writeStoredLogin(io.env, login);
  io.out(`Signed in to ${login.url} as ${identity.userEntityRef}\n`);
  io.out(`Saved in ${file} (readable by you only)\n`);
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
      }\n`,
    );
  }
  return ExitCode.Ok;
}
