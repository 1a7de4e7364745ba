import path from 'node:path';
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { isTenantPlaceName } from '../tenancy';

export interface ProviderConfig {
  id: string;
  folder?: string;
  /** The one tenant of a folder; without it, the folder's top-level subfolders are tenants. */
  tenant?: string;
  gitlab?: { host: string; group: string; branch?: string };
  schedule: SchedulerServiceTaskScheduleDefinition;
}

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 3 },
  initialDelay: { seconds: 0 },
};

/** Reads `catalog.providers.akiliDataProducts`; a bad entry fails start-up, naming its key. */
export function readProviderConfigs(config: Config): ProviderConfig[] {
  const root = config.getOptionalConfig('catalog.providers.akiliDataProducts');
  if (!root) return [];
  return root.keys().map(id => {
    const c = root.getConfig(id);
    const key = `catalog.providers.akiliDataProducts.${id}`;
    const folder = c.getOptionalString('folder');
    const gitlab = c.getOptionalConfig('gitlab');
    if (!folder === !gitlab) {
      throw new InputError(
        `${key} must have exactly one of "folder" or "gitlab"`,
      );
    }
    const tenant = c.getOptionalString('tenant');
    if (tenant !== undefined && (gitlab || !isTenantPlaceName(tenant))) {
      throw new InputError(
        gitlab
          ? `${key}.tenant applies to folders only: a GitLab project's tenant is its first subgroup below ${key}.gitlab.group`
          : `${key}.tenant "${tenant}" is not a tenant name (default and akili are no tenants)`,
      );
    }
    return {
      id,
      folder: folder ? path.resolve(folder) : undefined,
      tenant,
      gitlab: gitlab
        ? {
            host: gitlab.getString('host'),
            group: gitlab.getString('group'),
            branch: gitlab.getOptionalString('branch'),
          }
        : undefined,
      schedule: c.has('schedule')
        ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
            c.getConfig('schedule'),
          )
        : DEFAULT_SCHEDULE,
    };
  });
}

/** `catalog.providers.akiliRegistry`: the registry provider, when configured. */
export interface RegistryProviderConfig {
  schedule: SchedulerServiceTaskScheduleDefinition;
}

/** Reads `catalog.providers.akiliRegistry`; `undefined` when it is not set (no provider). */
export function readRegistryProviderConfig(
  config: Config,
): RegistryProviderConfig | undefined {
  const c = config.getOptional('catalog.providers.akiliRegistry');
  if (c === undefined) return undefined;
  const registry = config.getConfig('catalog.providers.akiliRegistry');
  return {
    schedule: registry.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          registry.getConfig('schedule'),
        )
      : DEFAULT_SCHEDULE,
  };
}
