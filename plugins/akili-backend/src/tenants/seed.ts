import { LoggerService } from '@backstage/backend-plugin-api';
import { CreateTenantRequest } from '@akili/plugin-akili-common';
import { TenantStore } from './TenantStore';

/** The actor of changes made by configuration rather than by a person. */
export const SYSTEM_ACTOR = 'system';

/**
 * Creates the configured tenants that do not exist yet (`akili.tenants.seed`), audited as
 * created by `system`. Existing tenants are left as they are. Returns the names created.
 */
export async function seedTenants(options: {
  store: TenantStore;
  seed: readonly CreateTenantRequest[];
  logger: LoggerService;
}): Promise<string[]> {
  const created: string[] = [];
  for (const request of options.seed) {
    const record = await options.store.create(request, {
      actor: SYSTEM_ACTOR,
      ifMissing: true,
      auditDetails: { source: 'config' },
    });
    if (record) {
      created.push(record.name);
      options.logger.info('Seeded tenant from configuration', {
        tenant: record.name,
      });
    }
  }
  return created;
}
