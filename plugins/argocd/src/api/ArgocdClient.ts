import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { BackendRequester, queryString } from '@akili/plugin-akili-react';
import type { AkiliIdentityInfo } from '@akili/plugin-akili-common';
import type {
  DeploymentDrift,
  ProductDeployment,
  SyncRequest,
  SyncResponse,
} from '@akili/plugin-argocd-common';
import type { ArgocdApi, PodLogs, PodLogsRequest } from './ArgocdApi';

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

  getPodLogs(request: PodLogsRequest): Promise<PodLogs> {
    const { kind, namespace, name } = request.entity;
    const path = [
      '/akili/v1/entities',
      kind.toLocaleLowerCase('en-US'),
      namespace,
      name,
      'pods',
      request.namespace,
      request.pod,
      'logs',
    ]
      .map((part, i) => (i === 0 ? part : encodeURIComponent(part)))
      .join('/');
    return this.requester.request(
      'kubernetes',
      `${path}${queryString({
        cluster: request.cluster,
        container: request.container,
        tailLines: request.tailLines,
      })}`,
    );
  }
}

function deploymentPath(namespace: string, name: string): string {
  return `/v1/products/${encodeURIComponent(namespace)}/${encodeURIComponent(
    name,
  )}/deployment`;
}
