import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/config';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  mockTenantStatus,
  requireTestDatabaseIds,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import {
  DagsterTestServer,
  startDagsterTestServer,
} from '@akili/dagster-test-server';
import request from 'supertest';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { dagsterPlugin } from '../plugin';

jest.setTimeout(60_000);

const directory: Record<string, string[]> = {
  'user:default/alice': ['user:default/alice', 'group:akili/acme.developer'],
  'user:default/olga': ['user:default/olga', 'group:akili/acme.operator'],
  'user:default/carl': ['user:default/carl', 'group:akili/acme.consumer'],
  'user:default/bob': ['user:default/bob', 'group:akili/globex.operator'],
  'user:default/root': ['user:default/root', 'group:akili/platform-admin'],
};

function product(namespace: string, name: string, dagster: JsonObject): Entity {
  return {
    apiVersion: 'akili.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { namespace, name, title: name },
    spec: {
      type: 'source-aligned',
      lifecycle: 'production',
      owner: `${namespace}-team`,
      domain: 'sales',
      transformation: { language: 'sql', entrypoint: 'x.sql', dagster },
    },
  };
}

const entities = [
  product('acme', 'orders', {
    codeLocation: 'acme_orders',
    repository: '__repository__',
    job: 'orders_hourly',
    assetKeys: [
      ['sales', 'orders'],
      ['sales', 'order_lines'],
    ],
  }),
  product('globex', 'shipments', {
    codeLocation: 'globex_shipments',
    job: 'shipments_daily',
    assetKeys: [['logistics', 'shipments']],
  }),
];

const tags = (tenant: string, name: string) => ({
  'akili/tenant': tenant,
  'akili/product': `dataproduct:${tenant}/${name}`,
});

describe.each(requireTestDatabaseIds())('runs API on %s', databaseId => {
  const databases = TestDatabases.create({ ids: [databaseId] });
  let dagster: DagsterTestServer;

  beforeEach(async () => {
    dagster = await startDagsterTestServer();
    dagster.addLocation({
      name: 'acme_orders',
      repositories: [
        {
          jobs: [
            {
              name: 'orders_hourly',
              assetKeys: [
                ['sales', 'orders'],
                ['sales', 'order_lines'],
              ],
              configSchema: {
                ops: { sales__orders: { config: ['since'], required: [] } },
              },
            },
          ],
        },
      ],
    });
    dagster.addLocation({
      name: 'globex_shipments',
      repositories: [{ jobs: [{ name: 'shipments_daily' }] }],
    });
  });

  afterEach(async () => {
    // Every operation the portal sent was one Dagster's schema accepts.
    dagster.assertNoInvalidRequests();
    await dagster.stop();
  });

  async function start(
    dagsterConfig?: JsonObject,
    extraFeatures: Parameters<typeof startTestBackend>[0]['features'] = [],
    catalog: CatalogService = catalogServiceMock({ entities }),
  ) {
    const knex = await databases.init(databaseId);
    const { server } = await startTestBackend({
      features: [
        ...(extraFeatures ?? []),
        dagsterPlugin,
        userInfoFromDirectory(directory),
        // The tenant registry of the control plane, which this test backend does not run.
        mockTenantStatus({ acme: 'active', globex: 'active' }).factory,
        createServiceFactory({
          service: catalogServiceRef,
          deps: {},
          factory: () => catalog,
        }),
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            dagster: dagsterConfig ?? {
              baseUrl: dagster.url,
              tracker: { enabled: false },
            },
          },
        }),
      ],
    });
    const as = (user: string) =>
      mockCredentials.user.header(`user:default/${user}`);
    return {
      get: (path: string, user: string) =>
        request(server)
          .get(`/api/dagster${path}`)
          .set('Authorization', as(user)),
      post: (path: string, user: string, body: object = {}) =>
        request(server)
          .post(`/api/dagster${path}`)
          .set('Authorization', as(user))
          .send(body),
    };
  }

  it('lists a product’s runs newest first, in pages, filtered by status; nothing of another tenant', async () => {
    const api = await start();
    const now = Date.now() / 1000;
    const acme = Array.from({ length: 5 }, (_, i) =>
      dagster.addRun({
        jobName: 'orders_hourly',
        status: i === 3 ? 'FAILURE' : 'SUCCESS',
        tags: {
          ...tags('acme', 'orders'),
          ...(i === 0 ? { 'akili/requested-by': 'user:default/alice' } : {}),
        },
        creationTime: now - 3600 * (5 - i),
        repositoryOrigin: {
          repositoryLocationName: 'acme_orders',
          repositoryName: '__repository__',
        },
      }),
    );
    dagster.addRun({
      jobName: 'shipments_daily',
      tags: tags('globex', 'shipments'),
    });
    // Same product name in the tag, but another tenant: never an acme run.
    dagster.addRun({
      jobName: 'orders_hourly',
      tags: {
        'akili/tenant': 'globex',
        'akili/product': 'dataproduct:acme/orders',
      },
    });

    const first = await api.get(
      '/v1/products/acme/orders/runs?limit=2',
      'alice',
    );
    expect(first.status).toBe(200);
    expect(first.body.target).toEqual({
      product: 'dataproduct:acme/orders',
      tenant: 'acme',
      codeLocation: 'acme_orders',
      repository: '__repository__',
      jobs: ['orders_hourly'],
      assetKeys: [
        ['sales', 'orders'],
        ['sales', 'order_lines'],
      ],
    });
    expect(first.body.items.map((r: any) => r.runId)).toEqual([
      acme[4].runId,
      acme[3].runId,
    ]);
    expect(first.body.items[1]).toMatchObject({
      status: 'FAILURE',
      jobName: 'orders_hourly',
      tenant: 'acme',
      product: 'dataproduct:acme/orders',
    });
    const rest: string[] = [];
    let cursor = first.body.nextCursor;
    while (cursor) {
      const page = await api.get(
        `/v1/products/acme/orders/runs?limit=2&cursor=${cursor}`,
        'alice',
      );
      rest.push(...page.body.items.map((r: any) => r.runId));
      cursor = page.body.nextCursor;
    }
    expect(rest).toEqual([acme[2].runId, acme[1].runId, acme[0].runId]);
    const oldest = await api.get(
      '/v1/products/acme/orders/runs?status=SUCCESS',
      'alice',
    );
    expect(oldest.body.items).toHaveLength(4);
    expect(oldest.body.items[3].launchedBy).toBe('user:default/alice');

    // One Dagster round trip per page.
    const listCalls = dagster
      .requests()
      .filter(r => r.operationName === 'AkiliListRuns');
    expect(listCalls).toHaveLength(4);

    // The spec is served, its paths under the plugin's mount path.
    const served = await api.get('/openapi.json', 'alice');
    expect(served.status).toBe(200);
    expect(Object.keys(served.body.paths)).toContain(
      '/api/dagster/v1/products/{namespace}/{name}/runs',
    );

    // The filters as the portal's client and the CLI send them (URLSearchParams encodes the
    // comma and the colons), and as a curl user types them.
    for (const search of [
      'status=SUCCESS%2CFAILURE&createdAfter=2000-01-01T00%3A00%3A00.000Z',
      'status=SUCCESS,FAILURE&createdAfter=2000-01-01T00:00:00Z',
    ]) {
      const filtered = await api.get(
        `/v1/products/acme/orders/runs?${search}`,
        'alice',
      );
      expect(filtered.status).toBe(200);
      const sent = dagster
        .requests()
        .filter(r => r.operationName === 'AkiliListRuns')
        .pop()?.variables as any;
      expect(sent.filter.statuses).toEqual(['SUCCESS', 'FAILURE']);
      expect(sent.filter.createdAfter).toBe(Date.parse('2000-01-01') / 1000);
    }

    // Another tenant's member, and a consumer of acme.
    expect((await api.get('/v1/products/acme/orders/runs', 'bob')).status).toBe(
      404,
    );
    const consumer = await api.get('/v1/products/acme/orders/runs', 'carl');
    expect(consumer.status).toBe(403);
    expect(consumer.body.error.message).toBe(
      "user:default/carl needs role developer or operator in tenant 'acme' for akili.runs.read",
    );
    // The spec names the parameter and what it must be.
    const badStatus = await api.get(
      '/v1/products/acme/orders/runs?status=SUCCESS,DONE',
      'alice',
    );
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.error.message).toMatch(
      /^request\/query\/status\/1 must be equal to one of the allowed values: QUEUED, /,
    );
    const badLimit = await api.get(
      '/v1/products/acme/orders/runs?limit=0',
      'alice',
    );
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error.message).toBe(
      'request/query/limit must be >= 1',
    );
    const unknown = await api.get(
      '/v1/products/acme/orders/runs?colour=red',
      'alice',
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe("Unknown query parameter 'colour'");
  });

  it('reads a product from the catalog once for a few seconds, with its own credentials, and authorizes every caller on every request', async () => {
    const catalog = catalogServiceMock({ entities });
    const getEntityByRef = jest.spyOn(catalog, 'getEntityByRef');
    const api = await start(undefined, [], catalog);
    const path = '/v1/products/acme/orders/runs?limit=5';

    expect((await api.get(path, 'alice')).status).toBe(200);
    expect((await api.get(path, 'olga')).status).toBe(200);
    // Another tenant's operator is refused although the product is remembered.
    const foreign = await api.get(path, 'bob');
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.message).toBe(
      'No data product dataproduct:acme/orders',
    );
    expect((await api.get(path, 'alice')).status).toBe(200);
    expect(getEntityByRef).toHaveBeenCalledTimes(1);
    expect(getEntityByRef.mock.calls[0][0]).toBe('dataproduct:acme/orders');
    const options = getEntityByRef.mock.calls[0][1] as {
      credentials: { principal: unknown };
    };
    expect(options.credentials.principal).toMatchObject({ type: 'service' });

    // A product that is not there is asked for again on the next request.
    expect(
      (await api.get('/v1/products/acme/nothing/runs', 'alice')).status,
    ).toBe(404);
    expect(
      (await api.get('/v1/products/acme/nothing/runs', 'alice')).status,
    ).toBe(404);
    expect(getEntityByRef).toHaveBeenCalledTimes(3);
  });

  it('reads the product on every request with dagster.productCacheSeconds 0', async () => {
    const catalog = catalogServiceMock({ entities });
    const getEntityByRef = jest.spyOn(catalog, 'getEntityByRef');
    const api = await start(
      {
        baseUrl: dagster.url,
        tracker: { enabled: false },
        productCacheSeconds: 0,
      },
      [],
      catalog,
    );
    for (let i = 0; i < 3; i++) {
      expect(
        (await api.get('/v1/products/acme/orders/runs', 'alice')).status,
      ).toBe(200);
    }
    expect(getEntityByRef).toHaveBeenCalledTimes(3);
  });

  it('never shows, logs, terminates or re-executes another tenant’s run, even by its id', async () => {
    const api = await start();
    const globexRun = dagster.addRun({
      jobName: 'shipments_daily',
      status: 'STARTED',
      tags: tags('globex', 'shipments'),
    });
    const untagged = dagster.addRun({
      jobName: 'orders_hourly',
      status: 'FAILURE',
      tags: {},
    });
    for (const runId of [
      globexRun.runId,
      untagged.runId,
      'f00dfeed-0000-4000-8000-000000000000',
    ]) {
      for (const call of [
        () => api.get(`/v1/runs/${runId}`, 'olga'),
        () => api.get(`/v1/runs/${runId}/logs`, 'olga'),
        () => api.post(`/v1/runs/${runId}/terminate`, 'olga'),
        () =>
          api.post(`/v1/runs/${runId}/reexecute`, 'olga', {
            strategy: 'ALL_STEPS',
          }),
      ]) {
        const res = await call();
        expect(res.status).toBe(404);
        // The same answer as for a run that does not exist: ids cannot be probed.
        expect(res.body.error.message).toBe(`No run ${runId}`);
        expect(JSON.stringify(res.body)).not.toContain('shipments');
      }
    }
    expect(
      dagster
        .requests()
        .filter(r =>
          ['AkiliTerminateRun', 'AkiliReexecuteRun', 'AkiliLaunchRun'].includes(
            r.operationName ?? '',
          ),
        ),
    ).toEqual([]);
    expect(dagster.getRun(globexRun.runId)?.status).toBe('STARTED');
    // Its own operator sees it; a platform admin too.
    expect((await api.get(`/v1/runs/${globexRun.runId}`, 'bob')).status).toBe(
      200,
    );
    expect((await api.get(`/v1/runs/${globexRun.runId}`, 'root')).status).toBe(
      200,
    );
    // An operator's tenant list is of their tenant only: another tenant is not there.
    expect((await api.get('/v1/tenants/globex/runs', 'olga')).status).toBe(404);
    const own = await api.get('/v1/tenants/acme/runs', 'olga');
    expect(own.status).toBe(200);
    expect(own.body.items).toEqual([]);
  });

  it('launches the product’s job tagged with tenant, product and user; Dagster’s validation errors are 400s', async () => {
    const api = await start();
    const launched = await api.post('/v1/products/acme/orders/runs', 'alice', {
      assetKeys: [['sales', 'orders']],
      runConfig: {
        ops: { sales__orders: { config: { since: '2026-01-01' } } },
      },
    });
    expect(launched.status).toBe(201);
    expect(launched.body).toMatchObject({
      jobName: 'orders_hourly',
      tenant: 'acme',
      product: 'dataproduct:acme/orders',
      launchedBy: 'user:default/alice',
      assetSelection: [['sales', 'orders']],
    });
    expect(dagster.getRun(launched.body.runId)?.tags).toMatchObject({
      'akili/tenant': 'acme',
      'akili/product': 'dataproduct:acme/orders',
      'akili/requested-by': 'user:default/alice',
    });
    const list = await api.get('/v1/products/acme/orders/runs', 'alice');
    expect(list.body.items[0].runId).toBe(launched.body.runId);

    const badConfig = await api.post('/v1/products/acme/orders/runs', 'alice', {
      runConfig: { ops: { sales__orders: { config: { until: 'x' } } } },
    });
    expect(badConfig.status).toBe(400);
    expect(badConfig.body.error.message).toMatch(
      /^Dagster rejected the run config of orders_hourly: .*until/,
    );
    const foreignAsset = await api.post(
      '/v1/products/acme/orders/runs',
      'alice',
      {
        assetKeys: [['logistics', 'shipments']],
      },
    );
    expect(foreignAsset.status).toBe(400);
    expect(foreignAsset.body.error.message).toBe(
      'assetKeys: logistics/shipments is not an asset of dataproduct:acme/orders',
    );
    const otherJob = await api.post('/v1/products/acme/orders/runs', 'alice', {
      job: 'shipments_daily',
    });
    expect(otherJob.status).toBe(400);
    const unknownField = await api.post(
      '/v1/products/acme/orders/runs',
      'alice',
      {
        tenant: 'globex',
      },
    );
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.message).toBe(
      'request/body must NOT have additional properties',
    );
    // Another tenant's product: as if it did not exist; a consumer may not launch.
    expect(
      (await api.post('/v1/products/globex/shipments/runs', 'alice')).status,
    ).toBe(404);
    expect(
      (await api.post('/v1/products/acme/orders/runs', 'carl')).status,
    ).toBe(403);

    const audit = await api.get('/v1/tenants/acme/run-audit', 'olga');
    // Launches Dagster was asked for, newest first: the one it refused, the one it ran.
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'run.launched',
        details: { job: 'orders_hourly', runConfig: true },
        outcome: 'failed',
      }),
      expect.objectContaining({
        action: 'run.launched',
        actor: 'user:default/alice',
        runId: launched.body.runId,
        product: 'dataproduct:acme/orders',
        details: {
          job: 'orders_hourly',
          assetKeys: [['sales', 'orders']],
          runConfig: true,
        },
        outcome: 'succeeded',
      }),
    ]);
    expect((await api.get('/v1/tenants/acme/run-audit', 'alice')).status).toBe(
      403,
    );
  });

  it('re-executes and terminates for those allowed, with the run’s tenant kept', async () => {
    const api = await start();
    const failed = dagster.addRun({
      jobName: 'orders_hourly',
      status: 'FAILURE',
      tags: tags('acme', 'orders'),
    });
    const succeeded = dagster.addRun({
      jobName: 'orders_hourly',
      status: 'SUCCESS',
      tags: tags('acme', 'orders'),
    });
    const running = dagster.addRun({
      jobName: 'orders_hourly',
      status: 'STARTED',
      tags: tags('acme', 'orders'),
    });

    const fromFailure = await api.post(
      `/v1/runs/${failed.runId}/reexecute`,
      'alice',
    );
    expect(fromFailure.status).toBe(201);
    expect(fromFailure.body).toMatchObject({
      parentRunId: failed.runId,
      tenant: 'acme',
      product: 'dataproduct:acme/orders',
      launchedBy: 'user:default/alice',
    });
    const notFailed = await api.post(
      `/v1/runs/${succeeded.runId}/reexecute`,
      'alice',
    );
    expect(notFailed.status).toBe(409);
    expect(notFailed.body.error.message).toMatch(/did not fail \(SUCCESS\)/);
    const all = await api.post(
      `/v1/runs/${succeeded.runId}/reexecute`,
      'alice',
      {
        strategy: 'ALL_STEPS',
      },
    );
    expect(all.status).toBe(201);

    // Terminate: operators only; a finished run cannot be.
    const byDeveloper = await api.post(
      `/v1/runs/${running.runId}/terminate`,
      'alice',
    );
    expect(byDeveloper.status).toBe(403);
    expect(byDeveloper.body.error.message).toBe(
      "user:default/alice needs role operator in tenant 'acme' for akili.runs.terminate",
    );
    const terminated = await api.post(
      `/v1/runs/${running.runId}/terminate`,
      'olga',
    );
    expect(terminated.status).toBe(200);
    expect(['CANCELING', 'CANCELED']).toContain(terminated.body.status);
    const finished = await api.post(
      `/v1/runs/${succeeded.runId}/terminate`,
      'olga',
    );
    expect(finished.status).toBe(409);

    const audit = await api.get('/v1/tenants/acme/run-audit', 'olga');
    expect(audit.body.items.map((e: any) => [e.action, e.outcome])).toEqual([
      ['run.terminated', 'failed'],
      ['run.terminated', 'succeeded'],
      ['run.reexecuted', 'succeeded'],
      ['run.reexecuted', 'succeeded'],
    ]);
  });

  it('reads a run with its steps and pages its log, filtered by level', async () => {
    const api = await start();
    const run = dagster.addRun({
      jobName: 'orders_hourly',
      status: 'FAILURE',
      tags: tags('acme', 'orders'),
    });
    const detail = await api.get(`/v1/runs/${run.runId}`, 'alice');
    expect(detail.status).toBe(200);
    expect(detail.body.steps.length).toBeGreaterThan(0);
    expect(detail.body.canTerminate).toBe(false);

    const all: any[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 50; i++) {
      const page = await api.get(
        `/v1/runs/${run.runId}/logs?limit=3${
          cursor ? `&cursor=${cursor}` : ''
        }`,
        'alice',
      );
      expect(page.status).toBe(200);
      all.push(...page.body.events);
      cursor = page.body.cursor;
      if (!page.body.hasMore) break;
    }
    expect(all.length).toBe(run.events.length);
    const errors = await api.get(
      `/v1/runs/${run.runId}/logs?levels=ERROR`,
      'alice',
    );
    expect(errors.body.events.length).toBeGreaterThan(0);
    expect(errors.body.events.every((e: any) => e.level === 'ERROR')).toBe(
      true,
    );
    expect(errors.body.events.some((e: any) => e.error?.message)).toBe(true);
    const badLevel = await api.get(
      `/v1/runs/${run.runId}/logs?levels=LOUD`,
      'alice',
    );
    expect(badLevel.status).toBe(400);
  });

  it('answers Dagster’s failures, a Dagster that is down or slow, and no Dagster at all with clear 5xx', async () => {
    const api = await start({
      baseUrl: dagster.url,
      timeoutMs: 1000,
      tracker: { enabled: false },
    });
    const run = dagster.addRun({
      jobName: 'orders_hourly',
      tags: tags('acme', 'orders'),
    });

    dagster.failNext(1, 'python-error');
    const python = await api.get(`/v1/runs/${run.runId}`, 'alice');
    expect(python.status).toBe(502);
    expect(python.body.error.name).toBe('DagsterFailedError');
    expect(python.body.error.message).toMatch(/^Dagster failed reading run /);

    dagster.failNext(1, 'http-500');
    const http500 = await api.get(`/v1/runs/${run.runId}`, 'alice');
    expect(http500.status).toBe(503);
    expect(http500.body.error.name).toBe('DagsterUnavailableError');

    dagster.setLatency(3000);
    const slow = await api.get('/v1/products/acme/orders/runs', 'alice');
    expect(slow.status).toBe(503);
    expect(slow.body.error.message).toBe(
      `Dagster at ${dagster.url} did not answer within 1 s (AkiliListRuns)`,
    );
    dagster.setLatency(0);

    await dagster.setDown(true);
    const down = await api.get('/v1/products/acme/orders/runs', 'alice');
    expect(down.status).toBe(503);
    expect(down.body.error.name).toBe('DagsterUnavailableError');
    expect(down.body.error.message).toMatch(
      new RegExp(
        `^Dagster at ${dagster.url} could not be reached \\(AkiliListRuns\\)`,
      ),
    );
    await dagster.setDown(false);
    expect(
      (await api.get('/v1/products/acme/orders/runs', 'alice')).status,
    ).toBe(200);
  });

  it('also asks the permission policy, which may deny what the tenant role allows', async () => {
    const api = await start(undefined, [
      mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
    ]);
    const run = dagster.addRun({
      jobName: 'orders_hourly',
      status: 'STARTED',
      tags: tags('acme', 'orders'),
    });
    const launch = await api.post('/v1/products/acme/orders/runs', 'alice');
    expect(launch.status).toBe(403);
    expect(launch.body.error.message).toBe(
      'The permission policy does not allow akili.runs.launch',
    );
    const terminate = await api.post(`/v1/runs/${run.runId}/terminate`, 'olga');
    expect(terminate.status).toBe(403);
    expect((await api.get(`/v1/runs/${run.runId}`, 'alice')).status).toBe(403);
    expect(dagster.getRun(run.runId)?.status).toBe('STARTED');
    expect(dagster.requests().map(r => r.operationName)).not.toContain(
      'AkiliLaunchRun',
    );
  });

  it('says Dagster is not configured when dagster.baseUrl is not set', async () => {
    const api = await start({});
    const res = await api.get('/v1/products/acme/orders/runs', 'alice');
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({
      name: 'DagsterNotConfiguredError',
      message:
        'Dagster is not configured: set dagster.baseUrl in the app-config of the backend',
    });
    const permissions = await api.get(
      '/v1/tenants/acme/run-permissions',
      'alice',
    );
    expect(permissions.body).toEqual({
      tenant: 'acme',
      read: true,
      launch: true,
      terminate: false,
    });
  });
});
