import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import HealthIcon from '@material-ui/icons/LocalHospitalOutlined';
import { PlatformHealthClient, platformHealthApiRef } from './api';
import { platformHealthRouteRef } from './routes';

export { platformHealthRouteRef };

/** `api:platform-health`: the platform health backend's API. */
export const platformHealthApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: platformHealthApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new PlatformHealthClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * `page:platform-health`: the Platform health page at `/platform-health`. With a title and an
 * icon it is also the sidebar item (this release has no separate NavItemBlueprint).
 */
export const platformHealthPage = PageBlueprint.make({
  params: {
    path: '/platform-health',
    title: 'Platform health',
    icon: <HealthIcon fontSize="inherit" />,
    routeRef: platformHealthRouteRef,
    loader: () =>
      import('./components/PlatformHealthPage').then(m => (
        <m.PlatformHealthPage />
      )),
  },
});

/**
 * The Akili platform health frontend plugin: the operators' Platform health page.
 *
 * @public
 */
export const platformHealthPlugin = createFrontendPlugin({
  pluginId: 'platform-health',
  title: 'Platform health',
  icon: <HealthIcon fontSize="inherit" />,
  routes: { root: platformHealthRouteRef },
  extensions: [platformHealthApi, platformHealthPage],
});
