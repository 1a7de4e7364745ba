import path from 'node:path';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { CatalogProcessor, LocationSpec } from '@backstage/plugin-catalog-node';
import { CatalogReadGuard, describeRefusal } from './readGuard';

/**
 * The target a Location entity's target resolves to, as the catalog resolves it before reading
 * (`toAbsoluteUrl` of the catalog's processing): relative to the entity's own location when the
 * types match.
 */
function absoluteTarget(
  integrations: ScmIntegrationRegistry,
  base: LocationSpec,
  type: string,
  target: string,
): string {
  if (base.type !== type) {
    return target;
  }
  try {
    if (type === 'file') {
      return target.startsWith('.')
        ? path.join(path.dirname(base.target), target)
        : target;
    }
    if (type === 'url') {
      return integrations.resolveUrl({ url: target, base: base.target });
    }
  } catch {
    // The catalog keeps the target as it is when it cannot resolve it; so does the guard.
  }
  return target;
}

/**
 * Refuses to process a Location entity with a target outside its own source before the catalog
 * reads it: a Location in tenant acme's repository cannot make the platform read (with its GitLab
 * token) and ingest files of tenant globex, and a Location sent to `/validate-entity` reads only
 * from the caller's tenants.
 *
 * @public
 */
export class LocationGuardProcessor implements CatalogProcessor {
  constructor(
    private readonly guard: CatalogReadGuard,
    private readonly integrations: ScmIntegrationRegistry,
  ) {}

  getProcessorName(): string {
    return 'AkiliLocationGuardProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
  ): Promise<Entity> {
    if (entity.kind.toLocaleLowerCase('en-US') !== 'location') {
      return entity;
    }
    const spec = (entity.spec ?? {}) as {
      type?: unknown;
      target?: unknown;
      targets?: unknown;
    };
    const type = typeof spec.type === 'string' ? spec.type : location.type;
    const targets = [
      spec.target,
      ...(Array.isArray(spec.targets) ? spec.targets : []),
    ].filter((t): t is string => typeof t === 'string');
    for (const target of targets) {
      const refusal = await this.guard.check(
        {
          type,
          target: absoluteTarget(this.integrations, location, type, target),
        },
        location,
        { allowLocal: true },
      );
      if (refusal) {
        throw new NotAllowedError(
          `Location ${stringifyEntityRef(
            entity,
          )} may not read '${target}': ${describeRefusal(refusal)}`,
        );
      }
    }
    return entity;
  }
}
