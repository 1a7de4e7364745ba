import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  ArgoCdConflictError,
  ArgoCdFailedError,
  ArgoCdNotConfiguredError,
  ArgoCdNotFoundError,
  ArgoCdUnavailableError,
} from './errors';

/** Default time ArgoCD has to answer one request: a down or stuck ArgoCD is a 503 within 5 s. */
export const DEFAULT_ARGOCD_TIMEOUT_MS = 5000;

/** `argocd` in app-config. */
export interface ArgoCdClientConfig {
  /** ArgoCD's base URL, without a trailing slash. */
  baseUrl: string;
  /** The portal account's bearer token. */
  token: string;
  timeoutMs: number;
}

/**
 * Reads `argocd`; undefined when `argocd.baseUrl` is not set. A bad value names its key; a base
 * URL without `argocd.token` is an error (the portal would be refused on every request).
 */
export function readArgoCdClientConfig(
  config: Config,
): ArgoCdClientConfig | undefined {
  const argocd = config.getOptionalConfig('argocd');
  const baseUrl = argocd?.getOptionalString('baseUrl');
  if (!argocd || !baseUrl) {
    return undefined;
  }
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new Error(`argocd.baseUrl is not a URL: "${baseUrl}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`argocd.baseUrl must be an http(s) URL, not "${baseUrl}"`);
  }
  const token = argocd.getOptionalString('token');
  if (!token) {
    throw new Error(
      'argocd.token is required with argocd.baseUrl: the bearer token of the portal’s ArgoCD account',
    );
  }
  const timeoutMs =
    argocd.getOptionalNumber('timeoutMs') ?? DEFAULT_ARGOCD_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 120_000) {
    throw new Error(
      `argocd.timeoutMs must be a whole number of milliseconds between 100 and 120000, not ${timeoutMs}`,
    );
  }
  return { baseUrl: baseUrl.replace(/\/+$/, ''), token, timeoutMs };
}

/** Longest part of ArgoCD's own error text that goes into the log. */
const MAX_LOGGED_TEXT = 2000;

/**
 * Speaks ArgoCD's REST API (`<baseUrl>/api/v1/...`) with the portal account's bearer token.
 *
 * Every failure becomes an error the portal can answer with: no answer within `timeoutMs` (the
 * timeout covers the body too) or a connection refused (503, in seconds, never a hang), a server
 * error or an answer that is not JSON (503), the portal's token refused (401) or its account
 * lacking rights (403) (502, naming the account's rights as the cause), a 404
 * (`ArgoCdNotFoundError`, for the caller to turn into its own answer), another operation in
 * progress (409), and any other rejection (502). ArgoCD's own error text goes to the log.
 */
export class ArgoCdClient {
  readonly #config: ArgoCdClientConfig | undefined;
  readonly #logger: LoggerService | undefined;

  constructor(
    config: ArgoCdClientConfig | undefined,
    options: { logger?: LoggerService } = {},
  ) {
    this.#config = config;
    this.#logger = options.logger;
  }

  /** Whether `argocd.baseUrl` is set. */
  get configured(): boolean {
    return this.#config !== undefined;
  }

  /** ArgoCD's base URL, for links to its UI; undefined when not configured. */
  get baseUrl(): string | undefined {
    return this.#config?.baseUrl;
  }

  /** Throws the 503 `ArgoCdNotConfiguredError` when `argocd.baseUrl` is not set. */
  assertConfigured(): ArgoCdClientConfig {
    if (!this.#config) {
      throw new ArgoCdNotConfiguredError(
        'ArgoCD is not configured: set argocd.baseUrl and argocd.token in the app-config of the backend',
      );
    }
    return this.#config;
  }

  /** `GET` a path under the base URL (e.g. `/api/v1/applications`) with a query. */
  get<T>(
    path: string,
    query: Array<[string, string]> = [],
    what = 'request',
  ): Promise<T> {
    return this.#request<T>('GET', path, query, undefined, what);
  }

  /** `POST` a JSON body. */
  post<T>(path: string, body: unknown, what = 'request'): Promise<T> {
    return this.#request<T>('POST', path, [], body, what);
  }

  async #request<T>(
    method: string,
    path: string,
    query: Array<[string, string]>,
    body: unknown,
    what: string,
  ): Promise<T> {
    const config = this.assertConfigured();
    const url = new URL(`${config.baseUrl}${path}`);
    for (const [key, value] of query) url.searchParams.append(key, value);
    let response: Response;
    let text: string;
    try {
      // The timeout covers the body too: a server that sends headers and then stalls must not
      // hold a request for longer than the configured time either.
      const signal = AbortSignal.timeout(config.timeoutMs);
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${config.token}`,
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal,
      });
      text = await response.text();
    } catch (error) {
      const name = (error as Error)?.name;
      throw new ArgoCdUnavailableError(
        name === 'TimeoutError' || name === 'AbortError'
          ? `ArgoCD at ${config.baseUrl} did not answer within ${
              config.timeoutMs / 1000
            } s (${what})`
          : `ArgoCD at ${
              config.baseUrl
            } could not be reached (${what}): ${describeCause(error)}`,
      );
    }
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      answer = undefined;
    }
    if (response.ok && answer !== undefined && answer !== null) {
      return answer as T;
    }
    const argoMessage =
      answer && typeof answer === 'object'
        ? String((answer as { message?: unknown }).message ?? '')
        : '';
    this.#logger?.warn('ArgoCD failed a request', {
      request: what,
      status: response.status,
      argocdError: (argoMessage || text).slice(0, MAX_LOGGED_TEXT),
    });
    const status = response.status;
    if (status >= 500 || response.ok || answer === undefined) {
      throw new ArgoCdUnavailableError(
        `ArgoCD at ${config.baseUrl} failed (${what}): HTTP ${status}${
          answer === undefined ? ', not an ArgoCD answer' : ''
        }`,
      );
    }
    if (status === 401) {
      throw new ArgoCdFailedError(
        `ArgoCD refused the portal's token (${what}): check argocd.token`,
      );
    }
    if (status === 403) {
      throw new ArgoCdFailedError(
        `The portal's ArgoCD account lacks the rights for this (${what}): ArgoCD answered permission denied`,
      );
    }
    if (status === 404) {
      throw new ArgoCdNotFoundError(`ArgoCD has no such resource (${what})`);
    }
    if (/another operation is already in progress/i.test(argoMessage)) {
      throw new ArgoCdConflictError(
        'ArgoCD is already running an operation on this application; try again when it has finished',
      );
    }
    throw new ArgoCdFailedError(
      `ArgoCD rejected the request (${what}): HTTP ${status}`,
    );
  }
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })
    ?.cause;
  return (
    cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error)
  );
}
