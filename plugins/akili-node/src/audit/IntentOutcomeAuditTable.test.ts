import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { requireTestDatabaseIds } from '../testUtils';
import { akiliMigrationsV1 } from '../migrations/v1';
import { TenantScopedDatabase } from '../database/TenantScopedDatabase';
import {
  IntentOutcomeAuditRow,
  IntentOutcomeAuditTable,
} from './IntentOutcomeAuditTable';
import { runAuditedAction } from './intentAndOutcome';

jest.setTimeout(60_000);

const { enableTenantIsolation, disableTenantIsolation } = akiliMigrationsV1;

const TABLE = 'test_publish_audit';

/** What a plugin's `migrations/` folder would hold: an audit table as the plugins' own. */
const migrations: Record<string, Knex.Migration> = {
  '20250101000000_create_publish_audit.js': {
    async up(knex) {
      await knex.schema.createTable(TABLE, table => {
        table.bigIncrements('id').primary();
        table.text('tenant_id').notNullable();
        table.string('kind', 16).notNullable();
        table.bigInteger('intent_id').nullable();
        table.string('actor', 255).notNullable();
        table.string('topic', 255).notNullable();
        table.integer('offset').nullable();
        table.string('outcome', 16).nullable();
        table.text('details').notNullable();
        table.timestamp('at', { useTz: true }).notNullable();
      });
      await enableTenantIsolation(knex, TABLE, { appendOnly: true });
    },
    async down(knex) {
      await disableTenantIsolation(knex, TABLE);
      await knex.schema.dropTable(TABLE);
    },
  },
};

const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: name => name,
  getMigration: async name => migrations[name],
};

interface Intent {
  actor: string;
  topic: string;
}
type Outcome =
  | { outcome: 'published'; offset: number }
  | { outcome: 'failed'; error: string };
interface Row extends IntentOutcomeAuditRow {
  actor: string;
  topic: string;
  offset: number | string | null;
}
interface Entry extends Intent {
  id: string;
  tenant: string;
  outcome: string;
  offset?: number;
  error?: string;
}

function auditTable(db: TenantScopedDatabase) {
  return new IntentOutcomeAuditTable<Intent, Outcome, Row, Entry>(db, {
    table: TABLE,
    maxErrorLength: 10,
    intentColumns: intent => ({ actor: intent.actor, topic: intent.topic }),
    outcomeColumns: (intent, outcome) => ({
      actor: intent.actor,
      topic: intent.topic,
      offset: outcome.outcome === 'published' ? outcome.offset : null,
    }),
    listedKinds: ['intent', 'record'],
    toEntry: (row, outcome, error) => ({
      id: String(row.id),
      tenant: row.tenant_id,
      actor: row.actor,
      topic: row.topic,
      outcome:
        row.kind === 'record' ? 'published' : outcome?.outcome ?? 'unknown',
      ...(outcome?.offset !== null && outcome?.offset !== undefined
        ? { offset: Number(outcome.offset) }
        : {}),
      ...(error !== undefined ? { error } : {}),
    }),
  });
}

const intent: Intent = { actor: 'user:default/olga', topic: 'orders' };

const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });

describe.each(databases.eachSupportedId())(
  'IntentOutcomeAuditTable on %p',
  databaseId => {
    let knex: Knex;
    let db: TenantScopedDatabase;
    let audit: ReturnType<typeof auditTable>;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await knex.migrate.latest({ migrationSource });
      db = TenantScopedDatabase.create(knex);
      audit = auditTable(db);
    });

    /** Runs an audited publish, as a plugin's router would. */
    async function publish(
      tenant: string,
      action: () => Promise<number>,
      seen: Entry[][] = [],
    ) {
      let intentId = '';
      return runAuditedAction({
        intent: async () => {
          intentId = await audit.recordIntent(tenant, intent);
        },
        action: async () => {
          // Another transaction: the intent is committed before the action runs.
          seen.push((await audit.list(tenant, { limit: 10 })).items);
          return action();
        },
        succeeded: offset =>
          audit.recordOutcome(tenant, intentId, intent, {
            outcome: 'published',
            offset,
          }),
        failed: error =>
          audit.recordOutcome(tenant, intentId, intent, {
            outcome: 'failed',
            error: String(error),
          }),
      });
    }

    it('commits the intent before the action and joins each outcome to its intent', async () => {
      const seen: Entry[][] = [];
      await expect(publish('acme', async () => 42, seen)).resolves.toBe(42);
      expect(seen[0]).toEqual([
        expect.objectContaining({ tenant: 'acme', outcome: 'unknown' }),
      ]);
      await expect(
        publish('acme', async () => {
          throw new Error('broker unreachable');
        }),
      ).rejects.toThrow('broker unreachable');

      const { items, nextCursor } = await audit.list('acme', { limit: 10 });
      expect(nextCursor).toBeUndefined();
      expect(items).toEqual([
        {
          id: expect.any(String),
          tenant: 'acme',
          ...intent,
          outcome: 'failed',
          // `Error: broker unreachable`, cut at maxErrorLength.
          error: 'Error: bro',
        },
        {
          id: seen[0][0].id,
          tenant: 'acme',
          ...intent,
          outcome: 'published',
          offset: 42,
        },
      ]);
      const rows: Row[] = await db.withTenant('acme', tx =>
        db.scoped(tx, TABLE).where('kind', 'outcome'),
      );
      expect(rows.map(row => JSON.parse(row.details))).toEqual(
        expect.arrayContaining([{}, { error: 'Error: bro' }]),
      );
    });

    it('pages newest first by cursor, with rows of other listed kinds', async () => {
      await db.withTenant('acme', tx =>
        db.insert(tx, TABLE, {
          kind: 'record',
          ...intent,
          details: '{}',
          at: new Date(),
        }),
      );
      const ids = [];
      for (let i = 0; i < 3; i += 1) {
        ids.push(await audit.recordIntent('acme', intent));
      }
      await audit.recordOutcome('acme', ids[0], intent, {
        outcome: 'published',
        offset: 7,
      });

      const first = await audit.list('acme', { limit: 2 });
      expect(first.items.map(e => e.id)).toEqual([ids[2], ids[1]]);
      expect(first.nextCursor).toBe(ids[1]);
      const second = await audit.list('acme', {
        limit: 2,
        before: first.nextCursor,
      });
      expect(second.items.map(e => [e.id, e.outcome, e.offset])).toEqual([
        [ids[0], 'published', 7],
        [expect.any(String), 'published', undefined],
      ]);
      expect(second.nextCursor).toBeUndefined();
    });

    it('keeps tenants apart: another tenant neither sees nor answers an intent', async () => {
      const acmeIntent = await audit.recordIntent('acme', intent);
      // An attacker of globex names acme's intent in an outcome of its own.
      await audit.recordOutcome('globex', acmeIntent, intent, {
        outcome: 'failed',
        error: 'forged',
      });
      await audit.recordIntent('globex', { ...intent, topic: 'shipments' });

      const acme = await audit.list('acme', { limit: 10 });
      expect(acme.items).toEqual([
        expect.objectContaining({ id: acmeIntent, outcome: 'unknown' }),
      ]);
      expect(acme.items[0].error).toBeUndefined();
      const globex = await audit.list('globex', { limit: 10 });
      expect(globex.items.map(e => [e.tenant, e.topic])).toEqual([
        ['globex', 'shipments'],
      ]);
      await expect(
        audit.list('globex', {
          limit: 10,
          before: String(Number.MAX_SAFE_INTEGER),
        }),
      ).resolves.toEqual({
        items: [expect.objectContaining({ tenant: 'globex' })],
      });
    });
  },
);
