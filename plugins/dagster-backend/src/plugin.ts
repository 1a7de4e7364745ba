import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  akiliEventBusServiceRef,
  readAkiliEventsConfig,
  readTenantRole,
  tenancyServiceRef,
} from '@akili/plugin-akili-node';
import { dagsterPermissions } from '@akili/plugin-dagster-common';
import { startRunTracking } from './tracker/startRunTracking';
import {
  DagsterGraphqlClient,
  readDagsterClientConfig,
} from './client/DagsterGraphqlClient';
import { RunAuditStore, openDagsterDatabase } from './service/RunAuditStore';
import { RunsService } from './service/RunsService';
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
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        permissionsRegistry: coreServices.permissionsRegistry,
        logger: coreServices.logger,
        auth: coreServices.auth,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        tenancy: tenancyServiceRef,
        notifications: notificationService,
        bus: akiliEventBusServiceRef,
      },
      async init({
        config,
        database,
        httpRouter,
        permissionsRegistry,
        logger,
        auth,
        scheduler,
        lifecycle,
        catalog,
        tenancy,
        notifications,
        bus,
      }) {
        // The runs permissions are this plugin's: it declares and registers them itself.
        permissionsRegistry.addPermissions(dagsterPermissions);
        const clientConfig = readDagsterClientConfig(config);
        const client = new DagsterGraphqlClient(clientConfig, { logger });
        const db = await openDagsterDatabase(database, readTenantRole(config));
        const audit = new RunAuditStore(db);
        const runs = new RunsService({
          client,
          catalog,
          audit,
          logger,
          tenancy,
        });
        logger.info(
          clientConfig
            ? `Dagster runs from ${clientConfig.baseUrl} (timeout ${clientConfig.timeoutMs} ms)`
            : 'Dagster is not configured (dagster.baseUrl): the runs routes answer 503',
        );
        startRunTracking({
          config,
          client,
          db,
          eventsConfig: readAkiliEventsConfig(config),
          bus,
          catalog,
          auth,
          notifications,
          scheduler,
          lifecycle,
          logger,
        });
        httpRouter.use(await createRouter({ tenancy, runs, audit }));
      },
    });
  },
});
