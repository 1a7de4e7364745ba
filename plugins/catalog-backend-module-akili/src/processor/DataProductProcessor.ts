import {
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_HAS_PART,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
  RELATION_PART_OF,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  AKILI_SHARED_NAMESPACE,
  DATA_PRODUCT_API_VERSION,
  DATA_PRODUCT_KIND,
  DataProductManifest,
  ManifestProblem,
  parseInputProductRef,
  validateManifestObject,
} from '@akili/plugin-akili-common';
import {
  ANNOTATION_MANIFEST_ERRORS,
  formatProblems,
} from '../providers/annotations';
import { dataProductRefreshKey } from '../refresh/productRefresh';
import { isTenantPlaceName } from '../tenancy';
import { ownerProblem, productOwnerRef, SharedOwnerGroups } from './owners';

const KUBERNETES_LABEL_SELECTOR_ANNOTATION =
  'backstage.io/kubernetes-label-selector';
const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
/** The label of a product's workloads (set by the product's GitOps Application). */
export const PRODUCT_WORKLOAD_LABEL = 'akili.io/product';

/** Options of {@link DataProductProcessor}. */
export interface DataProductProcessorOptions {
  /** Groups outside a tenant that may own its products; none when absent. */
  sharedOwnerGroups?: SharedOwnerGroups;
}

/**
 * Owns kind `DataProduct`: validates it with the Akili manifest validator, checks that its owner
 * is a group of its own tenant (or an allowed shared group), and emits its relations: ownership,
 * domain membership and product lineage (from each input port to the upstream product), with the
 * reverse direction only on targets of the product's own tenant.
 */
export class DataProductProcessor implements CatalogProcessor {
  private readonly sharedOwnerGroups?: SharedOwnerGroups;

  constructor(options: DataProductProcessorOptions = {}) {
    this.sharedOwnerGroups = options.sharedOwnerGroups;
  }

  getProcessorName(): string {
    return 'AkiliDataProductProcessor';
  }

  async validateEntityKind(entity: Entity): Promise<boolean> {
    if (!isDataProduct(entity)) {
      return false;
    }
    // A provider marks a manifest whose source turned bad; failing here keeps the catalog's
    // last good version of the product and shows these errors on it.
    const reported = entity.metadata.annotations?.[ANNOTATION_MANIFEST_ERRORS];
    if (reported) {
      throw new InputError(reported);
    }
    const problems = validateManifestObject(entity);
    const tenant = (entity.metadata.namespace ?? 'default').toLocaleLowerCase(
      'en-US',
    );
    if (problems.length === 0 && !isTenantPlaceName(tenant)) {
      // `default` is read by every tenant, `akili` holds the role groups: neither is a tenant.
      problems.push({
        path: '$.metadata.namespace',
        message: `namespace '${tenant}' is not a tenant: a data product belongs to a tenant's namespace`,
      });
    }
    if (problems.length === 0) {
      // A product is owned by a group of its own tenant: another tenant's group (or a user)
      // would get its notifications and appear as its owner.
      const owner = (entity as unknown as DataProductManifest).spec.owner;
      const problem = ownerProblem(
        owner,
        tenant,
        (await this.sharedOwnerGroups?.sharedOwnerGroups(tenant)) ?? [],
      );
      if (problem) {
        problems.push({ path: '$.spec.owner', message: problem });
      }
    }
    if (problems.length > 0) {
      throw new InputError(
        `DataProduct ${tenant}/${
          entity.metadata.name
        } is invalid: ${formatProblems(problems)}`,
      );
    }
    return true;
  }

  /**
   * A product's workloads are the ones its Application deploys with the label `akili.io/product`
   * (the GitOps convention of argocd/): the Kubernetes plugin finds them by this selector, in
   * the tenant's namespaces only (@akili/plugin-kubernetes-backend-module-akili). A manifest
   * that names its own selector or id keeps it.
   */
  async preProcessEntity(entity: Entity): Promise<Entity> {
    if (!isDataProduct(entity)) {
      return entity;
    }
    const annotations = entity.metadata.annotations ?? {};
    if (
      annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION] ||
      annotations[KUBERNETES_ID_ANNOTATION]
    ) {
      return entity;
    }
    return {
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: {
          ...annotations,
          [KUBERNETES_LABEL_SELECTOR_ANNOTATION]: `${PRODUCT_WORKLOAD_LABEL}=${entity.metadata.name}`,
        },
      },
    };
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (!isDataProduct(entity)) {
      return entity;
    }
    const product = entity as unknown as DataProductManifest;
    const self = getCompoundEntityRef(entity);
    const tenant = self.namespace;
    // Akili events about the product (registered, deployed) reprocess it through this key.
    emit(processingResult.refresh(dataProductRefreshKey(self)));

    // The reverse relation is stored on the target entity. Only a target of the same tenant gets
    // it: a shared group or domain, or another tenant's product, must not list this tenant's
    // products (their readers may be of any tenant; the policy filters entities, not relations).
    const both = (
      target: { kind: string; namespace: string; name: string },
      forward: string,
      backward: string,
    ) => {
      emit(processingResult.relation({ source: self, type: forward, target }));
      if (target.namespace.toLocaleLowerCase('en-US') === tenant) {
        emit(
          processingResult.relation({
            source: target,
            type: backward,
            target: self,
          }),
        );
      }
    };

    // Owner short names resolve in the product's own tenant (its teams are groups there).
    both(
      productOwnerRef(product.spec.owner, tenant),
      RELATION_OWNED_BY,
      RELATION_OWNER_OF,
    );

    // Domains are shared across tenants: short refs resolve in `default`.
    const domain = parseEntityRef(product.spec.domain, {
      defaultKind: 'domain',
      defaultNamespace: AKILI_SHARED_NAMESPACE,
    });
    both(domain, RELATION_PART_OF, RELATION_HAS_PART);

    const upstreams = new Set<string>();
    for (const input of product.spec.inputPorts ?? []) {
      if (!input.product) continue;
      const upstream = parseInputProductRef(input.product, tenant);
      if (!upstream) continue; // the validator has already rejected malformed refs
      const key = `${upstream.namespace}/${upstream.name}`;
      if (upstreams.has(key)) continue;
      upstreams.add(key);
      both(
        {
          kind: DATA_PRODUCT_KIND.toLocaleLowerCase('en-US'),
          namespace: upstream.namespace,
          name: upstream.name,
        },
        RELATION_DEPENDS_ON,
        RELATION_DEPENDENCY_OF,
      );
    }
    return entity;
  }
}

function isDataProduct(entity: Entity) {
  return (
    entity.apiVersion === DATA_PRODUCT_API_VERSION &&
    entity.kind === DATA_PRODUCT_KIND
  );
}

export type { ManifestProblem };
