import { randomBytes } from 'node:crypto';
import { TestDatabases } from '@backstage/backend-test-utils';
import { TenantScopedDatabase } from '@akili/plugin-akili-node';
import { requireTestDatabaseIds } from '@akili/plugin-akili-node/testUtils';
import {
  DagsterTestServer,
  startDagsterTestServer,
} from '@akili/dagster-test-server';
import { RunAuditEntry } from '@akili/plugin-dagster-common';
import { product, productTags, startRunsApi } from '../__testUtils__/runsApi';

jest.setTimeout(60_000);

const entities = [
  product('acme', 'orders', {
    codeLocation: 'acme_orders',
    job: 'orders_hourly',
  }),
];

const AUDIT = 'dagster_run_audit';

describe.each(requireTestDatabaseIds())('the run audit on %s', databaseId => {
  const databases = TestDatabases.create({ ids: [databaseId] });
  let dagster: DagsterTestServer;

  beforeEach(async () => {
    dagster = await startDagsterTestServer({
      locations: [
        {
          name: 'acme_orders',
          repositories: [{ jobs: [{ name: 'orders_hourly' }] }],
        },
      ],
    });
  });

  afterEach(async () => {
    dagster.assertNoInvalidRequests();
    await dagster.stop();
  });

  const start = (config?: Parameters<typeof startRunsApi>[0]['config']) =>
    startRunsApi({ databases, databaseId, dagster, entities, config });

  async function audit(api: Awaited<ReturnType<typeof start>>) {
    const res = await api.get('/v1/tenants/acme/run-audit', 'olga');
    expect(res.status).toBe(200);
    return res.body.items as RunAuditEntry[];
  }

  it('records the intent before asking Dagster and the outcome after', async () => {
    const api = await start();
    // Dagster answers late: while it has not, the intent is already on record.
    dagster.setLatency(1500);
    const launching = api
      .post('/v1/products/acme/orders/runs', 'alice')
      .then(res => res);
    let pending: RunAuditEntry[] = [];
    for (let i = 0; i < 100 && pending.length === 0; i++) {
      await new Promise(resolve => setTimeout(resolve, 50));
      pending = await audit(api);
    }
    expect(pending).toEqual([
      expect.objectContaining({
        action: 'run.launched',
        actor: 'user:default/alice',
        product: 'dataproduct:acme/orders',
        details: { job: 'orders_hourly' },
        outcome: 'unknown',
      }),
    ]);
    expect(pending[0].runId).toBeUndefined();
    // Had the portal stopped here, this "unknown" would be the record that a launch was asked.
    const launched = await launching;
    dagster.setLatency(0);
    expect(launched.status).toBe(201);

    const [done] = await audit(api);
    expect(done).toMatchObject({
      id: pending[0].id,
      at: pending[0].at,
      outcome: 'succeeded',
      runId: launched.body.runId,
    });
    expect(Date.parse(done.outcomeAt!)).toBeGreaterThanOrEqual(
      Date.parse(done.at),
    );
    // The run names its intent, so an "unknown" can be matched to a run in Dagster.
    expect(dagster.getRun(launched.body.runId)?.tags).toMatchObject({
      'akili/audit-intent': done.id,
    });
  });

  it('records a failed outcome when Dagster is down or refuses, with what the caller was told', async () => {
    const api = await start();
    // From a repository the location no longer has: Dagster cannot re-execute it.
    const failed = dagster.addRun({
      jobName: 'orders_hourly',
      status: 'FAILURE',
      tags: productTags('acme', 'orders'),
      repositoryOrigin: {
        repositoryLocationName: 'acme_orders',
        repositoryName: 'retired',
      },
    });
    const finished = dagster.addRun({
      jobName: 'orders_hourly',
      status: 'SUCCESS',
      tags: productTags('acme', 'orders'),
    });

    await dagster.setDown(true);
    const down = await api.post('/v1/products/acme/orders/runs', 'alice');
    expect(down.status).toBe(503);
    await dagster.setDown(false);

    const gone = await api.post(`/v1/runs/${failed.runId}/reexecute`, 'alice');
    expect(gone.status).toBe(404);

    const refused = await api.post(
      `/v1/runs/${finished.runId}/terminate`,
      'olga',
    );
    expect(refused.status).toBe(409);

    const entries = await audit(api);
    expect(
      entries.map(e => [e.action, e.outcome, e.runId, e.details, e.error]),
    ).toEqual([
      [
        'run.terminated',
        'failed',
        finished.runId,
        { statusBefore: 'SUCCESS' },
        `ConflictError: ${refused.body.error.message}`,
      ],
      [
        'run.reexecuted',
        'failed',
        undefined,
        { parentRunId: failed.runId, strategy: 'FROM_FAILURE' },
        `NotFoundError: ${gone.body.error.message}`,
      ],
      [
        'run.launched',
        'failed',
        undefined,
        { job: 'orders_hourly' },
        `DagsterUnavailableError: ${down.body.error.message}`,
      ],
    ]);
    // Refusals before Dagster is asked (no permission, bad input) are not run control.
    expect(
      (await api.post('/v1/products/acme/orders/runs', 'carl')).status,
    ).toBe(403);
    expect(
      (
        await api.post('/v1/products/acme/orders/runs', 'alice', {
          job: 'nope',
        })
      ).status,
    ).toBe(400);
    expect(await audit(api)).toHaveLength(3);
  });

  it('asks Dagster nothing when the intent cannot be recorded', async () => {
    const api = await start();
    // The audit table is gone (a broken database): no intent, so no launch.
    await api.knex.schema.renameTable(AUDIT, 'dagster_run_audit_away');
    const res = await api.post('/v1/products/acme/orders/runs', 'alice');
    expect(res.status).toBe(500);
    expect(dagster.requests().map(r => r.operationName)).not.toContain(
      'AkiliLaunchRun',
    );
    await api.knex.schema.renameTable('dagster_run_audit_away', AUDIT);
    expect(await audit(api)).toEqual([]);
  });

  it('keeps the trail append-only: rows are never changed or deleted', async () => {
    const api = await start();
    expect(
      (await api.post('/v1/products/acme/orders/runs', 'alice')).status,
    ).toBe(201);
    const db = TenantScopedDatabase.create(api.knex);
    const rows = () =>
      db.withTenant('acme', tx => tx(AUDIT).select().orderBy('id'));
    const before = await rows();
    expect(before.map(row => row.kind)).toEqual(['intent', 'outcome']);
    // (Settled by hand, not `rejects.toThrow`: a driver's error may come from another realm.)
    const settle = (attempt: Promise<unknown>) =>
      attempt.then(
        changed => `changed ${changed}`,
        (error: Error) =>
          /append-only/.test(String(error?.message))
            ? 'refused as append-only'
            : String(error?.message),
      );
    const answers = [
      await settle(
        db.withTenant('acme', tx =>
          tx(AUDIT).update({ actor: 'user:default/mallory' }),
        ),
      ),
      await settle(db.withTenant('acme', tx => tx(AUDIT).delete())),
    ];
    // PostgreSQL: no policy lets anyone (the owner included, row-level security is forced) change
    // or delete a row; the tenant role is refused outright (below). SQLite: triggers refuse.
    const expected = db.enforcesRowLevelSecurity
      ? ['changed 0', 'changed 0']
      : ['refused as append-only', 'refused as append-only'];
    expect(answers).toEqual(expected);
    expect(await rows()).toEqual(before);
  });

  if (databaseId.startsWith('POSTGRES')) {
    it('lets the tenant role read and append to the trail, and refuses it UPDATE and DELETE', async () => {
      const role = `akili_tenant_${randomBytes(5).toString('hex')}`;
      const cluster = await databases.init(databaseId);
      await cluster.raw('CREATE ROLE ?? NOLOGIN', [role]);
      await cluster.raw('GRANT ?? TO CURRENT_USER', [role]);
      let api: Awaited<ReturnType<typeof start>> | undefined;
      try {
        api = await start({
          akili: { database: { tenantRole: role } },
        });
        // The plugin writes its audit as the tenant role: intent and outcome are inserted.
        expect(
          (await api.post('/v1/products/acme/orders/runs', 'alice')).status,
        ).toBe(201);
        expect((await audit(api))[0].outcome).toBe('succeeded');

        const db = TenantScopedDatabase.create(api.knex, { tenantRole: role });
        for (const attempt of [
          (tx: any) => tx(AUDIT).update({ actor: 'user:default/mallory' }),
          (tx: any) => tx(AUDIT).delete(),
          (tx: any) => tx.raw('TRUNCATE ??', [AUDIT]),
        ]) {
          const answer = await db.withTenant('acme', attempt).then(
            () => 'done',
            (error: Error) => String(error?.message),
          );
          expect(answer).toMatch(/permission denied/);
        }
        const rows = await db.withTenant('acme', tx =>
          tx(AUDIT).select('kind'),
        );
        expect(rows.map((r: { kind: string }) => r.kind).sort()).toEqual([
          'intent',
          'outcome',
        ]);
      } finally {
        // The role's grants are in the database of the plugin.
        await api?.knex.raw('DROP OWNED BY ??', [role]);
        await cluster.raw('DROP ROLE IF EXISTS ??', [role]);
      }
    });
  }
});
