import { SweepFixture } from '../fixtures';
import { invokeCases } from './actions';
import { portTable } from './portTable';
import { RouteEntry, json } from './types';

const tenantParam = (t: SweepFixture) => ({ tenant: t.tenant });

const operatorsOnly = {
  consumer: 403,
  why: "the tenant's operations view is for its operators",
};
const runReaders = {
  consumer: 403,
  why: 'runs are read by developers and operators (consumers read quality and query)',
};
const productSubmitters = {
  consumer: 403,
  why: 'submitting products is for developers and operators',
};
const productParams = (t: SweepFixture) => ({
  namespace: t.tenant,
  name: t.product,
});

/** The Akili plugins' routes: the control plane (`akili`) and runs (`dagster`). */
export const AKILI_ROUTES: Record<string, RouteEntry> = {
  // The request histogram (akili-node's akiliHttpMetrics), mounted first in each Akili plugin.
  ...Object.fromEntries(
    ['akili', 'dagster', 'quality', 'starrocks'].map(plugin => [
      `USE /api/${plugin} recordAkiliHttpMetrics`,
      {
        passThrough:
          'records the duration of the request (metrics), then passes it on',
      },
    ]),
  ),
  'USE /api/akili <anonymous>': {
    passThrough:
      'records that a tenant member was seen (MemberTracker), then passes the request on',
  },

  // The control plane's OpenAPI spec: the same for everyone signed in.
  'GET /api/akili/openapi.json': { own: 200 },

  // Manifests and products
  'POST /api/akili/v1/manifests/validate': {
    body: t => ({ contentType: 'application/yaml', data: t.manifest }),
    own: 200,
  },
  'GET /api/akili/v1/products/:namespace/:name/export': {
    params: productParams,
    query: t => ({ format: 'odcs', port: t.port }),
    own: 200,
  },
  'POST /api/akili/v1/tenants/:tenant/products': {
    cases: [
      {
        name: 'dry run',
        params: tenantParam,
        query: () => ({ dryRun: 'true' }),
        body: t => ({ contentType: 'application/yaml', data: t.manifest }),
        own: 200,
        ...productSubmitters,
      },
      {
        name: 'submit',
        params: tenantParam,
        body: t => ({ contentType: 'application/yaml', data: t.manifest }),
        own: 201,
        ...productSubmitters,
        destructive: true,
      },
    ],
  },
  'GET /api/akili/v1/tenants/:tenant/products/:name': {
    params: t => ({ tenant: t.tenant, name: t.product }),
    own: 200,
  },
  'POST /api/akili/v1/tenants/:tenant/products/:name/deploy': {
    params: t => ({ tenant: t.tenant, name: t.product }),
    own: 202,
    consumer: 403,
    why: 'deploying products is for developers and operators',
    // Starts a pipeline of the tenant's GitLab project.
    destructive: true,
  },
  'GET /api/akili/v1/tenants/:tenant/product-names/:name': {
    params: t => ({ tenant: t.tenant, name: t.product }),
    own: 200,
    consumer: 403,
    why: 'checking the name of a new product is for those who create products',
  },
  // The merge-request review: GitLab's webhook, authenticated by its secret (not configured in
  // the sweep, so every event is refused).
  'POST /api/akili/v1/webhooks/gitlab': {
    body: () => json({ object_kind: 'merge_request' }),
    headers: () => ({ 'x-gitlab-event': 'Merge Request Hook' }),
    own: 401,
    why: "GitLab's merge-request webhook authenticates with its secret token, not a user's",
  },
  'GET /api/akili/v1/tenants/:tenant/products/:name/deployments': {
    params: t => ({ tenant: t.tenant, name: t.product }),
    own: 200,
  },
  'GET /api/akili/v1/tenants/:tenant/products/:name/deployments/:id': {
    params: t => ({ tenant: t.tenant, name: t.product, id: t.deploymentId }),
    own: 200,
  },

  // Tenant management
  'GET /api/akili/v1/me': { own: 200 },
  'GET /api/akili/v1/tenants': { own: 200 },
  'POST /api/akili/v1/tenants': {
    body: t => json({ name: `${t.tenant}-sweep`, title: 'Sweep' }),
    own: 403,
    why: 'creating tenants is for platform admins',
    destructive: true,
  },
  'GET /api/akili/v1/tenants/:tenant': { params: tenantParam, own: 200 },
  'PATCH /api/akili/v1/tenants/:tenant': {
    params: tenantParam,
    body: () => json({ title: 'Renamed by the sweep' }),
    own: 403,
    why: 'configuring tenants is for platform admins',
    destructive: true,
  },
  'POST /api/akili/v1/tenants/:tenant/suspend': {
    params: tenantParam,
    body: () => json({ reason: 'sweep' }),
    own: 403,
    why: 'suspending tenants is for platform admins',
    destructive: true,
  },
  'POST /api/akili/v1/tenants/:tenant/resume': {
    params: tenantParam,
    own: 403,
    why: 'resuming tenants is for platform admins',
    destructive: true,
  },
  'GET /api/akili/v1/tenants/:tenant/members': {
    params: tenantParam,
    own: 200,
    ...operatorsOnly,
  },
  'GET /api/akili/v1/tenants/:tenant/audit': {
    params: tenantParam,
    own: 200,
    ...operatorsOnly,
  },
  'GET /api/akili/v1/tenants/:tenant/events': {
    params: tenantParam,
    own: 200,
    ...operatorsOnly,
  },
  'GET /api/akili/v1/tenants/:tenant/dead-letters': {
    params: tenantParam,
    query: () => ({ status: 'all' }),
    own: 200,
    ...operatorsOnly,
  },
  'POST /api/akili/v1/tenants/:tenant/dead-letters/:id/retry': {
    params: t => ({ tenant: t.tenant, id: `${t.tenant}-sweep-dead-letter` }),
    own: 404,
    consumer: 403,
    why: 'the sweep has no dead letters (recording, listing and retrying across tenants are proved in akili-backend src/events/deadLetters.test.ts); operators only',
  },
  'GET /api/akili/v1/tenants/:tenant/api-tokens': {
    params: tenantParam,
    own: 200,
    ...operatorsOnly,
  },
  'POST /api/akili/v1/tenants/:tenant/api-tokens': {
    params: tenantParam,
    body: () =>
      json({
        name: 'sweep',
        permissions: ['akili.runs.read'],
        expiresInDays: 1,
      }),
    own: 201,
    ...operatorsOnly,
  },
  'DELETE /api/akili/v1/tenants/:tenant/api-tokens/:id': {
    params: t => ({ tenant: t.tenant, id: t.apiTokenId }),
    own: 200,
    ...operatorsOnly,
    destructive: true,
  },
  'POST /api/akili/v1/internal/api-tokens/status': {
    body: t => json({ ids: [t.apiTokenId] }),
    own: 403,
    why: 'for the API token resolver of the Akili plugins: backend plugins only',
  },
  'POST /api/akili/v1/internal/tenant-status': {
    body: t => json({ tenants: [t.tenant] }),
    own: 403,
    why: 'for the sign-in resolver: service principals only',
  },
  'GET /api/akili/v1/internal/products': {
    own: 403,
    why: "for the catalog's registry provider: every tenant's manifests, backend plugins only",
  },

  // The query API's OpenAPI spec: the same for everyone signed in.
  'GET /api/starrocks/openapi.json': { own: 200 },
  // Query (the sweep's backend answers it on the embedded engine of app-config.yaml: DuckDB over
  // the tenant's own product tables, as `make dev` does)
  'POST /api/starrocks/v1/tenants/:tenant/query': {
    cases: [
      {
        name: 'own table',
        params: tenantParam,
        body: t => json({ sql: `SELECT * FROM ${portTable(t)}` }),
        own: 200,
      },
      {
        name: 'not a product table',
        params: tenantParam,
        body: t => json({ sql: `SELECT 1 FROM ${t.tenant}_db.${t.port}` }),
        own: 400,
        why: "the guard refuses a table that is not one of the tenant's products'",
      },
    ],
  },
  'POST /api/starrocks/.backstage/actions/v1/actions/:actionId/invoke': {
    cases: invokeCases('starrocks', 1),
  },
  'POST /api/starrocks/.backstage/actions/v2/actions/:actionId/invoke': {
    cases: invokeCases('starrocks', 2),
  },
  'GET /api/starrocks/v1/tenants/:tenant/schema': {
    params: tenantParam,
    own: 200,
  },
  'GET /api/starrocks/v1/tenants/:tenant/audit': {
    params: tenantParam,
    own: 200,
    ...operatorsOnly,
  },

  // The runs API's OpenAPI spec: the same for everyone signed in.
  'GET /api/dagster/openapi.json': { own: 200 },
  // Runs (the sweep's Dagster holds the example products' runs and one failed run per tenant)
  'GET /api/dagster/v1/products/:namespace/:name/runs': {
    params: productParams,
    own: 200,
    ...runReaders,
  },
  'POST /api/dagster/v1/products/:namespace/:name/runs': {
    params: productParams,
    body: () => json({}),
    own: 201,
    consumer: 403,
    why: 'launching runs is for developers and operators',
  },
  'GET /api/dagster/v1/runs/:runId': {
    params: t => ({ runId: t.runId }),
    own: 200,
    ...runReaders,
  },
  'GET /api/dagster/v1/runs/:runId/logs': {
    params: t => ({ runId: t.runId }),
    own: 200,
    ...runReaders,
  },
  'POST /api/dagster/v1/runs/:runId/reexecute': {
    params: t => ({ runId: t.runId }),
    body: () => json({}),
    own: 201,
    consumer: 403,
    why: 're-executing runs is for developers and operators',
  },
  'POST /api/dagster/v1/runs/:runId/terminate': {
    params: t => ({ runId: t.runId }),
    own: 409,
    consumer: 403,
    why: 'the fixture run has failed, so it cannot be terminated (terminating is proved in dagster-backend router.test.ts); terminating is for operators',
  },
  'GET /api/dagster/v1/tenants/:tenant/runs': {
    params: tenantParam,
    own: 200,
    ...runReaders,
  },
  'GET /api/dagster/v1/tenants/:tenant/run-permissions': {
    params: tenantParam,
    own: 200,
  },
  'GET /api/dagster/v1/tenants/:tenant/run-audit': {
    params: tenantParam,
    own: 200,
    ...operatorsOnly,
  },
};
