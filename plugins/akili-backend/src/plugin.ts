import express from 'express';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { akiliPermissions } from '@akili/plugin-akili-common';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  akiliApiTokenResolverServiceRef,
  akiliEventsServiceRef,
  akiliTenantDatabaseServiceRef,
  CachedTenantStatus,
  DeadLetterStore,
  LakeAgreementsClient,
  manifestParserServiceRef,
  readAkiliApiTokensConfig,
  TenancyService,
  akiliHttpMetrics,
} from '@akili/plugin-akili-node';
import { ApiTokenStore, createApiTokensRouter } from './apiTokens';
import {
  createDeploymentsRouter,
  DeploymentStore,
  DeploymentTracker,
  GitlabPipelines,
  readGitlabDeployConfig,
} from './deployments';
import { startAkiliEvents } from './events/startAkiliEvents';
import { createProductNamesRouter } from './productNames/router';
import { createProductsRouter, ProductStore } from './products';
import { createGitlabReviewRouter, GITLAB_WEBHOOK_PATH } from './reviews';
import { createManifestsRouter } from './service/manifestsRouter';
import { createRouter } from './service/router';
import {
  createTenantsRouter,
  readTenantsConfig,
  seedTenants,
  TenantStore,
} from './tenants';
import { TENANTS_MIGRATIONS_DIRECTORY } from './tenants/TenantStore';

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
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
        permissions: coreServices.permissions,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        permissionsRegistry: coreServices.permissionsRegistry,
        events: eventsServiceRef,
        catalog: catalogServiceRef,
        database: akiliTenantDatabaseServiceRef,
        akiliEvents: akiliEventsServiceRef,
        apiTokens: akiliApiTokenResolverServiceRef,
        manifestParser: manifestParserServiceRef,
      },
      async init({
        config,
        auth,
        discovery,
        httpRouter,
        httpAuth,
        userInfo,
        permissions,
        logger,
        lifecycle,
        permissionsRegistry,
        events,
        catalog,
        database,
        akiliEvents,
        apiTokens,
        manifestParser,
      }) {
        // The control plane's own permissions; every other Akili plugin registers its own.
        permissionsRegistry.addPermissions(akiliPermissions);
        const tenantsConfig = readTenantsConfig(config);
        const db = await database.open({
          migrationsDirectory: TENANTS_MIGRATIONS_DIRECTORY,
        });
        const store = TenantStore.fromDatabase(db, akiliEvents.outbox);
        // The one authorization path, reading tenant status from this plugin's own store (every
        // other plugin asks this one over HTTP): a suspension takes effect on the next request.
        const tenancy = TenancyService.create({
          auth,
          httpAuth,
          userInfo,
          permissions,
          apiTokens,
          tenantStatus: new CachedTenantStatus({ registry: store.registry }),
        });
        const { publisher } = startAkiliEvents({
          akiliEvents,
          logger,
          lifecycle,
          events,
          db,
        });
        await seedTenants({ store, seed: tenantsConfig.seed, logger });
        // Before every router: each request of the plugin is measured.
        httpRouter.use(akiliHttpMetrics('akili'));
        // The plugin's routers, mounted in order inside its one router, which reads the bodies
        // and validates each request against src/schema/openapi.yaml first.
        const routers: express.Router[] = [];
        // First: its member tracking sees every request that reaches the routes.
        routers.push(
          await createTenantsRouter({
            httpAuth,
            tenancy,
            logger,
            store,
            groupPattern: tenantsConfig.groupPattern,
            deadLetters: {
              store: new DeadLetterStore({ db }),
              publisher,
            },
          }),
        );
        routers.push(
          createManifestsRouter({ logger, catalog, tenancy, manifestParser }),
        );
        // The product registry: manifests submitted to a tenant, diffed, versioned.
        const products = new ProductStore({ db, outbox: akiliEvents.outbox });
        routers.push(
          createProductsRouter({
            httpAuth,
            tenantNames: async () => (await store.listAll()).map(t => t.name),
            logger,
            catalog,
            tenancy,
            manifestParser,
            store: products,
            // The lake backend's agreements in force, read with this plugin's own token on
            // every submission that reads another tenant's product (submissions are rare, and
            // one right after an approval must see it: no cache).
            agreements: new LakeAgreementsClient({
              discovery,
              auth,
              cacheMs: 0,
              logger: logger.child({ component: 'agreements' }),
            }),
          }),
        );
        // Deployments: the product's GitLab pipeline, triggered and followed to its end.
        const deployments = new DeploymentStore({
          db,
          outbox: akiliEvents.outbox,
        });
        const tracker = new DeploymentTracker({
          store: deployments,
          logger: logger.child({ component: 'deployments' }),
          schedule: {
            initialDelayMs: config.getOptionalNumber(
              'akili.deployments.pollIntervalMs',
            ),
            maxDurationMs: config.getOptionalNumber(
              'akili.deployments.followForMs',
            ),
          },
        });
        lifecycle.addShutdownHook(() => tracker.stop());
        const gitlabDeploy = readGitlabDeployConfig(config);
        routers.push(
          createDeploymentsRouter({
            logger,
            tenancy,
            products,
            store: deployments,
            tracker,
            gitlab: gitlabDeploy,
          }),
        );
        // Whether a new product may take a name: registry, catalog (as the caller) and GitLab.
        routers.push(
          createProductNamesRouter({
            logger,
            tenancy,
            products,
            catalog,
            ...(typeof gitlabDeploy !== 'string'
              ? { gitlab: new GitlabPipelines(gitlabDeploy) }
              : {}),
          }),
        );
        // What was followed when a backend last stopped is followed again (ends recorded once).
        if (typeof gitlabDeploy !== 'string') {
          lifecycle.addStartupHook(() => {
            store
              .listAll()
              .then(tenants =>
                tracker.resume(
                  new GitlabPipelines(gitlabDeploy),
                  tenants.map(t => t.name),
                ),
              )
              .catch(error =>
                logger.error('Could not follow deployments again', error),
              );
          });
        }
        // Merge-request reviews: GitLab's webhook, answered with the consumer impact as a note
        // (its secret authenticates it, not Backstage).
        httpRouter.addAuthPolicy({
          path: GITLAB_WEBHOOK_PATH,
          allow: 'unauthenticated',
        });
        routers.push(
          createGitlabReviewRouter({
            config,
            logger,
            auth,
            catalog,
            products,
            manifestParser,
            tenantNames: async () => (await store.listAll()).map(t => t.name),
          }),
        );
        // API tokens of the tenants: issued and revoked by their operators, hashes only.
        routers.push(
          createApiTokensRouter({
            httpAuth,
            tenancy,
            logger,
            store: new ApiTokenStore({ db, audit: store.auditIn.bind(store) }),
            config: readAkiliApiTokensConfig(config),
          }),
        );
        httpRouter.use(await createRouter(routers));
      },
    });
  },
});
