import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { BackendRequester } from '@akili/plugin-akili-react';
import type { AkiliIdentityInfo } from '@akili/plugin-akili-common';
import type {
  DeploymentDrift,
  ProductDeployment,
  SyncRequest,
  SyncResponse,
} from '@akili/plugin-argocd-common';
import type { ArgocdApi } from './ArgocdApi';

/**
 * {@link ArgocdApi} over HTTP: the `argocd` backend plugin's `/v1` routes (and the akili
 * backend's `/v1/me`), called with the user's token through `fetchApi`.
 *
 * @public
 */
export class ArgocdClient implements ArgocdApi {
  private readonly requester: BackendRequester;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.requester = new BackendRequester(options);
  }

  getDeployment(namespace: string, name: string): Promise<ProductDeployment> {
    return this.requester.request('argocd', deploymentPath(namespace, name));
  }

  getDrift(namespace: string, name: string): Promise<DeploymentDrift> {
    return this.requester.request(
      'argocd',
      `${deploymentPath(namespace, name)}/drift`,
    );
  }

  sync(
    namespace: string,
    name: string,
    request: SyncRequest = {},
  ): Promise<SyncResponse> {
    return this.requester.request(
      'argocd',
      `${deploymentPath(namespace, name)}/sync`,
      { method: 'POST', body: request },
    );
  }

  getIdentity(): Promise<AkiliIdentityInfo> {
    return this.requester.request('akili', '/v1/me');
  }
}

function deploymentPath(namespace: string, name: string): string {
  return `/v1/products/${encodeURIComponent(namespace)}/${encodeURIComponent(
    name,
  )}/deployment`;
}
