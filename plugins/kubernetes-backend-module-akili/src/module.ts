import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { tenancyServiceRef } from '@akili/plugin-akili-node';
import { Config } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  KubernetesClustersSupplier,
  kubernetesFetcherExtensionPoint,
  kubernetesObjectsProviderExtensionPoint,
} from '@backstage/plugin-kubernetes-node';
import { createPodLogsRouter } from './podLogs/router';
import { NamespacedFetcher } from './NamespacedFetcher';
import { TenantBoundObjectsProvider } from './TenantBoundObjectsProvider';
import { TenantNamespaces } from './TenantNamespaces';

/**
 * Clusters come from configuration only. With the `catalog` cluster locator, any Resource entity
 * of type `kubernetes-cluster` becomes a cluster of the portal: a tenant could register one in
 * its own namespace and point the portal (and its service account credentials) at any address.
 */
export function assertNoCatalogClusters(config: Config) {
  const methods = config.getOptionalConfigArray(
    'kubernetes.clusterLocatorMethods',
  );
  if (methods?.some(m => m.getOptionalString('type') === 'catalog')) {
    throw new Error(
      "kubernetes.clusterLocatorMethods must not use type 'catalog' with Akili: tenants could register clusters through catalog entities",
    );
  }
}

/**
 * Binds Kubernetes namespaces to tenants (`akili.tenancy.kubernetes`): an entity's workloads
 * are read only for users of its tenant and only from the tenant's namespaces, never across
 * the cluster.
 *
 * @public
 */
export const kubernetesModuleAkili = createBackendModule({
  pluginId: 'kubernetes',
  moduleId: 'akili-tenancy',
  register(reg) {
    reg.registerInit({
      deps: {
        objectsProviders: kubernetesObjectsProviderExtensionPoint,
        fetchers: kubernetesFetcherExtensionPoint,
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        tenancy: tenancyServiceRef,
        catalog: catalogServiceRef,
      },
      async init({
        objectsProviders,
        fetchers,
        config,
        auth,
        userInfo,
        httpRouter,
        logger,
        tenancy,
        catalog,
      }) {
        // Read (and checked) at start-up: a misconfiguration stops the backend.
        const namespaces = TenantNamespaces.fromConfig(config);
        assertNoCatalogClusters(config);
        fetchers.addFetcher(
          async ({ getDefault }) => new NamespacedFetcher(await getDefault()),
        );
        // The clusters the Kubernetes backend reads (from configuration only, see above), as it
        // hands them to the objects provider when it starts.
        let supplyClusters!: (supplier: KubernetesClustersSupplier) => void;
        const clusters = new Promise<KubernetesClustersSupplier>(resolve => {
          supplyClusters = resolve;
        });
        objectsProviders.addObjectsProvider(
          async ({ getDefault, clusterSupplier, customResources }) => {
            supplyClusters(clusterSupplier);
            return new TenantBoundObjectsProvider({
              stock: await getDefault(),
              namespaces,
              auth,
              userInfo,
              clusterSupplier,
              customResources,
            });
          },
        );
        httpRouter.use(
          createPodLogsRouter({
            tenancy,
            catalog,
            namespaces,
            clusterSupplier: () => clusters,
            logger,
          }),
        );
      },
    });
  },
});
