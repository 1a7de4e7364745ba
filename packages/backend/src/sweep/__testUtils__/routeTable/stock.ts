import { SweepFixture } from '../fixtures';
import { SWEEP_CLUSTER } from '../peers';
import { SWEEP_GITLAB_WEBHOOK_SECRET } from '../sweepBackend';
import { mcpCases } from './actions';
import { RouteEntry, json } from './types';

const productRef = (t: SweepFixture) => `dataproduct:${t.tenant}/${t.product}`;
const proxyCase = () => ({
  'Backstage-Kubernetes-Cluster': SWEEP_CLUSTER,
});
const entityRefMissing = {
  status: 400,
  why: 'the kubernetes backend answers an entity the caller cannot see with InputError ("Entity ref missing")',
};
const fullText =
  'a full-text query: other words find other documents, so only leaks are checked';
const guestOff =
  'the guest provider refuses outside development (NODE_ENV), as in production';

/** The consent page's approve and reject of an authorization session that does not exist. */
const noAuthorizationSession = {
  params: () => ({ sessionId: '00000000-0000-4000-8000-000000000000' }),
  own: 400,
  why: 'no such authorization session',
  anonymous: {
    status: 403,
    why: 'refused without a user token: the OpenID provider answers access_denied (403), not 401',
  },
};

/** The kubernetes plugin's routes (@backstage/plugin-kubernetes-backend). */
export const KUBERNETES_ROUTES: Record<string, RouteEntry> = {
  'GET /api/kubernetes/clusters': { own: 200 },
  // Akili's tenant-bound pod logs (kubernetes-backend-module-akili).
  'GET /api/kubernetes/akili/v1/entities/:kind/:namespace/:name/pods/:podNamespace/:pod/logs':
    {
      params: t => ({
        kind: 'dataproduct',
        namespace: t.tenant,
        name: t.product,
        podNamespace: t.kubeNamespace,
        pod: `${t.product}-0`,
      }),
      query: () => ({ cluster: SWEEP_CLUSTER }),
      own: 200,
    },
  'POST /api/kubernetes/services/:serviceId': {
    params: t => ({ serviceId: t.product }),
    body: t =>
      json({
        entity: {
          apiVersion: 'akili.io/v1alpha1',
          kind: 'DataProduct',
          metadata: { name: t.product, namespace: t.tenant },
        },
      }),
    own: 200,
  },
  'POST /api/kubernetes/resources/workloads/query': {
    cases: [
      {
        name: 'a product',
        body: t => json({ entityRef: productRef(t), auth: {} }),
        own: 200,
        missingStatus: entityRefMissing,
      },
      {
        name: "an annotation naming the other tenant's namespace",
        body: t =>
          json({
            entityRef: `component:${t.tenant}/${t.componentName}`,
            auth: {},
          }),
        own: 403,
        why: "the component's backstage.io/kubernetes-namespace names the other tenant's namespace",
        missingStatus: entityRefMissing,
      },
    ],
  },
  'POST /api/kubernetes/resources/custom/query': {
    body: t =>
      json({
        entityRef: productRef(t),
        auth: {},
        customResources: [
          { group: 'apps', apiVersion: 'v1', plural: 'deployments' },
        ],
      }),
    own: 403,
    why: 'custom resources are read only when configured (none are)',
    missingStatus: entityRefMissing,
  },
  'USE /api/kubernetes/proxy <anonymous>': {
    cases: [
      {
        name: "the tenant's pods",
        method: 'GET',
        path: '/api/kubernetes/proxy/api/v1/namespaces/:namespace/pods',
        params: t => ({ namespace: t.kubeNamespace }),
        headers: proxyCase,
        own: 403,
        why: 'the Kubernetes proxy is for platform admins',
      },
      {
        name: 'every namespace',
        method: 'GET',
        path: '/api/kubernetes/proxy/api/v1/pods',
        headers: proxyCase,
        own: 403,
        why: 'the Kubernetes proxy is for platform admins',
      },
    ],
  },
};

/**
 * The proxy endpoints (`proxy.endpoints` of app-config.yaml and app-config.production.yaml)
 * the cases of `USE /api/proxy <anonymous>` call: none today. The sweep fails on a configured
 * endpoint missing here.
 */
export const PROXY_ENDPOINTS: string[] = [];

/** The other stock plugins' routes. */
export const STOCK_ROUTES: Record<string, RouteEntry> = {
  // app: the built frontend (a stand-in dist, see sweepBackend.ts)
  'USE /api/app/static serveStatic': {
    method: 'GET',
    path: '/api/app/static/main.js',
    own: 200,
    anonymous: { status: 200, why: "the frontend's static assets are public" },
  },
  'USE /api/app/static <anonymous>': {
    method: 'GET',
    path: '/api/app/static/no-such-asset.js',
    own: 404,
    anonymous: { status: 404, why: 'a missing static asset' },
  },
  'USE /api/app <anonymous>': {
    passThrough:
      "the app's index router: passes `/` and `/index.html` on to the index page route",
  },
  'USE /api/app serveStatic': {
    method: 'GET',
    path: '/api/app/manifest.json',
    own: 200,
    anonymous: { status: 200, why: "the frontend's public files" },
  },
  'GET /api/app/*': {
    path: '/api/app/catalog/:namespace/dataproduct/:name',
    params: t => ({ namespace: t.tenant, name: t.product }),
    own: 200,
    anonymous: {
      status: 200,
      why: "the frontend's index page, for every path of the single-page app",
    },
  },

  // proxy: its endpoints hide behind one dispatching handler, so the sweep reads them from
  // the configuration: each needs a case here (see PROXY_ENDPOINTS)
  'USE /api/proxy <anonymous>': {
    method: 'GET',
    path: '/api/proxy/no-such-endpoint',
    own: 404,
    why: 'no proxy endpoints are configured',
  },

  // auth: the sign-in providers and the OpenID provider of the auth backend
  'GET /api/auth/sweep/start': { standIn: "the sweep's sign-in provider" },
  'GET /api/auth/sweep/handler/frame': {
    standIn: "the sweep's sign-in provider",
  },
  'POST /api/auth/sweep/handler/frame': {
    standIn: "the sweep's sign-in provider",
  },
  'GET /api/auth/sweep/refresh': { standIn: "the sweep's sign-in provider" },
  'POST /api/auth/sweep/refresh': { standIn: "the sweep's sign-in provider" },
  'GET /api/auth/guest/start': {
    own: 501,
    why: guestOff,
    anonymous: { status: 501, why: guestOff },
  },
  'GET /api/auth/guest/handler/frame': {
    own: 501,
    why: guestOff,
    anonymous: { status: 501, why: guestOff },
  },
  'POST /api/auth/guest/handler/frame': {
    own: 501,
    why: guestOff,
    anonymous: { status: 501, why: guestOff },
  },
  'GET /api/auth/guest/refresh': {
    own: 403,
    why: guestOff,
    anonymous: { status: 403, why: guestOff },
  },
  'POST /api/auth/guest/refresh': {
    own: 403,
    why: guestOff,
    anonymous: { status: 403, why: guestOff },
  },
  'GET /api/auth/oidc/start': {
    query: () => ({ env: 'development' }),
    own: 302,
    anonymous: { status: 302, why: 'sign-in starts without credentials' },
  },
  'GET /api/auth/oidc/handler/frame': {
    query: () => ({ env: 'development' }),
    own: 200,
    why: 'without a sign-in in progress: a page that posts the error to the opener',
    anonymous: {
      status: 200,
      why: 'sign-in completes without credentials (here: an error page)',
    },
  },
  'POST /api/auth/oidc/handler/frame': {
    query: () => ({ env: 'development' }),
    own: 200,
    why: 'without a sign-in in progress: a page that posts the error to the opener',
    anonymous: {
      status: 200,
      why: 'sign-in completes without credentials (here: an error page)',
    },
  },
  'POST /api/auth/oidc/logout': {
    query: () => ({ env: 'development' }),
    headers: () => ({ 'x-requested-with': 'XMLHttpRequest' }),
    own: 200,
    anonymous: { status: 200, why: 'signing out needs no credentials' },
  },
  'GET /api/auth/oidc/refresh': {
    query: () => ({ env: 'development' }),
    headers: () => ({ 'x-requested-with': 'XMLHttpRequest' }),
    own: 401,
    why: 'no refresh cookie: the sweep signs in with its own provider',
    anonymous: {
      status: 401,
      why: 'a session is refreshed from its cookie (none here)',
    },
  },
  'POST /api/auth/oidc/refresh': {
    query: () => ({ env: 'development' }),
    headers: () => ({ 'x-requested-with': 'XMLHttpRequest' }),
    own: 401,
    why: 'no refresh cookie: the sweep signs in with its own provider',
    anonymous: {
      status: 401,
      why: 'a session is refreshed from its cookie (none here)',
    },
  },
  'GET /api/auth/.well-known/openid-configuration': {
    own: 200,
    anonymous: {
      status: 200,
      why: "the auth backend's OpenID discovery document is public",
    },
  },
  'GET /api/auth/.well-known/jwks.json': {
    own: 200,
    anonymous: {
      status: 200,
      why: 'the public keys user tokens are verified with',
    },
  },
  // The OpenID provider `akili login` signs in with (auth.clientIdMetadataDocuments, the
  // built-in CLI client only). The whole flow is tested in packages/cli/src/commands/login.test.ts.
  'GET /api/auth/.well-known/oauth-client/cli.json': {
    own: 200,
    anonymous: {
      status: 200,
      why: "the CLI client's metadata document is public: the auth backend reads it itself",
    },
  },
  'GET /api/auth/v1/authorize': {
    query: () => ({
      client_id: 'https://claude.ai/oauth/client.json',
      redirect_uri: 'http://127.0.0.1:8055/callback',
      response_type: 'code',
    }),
    own: 400,
    why: "a client other than the built-in CLI client is refused (allowedClientIdPatterns is empty); the CLI's own flow needs the browser's consent",
    anonymous: {
      status: 400,
      why: 'the browser is sent here before any sign-in; the client is refused first',
    },
  },
  'GET /api/auth/v1/sessions/:sessionId': {
    params: () => ({ sessionId: '00000000-0000-4000-8000-000000000000' }),
    own: 400,
    why: 'no such authorization session',
    anonymous: {
      status: 400,
      why: 'the consent page reads a pending session by its random id; none here',
    },
  },
  'POST /api/auth/v1/sessions/:sessionId/approve': noAuthorizationSession,
  'POST /api/auth/v1/sessions/:sessionId/reject': noAuthorizationSession,
  'POST /api/auth/v1/token': {
    body: () =>
      json({
        grant_type: 'authorization_code',
        code: 'no-such-code',
        redirect_uri: 'http://127.0.0.1:8055/callback',
        code_verifier: 'no-such-verifier',
      }),
    own: 400,
    why: 'no such authorization code',
    anonymous: {
      status: 400,
      why: 'the CLI is a public client: the code and its PKCE verifier are the credentials',
    },
  },
  'POST /api/auth/v1/revoke': {
    body: () => json({ token: 'no-such-token' }),
    own: 401,
    why: 'revocation authenticates the OAuth client (none named), not a user',
    anonymous: {
      status: 401,
      why: 'revocation authenticates the OAuth client (none named)',
    },
  },
  'GET /api/auth/v1/userinfo': { own: 200 },
  'USE /api/auth/:provider <anonymous>': {
    method: 'GET',
    path: '/api/auth/no-such-provider/start',
    own: 404,
    anonymous: { status: 404, why: 'an unknown sign-in provider' },
  },

  // permission
  'GET /api/permission/health': {
    own: 200,
    anonymous: { status: 200, why: 'health check' },
  },
  'POST /api/permission/authorize': {
    cases: [
      {
        name: 'read an entity',
        body: t =>
          json({
            items: [
              {
                id: '1',
                permission: {
                  type: 'resource',
                  name: 'catalog.entity.read',
                  attributes: { action: 'read' },
                  resourceType: 'catalog-entity',
                },
                resourceRef: productRef(t),
              },
            ],
          }),
        own: 200,
      },
      {
        name: 'a basic permission',
        body: () =>
          json({
            items: [
              {
                id: '1',
                permission: {
                  type: 'basic',
                  name: 'akili.runs.launch',
                  attributes: {},
                },
              },
            ],
          }),
        own: 200,
      },
    ],
  },

  // search
  'GET /api/search/openapi.json': { own: 200 },
  'GET /api/search/query': {
    cases: [
      {
        name: 'product',
        query: t => ({ term: t.product }),
        own: 200,
        leaksOnly: fullText,
      },
      {
        name: 'tenant',
        query: t => ({ term: t.tenant }),
        own: 200,
        leaksOnly: fullText,
      },
      {
        name: 'catalog',
        query: () => ({
          term: '',
          'types[0]': 'software-catalog',
          pageLimit: '100',
        }),
        own: 200,
      },
    ],
  },

  // events: GitLab's webhook (production configures its secret), and the bus for backend
  // plugins
  'POST /api/events/http/gitlab': {
    cases: [
      {
        name: 'without the webhook secret',
        body: t => json(t.pushEvent),
        headers: () => ({ 'x-gitlab-event': 'Push Hook' }),
        own: 403,
        why: "GitLab's webhook authenticates with its secret token, not a user's",
        anonymous: { status: 403, why: 'a push without the webhook secret' },
      },
      {
        name: 'with the webhook secret',
        body: t => json(t.pushEvent),
        headers: () => ({
          'x-gitlab-event': 'Push Hook',
          'x-gitlab-token': SWEEP_GITLAB_WEBHOOK_SECRET,
        }),
        own: 202,
        anonymous: {
          status: 202,
          why: "GitLab's webhook authenticates with its secret token",
        },
      },
    ],
  },
  'GET /api/events/openapi.json': { own: 200 },
  'POST /api/events/bus/v1/events': {
    body: t =>
      json({
        event: { topic: 'sweep', payload: { tenant: t.tenant } },
        notifiedSubscribers: [],
      }),
    own: 403,
    why: 'the events bus is for backend plugins (service principals)',
  },
  'GET /api/events/bus/v1/subscriptions/:subscriptionId/events': {
    params: () => ({ subscriptionId: 'akili.sweep' }),
    own: 403,
    why: 'the events bus is for backend plugins (service principals)',
  },
  'PUT /api/events/bus/v1/subscriptions/:subscriptionId': {
    params: () => ({ subscriptionId: 'akili.sweep' }),
    body: () => json({ topics: ['akili.product.registered'] }),
    own: 403,
    why: 'the events bus is for backend plugins (service principals)',
  },

  // signals: the websocket is swept in sweep.test.ts ("signals")
  'USE /api/signals upgradeMiddleware': {
    passThrough:
      'lets HTTP requests pass and installs the websocket upgrade handler, swept by the "signals" test',
  },
  'GET /api/signals/health': {
    own: 200,
    anonymous: {
      status: 200,
      why: 'the signals plugin lets every request through (the websocket authenticates itself)',
    },
  },

  // notifications: each user reads their own; sending is for backend plugins
  'GET /api/notifications/openapi.json': { own: 200 },
  'GET /api/notifications': { own: 200 },
  'GET /api/notifications/notifications': { own: 200 },
  'GET /api/notifications/status': { own: 200 },
  'GET /api/notifications/settings': { own: 200 },
  'POST /api/notifications/settings': {
    body: () =>
      json({
        channels: [
          { id: 'Web', origins: [{ id: 'plugin:dagster', enabled: true }] },
        ],
      }),
    own: 200,
  },
  'GET /api/notifications/topics': { own: 200 },
  'GET /api/notifications/:id': {
    params: t => ({ id: t.notificationId }),
    own: 200,
    consumer: 404,
    why: "the fixture notification is the tenant developer's",
  },
  'GET /api/notifications/notifications/:id': {
    params: t => ({ id: t.notificationId }),
    own: 200,
    consumer: 404,
    why: "the fixture notification is the tenant developer's",
  },
  'POST /api/notifications/update': {
    body: t => json({ ids: [t.notificationId], saved: true }),
    own: 200,
  },
  'POST /api/notifications/notifications/update': {
    body: t => json({ ids: [t.notificationId], saved: true }),
    own: 200,
  },
  'POST /api/notifications': {
    body: t =>
      json({
        recipients: { type: 'entity', entityRef: `group:default/${t.tenant}` },
        payload: { title: t.marker },
      }),
    own: 403,
    why: 'sending notifications is for backend plugins (service principals)',
  },
  'POST /api/notifications/notifications': {
    body: t =>
      json({
        recipients: { type: 'entity', entityRef: `group:default/${t.tenant}` },
        payload: { title: t.marker },
      }),
    own: 403,
    why: 'sending notifications is for backend plugins (service principals)',
  },

  // user settings: each user's own storage
  'POST /api/user-settings/multiget': {
    body: t => json({ items: [{ bucket: 'sweep', key: t.tenant }] }),
    own: 200,
  },
  'GET /api/user-settings/buckets/:bucket/keys/:key(*)': {
    params: t => ({ bucket: 'sweep', key: `${t.tenant}/${t.product}` }),
    own: 200,
    consumer: 404,
    why: "the fixture setting is the tenant developer's",
  },
  'PUT /api/user-settings/buckets/:bucket/keys/:key(*)': {
    params: t => ({ bucket: 'sweep', key: `${t.tenant}/${t.product}` }),
    body: t => json({ value: t.marker }),
    own: 200,
  },
  'DELETE /api/user-settings/buckets/:bucket/keys/:key(*)': {
    params: t => ({ bucket: 'sweep', key: `${t.tenant}/${t.product}` }),
    own: 204,
    destructive: true,
  },

  // MCP: the actions of backend.actions.pluginSources as tools
  // OAuth discovery of the MCP server, mounted once auth.clientIdMetadataDocuments is enabled
  // (for `akili login`); no MCP client may sign in (only the built-in CLI client is allowed).
  'USE /.well-known/oauth-authorization-server <anonymous>': {
    method: 'GET',
    own: 200,
    anonymous: {
      status: 200,
      why: "the auth backend's OpenID configuration, public",
    },
  },
  'USE /.well-known/oauth-protected-resource/api/mcp-actions/v1 <anonymous>': {
    method: 'GET',
    own: 200,
    anonymous: {
      status: 200,
      why: 'the MCP server names its authorization server (RFC 9728), public',
    },
  },
  'POST /api/mcp-actions/v1': { cases: mcpCases() },
  'GET /api/mcp-actions/v1': {
    own: 405,
    why: 'the stateless MCP server takes POSTs only',
  },
  'DELETE /api/mcp-actions/v1': {
    own: 405,
    why: 'the stateless MCP server takes POSTs only',
  },
};
