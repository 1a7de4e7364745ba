import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import PlayCircleOutlineIcon from '@material-ui/icons/PlayCircleOutline';
import { DagsterRunsClient, dagsterRunsApiRef } from './api';
import { runRouteRef, runsRouteRef } from './routes';

export { runRouteRef, runsRouteRef };

/** `api:dagster/runs`: the runs API of the dagster backend. */
export const dagsterRunsApi = ApiBlueprint.make({
  name: 'runs',
  params: defineParams =>
    defineParams({
      api: dagsterRunsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DagsterRunsClient({ discoveryApi, fetchApi }),
    }),
});

/** `page:dagster`: all runs of a tenant at `/runs`, for its operators; also a sidebar item. */
export const runsPage = PageBlueprint.make({
  params: {
    path: '/runs',
    title: 'Runs',
    icon: <PlayCircleOutlineIcon fontSize="inherit" />,
    routeRef: runsRouteRef,
    loader: () =>
      import('./components/OperatorRunsPage').then(m => <m.OperatorRunsPage />),
  },
});

/**
 * `page:dagster/run`: one run at `/runs/:runId`, linked from the Runs tab and the runs page.
 * Its route has a parameter, so it never becomes a sidebar item.
 */
export const runPage = PageBlueprint.make({
  name: 'run',
  params: {
    path: '/runs/:runId',
    routeRef: runRouteRef,
    loader: () => import('./components/RunPage').then(m => <m.RunPage />),
  },
});

/** `entity-content:dagster/runs`: the Runs tab of DataProduct entities. */
export const dataProductRunsContent = EntityContentBlueprint.make({
  name: 'runs',
  params: {
    path: 'runs',
    title: 'Runs',
    filter: { kind: 'dataproduct' },
    loader: () =>
      import('./components/RunsContent').then(m => <m.RunsContent />),
  },
});

/**
 * The Akili runs frontend plugin: Dagster runs of data products (the Runs tab), run pages with
 * steps and logs, and the operators' page of all runs of a tenant.
 *
 * @public
 */
export const dagsterPlugin = createFrontendPlugin({
  pluginId: 'dagster',
  title: 'Runs',
  icon: <PlayCircleOutlineIcon fontSize="inherit" />,
  routes: {
    root: runsRouteRef,
    run: runRouteRef,
  },
  extensions: [dagsterRunsApi, runsPage, runPage, dataProductRunsContent],
});
