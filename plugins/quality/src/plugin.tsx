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
import AssessmentIcon from '@material-ui/icons/Assessment';
import ReportProblemIcon from '@material-ui/icons/ReportProblemOutlined';
import { QualityClient, qualityApiRef } from './api';
import {
  dashboardRouteRef,
  incidentRouteRef,
  incidentsRouteRef,
} from './routes';

export { dashboardRouteRef, incidentRouteRef, incidentsRouteRef };

/** `api:quality`: the quality backend's API. */
export const qualityApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: qualityApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new QualityClient({ discoveryApi, fetchApi }),
    }),
});

/** `page:quality`: the tenant quality dashboard at `/quality`; also a sidebar item. */
export const dashboardPage = PageBlueprint.make({
  params: {
    path: '/quality',
    title: 'Quality',
    icon: <AssessmentIcon fontSize="inherit" />,
    routeRef: dashboardRouteRef,
    loader: () =>
      import('./components/DashboardPage').then(m => <m.DashboardPage />),
  },
});

/** `page:quality/incidents`: the operators' incident queue at `/incidents`; a sidebar item. */
export const incidentsPage = PageBlueprint.make({
  name: 'incidents',
  params: {
    path: '/incidents',
    title: 'Incidents',
    icon: <ReportProblemIcon fontSize="inherit" />,
    routeRef: incidentsRouteRef,
    loader: () =>
      import('./components/IncidentsPage').then(m => <m.IncidentsPage />),
  },
});

/** `page:quality/incident`: one incident at `/incidents/:tenant/:incidentId`. */
export const incidentPage = PageBlueprint.make({
  name: 'incident',
  params: {
    path: '/incidents/:tenant/:incidentId',
    routeRef: incidentRouteRef,
    loader: () =>
      import('./components/IncidentsPage').then(m => <m.IncidentPage />),
  },
});

const dataProductFilter = { kind: 'dataproduct' };

/** `entity-content:quality/quality`: the Quality tab of DataProduct entities. */
export const dataProductQualityContent = EntityContentBlueprint.make({
  name: 'quality',
  params: {
    path: 'quality',
    title: 'Quality',
    filter: dataProductFilter,
    loader: () =>
      import('./components/QualityContent').then(m => <m.QualityContent />),
  },
});

/** `entity-card:quality/summary`: score, status, coverage and freshness on the overview. */
export const dataProductQualityCard = EntityCardBlueprint.make({
  name: 'summary',
  params: {
    filter: dataProductFilter,
    type: 'content',
    loader: () =>
      import('./components/QualityCard').then(m => <m.QualityCard />),
  },
});

/**
 * The Akili quality frontend plugin: the Quality tab and card of data products, the operators'
 * incident queue and incident pages, and the tenant quality dashboard.
 *
 * @public
 */
export const qualityPlugin = createFrontendPlugin({
  pluginId: 'quality',
  title: 'Quality',
  icon: <AssessmentIcon fontSize="inherit" />,
  routes: {
    root: dashboardRouteRef,
    incidents: incidentsRouteRef,
    incident: incidentRouteRef,
  },
  extensions: [
    qualityApi,
    dashboardPage,
    incidentsPage,
    incidentPage,
    dataProductQualityContent,
    dataProductQualityCard,
  ],
});
