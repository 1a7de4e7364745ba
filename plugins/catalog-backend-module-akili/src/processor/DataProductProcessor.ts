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

// Groups and domains are shared across tenants: short refs resolve in `default`.
const SHARED_NAMESPACE = 'default';

/**
 * Owns kind `DataProduct`: validates it with the Akili manifest validator and emits its
 * relations: ownership, domain membership and product lineage (from each input port to the
 * upstream product), with the reverse direction only on targets of the product's own tenant.
 */
export class DataProductProcessor implements CatalogProcessor {
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
    if (problems.length > 0) {
      throw new InputError(
        `DataProduct ${entity.metadata.namespace ?? 'default'}/${
          entity.metadata.name
        } is invalid: ${formatProblems(problems)}`,
      );
    }
    return true;
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

    const owner = parseEntityRef(product.spec.owner, {
      defaultKind: 'group',
      defaultNamespace: SHARED_NAMESPACE,
    });
    both(owner, RELATION_OWNED_BY, RELATION_OWNER_OF);

    const domain = parseEntityRef(product.spec.domain, {
      defaultKind: 'domain',
      defaultNamespace: SHARED_NAMESPACE,
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
