import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  akiliTenantDatabaseServiceRef,
  akiliTenantQuotasServiceRef,
  tenancyServiceRef,
} from '@akili/plugin-akili-node';
import { lakePermissions } from '@akili/plugin-lake-common';
import { LakeStorage } from './storage/LakeStorage';
import { readLakeServiceConfig } from './service/config';
import {
  DownloadAuditStore,
  LAKE_MIGRATIONS_DIRECTORY,
} from './service/DownloadAuditStore';
import { lakePortAccessGrantsServiceRef } from './service/grants';
import { LakeService } from './service/LakeService';
import { createRouter } from './service/router';
import { scheduleUsageMeasuring, UsageMeasurer } from './service/UsageMeasurer';
import { UsageStore } from './service/UsageStore';

/**
 * The Akili lake, tenant-scoped: the files of data products' `files` output ports on S3 (Ceph
 * RGW), listed, previewed (masked as the query API masks) and downloaded through audited,
 * short-lived presigned URLs, and what each tenant stores against its quota. Without `lake.s3`
 * the plugin starts and every route answers 503 `LakeNotConfiguredError`.
 */
export const lakePlugin = createBackendPlugin({
  pluginId: 'lake',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: akiliTenantDatabaseServiceRef,
        httpRouter: coreServices.httpRouter,
        permissionsRegistry: coreServices.permissionsRegistry,
        logger: coreServices.logger,
        auth: coreServices.auth,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        tenancy: tenancyServiceRef,
        quotas: akiliTenantQuotasServiceRef,
        grants: lakePortAccessGrantsServiceRef,
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
        quotas,
        grants,
      }) {
        permissionsRegistry.addPermissions(lakePermissions);
        // Read at start, so a bad value stops the backend with the key named.
        const settings = readLakeServiceConfig(config);
        const storage = LakeStorage.fromConfig(config, { logger });
        const db = await database.open({
          migrationsDirectory: LAKE_MIGRATIONS_DIRECTORY,
        });
        const usage = new UsageStore(db);
        if (storage) {
          lifecycle.addShutdownHook(() => storage.destroy());
          logger.info('Lake files and usage', {
            presignExpiresInSeconds: settings.presignExpiresInSeconds,
            usageIntervalMinutes: settings.usageEnabled
              ? settings.usageIntervalMinutes
              : 'off',
          });
          if (settings.usageEnabled) {
            scheduleUsageMeasuring(
              { scheduler, lifecycle, logger },
              new UsageMeasurer({
                storage,
                catalog,
                auth,
                store: usage,
                logger,
              }),
              settings.usageIntervalMinutes,
            );
          }
        } else {
          logger.info(
            'The lake is not configured (lake.s3): the lake routes answer 503',
          );
        }
        const lake = new LakeService({
          storage,
          catalog,
          auth,
          tenancy,
          quotas,
          audit: new DownloadAuditStore(db),
          usage,
          grants,
          presignExpiresInSeconds: settings.presignExpiresInSeconds,
          logger,
        });
        httpRouter.use(await createRouter({ lake }));
      },
    });
  },
});
