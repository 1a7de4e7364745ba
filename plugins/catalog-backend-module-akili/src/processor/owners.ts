import { Config } from '@backstage/config';
import {
  CompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { AKILI_SHARED_NAMESPACE } from '@akili/plugin-akili-common';

/**
 * Which groups outside a tenant's namespace may own the tenant's data products (a platform team,
 * say). The tenant registry of the control plane is meant to answer this per tenant; until it
 * does, {@link ConfigSharedOwnerGroups} reads one list from configuration.
 */
export interface SharedOwnerGroups {
  /** Full group refs (`group:default/akili-platform`), lower case. */
  sharedOwnerGroups(tenant: string): Promise<readonly string[]>;
}

const CONFIG_KEY = 'akili.tenancy.sharedOwnerGroups';

/**
 * Shared owner groups from `akili.tenancy.sharedOwnerGroups`: group refs (a bare name is a group
 * of namespace `default`) that every tenant may name as a product's owner.
 */
export class ConfigSharedOwnerGroups implements SharedOwnerGroups {
  static fromConfig(config: Config): ConfigSharedOwnerGroups {
    const refs = (config.getOptionalStringArray(CONFIG_KEY) ?? []).map(
      (value, i) => {
        let ref: CompoundEntityRef;
        try {
          ref = parseEntityRef(value, {
            defaultKind: 'group',
            defaultNamespace: AKILI_SHARED_NAMESPACE,
          });
        } catch (error) {
          throw new InputError(
            `${CONFIG_KEY}[${i}] "${value}" is not an entity ref: ${
              (error as Error).message
            }`,
          );
        }
        if (ref.kind.toLocaleLowerCase('en-US') !== 'group') {
          throw new InputError(`${CONFIG_KEY}[${i}] "${value}" is not a group`);
        }
        return stringifyEntityRef(ref);
      },
    );
    return new ConfigSharedOwnerGroups(refs);
  }

  constructor(private readonly refs: readonly string[]) {}

  async sharedOwnerGroups(): Promise<readonly string[]> {
    return this.refs;
  }
}

/**
 * The group that owns a product of `tenant`: `spec.owner` as a group ref, a short name resolving
 * in the tenant's own namespace (`sales-analytics` is `group:acme/sales-analytics`).
 */
export function productOwnerRef(owner: string, tenant: string) {
  return parseEntityRef(owner, {
    defaultKind: 'group',
    defaultNamespace: tenant,
  });
}

/**
 * Why `owner` may not own a product of `tenant`, or undefined when it may: it must be a group of
 * the tenant's namespace, or one of the shared owner groups allowed for the tenant.
 */
export function ownerProblem(
  owner: string,
  tenant: string,
  sharedGroups: readonly string[],
): string | undefined {
  let ref: CompoundEntityRef;
  try {
    ref = productOwnerRef(owner, tenant);
  } catch (error) {
    return `owner '${owner}' is not an entity ref: ${(error as Error).message}`;
  }
  const full = stringifyEntityRef(ref);
  if (ref.kind.toLocaleLowerCase('en-US') !== 'group') {
    return `owner '${owner}' (${full}) is not a group: a product is owned by a group of its tenant '${tenant}'`;
  }
  if (ref.namespace.toLocaleLowerCase('en-US') === tenant) {
    return undefined;
  }
  if (sharedGroups.includes(full)) {
    return undefined;
  }
  return `owner '${owner}' (${full}) is not a group of tenant '${tenant}': a product is owned by a group of its own tenant${
    sharedGroups.length > 0
      ? ` or a shared owner group (${sharedGroups.join(', ')})`
      : ''
  }`;
}
