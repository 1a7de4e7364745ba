import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { AkiliEvent } from '@akili/plugin-akili-common';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  DEFAULT_EVENT_OUTBOX_TABLE,
  EventOutbox,
  TenantScopedDatabase,
  requireTestDatabaseIds,
} from '@akili/plugin-akili-node';
import {
  DagsterTestServer,
  startDagsterTestServer,
} from '@akili/dagster-test-server';
import { DagsterGraphqlClient } from '../client/DagsterGraphqlClient';
import { RunFailure, RunTracker } from './RunTracker';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });
const T = Date.UTC(2026, 10, 27, 12) / 1000;

describe.each(databases.eachSupportedId())('run tracker on %p', databaseId => {
  let dagster: DagsterTestServer;

  beforeEach(async () => {
    dagster = await startDagsterTestServer();
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
    const tracker = () =>
      new RunTracker({
        client: new DagsterGraphqlClient({
          baseUrl: dagster.url,
          headers: {},
          timeoutMs: 5000,
        }),
        db,
        outbox: EventOutbox.create(),
        logger: mockServices.logger.mock(),
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
    return { tracker, failures, outbox };
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
});
