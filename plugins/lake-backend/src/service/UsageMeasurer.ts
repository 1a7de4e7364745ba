import {
  AuthService,
  LifecycleService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  isValidTenantName,
  listDataProductTenants,
} from '@akili/plugin-akili-node';
import { LakeStorageApi } from '../storage/types';
import { filePortsOf } from './filePorts';
import { ProductMeasurement, UsageStore } from './UsageStore';

/** What is read of each product entity to find its ports' prefixes. */
const PRODUCT_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'spec.outputPorts',
];

/**
 * Measures what each tenant stores: every tenant with data products, its whole area and each
 * product's `files` ports (those inside the area), one row per tenant per day in the
 * {@link UsageStore}.
 */
export class UsageMeasurer {
  readonly #storage: LakeStorageApi;
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #store: UsageStore;
  readonly #logger: LoggerService;
  readonly #now: () => Date;

  constructor(options: {
    storage: LakeStorageApi;
    catalog: CatalogService;
    auth: AuthService;
    store: UsageStore;
    logger: LoggerService;
    now?: () => Date;
  }) {
    this.#storage = options.storage;
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#store = options.store;
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
  }

  /** Measures every tenant; a tenant that fails is logged and the others go on. */
  async runOnce(): Promise<{ measured: number; failed: number }> {
    const tenants = await listDataProductTenants({
      catalog: this.#catalog,
      auth: this.#auth,
    });
    let measured = 0;
    let failed = 0;
    for (const tenant of tenants) {
      if (!isValidTenantName(tenant)) continue;
      try {
        await this.measure(tenant);
        measured += 1;
      } catch (error) {
        failed += 1;
        this.#logger.warn('Lake usage of a tenant could not be measured', {
          tenant,
          error: (error as Error)?.message ?? String(error),
        });
      }
    }
    return { measured, failed };
  }

  /** Measures one tenant and keeps the figures as its row of the day. */
  async measure(tenant: string): Promise<void> {
    const credentials = await this.#auth.getOwnServiceCredentials();
    const { items } = await this.#catalog.getEntities(
      {
        filter: { kind: 'DataProduct', 'metadata.namespace': tenant },
        fields: PRODUCT_FIELDS,
      },
      { credentials },
    );
    const area = this.#storage.areaOf(tenant);
    const groups: Array<{ key: string; prefix: string }> = [];
    const products: string[] = [];
    for (const entity of items) {
      // The catalog's filter is case-insensitive; the tenant's namespace is exact.
      if (entity.metadata.namespace !== tenant) continue;
      const ref = stringifyEntityRef(entity);
      products.push(ref);
      for (const { location } of filePortsOf(entity)) {
        const resolved = this.#storage.resolvePort(tenant, location);
        if ('problem' in resolved || resolved.bucket !== area.bucket) continue;
        groups.push({ key: ref, prefix: resolved.prefix });
      }
    }
    const measuredAt = this.#now();
    const measurement = await this.#storage.measure(tenant, groups);
    const byProduct: ProductMeasurement[] = [];
    let objects = 0;
    let bytes = 0;
    for (const product of [...new Set(products)].sort()) {
      const group = measurement.groups.get(product);
      if (!group && !groups.some(g => g.key === product)) continue;
      byProduct.push({
        product,
        objects: group?.objects ?? 0,
        bytes: group?.bytes ?? 0,
      });
      objects += group?.objects ?? 0;
      bytes += group?.bytes ?? 0;
    }
    if (measurement.objects > objects) {
      byProduct.push({
        product: null,
        objects: measurement.objects - objects,
        bytes: Math.max(0, measurement.bytes - bytes),
      });
    }
    await this.#store.record(tenant, {
      measuredAt,
      objects: measurement.objects,
      bytes: measurement.bytes,
      products: byProduct,
    });
  }
}

/**
 * Schedules the measuring every `intervalMinutes` (`lake.usage.intervalMinutes`), once the
 * backend started.
 */
export function scheduleUsageMeasuring(
  deps: {
    scheduler: SchedulerService;
    lifecycle: LifecycleService;
    logger: LoggerService;
  },
  measurer: UsageMeasurer,
  intervalMinutes: number,
): void {
  deps.lifecycle.addStartupHook(async () => {
    await deps.scheduler.scheduleTask({
      id: 'lake-usage-measure',
      frequency: { minutes: intervalMinutes },
      timeout: { minutes: 30 },
      initialDelay: { seconds: 30 },
      fn: async () => {
        const { measured, failed } = await measurer.runOnce();
        deps.logger.info('Measured the lake usage of tenants', {
          measured,
          failed,
        });
      },
    });
  });
}
