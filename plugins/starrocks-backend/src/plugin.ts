import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  akiliTenantDatabaseServiceRef,
  akiliTenantQuotasServiceRef,
  tenancyServiceRef,
  akiliHttpMetrics,
} from '@akili/plugin-akili-node';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { starrocksPermissions } from '@akili/plugin-starrocks-common';
import { registerQueryActions } from './actions/queryActions';
import { QueryAuditor } from './audit/QueryAuditor';
import {
  QueryAuditStore,
  STARROCKS_MIGRATIONS_DIRECTORY,
} from './audit/QueryAuditStore';
import { readStarrocksConfig } from './config';
import { createQueryEngine } from './engine/createQueryEngine';
import { LakeAgreementsClient } from './agreements/AgreementsClient';
import { subscribeToAgreementEvents } from './agreements/agreementEvents';
import { GrantReconciler } from './grants/GrantReconciler';
import { QueryService } from './service/QueryService';
import { createRouter } from './service/router';

/**
 * Tenant-scoped SQL over StarRocks: `POST /api/starrocks/v1/tenants/:tenant/query` and the
 * schema browser `GET /api/starrocks/v1/tenants/:tenant/schema`, each query within the tenant's
 * quotas and in its audit trail (`GET /api/starrocks/v1/tenants/:tenant/audit`). Without
 * `starrocks.tenants.<tenant>` a tenant's queries answer 503 naming what to configure.
 */
export const starrocksPlugin = createBackendPlugin({
  pluginId: 'starrocks',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        scheduler: coreServices.scheduler,
        events: eventsServiceRef,
        httpRouter: coreServices.httpRouter,
        permissionsRegistry: coreServices.permissionsRegistry,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        tenancy: tenancyServiceRef,
        quotas: akiliTenantQuotasServiceRef,
        database: akiliTenantDatabaseServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init({
        config,
        auth,
        discovery,
        scheduler,
        events,
        httpRouter,
        permissionsRegistry,
        logger,
        lifecycle,
        catalog,
        tenancy,
        quotas,
        database,
        actionsRegistry,
      }) {
        permissionsRegistry.addPermissions(starrocksPermissions);
        const starrocks = readStarrocksConfig(config);
        // Access agreements between tenants (starrocks.agreements, starrocks.grants).
        const agreements =
          starrocks.agreements.enabled || starrocks.grants
            ? new LakeAgreementsClient({
                discovery,
                auth,
                logger,
                cacheMs: starrocks.agreements.cacheSeconds * 1000,
                timeoutMs: starrocks.agreements.timeoutSeconds * 1000,
              })
            : undefined;
        // StarRocks, or the embedded DuckDB engine of `make dev` (starrocks.engine).
        const { engine, quoteIdentifier } = createQueryEngine({
          config: starrocks,
          logger,
          catalog,
          auth,
          ...(starrocks.agreements.enabled ? { agreements } : {}),
        });
        lifecycle.addShutdownHook(() => engine.close());
        // The query audit trail: its migration, the tenant role and row-level security.
        const audit = new QueryAuditStore(
          await database.open({
            migrationsDirectory: STARROCKS_MIGRATIONS_DIRECTORY,
          }),
        );
        const auditor = new QueryAuditor({ store: audit, logger });
        lifecycle.addShutdownHook(() => auditor.flush());
        const grants = starrocks.grants
          ? new GrantReconciler({
              config: starrocks,
              grants: starrocks.grants,
              agreements: agreements!,
              catalog,
              auth,
              logger: logger.child({ task: 'starrocks-grants' }),
            })
          : undefined;
        if (agreements) {
          await subscribeToAgreementEvents({ events, agreements, grants });
        }
        if (grants && starrocks.grants) {
          await scheduler.scheduleTask({
            id: 'starrocks-grants-reconcile',
            scope: 'local',
            frequency: { minutes: starrocks.grants.intervalMinutes },
            timeout: { minutes: 5 },
            fn: async () => {
              await grants.reconcileAll();
            },
          });
        }
        const queries = new QueryService({
          tenancy,
          catalog,
          engine,
          quoteIdentifier,
          defaultCatalog: starrocks.defaultCatalog,
          quotas,
          maxRows: starrocks.maxRows,
          auditor,
          executeAsEndUser: starrocks.executeAsEndUser,
          ...(agreements && starrocks.agreements.enabled
            ? { agreements: { source: agreements, auth } }
            : {}),
        });
        httpRouter.use(akiliHttpMetrics('starrocks'));
        httpRouter.use(await createRouter({ queries, tenancy, audit }));
        // The same capabilities for AI assistants (Backstage's MCP actions), as the user.
        registerQueryActions({ actionsRegistry, tenancy, queries });
      },
    });
  },
});
