import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogProcessor } from '@backstage/plugin-catalog-node';
import { isTenantNamespace } from '@akili/plugin-akili-common';

/**
 * The spec fields from which the catalog's own processors (built-in kinds, templates) emit
 * relations, each in both directions, with the kind a short ref defaults to.
 */
const RELATION_FIELDS: Record<string, Record<string, string>> = {
  component: {
    owner: 'group',
    system: 'system',
    subcomponentOf: 'component',
    providesApis: 'api',
    consumesApis: 'api',
    dependsOn: 'component',
    dependencyOf: 'component',
  },
  api: { owner: 'group', system: 'system' },
  resource: {
    owner: 'group',
    system: 'system',
    dependsOn: 'resource',
    dependencyOf: 'resource',
  },
  system: { owner: 'group', domain: 'domain' },
  domain: { owner: 'group', subdomainOf: 'domain' },
  group: { parent: 'group', children: 'group', members: 'user' },
  user: { memberOf: 'group' },
  template: { owner: 'group' },
};

/** Whose a namespace is: a tenant's, or shared (`default`, and `akili` for admins). */
const sideOf = (namespace: string) => {
  const lower = namespace.toLocaleLowerCase('en-US');
  return isTenantNamespace(lower) ? `tenant '${lower}'` : 'shared';
};

/**
 * Refuses an entity whose relations would cross a tenant's boundary: from an entity of a tenant
 * to anything outside its namespace, or from a shared entity into a tenant's namespace.
 *
 * @remarks
 *
 * The catalog stores each relation on both entities (`ownedBy` on a component, `ownerOf` on its
 * group) and the permission policy filters entities, not their relations. A component of acme
 * owned by `group:default/platform` would put `ownerOf component:acme/...` on a shared group every
 * tenant reads; a shared user that is `memberOf: [globex/fleet]` shows globex's team to every
 * tenant. Data products relate across tenants through their own processor, which stores the
 * reverse relation only inside the tenant.
 *
 * @public
 */
export class RelationGuardProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'AkiliRelationGuardProcessor';
  }

  async preProcessEntity(entity: Entity): Promise<Entity> {
    const fields = RELATION_FIELDS[entity.kind?.toLocaleLowerCase('en-US')];
    if (!fields || !entity.spec) {
      return entity;
    }
    const namespace = entity.metadata.namespace ?? 'default';
    const side = sideOf(namespace);
    for (const [field, defaultKind] of Object.entries(fields)) {
      const value = entity.spec[field];
      const refs = Array.isArray(value) ? value : [value];
      for (const ref of refs) {
        if (typeof ref !== 'string' || !ref) {
          continue; // the catalog's own validation names malformed fields
        }
        let target: string;
        try {
          target = stringifyEntityRef(
            parseEntityRef(ref, { defaultKind, defaultNamespace: namespace }),
          );
        } catch {
          continue;
        }
        const targetSide = sideOf(parseEntityRef(target).namespace);
        if (targetSide !== side) {
          throw new InputError(
            `${stringifyEntityRef(
              entity,
            )}: spec.${field} '${ref}' (${target}) is ${targetSide}, the entity is ${side}: relations stay inside a tenant, because the catalog shows a relation on both of its entities`,
          );
        }
      }
    }
    return entity;
  }
}
