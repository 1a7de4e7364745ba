import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';

/** How long the control plane may take to answer before a request is refused. */
export const CONTROL_PLANE_TIMEOUT_MS = 5_000;

function describe(error: unknown): string {
  // An aborted fetch throws a DOMException, not always an instance of this realm's Error.
  if ((error as { name?: unknown } | null)?.name === 'TimeoutError') {
    return `no answer within ${CONTROL_PLANE_TIMEOUT_MS / 1000} s`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Posts JSON to an internal route of the Akili control plane (`/api/akili<path>`) with the
 * calling plugin's service credentials and answers the parsed body. Fails closed: the control
 * plane down, slow (over 5 s) or answering an error is a `ServiceUnavailableError` that starts
 * with `failure` and names the reason.
 */
export async function postToControlPlane(
  deps: { discovery: DiscoveryService; auth: AuthService },
  path: string,
  body: object,
  failure: string,
): Promise<unknown> {
  return requestControlPlane(deps, path, failure, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/**
 * Reads an internal route of the Akili control plane (`GET /api/akili<path>`) with the calling
 * plugin's service credentials, like {@link postToControlPlane}: the parsed body, or a
 * `ServiceUnavailableError` starting with `failure`.
 *
 * @public
 */
export async function getFromControlPlane(
  deps: { discovery: DiscoveryService; auth: AuthService },
  path: string,
  failure: string,
): Promise<unknown> {
  return requestControlPlane(deps, path, failure, { method: 'GET' });
}

async function requestControlPlane(
  deps: { discovery: DiscoveryService; auth: AuthService },
  path: string,
  failure: string,
  init: { method: string; headers?: Record<string, string>; body?: string },
): Promise<unknown> {
  try {
    const baseUrl = await deps.discovery.getBaseUrl('akili');
    const { token } = await deps.auth.getPluginRequestToken({
      onBehalfOf: await deps.auth.getOwnServiceCredentials(),
      targetPluginId: 'akili',
    });
    const response = await fetch(`${baseUrl}${path}`, {
      ...init,
      headers: { ...init.headers, authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(CONTROL_PLANE_TIMEOUT_MS),
    });
    if (!response.ok) {
      throw new Error(`it answered HTTP ${response.status}`);
    }
    return await response.json();
  } catch (error) {
    throw new ServiceUnavailableError(`${failure}: ${describe(error)}`);
  }
}
