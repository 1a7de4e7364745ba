import { createApiRef } from '@backstage/frontend-plugin-api';
import type { AkiliIdentityInfo } from '@akili/plugin-akili-common';
import type {
  DeploymentDrift,
  ProductDeployment,
  SyncRequest,
  SyncResponse,
} from '@akili/plugin-argocd-common';

/**
 * The deployment API of the `argocd` backend plugin, as the portal uses it.
 *
 * @remarks
 *
 * Every method rejects with a `ResponseError` (from `@backstage/errors`) when the backend
 * answers with an error status: its `statusCode` tells a 403 (not a member of the product's
 * tenant, or not its operator for a sync), a 404 and a 503 (ArgoCD not answering) apart.
 *
 * @public
 */
export interface ArgocdApi {
  /** The product's ArgoCD Application, or why there is none (not configured, not deployed). */
  getDeployment(namespace: string, name: string): Promise<ProductDeployment>;
  /** The differences between the live and the desired state, resource by resource. */
  getDrift(namespace: string, name: string): Promise<DeploymentDrift>;
  /** Starts a sync of the product's Application (the tenant's operators; audited). */
  sync(
    namespace: string,
    name: string,
    request?: SyncRequest,
  ): Promise<SyncResponse>;
  /** Who the caller is to Akili and their tenant roles (the akili backend's `GET /v1/me`). */
  getIdentity(): Promise<AkiliIdentityInfo>;
}

/**
 * Reference to the {@link ArgocdApi}.
 *
 * @public
 */
export const argocdApiRef = createApiRef<ArgocdApi>().with({
  id: 'plugin.argocd.deployment',
  pluginId: 'argocd',
});
