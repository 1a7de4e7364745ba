import {
  AuthService,
  LifecycleService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { DataProductManifest } from '@akili/plugin-akili-common';
import {
  AkiliEventsService,
  TenantScopedDatabase,
} from '@akili/plugin-akili-node';
import { DagsterGraphqlClient } from '../client/DagsterGraphqlClient';
import { AssetCheckProduct, AssetCheckTracker } from './AssetCheckTracker';
import { readPollerSettings, schedulePoller } from '../tracker/pollerSettings';

/** What the tracker reads of each product entity. */
const PRODUCT_FIELDS = [
  'apiVersion',
  'kind',
  'metadata.name',
  'metadata.namespace',
  'spec.transformation',
  'spec.outputPorts',
  'spec.quality',
];

/**
 * Every data product of the catalog with its tenant (its namespace), read with the plugin's own
 * credentials.
 */
export function catalogProducts(
  catalog: CatalogService,
  auth: AuthService,
): () => Promise<AssetCheckProduct[]> {
  return async () => {
    const credentials = await auth.getOwnServiceCredentials();
    const { items } = await catalog.getEntities(
      { filter: { kind: 'DataProduct' }, fields: PRODUCT_FIELDS },
      { credentials },
    );
    return items.map(entity => ({
      tenant: entity.metadata.namespace ?? 'default',
      manifest: entity as unknown as DataProductManifest,
    }));
  };
}

/**
 * Starts the asset check tracker (`dagster.qualityChecks`, every 60 s by default; off when
 * Dagster is not configured or `enabled` is false): the executions of the asset checks of every
 * data product become `quality.checked` events of the product's tenant.
 */
export function startAssetCheckTracking(options: {
  config: Config;
  client: DagsterGraphqlClient;
  db: TenantScopedDatabase;
  events: AkiliEventsService;
  catalog: CatalogService;
  auth: AuthService;
  scheduler: SchedulerService;
  lifecycle: LifecycleService;
  logger: LoggerService;
}): AssetCheckTracker | undefined {
  const { config, client, db, events, logger } = options;
  if (!client.configured) {
    return undefined;
  }
  const { enabled, intervalSeconds, lookbackHours } = readPollerSettings(
    config,
    'dagster.qualityChecks',
    { intervalKey: 'pollIntervalSeconds', defaultIntervalSeconds: 60 },
  );
  if (!enabled) {
    return undefined;
  }
  const tracker = new AssetCheckTracker({
    client,
    db,
    outbox: events.outbox,
    // The plugin's one relay (the run tracker's): a second call returns the same.
    relay: events.relay(db),
    logger,
    products: catalogProducts(options.catalog, options.auth),
    lookbackSeconds: lookbackHours * 3600,
  });
  schedulePoller(options, {
    id: 'dagster-asset-check-tracker',
    intervalSeconds,
    timeoutMinutes: 10,
    initialDelaySeconds: 10,
    runOnce: () => tracker.runOnce(),
    reportedMessage: 'Reported asset check executions as quality.checked',
  });
  return tracker;
}
