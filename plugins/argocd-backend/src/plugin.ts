import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  akiliTenantDatabaseServiceRef,
  tenancyServiceRef,
} from '@akili/plugin-akili-node';
import { argocdPermissions } from '@akili/plugin-argocd-common';
import { TenantNamespaces } from '@akili/plugin-kubernetes-backend-module-akili';
import { ArgoCdClient, readArgoCdClientConfig } from './client/ArgoCdClient';
import { DeploymentService, TenantProjects } from './service/DeploymentService';
import {
  ARGOCD_MIGRATIONS_DIRECTORY,
  SyncAuditStore,
} from './service/SyncAuditStore';
import { createRouter } from './service/router';

/**
 * The ArgoCD deployment of data products, tenant-scoped: a product's Application (found in its
 * tenant's project and namespace only), its resources, drift and history, and audited syncs for
 * the tenant's operators. Without `argocd.baseUrl` the plugin starts and the routes answer
 * `not-configured`.
 */
export const argocdPlugin = createBackendPlugin({
  pluginId: 'argocd',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: akiliTenantDatabaseServiceRef,
        httpRouter: coreServices.httpRouter,
        permissionsRegistry: coreServices.permissionsRegistry,
        logger: coreServices.logger,
        catalog: catalogServiceRef,
        tenancy: tenancyServiceRef,
      },
      async init({
        config,
        database,
        httpRouter,
        permissionsRegistry,
        logger,
        catalog,
        tenancy,
      }) {
        permissionsRegistry.addPermissions(argocdPermissions);
        const clientConfig = readArgoCdClientConfig(config);
        const client = new ArgoCdClient(clientConfig, { logger });
        // Read at start, so a bad pattern stops the backend with the key named.
        const projects = TenantProjects.fromConfig(config);
        const namespaces = TenantNamespaces.fromConfig(config);
        const db = await database.open({
          migrationsDirectory: ARGOCD_MIGRATIONS_DIRECTORY,
        });
        const audit = new SyncAuditStore(db);
        if (clientConfig) {
          logger.info('ArgoCD deployments', {
            baseUrl: clientConfig.baseUrl,
            timeoutMs: clientConfig.timeoutMs,
          });
        } else {
          logger.info(
            'ArgoCD is not configured (argocd.baseUrl): the deployment routes answer not-configured',
          );
        }
        const deployments = new DeploymentService({
          client,
          catalog,
          tenancy,
          audit,
          projects,
          namespaces,
          logger,
        });
        httpRouter.use(await createRouter({ deployments }));
      },
    });
  },
});
