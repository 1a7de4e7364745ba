import { randomBytes } from 'node:crypto';
import { TestDatabases, TestDatabaseId } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { TenantScopedDatabase } from '../database/TenantScopedDatabase';
import { prepareTenantRole } from '../database/tenantRole';
import { requireTestDatabaseIds } from '../testUtils';
import { akiliMigrationsV1 as m } from './v1';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });
const allIds = databases.eachSupportedId();
const postgresIds = allIds.filter(([id]) => id.startsWith('POSTGRES'));
const describePostgres = postgresIds.length > 0 ? describe : describe.skip;

const OUTBOX = 'akili_event_outbox';
const PROCESSED = 'akili_processed_events';
const AUDIT = 'plugin_audit';

/** A plugin's migrations over the years, as an in-memory knex migration source. */
const migrations: Record<string, Knex.Migration> = {
  '1_events.js': {
    async up(knex) {
      await m.createEventOutboxTable(knex);
      await m.createProcessedEventsTable(knex);
      await m.createDeadLettersTable(knex);
    },
    async down(knex) {
      await m.dropDeadLettersTable(knex);
      await m.dropProcessedEventsTable(knex);
      await m.dropEventOutboxTable(knex);
    },
  },
  '2_audit.js': {
    async up(knex) {
      await knex.schema.createTable(AUDIT, t => {
        t.bigIncrements('id');
        t.text('tenant_id').notNullable();
        t.text('what').notNullable();
      });
      await m.enableTenantIsolation(knex, AUDIT);
    },
    async down(knex) {
      await m.disableTenantIsolation(knex, AUDIT);
      await knex.schema.dropTable(AUDIT);
    },
  },
  '3_event_ids_per_tenant.js': {
    up: knex =>
      m.keyEventIdsByTenant(knex, {
        outbox: OUTBOX,
        processedEvents: PROCESSED,
      }),
    down: knex =>
      m.unkeyEventIdsByTenant(knex, {
        outbox: OUTBOX,
        processedEvents: PROCESSED,
      }),
  },
  '4_audit_append_only.js': {
    up: knex => m.makeAppendOnly(knex, AUDIT),
    down: knex => m.undoAppendOnly(knex, AUDIT),
  },
};

const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: name => name,
  getMigration: async name => migrations[name],
};

function outboxRow(eventId: string) {
  return {
    event_id: eventId,
    topic: 'akili.x.product',
    message_key: 'k',
    payload: '{}',
  };
}

/** Writes the same event id as two tenants: in the outbox and as processed by one group. */
async function sameEventIdInTwoTenants(db: TenantScopedDatabase) {
  for (const tenant of ['acme', 'globex']) {
    await db.withTenant(tenant, async tx => {
      await db.insert(tx, OUTBOX, outboxRow('e-1'));
      await db.insert(tx, PROCESSED, {
        consumer_group: 'akili.test.g',
        event_id: 'e-1',
      });
    });
  }
}

describe('akiliMigrationsV1', () => {
  it.each(allIds)(
    'keys event ids by tenant, up and down, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const db = TenantScopedDatabase.create(knex);
      await knex.migrate.up({ migrationSource }); // 1_events
      await knex.migrate.up({ migrationSource }); // 2_audit

      // Before: the id of one tenant's event blocks (or, in a consumer, skips) another's.
      await db.withTenant('acme', async tx => {
        await db.insert(tx, OUTBOX, outboxRow('e-0'));
        await db.insert(tx, PROCESSED, {
          consumer_group: 'akili.test.g',
          event_id: 'e-0',
        });
      });
      await expect(
        db.withTenant('globex', tx =>
          db.insert(tx, PROCESSED, {
            consumer_group: 'akili.test.g',
            event_id: 'e-0',
          }),
        ),
      ).rejects.toMatchObject({
        message: expect.stringMatching(/unique|duplicate/i),
      });

      await knex.migrate.up({ migrationSource }); // 3_event_ids_per_tenant
      await sameEventIdInTwoTenants(db);
      // Still one per tenant.
      for (const table of [OUTBOX, PROCESSED]) {
        await expect(
          db.withTenant('acme', tx =>
            db.insert(
              tx,
              table,
              table === OUTBOX
                ? outboxRow('e-1')
                : { consumer_group: 'akili.test.g', event_id: 'e-1' },
            ),
          ),
        ).rejects.toMatchObject({
          message: expect.stringMatching(/unique|duplicate/i),
        });
      }
      const marks = await db.withTenant('globex', tx =>
        db.scoped(tx, PROCESSED).select('event_id'),
      );
      expect(marks).toEqual([{ event_id: 'e-1' }]);

      // Down again: the narrower keys cannot hold two tenants' ids, so those go first.
      await db.withTenant('globex', async tx => {
        await db.scoped(tx, OUTBOX).delete();
        await db.scoped(tx, PROCESSED).delete();
      });
      await knex.migrate.down({ migrationSource }); // 3
      await expect(
        db.withTenant('globex', tx =>
          db.insert(tx, PROCESSED, {
            consumer_group: 'akili.test.g',
            event_id: 'e-1',
          }),
        ),
      ).rejects.toMatchObject({
        message: expect.stringMatching(/unique|duplicate/i),
      });
      await knex.migrate.rollback({ migrationSource }, true);
      for (const table of [OUTBOX, PROCESSED, AUDIT, 'akili_dead_letters']) {
        expect(await knex.schema.hasTable(table)).toBe(false);
      }
    },
  );

  it.each(allIds)(
    'makes an audit table append-only, and undoes it, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ migrationSource });
      const db = TenantScopedDatabase.create(knex);
      await db.withTenant('acme', tx => db.insert(tx, AUDIT, { what: 'a' }));
      const changes = [
        (tx: Knex.Transaction) =>
          db.scoped(tx, AUDIT).update({ what: 'rewritten' }),
        (tx: Knex.Transaction) => db.scoped(tx, AUDIT).delete(),
      ];
      for (const change of changes) {
        const outcome = await db.withTenant('acme', change).then(
          count => `changed ${count}`,
          (error: Error) => error.message,
        );
        // PostgreSQL, as the owner (FORCE): no policy lets a row change (the tenant role is refused
        // outright, below). SQLite: the triggers refuse.
        expect(outcome).toMatch(
          db.enforcesRowLevelSecurity ? /^changed 0$/ : /append-only/,
        );
      }
      expect(
        await db.withTenant('acme', tx => db.scoped(tx, AUDIT).select('what')),
      ).toEqual([{ what: 'a' }]);

      await knex.migrate.down({ migrationSource });
      expect(
        await db.withTenant('acme', tx =>
          db.scoped(tx, AUDIT).update({ what: 'b' }),
        ),
      ).toBe(1);
    },
  );
});

describePostgres('append-only tables for the tenant role', () => {
  const databaseId = postgresIds[0][0] as TestDatabaseId;
  const role = `akili_append_${randomBytes(5).toString('hex')}`;
  let owner: Knex;

  beforeAll(async () => {
    owner = await databases.init(databaseId);
    await owner.migrate.latest({ migrationSource });
    await owner.raw('CREATE ROLE ?? NOLOGIN', [role]);
    await owner.raw('GRANT ?? TO CURRENT_USER', [role]);
    // A grant of every command from before the table became append-only goes.
    await owner.raw('GRANT UPDATE, DELETE ON TABLE ?? TO ??', [AUDIT, role]);
    await prepareTenantRole(owner, role);
  });

  afterAll(async () => {
    await owner.raw('DROP OWNED BY ??', [role]).catch(() => {});
    await owner.raw('DROP ROLE IF EXISTS ??', [role]);
  });

  it('grants the tenant role SELECT and INSERT only, and every command elsewhere', async () => {
    const grants = await owner.raw(
      `SELECT table_name, string_agg(privilege_type, ',' ORDER BY privilege_type) AS p
         FROM information_schema.role_table_grants WHERE grantee = ? GROUP BY table_name
         ORDER BY table_name`,
      [role],
    );
    expect(grants.rows).toEqual([
      { table_name: 'akili_dead_letters', p: 'DELETE,INSERT,SELECT,UPDATE' },
      { table_name: OUTBOX, p: 'DELETE,INSERT,SELECT,UPDATE' },
      { table_name: PROCESSED, p: 'DELETE,INSERT,SELECT,UPDATE' },
      { table_name: AUDIT, p: 'INSERT,SELECT' },
    ]);
    const { rows: policies } = await owner.raw(
      'SELECT policyname, cmd FROM pg_policies WHERE tablename = ? ORDER BY policyname',
      [AUDIT],
    );
    expect(policies).toEqual([
      { policyname: 'tenant_append', cmd: 'INSERT' },
      { policyname: 'tenant_read', cmd: 'SELECT' },
    ]);
  });

  it('lets the tenant role read and append its entries, and refuses UPDATE and DELETE', async () => {
    const db = TenantScopedDatabase.create(owner, { tenantRole: role });
    await db.withTenant('acme', tx => db.insert(tx, AUDIT, { what: 'x' }));
    await expect(
      db.withTenant('acme', tx => db.insert(tx, AUDIT, { what: 'y' })),
    ).resolves.toBeDefined();
    expect(await db.withTenant('acme', tx => tx(AUDIT).select('what'))).toEqual(
      expect.arrayContaining([{ what: 'x' }, { what: 'y' }]),
    );
    await expect(
      db.withTenant('acme', tx =>
        db.scoped(tx, AUDIT).update({ what: 'rewritten' }),
      ),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/permission denied/),
    });
    await expect(
      db.withTenant('acme', tx => db.scoped(tx, AUDIT).delete()),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/permission denied/),
    });
    // Another tenant's entries are invisible, and cannot be planted.
    expect(await db.withTenant('globex', tx => tx(AUDIT).select())).toEqual([]);
    await expect(
      db.withTenant('globex', tx =>
        tx(AUDIT).insert({ tenant_id: 'acme', what: 'planted' }),
      ),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/row-level security/),
    });
  });
});

describe('akiliMigrationsV1 is frozen', () => {
  /** Every statement a step sends, with its bindings, on an in-memory SQLite or PostgreSQL. */
  async function statementsOf(
    knex: Knex,
    step: (k: Knex) => Promise<void>,
  ): Promise<string[]> {
    const sent: string[] = [];
    const record = (query: { sql: string; bindings?: unknown[] }) =>
      sent.push(
        // knex names SQLite's temporary copy of an altered table at random.
        `${query.sql} ${JSON.stringify(query.bindings ?? [])}`.replace(
          /_knex_temp_alter\d+/g,
          '_knex_temp_alter',
        ),
      );
    knex.on('query', record);
    try {
      await step(knex);
    } finally {
      knex.removeListener('query', record);
    }
    return sent;
  }

  it.each(allIds)(
    'sends exactly the statements it always sent (never edit v1: add a step), %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const steps: Array<[string, (k: Knex) => Promise<void>]> = [
        ['createEventOutboxTable', k => m.createEventOutboxTable(k)],
        ['createProcessedEventsTable', k => m.createProcessedEventsTable(k)],
        ['createDeadLettersTable', k => m.createDeadLettersTable(k)],
        [
          'create audit',
          k =>
            k.schema.createTable(AUDIT, t => {
              t.bigIncrements('id');
              t.text('tenant_id').notNullable();
            }),
        ],
        [
          'enableTenantIsolation platformReadable',
          k => m.enableTenantIsolation(k, AUDIT, { platformReadable: true }),
        ],
        ['makeAppendOnly', k => m.makeAppendOnly(k, AUDIT)],
        ['undoAppendOnly', k => m.undoAppendOnly(k, AUDIT)],
        ['disableTenantIsolation', k => m.disableTenantIsolation(k, AUDIT)],
        [
          'enableTenantIsolation appendOnly',
          k => m.enableTenantIsolation(k, AUDIT, { appendOnly: true }),
        ],
        [
          'keyEventIdsByTenant',
          k =>
            m.keyEventIdsByTenant(k, {
              outbox: OUTBOX,
              processedEvents: PROCESSED,
            }),
        ],
        [
          'unkeyEventIdsByTenant',
          k =>
            m.unkeyEventIdsByTenant(k, {
              outbox: OUTBOX,
              processedEvents: PROCESSED,
            }),
        ],
        ['dropDeadLettersTable', k => m.dropDeadLettersTable(k)],
        ['dropProcessedEventsTable', k => m.dropProcessedEventsTable(k)],
        ['dropEventOutboxTable', k => m.dropEventOutboxTable(k)],
      ];
      const sent: Record<string, string[]> = {};
      for (const [name, step] of steps) {
        sent[name] = await statementsOf(knex, step);
      }
      expect(sent).toMatchSnapshot(
        databaseId.startsWith('POSTGRES') ? 'postgres' : 'sqlite',
      );
    },
  );
});
