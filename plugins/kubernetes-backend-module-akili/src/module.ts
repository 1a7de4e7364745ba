import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  kubernetesFetcherExtensionPoint,
  kubernetesObjectsProviderExtensionPoint,
} from '@backstage/plugin-kubernetes-node';
import { NamespacedFetcher } from './NamespacedFetcher';
import { TenantBoundObjectsProvider } from './TenantBoundObjectsProvider';
import { TenantNamespaces } from './TenantNamespaces';

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
      },
      async init({ objectsProviders, fetchers, config, auth, userInfo }) {
        // Read (and checked) at start-up: a misconfiguration stops the backend.
        const namespaces = TenantNamespaces.fromConfig(config);
        fetchers.addFetcher(
          async ({ getDefault }) => new NamespacedFetcher(await getDefault()),
        );
        objectsProviders.addObjectsProvider(
          async ({ getDefault, clusterSupplier, customResources }) =>
            new TenantBoundObjectsProvider({
              stock: await getDefault(),
              namespaces,
              auth,
              userInfo,
              clusterSupplier,
              customResources,
            }),
        );
      },
    });
  },
});
