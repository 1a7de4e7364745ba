import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  akiliEventsServiceRef,
  akiliTenantDatabaseServiceRef,
  tenancyServiceRef,
  akiliHttpMetrics,
} from '@akili/plugin-akili-node';
import { dagsterPermissions } from '@akili/plugin-dagster-common';
import { startRunTracking } from './tracker/startRunTracking';
import { startAssetCheckTracking } from './quality/startAssetCheckTracking';
import {
  DagsterGraphqlClient,
  readDagsterClientConfig,
} from './client/DagsterGraphqlClient';
import {
  DAGSTER_MIGRATIONS_DIRECTORY,
  RunAuditStore,
} from './service/RunAuditStore';
import { readProductCacheSeconds, RunsService } from './service/RunsService';
import { createRouter } from './service/router';

/**
 * Tenant-scoped Dagster runs: the runs of a tenant's data products, their logs, and launch,
 * re-execute and terminate for those allowed. Without `dagster.baseUrl` the plugin starts and
 * every route says Dagster is not configured.
 */
export const dagsterPlugin = createBackendPlugin({
  pluginId: 'dagster',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: akiliTenantDatabaseServiceRef,
        events: akiliEventsServiceRef,
        httpRouter: coreServices.httpRouter,
        permissionsRegistry: coreServices.permissionsRegistry,
        logger: coreServices.logger,
        auth: coreServices.auth,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        tenancy: tenancyServiceRef,
        notifications: notificationService,
      },
      async init({
        config,
        database,
        events,
        httpRouter,
        permissionsRegistry,
        logger,
        auth,
        scheduler,
        lifecycle,
        catalog,
        tenancy,
        notifications,
      }) {
        // The runs permissions are this plugin's: it declares and registers them itself.
        permissionsRegistry.addPermissions(dagsterPermissions);
        const clientConfig = readDagsterClientConfig(config);
        const client = new DagsterGraphqlClient(clientConfig, { logger });
        // Migrations, the tenant role (SELECT and INSERT only on the append-only run audit) and
        // row-level security, the one Akili way.
        const db = await database.open({
          migrationsDirectory: DAGSTER_MIGRATIONS_DIRECTORY,
        });
        const audit = new RunAuditStore(db);
        const runs = new RunsService({
          client,
          catalog,
          audit,
          logger,
          tenancy,
          auth,
          productCacheSeconds: readProductCacheSeconds(config),
        });
        if (clientConfig) {
          logger.info('Dagster runs', {
            baseUrl: clientConfig.baseUrl,
            timeoutMs: clientConfig.timeoutMs,
          });
        } else {
          logger.info(
            'Dagster is not configured (dagster.baseUrl): the runs routes answer 503',
          );
        }
        startRunTracking({
          config,
          client,
          db,
          events,
          catalog,
          auth,
          notifications,
          scheduler,
          lifecycle,
          logger,
        });
        startAssetCheckTracking({
          config,
          client,
          db,
          events,
          catalog,
          auth,
          scheduler,
          lifecycle,
          logger,
        });
        httpRouter.use(akiliHttpMetrics('dagster'));
        httpRouter.use(await createRouter({ tenancy, runs, audit }));
      },
    });
  },
});
