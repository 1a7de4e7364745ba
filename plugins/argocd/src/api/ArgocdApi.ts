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
  /**
   * The last lines of a container of one of the product's pods, through the Kubernetes
   * backend's tenant-bound logs route (`@akili/plugin-kubernetes-backend-module-akili`), not the
   * Kubernetes proxy: a 404 for a pod that is not the product's, a 400 for a container the pod
   * does not have, a 503 when Kubernetes does not answer.
   */
  getPodLogs(request: PodLogsRequest): Promise<PodLogs>;
}

/**
 * Which log {@link ArgocdApi.getPodLogs} reads.
 *
 * @public
 */
export interface PodLogsRequest {
  /** The product: its kind, catalog namespace (its tenant) and name. */
  entity: { kind: string; namespace: string; name: string };
  /** The cluster the pod runs in, as the Kubernetes backend names it. */
  cluster: string;
  /** The pod's Kubernetes namespace and name. */
  namespace: string;
  pod: string;
  /** The container; optional for a pod with one container. */
  container?: string;
  /** How many of the last lines (1 to 5000; the backend's default is 500). */
  tailLines?: number;
}

/**
 * The answer of the Kubernetes backend's logs route.
 *
 * @public
 */
export interface PodLogs {
  cluster: string;
  namespace: string;
  pod: string;
  container: string;
  tailLines: number;
  /** The log's last lines, as Kubernetes answered them. */
  text: string;
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
