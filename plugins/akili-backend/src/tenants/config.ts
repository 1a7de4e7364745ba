import { Config } from '@backstage/config';
import {
  CreateTenantRequest,
  DEFAULT_AKILI_GROUP_PATTERN,
  validateAkiliGroupPattern,
} from '@akili/plugin-akili-common';
import { createTenantSchema, parseInput } from './validation';

/** The tenant management settings, read once at startup. */
export interface TenantsConfig {
  /** `akili.tenancy.groupPattern`: how identity provider groups name a tenant role. */
  groupPattern: string;
  /** `akili.tenants.seed`: tenants to create at startup when missing. */
  seed: CreateTenantRequest[];
}

/** Reads and validates `akili.tenancy.groupPattern` and `akili.tenants.seed`. */
export function readTenantsConfig(config: Config): TenantsConfig {
  const groupPattern =
    config.getOptionalString('akili.tenancy.groupPattern') ??
    DEFAULT_AKILI_GROUP_PATTERN;
  validateAkiliGroupPattern(groupPattern);

  const seed = (config.getOptionalConfigArray('akili.tenants.seed') ?? []).map(
    (entry, index) =>
      parseInput(
        createTenantSchema,
        entry.get(),
        `akili.tenants.seed[${index}]`,
      ) as CreateTenantRequest,
  );
  const names = new Set<string>();
  for (const { name } of seed) {
    if (names.has(name)) {
      throw new Error(`akili.tenants.seed lists tenant '${name}' twice`);
    }
    names.add(name);
  }
  return { groupPattern, seed };
}
