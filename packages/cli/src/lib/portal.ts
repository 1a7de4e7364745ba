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

/**
 * Calls the Akili control plane (`<url>/api/akili<path>`) with the login's token. Any HTTP
 * status comes back as an answer; a refused connection, an unknown host or a timeout (covering
 * the whole body) throw {@link PortalUnavailableError} with a message that names the URL.
 */
export async function callPortal(
  login: Pick<ResolvedLogin, 'url' | 'token'>,
  request: {
    method: 'GET' | 'POST';
    path: string;
    query?: Record<string, string | undefined>;
    body?: string;
    contentType?: string;
    timeoutMs?: number;
  },
): Promise<PortalResponse> {
  const url = new URL(`${login.url}/api/akili${request.path}`);
  for (const [key, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) {
      url.searchParams.set(key, value);
    }
  }
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: request.method,
      headers: {
        authorization: `Bearer ${login.token}`,
        accept: 'application/json',
        ...(request.contentType ? { 'content-type': request.contentType } : {}),
      },
      body: request.body,
      signal,
      redirect: 'error',
    });
    text = await response.text();
  } catch (error) {
    if (signal.aborted) {
      throw new PortalUnavailableError(
        `The portal at ${login.url} did not answer within ${
          timeoutMs / 1000
        } s (AKILI_TIMEOUT sets the limit in seconds)`,
      );
    }
    const cause = (error as { cause?: { code?: string; message?: string } })
      .cause;
    if (cause?.message === 'unexpected redirect') {
      // Never follow: the token would go to wherever the redirect points.
      throw new PortalUnavailableError(
        `The portal at ${login.url} answered with a redirect; give its final address (https?)`,
      );
    }
    throw new PortalUnavailableError(
      `Cannot reach the portal at ${login.url}: ${
        cause?.code ?? cause?.message ?? (error as Error).message
      }`,
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
