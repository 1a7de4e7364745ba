import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  akiliEventsServiceRef,
  akiliTenantDatabaseServiceRef,
  akiliTenantQuotasServiceRef,
  tenancyServiceRef,
} from '@akili/plugin-akili-node';
import { lakePermissions } from '@akili/plugin-lake-common';
import { createAccessAgreements, scheduleAgreementExpiry } from './agreements';
import { startBucketPolicies } from './agreements/bucketPolicies';
import { LakeStorage } from './storage/LakeStorage';
import { readLakeServiceConfig } from './service/config';
import {
  DownloadAuditStore,
  LAKE_MIGRATIONS_DIRECTORY,
} from './service/DownloadAuditStore';
import { LakeService } from './service/LakeService';
import { createRouter } from './service/router';
import { scheduleUsageMeasuring, UsageMeasurer } from './service/UsageMeasurer';
import { UsageStore } from './service/UsageStore';

/**
 * The Akili lake, tenant-scoped: the files of data products' `files` output ports on S3 (Ceph
 * RGW), listed, previewed (masked as the query API masks) and downloaded through audited,
 * short-lived presigned URLs, and what each tenant stores against its quota; and the access
 * agreements between tenants, which decide what a tenant reads of another tenant's ports (here,
 * and in StarRocks through `GET /v1/agreements/in-force`). Without `lake.s3` the plugin starts,
 * the agreements work and every file and usage route answers 503 `LakeNotConfiguredError`.
 */
export const lakePlugin = createBackendPlugin({
  pluginId: 'lake',
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
        httpAuth: coreServices.httpAuth,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        tenancy: tenancyServiceRef,
        quotas: akiliTenantQuotasServiceRef,
      },
      async init({
        config,
        database,
        events,
        httpRouter,
        permissionsRegistry,
        logger,
        auth,
        httpAuth,
        scheduler,
        lifecycle,
        catalog,
        tenancy,
        quotas,
      }) {
        permissionsRegistry.addPermissions(lakePermissions);
        // Read at start, so a bad value stops the backend with the key named.
        const settings = readLakeServiceConfig(config);
        const storage = LakeStorage.fromConfig(config, { logger });
        const db = await database.open({
          migrationsDirectory: LAKE_MIGRATIONS_DIRECTORY,
        });
        const usage = new UsageStore(db);
        // The agreements share the plugin's database (one migrations directory) and publish
        // their `access.*` events through its outbox.
        const agreements = createAccessAgreements({
          db,
          outbox: events.outbox,
          relay: events.relay(db),
          tenancy,
          httpAuth,
          auth,
          catalog,
          logger,
        });
        await scheduleAgreementExpiry({
          scheduler,
          store: agreements.store,
          logger,
        });
        // The lake's own enforcement for direct S3 reads (off unless configured).
        await startBucketPolicies({
          config,
          storage,
          store: agreements.store,
          catalog,
          auth,
          scheduler,
          logger,
        });
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
          // Cross-tenant reads: only through an agreement in force, only its columns.
          grants: { grantFor: agreements.grantFor },
          presignExpiresInSeconds: settings.presignExpiresInSeconds,
          logger,
        });
        httpRouter.use(
          await createRouter({ lake, agreements: agreements.router }),
        );
      },
    });
  },
});
