import { ResolvedLogin } from './config';
import { CliIo, ExitCode, UsageError } from './io';

/** Time a call to the portal may take, body included, before the CLI gives up. */
export const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * The time limit of calls to the portal: `AKILI_TIMEOUT` seconds when set, else 15 s.
 *
 * @throws UsageError when `AKILI_TIMEOUT` is not a positive number.
 */
export function timeoutFromEnv(env: CliIo['env']): number {
  const value = env.AKILI_TIMEOUT;
  if (value === undefined || value === '') {
    return DEFAULT_TIMEOUT_MS;
  }
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(
      `AKILI_TIMEOUT must be a number of seconds above 0, not "${value}"`,
    );
  }
  return Math.round(seconds * 1000);
}

/** An answer of the portal, its body read as JSON when it is JSON. */
export interface PortalResponse {
  status: number;
  body: unknown;
}

/** The portal could not be reached or did not answer in time (exit code 5). */
export class PortalUnavailableError extends Error {
  name = 'PortalUnavailableError';
}

/** A request to one of the portal's APIs. */
export interface PortalRequest {
  method: 'GET' | 'POST';
  /** The backend plugin whose API is called (`/api/<plugin>`); the control plane's by default. */
  plugin?: 'akili' | 'dagster' | 'starrocks';
  path: string;
  query?: Record<string, string | undefined>;
  body?: string;
  contentType?: string;
  /** The `Accept` header; JSON by default. */
  accept?: string;
  timeoutMs?: number;
}

/** The {@link PortalUnavailableError} of a failed fetch: a timeout, a redirect, no connection. */
export function unavailableError(
  error: unknown,
  login: Pick<ResolvedLogin, 'url'>,
  timedOut: { timeoutMs: number } | undefined,
): PortalUnavailableError {
  if (timedOut) {
    return new PortalUnavailableError(
      `The portal at ${login.url} did not answer within ${
        timedOut.timeoutMs / 1000
      } s (AKILI_TIMEOUT sets the limit in seconds)`,
    );
  }
  const cause = (error as { cause?: { code?: string; message?: string } })
    .cause;
  if (cause?.message === 'unexpected redirect') {
    // Never follow: the token would go to wherever the redirect points.
    return new PortalUnavailableError(
      `The portal at ${login.url} answered with a redirect; give its final address (https?)`,
    );
  }
  return new PortalUnavailableError(
    `Cannot reach the portal at ${login.url}: ${
      cause?.code ?? cause?.message ?? (error as Error).message
    }`,
  );
}

/**
 * Starts a call to the portal (`<url>/api/<plugin><path>`) with the login's token and answers
 * the response once its headers are in; the body is the caller's to read (a stream). Redirects
 * are never followed. `signal` aborts the request at any time, also while the body streams.
 *
 * @throws PortalUnavailableError when the portal cannot be reached or redirects.
 */
export async function openPortal(
  login: Pick<ResolvedLogin, 'url' | 'token'>,
  request: PortalRequest,
  signal: AbortSignal,
): Promise<Response> {
  const url = new URL(
    `${login.url}/api/${request.plugin ?? 'akili'}${request.path}`,
  );
  for (const [key, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) {
      url.searchParams.set(key, value);
    }
  }
  try {
    return await fetch(url, {
      method: request.method,
      headers: {
        authorization: `Bearer ${login.token}`,
        accept: request.accept ?? 'application/json',
        ...(request.contentType ? { 'content-type': request.contentType } : {}),
      },
      body: request.body,
      signal,
      redirect: 'error',
    });
  } catch (error) {
    if (signal.aborted) throw error;
    throw unavailableError(error, login, undefined);
  }
}

/**
 * Calls one of the portal's APIs (the control plane's, `<url>/api/akili<path>`, by default)
 * with the login's token. Any HTTP status comes back as an answer; a refused connection, an
 * unknown host or a timeout (covering the whole body) throw {@link PortalUnavailableError} with
 * a message that names the URL.
 */
export async function callPortal(
  login: Pick<ResolvedLogin, 'url' | 'token'>,
  request: PortalRequest,
): Promise<PortalResponse> {
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  let text: string;
  try {
    response = await openPortal(login, request, signal);
    text = await response.text();
  } catch (error) {
    if (error instanceof PortalUnavailableError) throw error;
    throw unavailableError(
      error,
      login,
      signal.aborted ? { timeoutMs } : undefined,
    );
  }
  let body: unknown = text;
  if (response.headers.get('content-type')?.includes('json')) {
    try {
      body = JSON.parse(text);
    } catch {
      // Keep the text: the message shows what came back.
    }
  }
  return { status: response.status, body };
}

/** The message of a Backstage error answer (`{ error: { name, message } }`), or the text. */
export function errorMessage(response: PortalResponse): string {
  const { body } = response;
  const error = (body as { error?: { message?: unknown } } | undefined)?.error;
  if (error && typeof error.message === 'string') {
    return error.message;
  }
  if (typeof body === 'string' && body.trim()) {
    return body.trim().slice(0, 500);
  }
  return `HTTP ${response.status}`;
}

/** The exit code of an HTTP error status. */
export function exitCodeForStatus(status: number): ExitCode {
  if (status === 401 || status === 403) {
    return ExitCode.Auth;
  }
  if (status === 404) {
    return ExitCode.NotFound;
  }
  if (status >= 500) {
    return ExitCode.Unavailable;
  }
  return ExitCode.Refused;
}

/** A sentence for an HTTP error: what happened and, where it helps, what to do. */
export function describeFailure(
  response: PortalResponse,
  login: Pick<ResolvedLogin, 'url'>,
): string {
  const message = errorMessage(response);
  switch (response.status) {
    case 401:
      return `The portal at ${login.url} refused the token (401: ${message}); it may have expired or been revoked: run "akili login" with a new one`;
    case 403:
      return `Not allowed (403): ${message}`;
    case 404:
      return `Not found (404): ${message}`;
    default:
      return response.status >= 500
        ? `The portal at ${login.url} failed (${response.status}): ${message}`
        : `Refused (${response.status}): ${message}`;
  }
}
