import {
  AuthService,
  LifecycleService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  RELATION_OWNED_BY,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  AkiliEventsService,
  listDataProductTenants,
  TenantScopedDatabase,
} from '@akili/plugin-akili-node';
import { DagsterGraphqlClient } from '../client/DagsterGraphqlClient';
import { RunFailure, RunTracker } from './RunTracker';
import { readPollerSettings, schedulePoller } from './pollerSettings';
import { observeTrackerLag } from './trackerMetrics';

/**
 * Starts the run tracker (`dagster.tracker`, every 30 s by default) and the relay of its
 * `execution.completed` events; owners of a product hear about its failed runs through Backstage
 * notifications.
 */
export function startRunTracking(options: {
  config: Config;
  client: DagsterGraphqlClient;
  db: TenantScopedDatabase;
  events: AkiliEventsService;
  catalog: CatalogService;
  auth: AuthService;
  notifications: NotificationService;
  scheduler: SchedulerService;
  lifecycle: LifecycleService;
  logger: LoggerService;
}): RunTracker | undefined {
  const { config, client, db, events, catalog, auth, logger } = options;
  if (!client.configured) {
    return undefined;
  }
  const { enabled, intervalSeconds, lookbackHours } = readPollerSettings(
    config,
    'dagster.tracker',
    { intervalKey: 'intervalSeconds', defaultIntervalSeconds: 30 },
  );
  if (!enabled) {
    return undefined;
  }
  // Started at start-up and stopped at shut-down by the plugin's events service.
  const relay = events.relay(db);

  const notifyOwners = (failure: RunFailure) =>
    notifyOwnersOfFailure(failure, {
      catalog,
      auth,
      notifications: options.notifications,
    });

  const runTracker = new RunTracker({
    client,
    db,
    outbox: events.outbox,
    relay,
    logger,
    onFailure: notifyOwners,
    lookbackSeconds: lookbackHours * 3600,
    tenants: () => listDataProductTenants({ catalog, auth }),
  });

  options.lifecycle.addShutdownHook(observeTrackerLag(runTracker));

  schedulePoller(options, {
    id: 'dagster-run-tracker',
    intervalSeconds,
    timeoutMinutes: 5,
    initialDelaySeconds: 5,
    runOnce: () => runTracker.runOnce(),
    reportedMessage: 'Reported finished runs as execution.completed',
  });
  return runTracker;
}

/**
 * Tells the owners of a product (its `ownedBy` relations in the catalog) that one of its runs
 * failed, with a link to the run page. Nothing is sent when the product has no owner, or is not
 * a data product of the run's tenant.
 */
export async function notifyOwnersOfFailure(
  failure: RunFailure,
  deps: {
    catalog: CatalogService;
    auth: AuthService;
    notifications: NotificationService;
  },
): Promise<void> {
  const ref = parseEntityRef(failure.product);
  // Only a product of the run's own tenant: the tracker checks it too, this keeps it so.
  if (
    ref.kind.toLocaleLowerCase('en-US') !== 'dataproduct' ||
    ref.namespace !== failure.tenant
  ) {
    return;
  }
  const credentials = await deps.auth.getOwnServiceCredentials();
  const product = await deps.catalog.getEntityByRef(ref, {
    credentials,
  });
  const owners = (product?.relations ?? [])
    .filter(relation => relation.type === RELATION_OWNED_BY)
    .map(relation => relation.targetRef);
  if (!product || owners.length === 0) {
    return;
  }
  await deps.notifications.send({
    recipients: { type: 'entity', entityRef: owners },
    payload: {
      title: `Run of ${product.metadata.title ?? product.metadata.name} failed`,
      description: `Run ${failure.runId} of job ${
        failure.job
      } (${stringifyEntityRef(product)}) failed.`,
      link: `/runs/${encodeURIComponent(failure.runId)}`,
      severity: 'high',
      topic: 'akili-run-failed',
      scope: `akili-run-failed:${failure.product}`,
    },
  });
}
