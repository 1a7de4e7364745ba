import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { manifestParserServiceRef } from '@akili/plugin-akili-node';
import { DataProductProcessor } from './processor/DataProductProcessor';
import { ConfigSharedOwnerGroups } from './processor/owners';
import {
  readProviderConfigs,
  readRegistryProviderConfig,
} from './providers/config';
import { DataProductEntityProvider } from './providers/DataProductEntityProvider';
import {
  ControlPlaneRegistryReader,
  RegistryEntityProvider,
} from './providers/RegistryEntityProvider';
import {
  PRODUCT_REFRESH_TOPICS,
  ProductRefreshTrigger,
} from './refresh/productRefresh';

/**
 * Refuses an events configuration that would accept GitLab events without GitLab's webhook
 * secret: `events.http.topics` entries publish whatever is posted to them, unchecked, so none
 * may carry GitLab's topics (`@backstage/plugin-events-backend-module-gitlab` adds the checked
 * `gitlab` ingress when `events.modules.gitlab.webhookSecret` is set).
 */
export function assertGitlabEventsNeedTheSecret(config: Config) {
  const topics = config.getOptionalStringArray('events.http.topics') ?? [];
  const open = topics.filter(t => t === 'gitlab' || t.startsWith('gitlab.'));
  if (open.length > 0) {
    throw new InputError(
      `events.http.topics must not list ${open.join(
        ', ',
      )}: it would accept GitLab push events without GitLab's webhook secret; set events.modules.gitlab.webhookSecret and install @backstage/plugin-events-backend-module-gitlab instead`,
    );
  }
}

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
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        events: eventsServiceRef,
        parser: manifestParserServiceRef,
      },
      async init({
        catalog,
        config,
        logger,
        scheduler,
        discovery,
        auth,
        events,
        parser,
      }) {
        catalog.addProcessor(
          new DataProductProcessor({
            sharedOwnerGroups: ConfigSharedOwnerGroups.fromConfig(config),
          }),
        );

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

        assertGitlabEventsNeedTheSecret(config);
        if (
          readProviderConfigs(config).some(c => c.gitlab) &&
          !config.getOptionalString('events.modules.gitlab.webhookSecret')
        ) {
          logger.warn(
            'No events.modules.gitlab.webhookSecret: GitLab pushes are not received, data products change with the scheduled scans only',
          );
        }

        // One provider per configured id; each subscribes to its source's events in connect().
        const sources = DataProductEntityProvider.fromConfig(config, {
          logger,
          scheduler,
          events,
          // Manifests are parsed in worker threads, never on the event loop.
          parser,
        });
        catalog.addEntityProvider(sources);

        // The registry fills in products no source gives (yet): a GitLab project or folder wins.
        const registryConfig = readRegistryProviderConfig(config);
        if (registryConfig) {
          const registry = new RegistryEntityProvider({
            reader: new ControlPlaneRegistryReader({ discovery, auth }),
            logger,
            taskRunner: scheduler.createScheduledTaskRunner(
              registryConfig.schedule,
            ),
            events,
            parser,
            heldElsewhere: ref => sources.some(source => source.holds(ref)),
            release: async refs => {
              await Promise.all(sources.map(source => source.reapply(refs)));
            },
          });
          for (const source of sources) {
            source.onRun(() => registry.releaseTaken());
          }
          catalog.addEntityProvider(registry);
        }
      },
    });
  },
});
