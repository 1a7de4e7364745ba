import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogProcessor, LocationSpec } from '@backstage/plugin-catalog-node';
import {
  AKILI_SHARED_NAMESPACE,
  isTenantNamespace,
} from '@akili/plugin-akili-common';
import { SourceTenancy } from './sources';

/**
 * Refuses an entity whose namespace is not the tenant of the source it was read from: a file in
 * tenant acme's GitLab group can only make entities of namespace `acme`, whatever it says (a
 * template or component claiming `namespace: globex` would show in globex's catalog, and run in
 * globex's name). A tenant's namespace, the other way round, is filled only from that tenant's
 * source or from the platform's own (local files, projects outside the tenants' root group);
 * a source that cannot be told (another host, a URL of no project) fills only the shared
 * namespaces. Shared Location entities are left to the Location guard.
 *
 * @public
 */
export class SourceNamespaceProcessor implements CatalogProcessor {
  constructor(private readonly tenancy: SourceTenancy) {}

  getProcessorName(): string {
    return 'AkiliSourceNamespaceProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
  ): Promise<Entity> {
    const namespace = (
      entity.metadata.namespace ?? AKILI_SHARED_NAMESPACE
    ).toLocaleLowerCase('en-US');
    // The Location the catalog makes for a registered location lives in the shared namespace,
    // whatever its target; shared Locations are for platform admins only (the policy), and what
    // they read is the Location guard's business.
    if (
      entity.kind.toLocaleLowerCase('en-US') === 'location' &&
      !isTenantNamespace(namespace)
    ) {
      return entity;
    }
    const scope = this.tenancy.scopeOf(location);
    const refuse = (why: string) => {
      throw new InputError(
        `${stringifyEntityRef(entity)} (${location.type}:${
          location.target
        }) ${why}`,
      );
    };
    if (scope.kind === 'tenant' && namespace !== scope.tenant) {
      refuse(
        `is in namespace '${namespace}', but its source belongs to tenant '${scope.tenant}': an entity of a tenant's source is in the tenant's namespace`,
      );
    }
    if (scope.kind === 'unknown' && isTenantNamespace(namespace)) {
      refuse(
        `is in tenant namespace '${namespace}', but its source belongs to no tenant: a tenant's entities come from the tenant's own source or the platform's`,
      );
    }
    return entity;
  }
}
