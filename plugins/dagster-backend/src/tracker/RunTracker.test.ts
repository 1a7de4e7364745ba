import { TestDatabases } from '@backstage/backend-test-utils';
import { AkiliEvent } from '@akili/plugin-akili-common';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  DEFAULT_EVENT_OUTBOX_TABLE,
  EventOutbox,
  TenantScopedDatabase,
} from '@akili/plugin-akili-node';
import { requireTestDatabaseIds } from '@akili/plugin-akili-node/testUtils';
import {
  DagsterTestServer,
  startDagsterTestServer,
} from '@akili/dagster-test-server';
import { DagsterGraphqlClient } from '../client/DagsterGraphqlClient';
import { LogEntry, recordingLogger } from '../__testUtils__/logger';
import { RunFailure, RunTracker } from './RunTracker';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });
const T = Date.UTC(2026, 10, 27, 12) / 1000;

describe.each(databases.eachSupportedId())('run tracker on %p', databaseId => {
  let dagster: DagsterTestServer;

  beforeEach(async () => {
    // Each product's job in its tenant's code location, as in Dagster.
    dagster = await startDagsterTestServer({
      locations: [
        ['acme_orders', 'orders_job'],
        ['acme_customers', 'customers_job'],
        ['acme_adhoc', 'adhoc_job'],
        ['globex_shipments', 'shipments_job'],
      ].map(([name, job]) => ({
        name,
        repositories: [{ jobs: [{ name: job }] }],
      })),
    });
  });
  afterEach(async () => {
    dagster.assertNoInvalidRequests();
    await dagster.stop();
  });

  async function setUp() {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest({
      directory: resolvePackagePath(
        '@akili/plugin-dagster-backend',
        'migrations',
      ),
    });
    const db = TenantScopedDatabase.create(knex);
    const failures: RunFailure[] = [];
    const logs: LogEntry[] = [];
    const tracker = (options: { lookbackSeconds?: number } = {}) =>
      new RunTracker({
        ...options,
        client: new DagsterGraphqlClient({
          baseUrl: dagster.url,
          headers: {},
          timeoutMs: 5000,
        }),
        db,
        outbox: EventOutbox.create(),
        logger: recordingLogger(logs),
        tenants: async () => ['acme', 'globex'],
        onFailure: async failure => {
          failures.push(failure);
        },
        now: () => T * 1000,
      });
    const outbox = (tenant: string): Promise<AkiliEvent[]> =>
      db.withTenant(tenant, async tx =>
        (
          await db
            .scoped(tx, DEFAULT_EVENT_OUTBOX_TABLE)
            .select('payload')
            .orderBy('id')
        ).map((row: { payload: string }) => JSON.parse(row.payload)),
      );
    const cursor = (tenant: string) =>
      db.withTenant(tenant, async tx => {
        const row = await db
          .scoped(tx, 'dagster_run_tracker')
          .first('updated_after');
        return row ? Number(row.updated_after) : undefined;
      });
    return { tracker, failures, outbox, logs, cursor };
  }

  const finished = (
    tenant: string,
    product: string | undefined,
    status: 'SUCCESS' | 'FAILURE' | 'CANCELED',
    at: number,
  ) =>
    dagster.addRun({
      jobName: `${product ?? 'adhoc'}_job`,
      status,
      tags: {
        'akili/tenant': tenant,
        ...(product
          ? { 'akili/product': `dataproduct:${tenant}/${product}` }
          : {}),
      },
      creationTime: at - 100,
      startTime: at - 90,
      endTime: at,
      updateTime: at,
    });

  it('reports each finished run of a product once, in its tenant, and the failures to their owners', async () => {
    const { tracker, failures, outbox } = await setUp();
    // Finished long before the tracker first looked: history, not reported.
    finished('acme', 'orders', 'SUCCESS', T - 3600);
    const ok = finished('acme', 'orders', 'SUCCESS', T + 10);
    const failed = finished('acme', 'customers', 'FAILURE', T + 20);
    finished('acme', undefined, 'SUCCESS', T + 25);
    const globex = finished('globex', 'shipments', 'CANCELED', T + 15);
    dagster.addRun({
      jobName: 'orders_job',
      status: 'STARTED',
      tags: {
        'akili/tenant': 'acme',
        'akili/product': 'dataproduct:acme/orders',
      },
    });

    const first = tracker();
    await expect(first.runOnce()).resolves.toEqual({ reported: 3 });
    const acme = await outbox('acme');
    expect(
      acme.map(e => [e.type, e.tenant, e.subject, e.data.runId, e.data.status]),
    ).toEqual([
      [
        'execution.completed',
        'acme',
        'dataproduct:acme/orders',
        ok.runId,
        'SUCCESS',
      ],
      [
        'execution.completed',
        'acme',
        'dataproduct:acme/customers',
        failed.runId,
        'FAILURE',
      ],
    ]);
    expect(acme[0].data).toMatchObject({
      product: 'dataproduct:acme/orders',
      job: 'orders_job',
      startedAt: new Date((T + 10 - 90) * 1000).toISOString(),
      endedAt: new Date((T + 10) * 1000).toISOString(),
    });
    expect((await outbox('globex')).map(e => e.data.runId)).toEqual([
      globex.runId,
    ]);
    expect(failures).toEqual([
      {
        tenant: 'acme',
        product: 'dataproduct:acme/customers',
        runId: failed.runId,
        job: 'customers_job',
      },
    ]);

    // Again, and after a restart: nothing twice; a newly finished run once.
    await expect(first.runOnce()).resolves.toEqual({ reported: 0 });
    const later = finished('acme', 'orders', 'FAILURE', T + 60);
    await expect(tracker().runOnce()).resolves.toEqual({ reported: 1 });
    await expect(tracker().runOnce()).resolves.toEqual({ reported: 0 });
    expect((await outbox('acme')).map(e => e.data.runId)).toEqual([
      ok.runId,
      failed.runId,
      later.runId,
    ]);
    expect(failures.map(f => f.runId)).toEqual([failed.runId, later.runId]);
  });

  it('reports the runs of a look-back window when it first sees a tenant, without notifying their old failures', async () => {
    const { tracker, failures, outbox } = await setUp();
    finished('acme', 'orders', 'SUCCESS', T - 3 * 3600); // before the window
    const recent = finished('acme', 'orders', 'SUCCESS', T - 3600);
    const oldFailure = finished('acme', 'customers', 'FAILURE', T - 1800);
    const newFailure = finished('acme', 'customers', 'FAILURE', T + 30);
    await expect(
      tracker({ lookbackSeconds: 2 * 3600 }).runOnce(),
    ).resolves.toEqual({ reported: 3 });
    expect((await outbox('acme')).map(e => e.data.runId)).toEqual([
      recent.runId,
      oldFailure.runId,
      newFailure.runId,
    ]);
    expect(failures.map(f => f.runId)).toEqual([newFailure.runId]);
  });

  it('keeps its cursor when Dagster fails, and catches up after', async () => {
    const { tracker, outbox } = await setUp();
    const t = tracker();
    await t.runOnce();
    const run = finished('acme', 'orders', 'SUCCESS', T + 30);
    dagster.failNext(2, 'python-error');
    await expect(t.runOnce()).resolves.toEqual({ reported: 0 });
    expect(await outbox('acme')).toEqual([]);
    await expect(t.runOnce()).resolves.toEqual({ reported: 1 });
    expect((await outbox('acme')).map(e => e.data.runId)).toEqual([run.runId]);
  });

  it('skips runs whose tags its code location or product do not back, logs each once, moves its cursor on and notifies no other tenant', async () => {
    const { tracker, failures, outbox, logs, cursor } = await setUp();
    const t = tracker();
    await t.runOnce();
    const tagged = (
      jobName: string,
      tags: Record<string, string>,
      at: number,
    ) =>
      dagster.addRun({
        jobName,
        status: 'FAILURE',
        tags,
        creationTime: at - 100,
        startTime: at - 90,
        endTime: at,
        updateTime: at,
      });
    const own = finished('acme', 'orders', 'FAILURE', T + 10);
    // globex's code claiming acme's product: would notify acme's owners of globex's run.
    const fromGlobex = tagged(
      'shipments_job',
      {
        'akili/tenant': 'acme',
        'akili/product': 'dataproduct:acme/orders',
      },
      T + 20,
    );
    // acme's code naming a globex product: would notify globex's owners.
    const foreignProduct = tagged(
      'orders_job',
      {
        'akili/tenant': 'acme',
        'akili/product': 'dataproduct:globex/shipments',
      },
      T + 30,
    );
    // No product ref at all: no valid event could be made of it.
    const garbage = tagged(
      'orders_job',
      { 'akili/tenant': 'acme', 'akili/product': 'orders; DROP TABLE' },
      T + 40,
    );
    // A run id given at launch, longer than any the portal stores or links to.
    const longId = dagster.addRun({
      runId: `${'f'.repeat(70)}`,
      jobName: 'orders_job',
      status: 'FAILURE',
      tags: {
        'akili/tenant': 'acme',
        'akili/product': 'dataproduct:acme/orders',
      },
      creationTime: T - 55,
      startTime: T - 50,
      endTime: T + 45,
      updateTime: T + 45,
    });
    // The newest, forged: the cursor still moves past it.
    const newest = tagged(
      'shipments_job',
      { 'akili/tenant': 'acme', 'akili/product': 'dataproduct:acme/customers' },
      T + 50,
    );

    await expect(t.runOnce()).resolves.toEqual({ reported: 1 });
    expect((await outbox('acme')).map(e => e.data.runId)).toEqual([own.runId]);
    expect(await outbox('globex')).toEqual([]);
    expect(failures).toEqual([
      {
        tenant: 'acme',
        product: 'dataproduct:acme/orders',
        runId: own.runId,
        job: 'orders_job',
      },
    ]);
    expect(await cursor('acme')).toBe(T + 50);
    expect(
      logs.filter(e => e.message === 'Skipped a run with an unusable run id'),
    ).toEqual([
      {
        level: 'warn',
        message: 'Skipped a run with an unusable run id',
        meta: { tenant: 'acme', runId: longId.runId },
      },
    ]);
    const skipped = () =>
      logs.filter(e => e.message === 'Skipped a run whose tags claim a tenant');
    expect(skipped().map(e => e.meta)).toEqual([
      {
        tenant: 'acme',
        runId: newest.runId,
        reason: 'its code location is not one of the tagged tenant',
      },
      {
        tenant: 'acme',
        runId: garbage.runId,
        reason: 'the akili/product tag is no product of the tagged tenant',
      },
      {
        tenant: 'acme',
        runId: foreignProduct.runId,
        reason: 'the akili/product tag is no product of the tagged tenant',
      },
      {
        tenant: 'acme',
        runId: fromGlobex.runId,
        reason: 'its code location is not one of the tagged tenant',
      },
    ]);
    expect(logs.filter(e => e.message.startsWith('Could not track'))).toEqual(
      [],
    );

    // Next rounds, and after a restart: logged once, still nothing reported; new runs are.
    await expect(t.runOnce()).resolves.toEqual({ reported: 0 });
    const later = finished('acme', 'orders', 'SUCCESS', T + 60);
    await expect(tracker().runOnce()).resolves.toEqual({ reported: 1 });
    expect(skipped()).toHaveLength(4);
    expect((await outbox('acme')).map(e => e.data.runId)).toEqual([
      own.runId,
      later.runId,
    ]);
    expect(failures).toHaveLength(1);
  });
});
