import {
  ANNOTATION_SOURCE_LOCATION,
  Entity,
  parseEntityRef,
  parseLocationRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { CatalogProcessor, LocationSpec } from '@backstage/plugin-catalog-node';
import { isTenantNamespace } from '@akili/plugin-akili-common';
import { SourceTenancy } from './sources';

/** Where TechDocs builds an entity's docs from (`@backstage/plugin-techdocs-common`). */
export const TECHDOCS_REF_ANNOTATION = 'backstage.io/techdocs-ref';
/** The entity whose docs the entity's docs tab shows instead of its own. */
export const TECHDOCS_ENTITY_ANNOTATION = 'backstage.io/techdocs-entity';

const ALLOWED_FORM =
  "dir:<a folder of the entity's own repository>, relative, like dir:. or dir:docs (letters, digits, '.', '_', '-' and '/'; no '..', no leading '/', no URL)";

/**
 * The path of a `dir:` ref a tenant may use: relative segments of plain characters, none of them
 * `..`; `undefined` for anything else. Plain characters only, because TechDocs resolves the path
 * as a URL against the entity's source: `%2e%2e` is `..` there, a backslash starts another host,
 * and an absolute URL replaces the source.
 */
function plainRelativeDir(value: string): string | undefined {
  const match = /^dir:(.+)$/.exec(value);
  if (!match) {
    return undefined;
  }
  const segments = match[1].replace(/\/$/, '').split('/');
  const plain = segments.every(
    segment => /^[A-Za-z0-9._-]+$/.test(segment) && segment !== '..',
  );
  return plain ? match[1] : undefined;
}

/**
 * Refuses an entity of a tenant's source whose TechDocs would be built from anywhere but its own
 * repository, before the catalog stores it.
 *
 * @remarks
 *
 * TechDocs (`builder: local`) reads an entity's docs with the platform's credentials (the GitLab
 * token of `integrations.gitlab`) from its `backstage.io/techdocs-ref`: a `url:` as it is, a
 * `dir:` resolved against the entity's `backstage.io/source-location`, or its
 * `backstage.io/managed-by-location` when there is none (`getLocationForEntity` of
 * `@backstage/plugin-techdocs-node`). All three come from the entity's own text but the last:
 * the catalog sets the managed-by location, and keeps a source location the file claims. So an
 * entity of a tenant's source may only name `dir:` with a plain relative path, and its source
 * location, if it claims one, must lie inside the folder of its own file: the docs then resolve
 * inside that folder, whatever the file says. A `backstage.io/techdocs-entity` may not name
 * another tenant's entity (the docs tab would show that tenant's docs, or its refusal, on this
 * tenant's page). Entities of the platform's sources (local files, projects outside the tenants'
 * root group) are the platform's own and are left alone.
 *
 * Refused with a processing error, like the guard's other rules: the entity is not stored (a new
 * one does not appear; a stored one keeps its last good version), and the error names the
 * entity, the annotation and the allowed form, where dropping the annotation would hide the
 * mistake.
 *
 * @public
 */
export class TechDocsGuardProcessor implements CatalogProcessor {
  constructor(
    private readonly tenancy: SourceTenancy,
    private readonly integrations: ScmIntegrationRegistry,
  ) {}

  getProcessorName(): string {
    return 'AkiliTechDocsGuardProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
  ): Promise<Entity> {
    const annotations = entity.metadata.annotations ?? {};
    const docsRef = annotations[TECHDOCS_REF_ANNOTATION];
    const docsEntity = annotations[TECHDOCS_ENTITY_ANNOTATION];
    if (docsRef === undefined && docsEntity === undefined) {
      return entity;
    }
    const scope = this.tenancy.scopeOf(location);
    if (scope.kind !== 'tenant') {
      return entity;
    }
    const refuse = (annotation: string, value: string, why: string) => {
      throw new InputError(
        `${stringifyEntityRef(
          entity,
        )}: annotation ${annotation} '${value}' is not allowed for an entity of tenant '${
          scope.tenant
        }': ${why}`,
      );
    };

    if (docsRef !== undefined) {
      const dir = plainRelativeDir(docsRef);
      if (dir === undefined) {
        refuse(
          TECHDOCS_REF_ANNOTATION,
          docsRef,
          `TechDocs reads it with the platform's credentials, so it must be ${ALLOWED_FORM}`,
        );
      } else {
        this.checkResolution(entity, location, dir, refuse);
      }
    }

    if (docsEntity !== undefined) {
      const namespace = (
        entity.metadata.namespace ?? 'default'
      ).toLocaleLowerCase('en-US');
      let target: string | undefined;
      try {
        target = parseEntityRef(docsEntity, {
          defaultNamespace: namespace,
        }).namespace.toLocaleLowerCase('en-US');
      } catch {
        target = undefined; // TechDocs' own reader says what is wrong with it
      }
      if (target && isTenantNamespace(target) && target !== namespace) {
        refuse(
          TECHDOCS_ENTITY_ANNOTATION,
          docsEntity,
          `it names an entity of tenant '${target}': an entity shows its own docs, or those of its tenant's or the shared namespaces' entities`,
        );
      }
    }
    return entity;
  }

  /**
   * Resolves the `dir:` the way TechDocs will (against the source location, else the entity's
   * file) and refuses it unless it lies inside the folder of the entity's own file.
   */
  private checkResolution(
    entity: Entity,
    location: LocationSpec,
    dir: string,
    refuse: (annotation: string, value: string, why: string) => never,
  ) {
    const own = this.resolve('./', location.target);
    const claimed = entity.metadata.annotations?.[ANNOTATION_SOURCE_LOCATION];
    let base = location.target;
    if (claimed !== undefined) {
      let parsed: { type: string; target: string } | undefined;
      try {
        parsed = parseLocationRef(claimed);
      } catch {
        parsed = undefined;
      }
      const inside =
        parsed?.type === 'url' && own !== undefined
          ? this.resolve('./', parsed.target)
          : undefined;
      if (!parsed || parsed.type !== 'url' || !isInside(inside, own)) {
        refuse(
          ANNOTATION_SOURCE_LOCATION,
          claimed,
          `TechDocs resolves ${TECHDOCS_REF_ANNOTATION} against it, so it must be a url: inside the folder of the entity's own file${
            own ? ` (${own})` : ''
          }, or left out`,
        );
      }
      base = parsed!.target;
    }
    const resolved = this.resolve(dir, base);
    if (!isInside(resolved, own)) {
      refuse(
        TECHDOCS_REF_ANNOTATION,
        `dir:${dir}`,
        `it resolves to ${
          resolved ?? 'nothing'
        }, outside the folder of the entity's own file; it must be ${ALLOWED_FORM}`,
      );
    }
  }

  private resolve(url: string, base: string): string | undefined {
    try {
      return this.integrations.resolveUrl({ url, base });
    } catch {
      return undefined;
    }
  }
}

/** Whether a resolved URL is the folder `root` (a URL ending in `/`) or below it. */
function isInside(url: string | undefined, root: string | undefined) {
  if (!url || !root || !root.endsWith('/')) {
    return false;
  }
  return url === root.slice(0, -1) || url.startsWith(root);
}
