import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { SubmitProductResponse } from '@akili/plugin-akili-common';
import { callControlPlaneAs, ControlPlaneDeps } from './controlPlane';

/** What {@link submitProduct} sends. */
export interface ProductSubmissionRequest {
  tenant: string;
  /** The manifest text (YAML or JSON). */
  text: string;
  dryRun: boolean;
  acknowledgeBreaking: boolean;
}

/**
 * Submits a manifest to the product registry of the control plane
 * (`POST /api/akili/v1/tenants/:tenant/products`) as `credentials` (the task's user), with the
 * errors of {@link callControlPlaneAs}.
 */
export async function submitProduct(
  deps: ControlPlaneDeps,
  credentials: BackstageCredentials,
  request: ProductSubmissionRequest,
): Promise<SubmitProductResponse> {
  const query = new URLSearchParams({
    dryRun: String(request.dryRun),
    acknowledgeBreaking: String(request.acknowledgeBreaking),
  });
  return callControlPlaneAs<SubmitProductResponse>(deps, credentials, {
    method: 'POST',
    path: `/v1/tenants/${encodeURIComponent(request.tenant)}/products?${query}`,
    contentType: 'application/yaml',
    body: request.text,
  });
}
