import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { tenancyServiceRef } from '@akili/plugin-akili-node';
import { starrocksPermissions } from '@akili/plugin-starrocks-common';
import { readStarrocksConfig } from './config';
import { QueryRunner } from './engine/QueryRunner';
import { TenantPools } from './engine/TenantPools';
import { QueryService } from './service/QueryService';
import { createRouter } from './service/router';

/**
 * Tenant-scoped SQL over StarRocks: `POST /api/starrocks/v1/tenants/:tenant/query` and the
 * schema browser `GET /api/starrocks/v1/tenants/:tenant/schema`. Without
 * `starrocks.tenants.<tenant>` a tenant's queries answer 503 naming what to configure.
 */
export const starrocksPlugin = createBackendPlugin({
  pluginId: 'starrocks',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
        permissionsRegistry: coreServices.permissionsRegistry,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        tenancy: tenancyServiceRef,
      },
      async init({
        config,
        httpRouter,
        permissionsRegistry,
        logger,
        lifecycle,
        catalog,
        tenancy,
      }) {
        permissionsRegistry.addPermissions(starrocksPermissions);
        const starrocks = readStarrocksConfig(config);
        const pools = new TenantPools(starrocks, { logger });
        lifecycle.addShutdownHook(() => pools.close());
        const runner = new QueryRunner({ pools, config: starrocks, logger });
        logger.info('StarRocks query API', {
          dialect: starrocks.dialect,
          tenants: Object.keys(starrocks.tenants).join(', ') || '(none)',
        });
        const queries = new QueryService({
          tenancy,
          catalog,
          engine: runner,
          defaultCatalog: starrocks.defaultCatalog,
        });
        httpRouter.use(await createRouter({ queries }));
      },
    });
  },
});
