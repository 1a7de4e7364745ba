import { TestDatabases } from '@backstage/backend-test-utils';
import { requireTestDatabaseIds } from '@akili/plugin-akili-node/testUtils';
import {
  DagsterTestServer,
  startDagsterTestServer,
} from '@akili/dagster-test-server';
import { product, productTags, startRunsApi } from '../__testUtils__/runsApi';

jest.setTimeout(60_000);

const entities = [
  product('acme', 'orders', {
    codeLocation: 'acme_orders',
    job: 'orders_hourly',
    // `sales/returns` is in the manifest but not (yet) in Dagster's job.
    assetKeys: [
      ['sales', 'orders'],
      ['sales', 'returns'],
    ],
  }),
  // A manifest is text its authors wrote: these point at other tenants' code locations.
  product('acme', 'sneaky', {
    codeLocation: 'globex_shipments',
    job: 'shipments_daily',
  }),
  product('acme', 'prefixed', {
    codeLocation: 'acme-evil_reports',
    job: 'reports_daily',
  }),
  product('acme', 'dashed', {
    codeLocation: 'acme-orders',
    job: 'orders_hourly',
  }),
  product('globex', 'shipments', {
    codeLocation: 'globex_shipments',
    job: 'shipments_daily',
  }),
];

const SECRET = 'globex_shipments';

describe.each(requireTestDatabaseIds())(
  'runs of a tenant’s own code locations only, on %s',
  databaseId => {
    const databases = TestDatabases.create({ ids: [databaseId] });
    let dagster: DagsterTestServer;

    beforeEach(async () => {
      dagster = await startDagsterTestServer({
        locations: [
          {
            name: 'acme_orders',
            repositories: [
              {
                jobs: [
                  { name: 'orders_hourly', assetKeys: [['sales', 'orders']] },
                ],
              },
            ],
          },
          {
            name: 'globex_shipments',
            repositories: [
              {
                jobs: [
                  {
                    name: 'shipments_daily',
                    configSchema: {
                      ops: { ship: { config: ['carrier_api_key'] } },
                    },
                  },
                ],
              },
            ],
          },
          {
            name: 'acme-evil_reports',
            repositories: [{ jobs: [{ name: 'reports_daily' }] }],
          },
          // Today's dash convention: `acme-orders` could be acme's or tenant acme-orders'.
          {
            name: 'acme-orders',
            repositories: [{ jobs: [{ name: 'orders_hourly' }] }],
          },
        ],
      });
    });

    afterEach(async () => {
      dagster.assertNoInvalidRequests();
      await dagster.stop();
    });

    const start = () =>
      startRunsApi({ databases, databaseId, dagster, entities });

    it('launches only in the product’s tenant’s code locations, whatever its manifest names', async () => {
      const api = await start();
      for (const [name, location] of [
        ['sneaky', 'globex_shipments'],
        ['prefixed', 'acme-evil_reports'],
        ['dashed', 'acme-orders'],
      ]) {
        const res = await api.post(`/v1/products/acme/${name}/runs`, 'olga');
        expect(res.status).toBe(403);
        expect(res.body.error.message).toBe(
          `dataproduct:acme/${name} names code location '${location}', which is not one of tenant acme's (acme or a name that starts with acme_): runs are launched only in the tenant's own code locations`,
        );
      }
      // Nothing reached Dagster, so nothing of globex's job (its config) came back either.
      expect(dagster.requests().map(r => r.operationName)).not.toContain(
        'AkiliLaunchRun',
      );

      // Nor may a launch move the run elsewhere through run config: executor config (another
      // Kubernetes namespace or service account) and resource config belong to the location.
      for (const section of ['execution', 'resources', 'loggers']) {
        const moved = await api.post('/v1/products/acme/orders/runs', 'alice', {
          runConfig: {
            ops: {},
            [section]: { config: { job_namespace: 'globex' } },
          },
        });
        expect(moved.status).toBe(400);
        expect(moved.body.error.message).toBe(
          `Invalid body: runConfig run config may set only ops, not ${section}: execution, resources and loggers come from the product's code location`,
        );
      }
      expect(dagster.requests().map(r => r.operationName)).not.toContain(
        'AkiliLaunchRun',
      );

      const own = await api.post('/v1/products/acme/orders/runs', 'alice', {
        runConfig: { ops: {} },
      });
      expect(own.status).toBe(201);
      expect(dagster.getRun(own.body.runId)?.repositoryOrigin).toEqual({
        repositoryLocationName: 'acme_orders',
        repositoryName: '__repository__',
      });
    });

    it('treats a run whose tags claim a tenant from another tenant’s code location as nobody’s', async () => {
      const api = await start();
      // Launched in globex's code location by someone who set acme's tags (Dagster's UI, a
      // sensor of globex's code): it is not acme's, and not globex's either.
      const forged = dagster.addRun({
        jobName: 'shipments_daily',
        status: 'STARTED',
        tags: productTags('acme', 'orders'),
      });
      // acme's code location, but a product tag of globex: not a run of acme.
      const foreignProduct = dagster.addRun({
        jobName: 'orders_hourly',
        status: 'FAILURE',
        tags: {
          'akili/tenant': 'acme',
          'akili/product': 'dataproduct:globex/shipments',
        },
      });
      // acme-evil's location with acme's tag: the tenant prefix is not enough.
      const prefixed = dagster.addRun({
        jobName: 'reports_daily',
        status: 'FAILURE',
        tags: { 'akili/tenant': 'acme' },
      });
      const own = dagster.addRun({
        jobName: 'orders_hourly',
        status: 'FAILURE',
        tags: productTags('acme', 'orders'),
      });

      const list = await api.get('/v1/products/acme/orders/runs', 'alice');
      expect(list.body.items.map((r: any) => r.runId)).toEqual([own.runId]);
      const all = await api.get('/v1/tenants/acme/runs', 'olga');
      expect(all.body.items.map((r: any) => r.runId)).toEqual([own.runId]);

      for (const runId of [
        forged.runId,
        foreignProduct.runId,
        prefixed.runId,
      ]) {
        for (const [user, call] of [
          ['olga', () => api.get(`/v1/runs/${runId}`, 'olga')],
          ['olga', () => api.get(`/v1/runs/${runId}/logs`, 'olga')],
          ['olga', () => api.post(`/v1/runs/${runId}/terminate`, 'olga')],
          [
            'alice',
            () =>
              api.post(`/v1/runs/${runId}/reexecute`, 'alice', {
                strategy: 'ALL_STEPS',
              }),
          ],
          // The tenant of the code location does not get it either: the tags are not its.
          ['bob', () => api.get(`/v1/runs/${runId}`, 'bob')],
          ['eve', () => api.get(`/v1/runs/${runId}`, 'eve')],
        ] as const) {
          const res = await call();
          expect({ user, runId, status: res.status }).toEqual({
            user,
            runId,
            status: 404,
          });
          expect(res.body.error.message).toBe(`No run ${runId}`);
        }
      }
      expect(dagster.getRun(forged.runId)?.status).toBe('STARTED');
      expect(
        dagster
          .requests()
          .map(r => r.operationName)
          .filter(name =>
            ['AkiliTerminateRun', 'AkiliReexecuteRun'].includes(name ?? ''),
          ),
      ).toEqual([]);
      expect(api.logs).toContainEqual({
        level: 'warn',
        message: 'Refused a run whose tags claim a tenant',
        meta: {
          runId: forged.runId,
          claimedTenant: 'acme',
          reason: 'its code location is not one of the tagged tenant',
        },
      });
      // The run of acme's own location and product is acme's.
      expect((await api.get(`/v1/runs/${own.runId}`, 'alice')).status).toBe(
        200,
      );
    });

    it('pages on past runs it does not show', async () => {
      const api = await start();
      const mine: string[] = [];
      for (let i = 0; i < 4; i++) {
        mine.push(
          dagster.addRun({
            jobName: 'orders_hourly',
            status: 'SUCCESS',
            tags: productTags('acme', 'orders'),
          }).runId,
        );
        for (let j = 0; j < 3; j++) {
          dagster.addRun({
            jobName: 'shipments_daily',
            status: 'SUCCESS',
            tags: productTags('acme', 'orders'),
          });
        }
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 20; page++) {
        const res = await api.get(
          `/v1/products/acme/orders/runs?limit=2${
            cursor ? `&cursor=${cursor}` : ''
          }`,
          'alice',
        );
        expect(res.status).toBe(200);
        seen.push(...res.body.items.map((r: any) => r.runId));
        cursor = res.body.nextCursor;
        if (!cursor) break;
      }
      expect(seen).toEqual([...mine].reverse());
    });

    it('answers Dagster’s failures without Dagster’s own text, which may name other tenants', async () => {
      const api = await start();
      // A Python error of the kind Dagster raises when a job is missing: it lists what it found.
      dagster.failNext(1, 'python-error', {
        message: `dagster._core.errors.DagsterInvariantViolationError: Could not find job 'orders_hourly'. Found: '${SECRET}.shipments_daily', 'acme-evil_reports.reports_daily'.\n`,
        className: 'DagsterInvariantViolationError',
        stack: [
          `  File "/opt/dagster/code/${SECRET}/definitions.py", line 12, in <module>\n`,
        ],
      });
      const python = await api.post('/v1/products/acme/orders/runs', 'alice');
      expect(python.status).toBe(502);
      expect(python.body.error).toMatchObject({
        name: 'DagsterFailedError',
        message:
          "Dagster failed launching orders_hourly of dataproduct:acme/orders (DagsterInvariantViolationError); the portal's log has Dagster's error",
      });
      expect(JSON.stringify(python.body)).not.toMatch(
        /globex|evil|definitions\.py/,
      );

      // A resolver exception: HTTP 500 with Dagster's message in `errors[]`.
      dagster.failNext(1, 'resolver-error', {
        message: `dagster._core.errors.DagsterCodeLocationNotFoundError: Location ${SECRET} is loading\n`,
      });
      const crashed = await api.get('/v1/products/acme/orders/runs', 'alice');
      expect(crashed.status).toBe(503);
      expect(crashed.body.error.message).toBe(
        `Dagster at ${dagster.url} failed (AkiliListRuns): HTTP 500`,
      );
      expect(JSON.stringify(crashed.body)).not.toContain(SECRET);

      // Dagster's suggestions for an asset selection come from its asset graph: not passed on.
      const subset = await api.post('/v1/products/acme/orders/runs', 'alice', {
        assetKeys: [['sales', 'returns']],
      });
      expect(subset.status).toBe(400);
      expect(subset.body.error.message).toBe(
        'Dagster refused launching orders_hourly of dataproduct:acme/orders: the selected assets or steps are not part of the job',
      );

      // What Dagster said is in the log, for operators.
      const logged = api.logs.filter(
        entry =>
          entry.level === 'warn' &&
          JSON.stringify(entry.meta ?? {}).includes(SECRET),
      );
      expect(logged.map(entry => entry.message)).toEqual([
        'Dagster answered an operation with a failure',
        'Dagster failed a request',
      ]);
    });
  },
);
