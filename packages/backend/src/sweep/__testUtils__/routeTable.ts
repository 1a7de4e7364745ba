import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './sweepBackend';

/** The resources of one tenant the sweep calls routes with. */
export interface TenantFixture {
  tenant: string;
  /** One of the tenant's data products (examples/data-products/<tenant>/<product>). */
  product: string;
  /** An output port of that product. */
  port: string;
  /** A failed Dagster run of that product, in the sweep's Dagster test server. */
  runId: string;
}

export const TENANT_A: TenantFixture = {
  tenant: 'acme',
  product: 'orders',
  port: 'orders',
  runId: 'a11ce000-0000-4000-8000-00000000000a',
};
export const TENANT_B: TenantFixture = {
  tenant: 'globex',
  product: 'vehicle-telemetry',
  port: 'telemetry_hourly',
  runId: 'b0b00000-0000-4000-8000-00000000000b',
};

/** The example manifest of a fixture's product. */
export function manifestOf(t: TenantFixture): string {
  return fs.readFileSync(
    path.join(
      repoRoot,
      'examples/data-products',
      t.tenant,
      t.product,
      'dataproduct.yaml',
    ),
    'utf8',
  );
}

/** How to call one route for the resources of tenant `t`. */
export interface RouteCall {
  /** Path parameters naming `t`'s resources. */
  params?: (t: TenantFixture) => Record<string, string>;
  query?: (t: TenantFixture) => Record<string, string>;
  /** A request body; objects are sent as JSON. */
  body?: (t: TenantFixture) => { contentType: string; data: string | object };
  /**
   * The status a member of `t` (developer and operator, not platform admin) gets calling with
   * `t`'s own resources. 2xx for reads, so the isolation sweep is not vacuous.
   */
  own: number;
  /** Why, when `own` is not 2xx. */
  why?: string;
}

const tenantParam = (t: TenantFixture) => ({ tenant: t.tenant });
const json = (data: object) => ({ contentType: 'application/json', data });

/**
 * How to call every route of the Akili plugins. The sweeps fail on a mounted route missing
 * here, and on an entry whose route is no longer mounted.
 */
export const AKILI_ROUTE_TABLE: Record<string, RouteCall> = {
  // Mounted by the framework in every plugin (httpRouter and permissionsRegistry services).
  'GET /api/akili/.backstage/auth/v1/cookie': { own: 200 },
  'DELETE /api/akili/.backstage/auth/v1/cookie': { own: 204 },
  'GET /api/akili/.well-known/backstage/permissions/metadata': { own: 200 },
  'POST /api/akili/.well-known/backstage/permissions/apply-conditions': {
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
  },

  // @akili/plugin-akili-backend: manifests and products
  'POST /api/akili/v1/manifests/validate': {
    body: t => ({ contentType: 'application/yaml', data: manifestOf(t) }),
    own: 200,
  },
  'GET /api/akili/v1/products/:namespace/:name/export': {
    params: t => ({ namespace: t.tenant, name: t.product }),
    query: t => ({ format: 'odcs', port: t.port }),
    own: 200,
  },

  // @akili/plugin-akili-backend: tenant management
  'GET /api/akili/v1/me': { own: 200 },
  'GET /api/akili/v1/tenants': { own: 200 },
  'POST /api/akili/v1/tenants': {
    body: t => json({ name: `${t.tenant}-sweep`, title: 'Sweep' }),
    own: 403,
    why: 'creating tenants is for platform admins',
  },
  'GET /api/akili/v1/tenants/:tenant': { params: tenantParam, own: 200 },
  'PATCH /api/akili/v1/tenants/:tenant': {
    params: tenantParam,
    body: () => json({ title: 'Renamed by the sweep' }),
    own: 403,
    why: 'configuring tenants is for platform admins',
  },
  'POST /api/akili/v1/tenants/:tenant/suspend': {
    params: tenantParam,
    body: () => json({ reason: 'sweep' }),
    own: 403,
    why: 'suspending tenants is for platform admins',
  },
  'POST /api/akili/v1/tenants/:tenant/resume': {
    params: tenantParam,
    own: 403,
    why: 'resuming tenants is for platform admins',
  },
  'GET /api/akili/v1/tenants/:tenant/members': {
    params: tenantParam,
    own: 200,
  },
  'GET /api/akili/v1/tenants/:tenant/audit': { params: tenantParam, own: 200 },
  'GET /api/akili/v1/tenants/:tenant/events': { params: tenantParam, own: 200 },
  'GET /api/akili/v1/tenants/:tenant/dead-letters': {
    params: tenantParam,
    query: () => ({ status: 'all' }),
    own: 200,
  },
  'POST /api/akili/v1/tenants/:tenant/dead-letters/:id/retry': {
    params: t => ({ tenant: t.tenant, id: `${t.tenant}-sweep-dead-letter` }),
    own: 404,
    why: 'the sweep has no dead letters; recording, listing and retrying across tenants are proved in akili-backend src/events/deadLetters.test.ts',
  },
  'POST /api/akili/v1/internal/tenant-status': {
    body: t => json({ tenants: [t.tenant] }),
    own: 403,
    why: 'for the sign-in resolver: service principals only',
  },

  // @akili/plugin-dagster-backend: runs (the sweep's Dagster test server holds the example
  // products' runs and one failed run per fixture)
  'GET /api/dagster/.backstage/auth/v1/cookie': { own: 200 },
  // Mounted by the framework for plugins that use the scheduler (the run tracker).
  'GET /api/dagster/.backstage/scheduler/v1/tasks': { own: 200 },
  'POST /api/dagster/.backstage/scheduler/v1/tasks/:id/trigger': {
    params: () => ({ id: 'dagster-run-tracker' }),
    own: 404,
    why: 'the sweep runs without the tracker, so the task does not exist',
  },
  'POST /api/dagster/.backstage/scheduler/v1/tasks/:id/cancel': {
    params: () => ({ id: 'dagster-run-tracker' }),
    own: 404,
    why: 'the sweep runs without the tracker, so the task does not exist',
  },
  'DELETE /api/dagster/.backstage/auth/v1/cookie': { own: 204 },
  'GET /api/dagster/v1/products/:namespace/:name/runs': {
    params: t => ({ namespace: t.tenant, name: t.product }),
    own: 200,
  },
  'POST /api/dagster/v1/products/:namespace/:name/runs': {
    params: t => ({ namespace: t.tenant, name: t.product }),
    body: () => json({}),
    own: 201,
  },
  'GET /api/dagster/v1/runs/:runId': {
    params: t => ({ runId: t.runId }),
    own: 200,
  },
  'GET /api/dagster/v1/runs/:runId/logs': {
    params: t => ({ runId: t.runId }),
    own: 200,
  },
  'POST /api/dagster/v1/runs/:runId/reexecute': {
    params: t => ({ runId: t.runId }),
    body: () => json({}),
    own: 201,
  },
  'POST /api/dagster/v1/runs/:runId/terminate': {
    params: t => ({ runId: t.runId }),
    own: 409,
    why: 'the fixture run has failed, so it cannot be terminated; terminating is proved in dagster-backend router.test.ts',
  },
  'GET /api/dagster/v1/tenants/:tenant/runs': { params: tenantParam, own: 200 },
  'GET /api/dagster/v1/tenants/:tenant/run-permissions': {
    params: tenantParam,
    own: 200,
  },
  'GET /api/dagster/v1/tenants/:tenant/run-audit': {
    params: tenantParam,
    own: 200,
  },
};

/**
 * Routes of the Akili plugins that answer without credentials on purpose. Keys as in
 * {@link AKILI_ROUTE_TABLE}; the value says why.
 */
export const PUBLIC_AKILI_ROUTES: Record<string, string> = {
  'GET /api/akili/.backstage/auth/v1/jwks.json':
    "Backstage's service-to-service key set (public keys only), mounted by the framework in every plugin",
  'GET /api/dagster/.backstage/auth/v1/jwks.json':
    "Backstage's service-to-service key set (public keys only), mounted by the framework in every plugin",
};

/** The concrete request a table entry makes for tenant `t`. */
export function requestFor(
  routePath: string,
  call: RouteCall,
  t: TenantFixture,
): { url: string; body?: { contentType: string; data: string | object } } {
  const params = call.params?.(t) ?? {};
  const url = routePath.replace(/:(\w+)/g, (_, name: string) => {
    if (!(name in params)) {
      throw new Error(
        `The sweep table gives no value for :${name} of ${routePath}`,
      );
    }
    return encodeURIComponent(params[name]);
  });
  const query = call.query ? `?${new URLSearchParams(call.query(t))}` : '';
  return { url: `${url}${query}`, body: call.body?.(t) };
}
