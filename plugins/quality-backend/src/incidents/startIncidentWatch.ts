import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { QualityIncident } from '@akili/plugin-quality-common';
import { IncidentStore } from './IncidentStore';

/**
 * One pass of the watch: checks the freshness SLOs of every tenant's products
 * (`IncidentStore.checkFreshness`), then notifies the owners of the incidents it opened. A
 * tenant that fails is logged and the others are still checked.
 */
export async function watchIncidentsOnce(options: {
  store: IncidentStore;
  tenants: () => Promise<string[]>;
  logger: LoggerService;
  notify?: (opened: QualityIncident[]) => Promise<void>;
}): Promise<{ opened: number; failedTenants: string[] }> {
  const { store, logger } = options;
  let opened = 0;
  const failedTenants: string[] = [];
  for (const tenant of await options.tenants()) {
    try {
      const incidents = await store.checkFreshness(tenant);
      opened += incidents.length;
      if (incidents.length > 0) {
        logger.info('Opened freshness incidents', {
          tenant,
          incidents: incidents.map(incident => incident.id).join(','),
        });
        await options.notify?.(incidents);
      }
    } catch (error) {
      failedTenants.push(tenant);
      logger.error('Could not check the freshness of a tenant', {
        tenant,
        error: String(error),
      });
    }
  }
  return { opened, failedTenants };
}

/**
 * Schedules the incident watch (`quality-incident-watch`, every 5 minutes by default): the
 * freshness incidents of every tenant, opened when a product's SLO is breached and resolved
 * when it is fresh again. `tenants` lists the tenants to check (e.g. `listDataProductTenants` of `@akili/plugin-akili-node`).
 */
export async function startIncidentWatch(options: {
  scheduler: SchedulerService;
  store: IncidentStore;
  tenants: () => Promise<string[]>;
  logger: LoggerService;
  notify?: (opened: QualityIncident[]) => Promise<void>;
  frequencyMinutes?: number;
}): Promise<void> {
  const frequencyMinutes = options.frequencyMinutes ?? 5;
  await options.scheduler.scheduleTask({
    id: 'quality-incident-watch',
    frequency: { minutes: frequencyMinutes },
    timeout: { minutes: 5 },
    initialDelay: { seconds: 30 },
    fn: async () => {
      await watchIncidentsOnce(options);
    },
  });
}
