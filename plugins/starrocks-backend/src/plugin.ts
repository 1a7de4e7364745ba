import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { tenancyServiceRef } from '@akili/plugin-akili-node';
import { starrocksPermissions } from '@akili/plugin-starrocks-common';
import { readStarrocksConfig } from './config';
import { createQueryEngine } from './engine/createQueryEngine';
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
        auth: coreServices.auth,
        httpRouter: coreServices.httpRouter,
        permissionsRegistry: coreServices.permissionsRegistry,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        tenancy: tenancyServiceRef,
      },
      async init({
        config,
        auth,
        httpRouter,
        permissionsRegistry,
        logger,
        lifecycle,
        catalog,
        tenancy,
      }) {
        permissionsRegistry.addPermissions(starrocksPermissions);
        const starrocks = readStarrocksConfig(config);
        // StarRocks, or the embedded DuckDB engine of `make dev` (starrocks.engine).
        const { engine, quoteIdentifier } = createQueryEngine({
          config: starrocks,
          logger,
          catalog,
          auth,
        });
        lifecycle.addShutdownHook(() => engine.close());
        const queries = new QueryService({
          tenancy,
          catalog,
          engine,
          quoteIdentifier,
          defaultCatalog: starrocks.defaultCatalog,
        });
        httpRouter.use(await createRouter({ queries }));
      },
    });
  },
});
