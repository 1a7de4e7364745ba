import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import type { Entity } from '@backstage/catalog-model';
import StorageIcon from '@material-ui/icons/Storage';
import VerifiedUserIcon from '@material-ui/icons/VerifiedUserOutlined';
import { LakeClient, lakeApiRef } from './api';
import { crossTenantInputs } from './components/agreements/lib';
import { hasFilePorts } from './lib/entity';
import { agreementsRouteRef, storageRouteRef } from './routes';

export { agreementsRouteRef, storageRouteRef };

const isDataProduct = (entity: Entity) =>
  entity.kind.toLocaleLowerCase('en-US') === 'dataproduct';

/** `api:lake`: the lake backend's API (files, storage, access agreements). */
export const lakeApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: lakeApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new LakeClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * `page:lake/storage`: the operators' Storage page at `/lake/storage`. With a title and an icon
 * it is also the sidebar item (next to Platform health).
 */
export const storagePage = PageBlueprint.make({
  name: 'storage',
  params: {
    path: '/lake/storage',
    title: 'Storage',
    icon: <StorageIcon fontSize="inherit" />,
    routeRef: storageRouteRef,
    loader: () =>
      import('./components/StoragePage').then(m => <m.StoragePage />),
  },
});

/**
 * `entity-content:lake/files`: the Files tab of DataProduct entities with a `files` output port
 * (an S3 location).
 */
export const dataProductFilesContent = EntityContentBlueprint.make({
  name: 'files',
  params: {
    path: 'files',
    title: 'Files',
    filter: hasFilePorts,
    loader: () =>
      import('./components/FilesContent').then(m => <m.FilesContent />),
  },
});

/**
 * `page:lake/agreements`: the access agreements of the user's tenants at `/lake/agreements`
 * (requests to decide, agreements in force); also a sidebar item.
 */
export const agreementsPage = PageBlueprint.make({
  name: 'agreements',
  params: {
    path: '/lake/agreements',
    title: 'Access agreements',
    icon: <VerifiedUserIcon fontSize="inherit" />,
    routeRef: agreementsRouteRef,
    loader: () =>
      import('./components/agreements').then(m => <m.AccessAgreementsPage />),
  },
});

/** `entity-content:lake/access`: the Access tab of DataProduct entities (agreements per port). */
export const dataProductAccessContent = EntityContentBlueprint.make({
  name: 'access',
  params: {
    path: 'access',
    title: 'Access',
    filter: isDataProduct,
    loader: () =>
      import('./components/agreements').then(m => <m.ProductAccessCard />),
  },
});

/**
 * `entity-card:lake/input-access`: on a DataProduct's overview, whether its inputs from other
 * tenants have an agreement in force (only products with such inputs).
 */
export const dataProductInputAccessCard = EntityCardBlueprint.make({
  name: 'input-access',
  params: {
    filter: (entity: Entity) =>
      isDataProduct(entity) && crossTenantInputs(entity).length > 0,
    loader: () =>
      import('./components/agreements').then(m => <m.InputPortAccessCard />),
  },
});

/**
 * The Akili lake frontend plugin: the Files tab of data products (folders, masked previews,
 * audited downloads), the operators' Storage page, and access agreements between tenants (the
 * Access tab, the overview card of inputs from other tenants, the agreements page).
 *
 * @public
 */
export const lakePlugin = createFrontendPlugin({
  pluginId: 'lake',
  title: 'Lake',
  icon: <StorageIcon fontSize="inherit" />,
  routes: { storage: storageRouteRef, agreements: agreementsRouteRef },
  extensions: [
    lakeApi,
    storagePage,
    agreementsPage,
    dataProductFilesContent,
    dataProductAccessContent,
    dataProductInputAccessCard,
  ],
});
