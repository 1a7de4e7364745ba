import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { akiliPermissions } from '@akili/plugin-akili-common';
import { readTenantRole, tenancyServiceRef } from '@akili/plugin-akili-node';
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
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        tenancy: tenancyServiceRef,
      },
      async init({
        config,
        database,
        httpRouter,
        httpAuth,
        logger,
        permissionsRegistry,
        catalog,
        tenancy,
      }) {
        // Declared here so the permission framework (and its policy) knows every Akili
        // permission, including those of plugins that enforce them later.
        permissionsRegistry.addPermissions(akiliPermissions);
        const tenantsConfig = readTenantsConfig(config);
        const store = await TenantStore.create({
          database,
          tenantRole: readTenantRole(config),
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
          }),
        );
        httpRouter.use(
          await createRouter({ httpAuth, logger, catalog, tenancy }),
        );
      },
    });
  },
});
