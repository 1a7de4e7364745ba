import { TestDatabases } from '@backstage/backend-test-utils';
import { TenantScopedDatabase } from '@akili/plugin-akili-node';
import { requireTestDatabaseIds } from '@akili/plugin-akili-node/testUtils';
import {
  DAGSTER_MIGRATIONS_DIRECTORY,
  RunAuditIntent,
  RunAuditStore,
} from './RunAuditStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });
const directory = DAGSTER_MIGRATIONS_DIRECTORY;
const FIRST = '20251127000000_run_audit.js';

const launch: RunAuditIntent = {
  action: 'run.launched',
  actor: 'user:default/alice',
  product: 'dataproduct:acme/orders',
  details: { job: 'orders_hourly' },
};

describe.each(databases.eachSupportedId())(
  'run audit store on %p',
  databaseId => {
    it('pairs each intent with its outcome, newest first, per tenant', async () => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory });
      const db = TenantScopedDatabase.create(knex);
      const store = new RunAuditStore(db);

      const first = await store.recordIntent('acme', launch);
      await store.recordOutcome('acme', first, launch, {
        outcome: 'succeeded',
        runId: 'run-1',
      });
      const second = await store.recordIntent('acme', launch);
      await store.recordOutcome('acme', second, launch, {
        outcome: 'failed',
        error: 'DagsterUnavailableError: Dagster could not be reached',
      });
      const pending = await store.recordIntent('acme', {
        ...launch,
        action: 'run.terminated',
        runId: 'run-1',
        details: { statusBefore: 'STARTED' },
      });
      await store.recordIntent('globex', launch);

      const page = await store.list('acme', { limit: 2 });
      expect(page.items.map(e => [e.id, e.outcome, e.runId, e.error])).toEqual([
        [pending, 'unknown', 'run-1', undefined],
        [
          second,
          'failed',
          undefined,
          'DagsterUnavailableError: Dagster could not be reached',
        ],
      ]);
      const rest = await store.list('acme', {
        limit: 2,
        before: page.nextCursor,
      });
      expect(rest.items.map(e => [e.id, e.outcome, e.runId])).toEqual([
        [first, 'succeeded', 'run-1'],
      ]);
      expect(rest.nextCursor).toBeUndefined();
      expect((await store.list('globex', { limit: 10 })).items).toHaveLength(1);
    });

    it('migrates up over the rows of before (each an action that succeeded) and down again', async () => {
      const knex = await databases.init(databaseId);
      await knex.migrate.up({ directory, name: FIRST });
      const db = TenantScopedDatabase.create(knex);
      await db.withTenant('acme', tx =>
        db.insert(tx, 'dagster_run_audit', {
          action: 'run.terminated',
          actor: 'user:default/olga',
          run_id: 'run-0',
          product: 'dataproduct:acme/orders',
          details: JSON.stringify({ statusBefore: 'STARTED' }),
          at: new Date(Date.UTC(2026, 10, 27)),
        }),
      );

      await knex.migrate.latest({ directory });
      const store = new RunAuditStore(db);
      expect((await store.list('acme', { limit: 10 })).items).toEqual([
        expect.objectContaining({
          action: 'run.terminated',
          runId: 'run-0',
          outcome: 'succeeded',
          at: '2026-11-27T00:00:00.000Z',
          outcomeAt: '2026-11-27T00:00:00.000Z',
        }),
      ]);
      const intent = await store.recordIntent('acme', launch);

      await knex.migrate.down({
        directory,
        name: '20261202000000_run_audit_intents.js',
      });
      // The rows stay; the table takes changes again (a down migration leaves no trap behind).
      await db.withTenant('acme', async tx => {
        expect(
          await db.scoped(tx, 'dagster_run_audit').where('id', intent).update({
            actor: 'user:default/alice',
          }),
        ).toBe(1);
        expect(
          await db.scoped(tx, 'dagster_run_audit').count('* as n'),
        ).toEqual([{ n: expect.anything() }]);
      });
      await knex.migrate.latest({ directory });
      expect((await store.list('acme', { limit: 10 })).items).toHaveLength(2);
    });
  },
);
