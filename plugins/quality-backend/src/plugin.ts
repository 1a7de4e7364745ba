import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  akiliEventsServiceRef,
  akiliTenantDatabaseServiceRef,
  listDataProductTenants,
  tenancyServiceRef,
  akiliHttpMetrics,
} from '@akili/plugin-akili-node';
import {
  QualityIncident,
  qualityPermissions,
} from '@akili/plugin-quality-common';
import {
  IncidentStore,
  notifyIncidentOwners,
  startIncidentWatch,
} from './incidents';
import { startQualityConsumers } from './ingest/consumers';
import {
  QUALITY_MIGRATIONS_DIRECTORY,
  QualityStore,
} from './service/QualityStore';
import { QualityService } from './service/QualityService';
import { createRouter } from './service/router';

/**
 * The quality of a tenant's data products: check results (REST reports, `quality.checked`
 * events, Dagster asset checks through them), scores against the contract, freshness against the
 * SLO, trends, the tenant dashboard, and incidents with their workflow.
 */
export const qualityPlugin = createBackendPlugin({
  pluginId: 'quality',
  register(env) {
    env.registerInit({
      deps: {
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
        // The quality permissions are this plugin's: it declares and registers them itself.
        permissionsRegistry.addPermissions(qualityPermissions);
        // Migrations, the tenant role (SELECT and INSERT only on the append-only incident
        // timeline) and row-level security, the one Akili way.
        const db = await database.open({
          migrationsDirectory: QUALITY_MIGRATIONS_DIRECTORY,
        });
        const store = new QualityStore({ db });
        const incidents = new IncidentStore({ db });
        const notify = (opened: QualityIncident[]) =>
          notifyIncidentOwners(opened, {
            catalog,
            auth,
            notifications,
            logger,
          });
        const relay = events.relay(db);
        const quality = new QualityService({
          tenancy,
          catalog,
          store,
          events,
          relay,
          incidents: {
            onResults: (tx, tenant, product, stored) =>
              incidents.onResults(tx, tenant, product, stored),
            notify,
          },
        });
        startQualityConsumers({
          db,
          events,
          store,
          incidents,
          notify,
          catalog,
          auth,
          lifecycle,
          logger,
        });
        await startIncidentWatch({
          scheduler,
          store: incidents,
          tenants: () => listDataProductTenants({ catalog, auth }),
          logger,
          notify,
        });
        httpRouter.use(akiliHttpMetrics('quality'));
        httpRouter.use(
          await createRouter({ tenancy, quality, store, incidents, catalog }),
        );
      },
    });
  },
});
