import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import StorageIcon from '@material-ui/icons/Storage';
import { StarrocksQueryClient, starrocksQueryApiRef } from './api';
import { queryRouteRef } from './routes';

export { queryRouteRef };

/** `api:starrocks/query`: the query API of the starrocks backend. */
export const starrocksQueryApi = ApiBlueprint.make({
  name: 'query',
  params: defineParams =>
    defineParams({
      api: starrocksQueryApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new StarrocksQueryClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * `page:starrocks`: the SQL workbench at `/query`; with a title and icon it is also a sidebar
 * item (the new frontend system makes nav items from pages).
 */
export const queryPage = PageBlueprint.make({
  params: {
    path: '/query',
    title: 'Query',
    icon: <StorageIcon fontSize="inherit" />,
    routeRef: queryRouteRef,
    loader: () => import('./components/QueryPage').then(m => <m.QueryPage />),
  },
});

/** `entity-content:starrocks/query`: the Query tab of DataProduct entities. */
export const dataProductQueryContent = EntityContentBlueprint.make({
  name: 'query',
  params: {
    path: 'query',
    title: 'Query',
    filter: { kind: 'dataproduct' },
    loader: () =>
      import('./components/QueryContent').then(m => <m.QueryContent />),
  },
});

/**
 * The Akili query frontend plugin: the SQL workbench page over a tenant's data products and the
 * Query tab of each data product.
 *
 * @public
 */
export const starrocksPlugin = createFrontendPlugin({
  pluginId: 'starrocks',
  title: 'Query',
  icon: <StorageIcon fontSize="inherit" />,
  routes: { root: queryRouteRef },
  extensions: [starrocksQueryApi, queryPage, dataProductQueryContent],
});
