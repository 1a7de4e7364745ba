import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { DataProductProcessor } from './processor/DataProductProcessor';
import { readProviderConfigs } from './providers/config';
import { DataProductEntityProvider } from './providers/DataProductEntityProvider';
import { FolderManifestSource } from './providers/FolderManifestSource';
import { GitlabManifestSource } from './providers/GitlabManifestSource';
import { handleGitlabPush } from './providers/gitlabPush';
import {
  PRODUCT_REFRESH_TOPICS,
  ProductRefreshTrigger,
} from './refresh/productRefresh';

/**
 * Catalog support for Akili data products: the DataProduct kind and one manifest provider
 * per entry of `catalog.providers.akiliDataProducts`.
 */
export const catalogModuleAkili = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'akili',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        events: eventsServiceRef,
      },
      async init({ catalog, config, logger, scheduler, events }) {
        catalog.addProcessor(new DataProductProcessor());

        // Products reprocessed when Akili events (bridged by the akili backend) say they changed.
        const refresher = new ProductRefreshTrigger(logger);
        catalog.addEntityProvider(refresher);
        await events.subscribe({
          id: 'akili-product-refresh',
          topics: PRODUCT_REFRESH_TOPICS,
          onEvent: async ({ eventPayload }) => {
            await refresher.onEvent(eventPayload);
          },
        });

        const integrations = ScmIntegrations.fromConfig(config);
        const gitlabProviders: Array<{
          provider: DataProductEntityProvider;
          source: GitlabManifestSource;
        }> = [];
        for (const c of readProviderConfigs(config)) {
          let source: FolderManifestSource | GitlabManifestSource;
          if (c.gitlab) {
            const integration = integrations.gitlab.byHost(c.gitlab.host);
            if (!integration) {
              throw new InputError(
                `catalog.providers.akiliDataProducts.${c.id}.gitlab.host "${c.gitlab.host}" has no integrations.gitlab entry`,
              );
            }
            source = new GitlabManifestSource({
              integration: integration.config,
              group: c.gitlab.group,
              branch: c.gitlab.branch,
            });
          } else {
            source = new FolderManifestSource(c.folder!);
          }
          const provider = new DataProductEntityProvider(
            c.id,
            source,
            logger.child({ provider: c.id }),
            scheduler.createScheduledTaskRunner(c.schedule),
          );
          catalog.addEntityProvider(provider);
          if (source instanceof GitlabManifestSource) {
            gitlabProviders.push({ provider, source });
          }
        }

        if (gitlabProviders.length > 0) {
          // Delta updates from GitLab push webhooks (events-backend-module-gitlab topics).
          await events.subscribe({
            id: 'akili-data-products',
            topics: ['gitlab.push'],
            onEvent: async ({ eventPayload }) => {
              for (const { provider, source } of gitlabProviders) {
                try {
                  await handleGitlabPush(eventPayload, source, provider);
                } catch (error) {
                  logger.error(
                    'Could not apply a GitLab push to data products',
                    error as Error,
                  );
                }
              }
            },
          });
        }
      },
    });
  },
});
