import { NotAllowedError } from '@backstage/errors';
import {
  ClusterDetails,
  FetchResponseWrapper,
  KubernetesCredential,
  KubernetesFetcher,
  ObjectFetchParams,
} from '@backstage/plugin-kubernetes-node';

/**
 * The fetcher of the portal: the stock one, refusing any listing without a namespace. The
 * objects provider already gives every request a namespace of the entity's tenant; this keeps a
 * cluster-wide listing (every tenant's objects, read with the portal's service account) from
 * ever leaving the backend, whatever calls the fetcher.
 *
 * @public
 */
export class NamespacedFetcher implements KubernetesFetcher {
  constructor(private readonly stock: KubernetesFetcher) {}

  async fetchObjectsForService(
    params: ObjectFetchParams,
  ): Promise<FetchResponseWrapper> {
    if (!params.namespace) {
      throw new NotAllowedError(
        'The portal lists Kubernetes objects within a namespace only',
      );
    }
    return this.stock.fetchObjectsForService(params);
  }

  async fetchPodMetricsByNamespaces(
    clusterDetails: ClusterDetails,
    credential: KubernetesCredential,
    namespaces: Set<string>,
    labelSelector?: string,
  ): Promise<FetchResponseWrapper> {
    if ([...namespaces].some(namespace => !namespace)) {
      throw new NotAllowedError(
        'The portal reads pod metrics within a namespace only',
      );
    }
    return this.stock.fetchPodMetricsByNamespaces(
      clusterDetails,
      credential,
      namespaces,
      labelSelector,
    );
  }
}
