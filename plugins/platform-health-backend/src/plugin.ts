import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { tenancyServiceRef } from '@akili/plugin-akili-node';
import { platformHealthPermissions } from '@akili/plugin-platform-health-common';
import { createDependencyChecks } from './checks/checks';
import { readPlatformHealthSettings } from './config';
import { platformReadinessServiceRef } from './readiness';
import { PlatformHealthService } from './service/PlatformHealthService';
import {
  PLATFORM_HEALTH_MIGRATIONS_DIRECTORY,
  PlatformHealthStore,
} from './service/PlatformHealthStore';
import { createRouter } from './service/router';

/**
 * Health of the platform's dependencies for operators: every configured dependency checked on
 * a schedule (`platformHealth.frequency`, default 30 s) with a timeout, the results kept 24 h,
 * `GET /api/platform-health/v1/dependencies` and `.../dependencies/:id/history` (operators),
 * `GET /api/platform-health/v1/status` (every tenant role: status only), and PostgreSQL's
 * probe registered for the portal's readiness (`platformHealthRootHealthServiceFactory`).
 */
export const platformHealthPlugin = createBackendPlugin({
  pluginId: 'platform-health',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        permissionsRegistry: coreServices.permissionsRegistry,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        tenancy: tenancyServiceRef,
        readiness: platformReadinessServiceRef,
      },
      async init({
        config,
        database,
        httpRouter,
        permissionsRegistry,
        logger,
        scheduler,
        tenancy,
        readiness,
      }) {
        permissionsRegistry.addPermissions(platformHealthPermissions);
        const settings = readPlatformHealthSettings(config);
        const db = await database.getClient();
        if (!database.migrations?.skip) {
          await db.migrate.latest({
            directory: PLATFORM_HEALTH_MIGRATIONS_DIRECTORY,
          });
        }
        const store = new PlatformHealthStore({ db });
        const health = new PlatformHealthService({
          checks: createDependencyChecks({
            config,
            database: async () => db,
            timeoutMs: settings.timeoutMs,
          }),
          store,
          timeoutMs: settings.timeoutMs,
          degradedLatencyMs: settings.degradedLatencyMs,
          logger,
        });

        readiness.register('postgresql', async () => {
          const result = await health.probe('postgresql');
          return { up: result !== undefined && result.status !== 'down' };
        });

        await scheduler.scheduleTask({
          id: 'platform-health-check',
          frequency: settings.frequency,
          timeout: { milliseconds: settings.timeoutMs * 2 + 5000 },
          initialDelay: { seconds: 0 },
          fn: async () => {
            try {
              await health.checkAll();
            } catch (error) {
              logger.error('Platform health round failed', {
                error: String(error),
              });
            }
          },
        });
        await scheduler.scheduleTask({
          id: 'platform-health-prune',
          frequency: { minutes: 10 },
          timeout: { minutes: 2 },
          fn: async () => {
            try {
              const deleted = await health.prune();
              logger.debug('Pruned platform health history', { deleted });
            } catch (error) {
              logger.error('Platform health prune failed', {
                error: String(error),
              });
            }
          },
        });

        httpRouter.use(
          await createRouter({
            tenancy,
            health,
            frequencyMs: settings.frequencyMs,
          }),
        );
      },
    });
  },
});
