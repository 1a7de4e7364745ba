import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

/** How long the control plane may take to answer one request. */
export const CONTROL_PLANE_TIMEOUT_MS = 30_000;

/** What the actions need to reach the control plane. */
export interface ControlPlaneDeps {
  discovery: DiscoveryService;
  auth: AuthService;
}

/** One request to the control plane's API, relative to `/api/akili`. */
export interface ControlPlaneRequest {
  method: 'GET' | 'POST';
  /** E.g. `/v1/tenants/acme/products?dryRun=true`. */
  path: string;
  /** A text body (with `contentType`). */
  body?: string;
  contentType?: string;
}

function reasonOf(body: unknown): string | undefined {
  const message = (body as { error?: { message?: unknown } } | null)?.error
    ?.message;
  return typeof message === 'string' ? message : undefined;
}

/**
 * Calls the control plane as `credentials` (the task's user: the control plane authorizes the
 * user, never this plugin) and answers the parsed body. Its refusals become the matching
 * `@backstage/errors` error carrying its reason: 400 `InputError`, 401/403 `NotAllowedError`,
 * 404 `NotFoundError` (a tenant the user is not in reads as missing), 409 `ConflictError`; no
 * answer within {@link CONTROL_PLANE_TIMEOUT_MS} or any other status is a
 * `ServiceUnavailableError` (for 502 and 503 with the control plane's reason, which names what
 * it could not reach).
 */
export async function callControlPlaneAs<T>(
  deps: ControlPlaneDeps,
  credentials: BackstageCredentials,
  request: ControlPlaneRequest,
): Promise<T> {
  const baseUrl = await deps.discovery.getBaseUrl('akili');
  const { token } = await deps.auth.getPluginRequestToken({
    onBehalfOf: credentials,
    targetPluginId: 'akili',
  });
  let response: Response;
  let body: unknown;
  try {
    response = await fetch(`${baseUrl}${request.path}`, {
      method: request.method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(request.contentType ? { 'content-type': request.contentType } : {}),
      },
      ...(request.body !== undefined ? { body: request.body } : {}),
      signal: AbortSignal.timeout(CONTROL_PLANE_TIMEOUT_MS),
    });
    body = await response.json().catch(() => undefined);
  } catch (error) {
    const reason =
      (error as { name?: unknown } | null)?.name === 'TimeoutError'
        ? `no answer within ${CONTROL_PLANE_TIMEOUT_MS / 1000} s`
        : String((error as Error)?.message ?? error);
    throw new ServiceUnavailableError(
      `The Akili control plane could not be reached: ${reason}`,
    );
  }
  if (response.ok) {
    return body as T;
  }
  const reason = reasonOf(body);
  switch (response.status) {
    case 400:
      throw new InputError(reason ?? 'HTTP 400');
    case 401:
    case 403:
      throw new NotAllowedError(reason ?? `HTTP ${response.status}`);
    case 404:
      throw new NotFoundError(reason ?? 'HTTP 404');
    case 409:
      throw new ConflictError(reason ?? 'HTTP 409');
    default:
      // 502 and 503 carry the control plane's reason, which names what it could not reach.
      throw new ServiceUnavailableError(
        reason && (response.status === 502 || response.status === 503)
          ? reason
          : `The Akili control plane answered HTTP ${response.status}${
              reason ? `: ${reason}` : ''
            }`,
      );
  }
}

/**
 * An error of the kind of `error` (so a step fails as the control plane answered) with
 * `message`, which says what to do; anything unexpected reads as the control plane being
 * unavailable.
 */
export function sameKind(error: unknown, message: string): Error {
  if (error instanceof InputError) return new InputError(message);
  if (error instanceof NotAllowedError) return new NotAllowedError(message);
  if (error instanceof NotFoundError) return new NotFoundError(message);
  if (error instanceof ConflictError) return new ConflictError(message);
  return new ServiceUnavailableError(message);
}
