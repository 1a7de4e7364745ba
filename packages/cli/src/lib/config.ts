import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CliIo, UsageError } from './io';

/** No URL or token to call the portal with (exit code 3). */
export class NotSignedInError extends Error {
  name = 'NotSignedInError';
}

/** What `akili login` keeps: the portal and the token to call it with. */
export interface StoredLogin {
  /** Base URL of the portal's backend, e.g. `https://portal.example.com`; no trailing slash. */
  url: string;
  /** An Akili API token (`akili_...`) or a Backstage token. */
  token: string;
  /**
   * When the token expires (ISO 8601): set for the user tokens of a browser sign-in, which
   * last an hour; API tokens have none here (the portal knows).
   */
  expiresAt?: string;
}

/** The login a command uses, and where each part came from (for `whoami` and messages). */
export interface ResolvedLogin extends StoredLogin {
  urlFrom: 'AKILI_URL' | 'config';
  tokenFrom: 'AKILI_TOKEN' | 'config';
}

/**
 * The directory of the CLI's configuration: `$XDG_CONFIG_HOME/akili`, or `~/.config/akili`
 * when `XDG_CONFIG_HOME` is not set (or not absolute, as the XDG specification says).
 */
export function configDir(env: CliIo['env']): string {
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg && path.isAbsolute(xdg)) {
    return path.join(xdg, 'akili');
  }
  return path.join(env.HOME || os.homedir(), '.config', 'akili');
}

/** The file the login is kept in. */
export function configFile(env: CliIo['env']): string {
  return path.join(configDir(env), 'config.json');
}

/**
 * Normalises a portal URL: http or https, no trailing slash, no query.
 *
 * @throws UsageError naming the value when it is not such a URL.
 */
export function normalizeUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(
      `"${value}" is not a URL; give the portal's address, e.g. https://portal.example.com`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`"${value}" must be an http or https URL`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new UsageError(
      `"${value}" must be the portal's address only, without credentials, query or fragment`,
    );
  }
  return url.toString().replace(/\/+$/, '');
}

/** Reads the stored login; undefined when there is none. A damaged file is an error. */
export async function readStoredLogin(
  env: CliIo['env'],
): Promise<Partial<StoredLogin> | undefined> {
  const file = configFile(env);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw new UsageError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    const value = JSON.parse(text);
    return {
      url: typeof value?.url === 'string' ? value.url : undefined,
      token: typeof value?.token === 'string' ? value.token : undefined,
      expiresAt:
        typeof value?.expiresAt === 'string' ? value.expiresAt : undefined,
    };
  } catch {
    throw new UsageError(
      `${file} is not valid JSON; run "akili logout" and "akili login" again`,
    );
  }
}

/**
 * Writes the login so that only the user can read it: the directory with mode 0700, the file
 * with mode 0600, written to a temporary file first and renamed, so a reader never sees half a
 * file and the token is never readable by others, whatever the umask.
 */
export async function writeStoredLogin(
  env: CliIo['env'],
  login: StoredLogin,
): Promise<string> {
  const dir = configDir(env);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  // mkdir applies the umask and leaves an existing directory alone.
  await fs.chmod(dir, 0o700);
  const file = configFile(env);
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = await fs.open(temporary, 'w', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(
      `${JSON.stringify(
        { url: login.url, token: login.token, expiresAt: login.expiresAt },
        null,
        2,
      )}\n`,
    );
  } finally {
    await handle.close();
  }
  await fs.rename(temporary, file);
  return file;
}

/** Removes the stored login; true when there was one. */
export async function removeStoredLogin(env: CliIo['env']): Promise<boolean> {
  try {
    await fs.unlink(configFile(env));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return false;
    }
    throw error;
  }
}

/**
 * The login to call the portal with: `AKILI_URL` and `AKILI_TOKEN` override the stored login
 * (for CI jobs, which keep the token in a masked variable and never run `akili login`).
 *
 * @throws UsageError saying how to sign in when the URL or the token is missing.
 */
export async function resolveLogin(env: CliIo['env']): Promise<ResolvedLogin> {
  const stored = await readStoredLogin(env);
  const url = env.AKILI_URL || stored?.url;
  const token = env.AKILI_TOKEN || stored?.token;
  if (!url || !token) {
    throw new NotSignedInError(
      `Not signed in: run "akili login --url <portal>" (browser) or "akili login --url <portal> --token <token>", or set AKILI_URL and AKILI_TOKEN`,
    );
  }
  const expiresAt = env.AKILI_TOKEN ? undefined : stored?.expiresAt;
  if (expiresAt && Date.parse(expiresAt) <= Date.now()) {
    // A browser sign-in's token is not refreshed (no refresh token is kept): sign in again.
    throw new NotSignedInError(
      `Your sign-in to ${url} expired at ${expiresAt}: run "akili login --url ${url}" again`,
    );
  }
  return {
    url: normalizeUrl(url),
    token,
    urlFrom: env.AKILI_URL ? 'AKILI_URL' : 'config',
    tokenFrom: env.AKILI_TOKEN ? 'AKILI_TOKEN' : 'config',
    ...(expiresAt ? { expiresAt } : {}),
  };
}
