import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import StorageIcon from '@material-ui/icons/Storage';
import { LakeClient, lakeApiRef } from './api';
import { hasFilePorts } from './lib/entity';
import { storageRouteRef } from './routes';

export { storageRouteRef };

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
 * The Akili lake frontend plugin: the Files tab of data products (folders, masked previews,
 * audited downloads) and the operators' Storage page.
 *
 * @public
 */
export const lakePlugin = createFrontendPlugin({
  pluginId: 'lake',
  title: 'Lake',
  icon: <StorageIcon fontSize="inherit" />,
  routes: { storage: storageRouteRef },
  extensions: [lakeApi, storagePage, dataProductFilesContent],
});
