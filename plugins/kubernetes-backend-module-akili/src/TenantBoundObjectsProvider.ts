import {
  AKILI_SHARED_NAMESPACE,
  parseAkiliAccess,
} from '@akili/plugin-akili-common';
import {
  AuthService,
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import {
  ClusterObjects,
  CustomResourceMatcher,
  ObjectsByEntityResponse,
} from '@backstage/plugin-kubernetes-common';
import {
  CustomResourcesByEntity,
  KubernetesClustersSupplier,
  KubernetesObjectsByEntity,
  KubernetesObjectsProvider,
} from '@backstage/plugin-kubernetes-node';
import { TenantNamespaces } from './TenantNamespaces';

/** The annotation that names an entity's Kubernetes namespace. */
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';

function withNamespace(entity: Entity, namespace: string): Entity {
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      annotations: {
        ...entity.metadata.annotations,
        [KUBERNETES_NAMESPACE_ANNOTATION]: namespace,
      },
    },
  };
}

/** One cluster's objects from several namespaces as one entry per cluster. */
function mergeByCluster(
  responses: ObjectsByEntityResponse[],
): ObjectsByEntityResponse {
  const byCluster = new Map<string, ClusterObjects>();
  for (const item of responses.flatMap(r => r.items)) {
    const seen = byCluster.get(item.cluster.name);
    if (!seen) {
      byCluster.set(item.cluster.name, {
        ...item,
        resources: [...item.resources],
        podMetrics: [...item.podMetrics],
        errors: [...item.errors],
      });
      continue;
    }
    for (const response of item.resources) {
      const same = seen.resources.find(r => r.type === response.type);
      if (same) {
        same.resources = [...same.resources, ...response.resources] as any;
      } else {
        seen.resources.push(response);
      }
    }
    seen.podMetrics.push(...item.podMetrics);
    seen.errors.push(...item.errors);
  }
  return { items: [...byCluster.values()] };
}

const sameResource = (a: CustomResourceMatcher, b: CustomResourceMatcher) =>
  a.group === b.group && a.apiVersion === b.apiVersion && a.plural === b.plural;

/**
 * The Kubernetes objects provider of the portal: wraps the stock one so that an entity's
 * workloads are read only for a user of the entity's tenant and only from the tenant's
 * namespaces.
 *
 * @remarks
 *
 * - The caller must be a user; the entity must be of one of the user's tenants (its catalog
 *   namespace), or the user a platform admin.
 * - A tenant entity's `backstage.io/kubernetes-namespace` must be one of its tenant's
 *   namespaces; without it, each of the tenant's namespaces is read. The stock provider then
 *   lists in that namespace only, so label selectors (`backstage.io/kubernetes-id`,
 *   `backstage.io/kubernetes-label-selector`) select within the tenant's namespace and never
 *   cluster-wide.
 * - Shared entities (namespace `default`) and entities of no tenant: platform admins only,
 *   with a namespace annotation.
 * - Custom resources are read only when configured (`kubernetes.customResources` or the
 *   cluster's `customResources`), not whatever a request names.
 *
 * @public
 */
export class TenantBoundObjectsProvider implements KubernetesObjectsProvider {
  constructor(
    private readonly options: {
      /** The stock objects provider (the fan-out handler). */
      stock: KubernetesObjectsProvider;
      namespaces: TenantNamespaces;
      auth: AuthService;
      userInfo: UserInfoService;
      clusterSupplier: KubernetesClustersSupplier;
      customResources: CustomResourceMatcher[];
    },
  ) {}

  async getKubernetesObjectsByEntity(
    request: KubernetesObjectsByEntity,
    options: { credentials: BackstageCredentials },
  ): Promise<ObjectsByEntityResponse> {
    const namespaces = await this.namespacesFor(
      request.entity,
      options.credentials,
    );
    const provider = this.options.stock;
    return mergeByCluster(
      await Promise.all(
        namespaces.map(namespace =>
          provider.getKubernetesObjectsByEntity(
            { ...request, entity: withNamespace(request.entity, namespace) },
            options,
          ),
        ),
      ),
    );
  }

  async getCustomResourcesByEntity(
    request: CustomResourcesByEntity,
    options: { credentials: BackstageCredentials },
  ): Promise<ObjectsByEntityResponse> {
    const namespaces = await this.namespacesFor(
      request.entity,
      options.credentials,
    );
    await this.assertConfiguredCustomResources(
      request.customResources,
      options.credentials,
    );
    const provider = this.options.stock;
    return mergeByCluster(
      await Promise.all(
        namespaces.map(namespace =>
          provider.getCustomResourcesByEntity(
            { ...request, entity: withNamespace(request.entity, namespace) },
            options,
          ),
        ),
      ),
    );
  }

  /** The namespaces to read the entity's objects from, for this caller. */
  private async namespacesFor(
    entity: Entity | undefined,
    credentials: BackstageCredentials,
  ): Promise<readonly string[]> {
    if (!entity?.metadata?.name) {
      throw new NotAllowedError('Kubernetes objects are read for an entity');
    }
    const ref = stringifyEntityRef(entity);
    if (!this.options.auth.isPrincipal(credentials, 'user')) {
      throw new NotAllowedError(
        `Kubernetes objects of ${ref} are read only on behalf of a user`,
      );
    }
    const { ownershipEntityRefs } = await this.options.userInfo.getUserInfo(
      credentials,
    );
    const access = parseAkiliAccess(ownershipEntityRefs);
    const tenant = entity.metadata.namespace ?? AKILI_SHARED_NAMESPACE;
    const annotated =
      entity.metadata.annotations?.[KUBERNETES_NAMESPACE_ANNOTATION]?.trim();
    const bound = this.options.namespaces.namespacesOf(tenant);

    if (tenant === AKILI_SHARED_NAMESPACE || bound.length === 0) {
      if (!access.platformAdmin) {
        throw new NotAllowedError(
          `Kubernetes objects of ${ref} are shown to platform admins only`,
        );
      }
      if (!annotated) {
        throw new NotAllowedError(
          `${ref} names no Kubernetes namespace (${KUBERNETES_NAMESPACE_ANNOTATION}); the portal does not list objects across namespaces`,
        );
      }
      return [annotated];
    }

    if (!access.platformAdmin && !access.tenantRoles.has(tenant)) {
      throw new NotAllowedError(
        `Kubernetes objects of ${ref} are shown to members of tenant '${tenant}' only`,
      );
    }
    if (annotated === undefined || annotated === '') {
      return bound;
    }
    if (!bound.includes(annotated)) {
      throw new NotAllowedError(
        `Namespace '${annotated}' of ${ref} is not a namespace of tenant '${tenant}' (${bound.join(
          ', ',
        )})`,
      );
    }
    return [annotated];
  }

  private async assertConfiguredCustomResources(
    requested: CustomResourceMatcher[],
    credentials: BackstageCredentials,
  ) {
    const clusters = await this.options.clusterSupplier.getClusters({
      credentials,
    });
    const configured = [
      ...this.options.customResources,
      ...clusters.flatMap(c => c.customResources ?? []),
    ];
    for (const resource of requested) {
      if (typeof resource !== 'object' || resource === null) {
        throw new NotAllowedError('A custom resource is an object');
      }
      if (!configured.some(c => sameResource(c, resource))) {
        throw new NotAllowedError(
          `Custom resource ${resource.group}/${resource.apiVersion}/${resource.plural} is not configured for the portal`,
        );
      }
    }
  }
}
