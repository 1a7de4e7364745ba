import { invokeCases } from './actions';
import { RouteEntry, json } from './types';

const publicKeys = {
  status: 200,
  why: "the plugin's public keys for service-to-service tokens",
};

/**
 * Routes the framework mounts in plugins (httpRouter, permissions registry, actions registry,
 * scheduler), for every plugin: `/api/:plugin/...` stands for each plugin id. An entry for one
 * plugin's route (e.g. `POST /api/catalog/.backstage/actions/v1/actions/:actionId/invoke`)
 * takes precedence.
 */
export const FRAMEWORK_ROUTES: Record<string, RouteEntry> = {
  'GET /api/:plugin/.backstage/auth/v1/jwks.json': {
    own: 200,
    anonymous: publicKeys,
  },
  'GET /api/:plugin/.backstage/auth/v1/cookie': { own: 200 },
  'DELETE /api/:plugin/.backstage/auth/v1/cookie': { own: 204 },
  'GET /api/:plugin/.well-known/backstage/permissions/metadata': { own: 200 },
  'POST /api/:plugin/.well-known/backstage/permissions/apply-conditions': {
    body: t =>
      json({
        items: [
          {
            id: '1',
            resourceRef: `dataproduct:${t.tenant}/${t.product}`,
            resourceType: 'catalog-entity',
            conditions: {
              rule: 'HAS_METADATA',
              resourceType: 'catalog-entity',
              params: { key: 'namespace', value: t.tenant },
            },
          },
        ],
      }),
    own: 403,
    why: 'for the permission backend: service principals only',
    missingStatus: {
      status: 400,
      why: 'service principals (an API token is one) pass, and a plugin without catalog entities answers "Unexpected resource types"',
    },
  },
  'USE /api/:plugin/.well-known/backstage/permissions/apply-conditions <anonymous>':
    {
      passThrough:
        'refuses user principals (403) in front of POST .../apply-conditions, whose case covers it',
    },
  'GET /api/:plugin/.backstage/actions/v1/actions': { own: 200 },
  'POST /api/:plugin/.backstage/actions/v1/actions/:actionId/invoke': {
    cases: invokeCases('', 1).filter(c => c.name === 'no-such-action'),
  },
  'POST /api/:plugin/.backstage/actions/v2/actions/:actionId/invoke': {
    cases: invokeCases('', 2).filter(c => c.name === 'no-such-action'),
  },
  'USE /api/:plugin/.backstage/scheduler guardSchedulerRoutes': {
    passThrough:
      "the Akili scheduler's guard (platform admins and backend plugins) in front of the task routes, whose cases cover it",
  },
  'GET /api/:plugin/.backstage/scheduler/v1/tasks': {
    own: 403,
    why: "a plugin's scheduled tasks are operated by platform admins",
  },
  'POST /api/:plugin/.backstage/scheduler/v1/tasks/:id/trigger': {
    params: () => ({ id: 'no-such-task' }),
    own: 403,
    why: "a plugin's scheduled tasks are operated by platform admins",
  },
  'POST /api/:plugin/.backstage/scheduler/v1/tasks/:id/cancel': {
    params: () => ({ id: 'no-such-task' }),
    own: 403,
    why: "a plugin's scheduled tasks are operated by platform admins",
  },

  // The root: health, and the app plugin again as the index (every path outside /api).
  'GET /.backstage/health/v1/readiness': {
    own: 200,
    anonymous: { status: 200, why: 'readiness probe of the deployment' },
  },
  'GET /.backstage/health/v1/liveness': {
    own: 200,
    anonymous: { status: 200, why: 'liveness probe of the deployment' },
  },
  'USE /api <anonymous>': {
    passThrough:
      'the root router: requests under /api skip the index (the app)',
  },
  'GET /.backstage/auth/v1/jwks.json': { own: 200, anonymous: publicKeys },
  'GET /.backstage/auth/v1/cookie': { own: 200 },
  'USE / <anonymous>': {
    cases: [
      {
        name: 'not found',
        method: 'GET',
        path: '/api/no-such-plugin/anything',
        own: 404,
        anonymous: {
          status: 404,
          why: 'the root "not found" handler, for paths under /api no plugin mounts',
        },
      },
    ],
  },
  'USE /static serveStatic': {
    method: 'GET',
    path: '/static/main.js',
    own: 200,
    anonymous: { status: 200, why: "the frontend's static assets are public" },
  },
  'USE /static <anonymous>': {
    method: 'GET',
    path: '/static/no-such-asset.js',
    own: 404,
    anonymous: { status: 404, why: 'a missing static asset' },
  },
  'USE / serveStatic': {
    method: 'GET',
    path: '/manifest.json',
    own: 200,
    anonymous: { status: 200, why: "the frontend's public files" },
  },
  'GET /*': {
    path: '/catalog/:namespace/dataproduct/:name',
    params: t => ({ namespace: t.tenant, name: t.product }),
    own: 200,
    anonymous: {
      status: 200,
      why: "the frontend's index page, for every path of the single-page app",
    },
  },
};

/**
 * The framework routes of a plugin that lets every request through without credentials (an
 * auth policy `allow: unauthenticated` for `/`): the status each gives without them.
 */
function publicPluginRoutes(
  pluginId: string,
  why: string,
  statuses: Record<string, number>,
): Record<string, RouteEntry> {
  return Object.fromEntries(
    Object.entries(statuses).map(([templateKey, status]) => {
      const entry = FRAMEWORK_ROUTES[templateKey];
      if (!entry || !('own' in entry || 'cases' in entry)) {
        throw new Error(`No framework route ${templateKey}`);
      }
      const key = templateKey.replace('/api/:plugin/', `/api/${pluginId}/`);
      const anonymous = { status, why };
      return [
        key,
        'cases' in entry
          ? { cases: entry.cases.map(c => ({ ...c, anonymous })) }
          : { ...entry, anonymous },
      ];
    }),
  );
}

const COOKIE_DELETE = 'DELETE /api/:plugin/.backstage/auth/v1/cookie';

/**
 * The framework routes of the plugins that let every request through: app (the frontend),
 * auth (sign-in) and signals (the websocket authenticates itself). Signing out of the cookie
 * and listing the (no) permissions and actions of the auth plugin need no credentials.
 */
export const PUBLIC_PLUGIN_ROUTES: Record<string, RouteEntry> = {
  ...publicPluginRoutes(
    'app',
    'the app plugin serves the frontend to everyone',
    {
      [COOKIE_DELETE]: 204,
    },
  ),
  ...publicPluginRoutes(
    'signals',
    'the signals plugin lets every request through',
    {
      [COOKIE_DELETE]: 204,
    },
  ),
  ...publicPluginRoutes(
    'auth',
    'the auth plugin lets every request through (sign-in)',
    {
      [COOKIE_DELETE]: 204,
      'GET /api/:plugin/.well-known/backstage/permissions/metadata': 200,
      'GET /api/:plugin/.backstage/actions/v1/actions': 200,
      'POST /api/:plugin/.backstage/actions/v1/actions/:actionId/invoke': 403,
      'POST /api/:plugin/.backstage/actions/v2/actions/:actionId/invoke': 403,
    },
  ),
  'DELETE /.backstage/auth/v1/cookie': {
    own: 204,
    anonymous: {
      status: 204,
      why: 'the app plugin (the index) serves the frontend to everyone',
    },
  },
};
