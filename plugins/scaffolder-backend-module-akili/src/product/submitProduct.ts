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
import { SubmitProductResponse } from '@akili/plugin-akili-common';

/** How long the control plane may take to answer a submission. */
export const SUBMIT_TIMEOUT_MS = 30_000;

/** What {@link submitProduct} sends. */
export interface ProductSubmissionRequest {
  tenant: string;
  /** The manifest text (YAML or JSON). */
  text: string;
  dryRun: boolean;
  acknowledgeBreaking: boolean;
}

function reasonOf(body: unknown): string | undefined {
  const message = (body as { error?: { message?: unknown } } | null)?.error
    ?.message;
  return typeof message === 'string' ? message : undefined;
}

/**
 * Submits a manifest to the product registry of the control plane
 * (`POST /api/akili/v1/tenants/:tenant/products`) as `credentials` (the task's user: the
 * control plane authorizes the user, never this plugin). The control plane's refusals become
 * the matching `@backstage/errors` error carrying its reason: 400 `InputError`, 403
 * `NotAllowedError`, 404 `NotFoundError` (a tenant the user is not in reads as missing), 409
 * `ConflictError`; no answer within {@link SUBMIT_TIMEOUT_MS} or any other status is a
 * `ServiceUnavailableError`.
 */
export async function submitProduct(
  deps: { discovery: DiscoveryService; auth: AuthService },
  credentials: BackstageCredentials,
  request: ProductSubmissionRequest,
): Promise<SubmitProductResponse> {
  const baseUrl = await deps.discovery.getBaseUrl('akili');
  const { token } = await deps.auth.getPluginRequestToken({
    onBehalfOf: credentials,
    targetPluginId: 'akili',
  });
  const query = new URLSearchParams({
    dryRun: String(request.dryRun),
    acknowledgeBreaking: String(request.acknowledgeBreaking),
  });
  let response: Response;
  let body: unknown;
  try {
    response = await fetch(
      `${baseUrl}/v1/tenants/${encodeURIComponent(
        request.tenant,
      )}/products?${query}`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/yaml',
        },
        body: request.text,
        signal: AbortSignal.timeout(SUBMIT_TIMEOUT_MS),
      },
    );
    body = await response.json().catch(() => undefined);
  } catch (error) {
    const reason =
      (error as { name?: unknown } | null)?.name === 'TimeoutError'
        ? `no answer within ${SUBMIT_TIMEOUT_MS / 1000} s`
        : String((error as Error)?.message ?? error);
    throw new ServiceUnavailableError(
      `The Akili control plane could not be reached: ${reason}`,
    );
  }
  if (response.ok) {
    return body as SubmitProductResponse;
  }
  const reason = reasonOf(body) ?? `HTTP ${response.status}`;
  switch (response.status) {
    case 400:
      throw new InputError(reason);
    case 401:
    case 403:
      throw new NotAllowedError(reason);
    case 404:
      throw new NotFoundError(reason);
    case 409:
      throw new ConflictError(reason);
    default:
      throw new ServiceUnavailableError(
        `The Akili control plane answered HTTP ${response.status}: ${reason}`,
      );
  }
}
