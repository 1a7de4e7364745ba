import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { akiliPermissions } from '@akili/plugin-akili-common';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  akiliEventBusServiceRef,
  DeadLetterStore,
  EventOutbox,
  readAkiliEventsConfig,
  readTenantRole,
  tenancyServiceRef,
} from '@akili/plugin-akili-node';
import { startAkiliEvents } from './events/startAkiliEvents';
import { createRouter } from './service/router';
import {
  createTenantsRouter,
  readTenantsConfig,
  seedTenants,
  TenantStore,
} from './tenants';

/**
 * The Akili control plane: tenant management, manifest validation and export; the product
 * registry, submission and deployment build on it.
 */
export const akiliPlugin = createBackendPlugin({
  pluginId: 'akili',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        permissionsRegistry: coreServices.permissionsRegistry,
        events: eventsServiceRef,
        bus: akiliEventBusServiceRef,
        catalog: catalogServiceRef,
        tenancy: tenancyServiceRef,
      },
      async init({
        config,
        database,
        httpRouter,
        httpAuth,
        logger,
        lifecycle,
        permissionsRegistry,
        events,
        bus,
        catalog,
        tenancy,
      }) {
        // Declared here so the permission framework (and its policy) knows every Akili
        // permission, including those of plugins that enforce them later.
        permissionsRegistry.addPermissions(akiliPermissions);
        const tenantsConfig = readTenantsConfig(config);
        const eventsConfig = readAkiliEventsConfig(config);
        const store = await TenantStore.create({
          database,
          tenantRole: readTenantRole(config),
          outbox: EventOutbox.create({
            topicPattern: eventsConfig.topicPattern,
          }),
        });
        const { publisher } = startAkiliEvents({
          eventsConfig,
          logger,
          lifecycle,
          bus,
          events,
          db: store.database,
        });
        await seedTenants({ store, seed: tenantsConfig.seed, logger });
        // First: its member tracking sees every request of the plugin.
        httpRouter.use(
          await createTenantsRouter({
            httpAuth,
            tenancy,
            logger,
            store,
            groupPattern: tenantsConfig.groupPattern,
            deadLetters: {
              store: new DeadLetterStore({ db: store.database }),
              publisher,
            },
          }),
        );
        httpRouter.use(
          await createRouter({ httpAuth, logger, catalog, tenancy }),
        );
      },
    });
  },
});
