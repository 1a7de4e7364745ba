import { randomBytes, randomUUID } from 'node:crypto';
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  prepareTenantRole,
  TenantScopedDatabase,
} from '@akili/plugin-akili-node';
import { requireTestDatabaseIds } from '@akili/plugin-akili-node/testUtils';
import {
  MAX_AUDIT_STATEMENT_LENGTH,
  QueryAuditRecord,
  QueryAuditStore,
  STARROCKS_MIGRATIONS_DIRECTORY,
} from './QueryAuditStore';

jest.setTimeout(60_000);

const AUDIT = 'starrocks_query_audit';
const directory = STARROCKS_MIGRATIONS_DIRECTORY;

const entry = (
  tenant: string,
  overrides: Partial<QueryAuditRecord> = {},
): QueryAuditRecord => ({
  id: randomUUID(),
  tenant,
  actorRef: 'user:default/carol',
  statement: `SELECT id FROM ${tenant}_db.orders`,
  products: [`dataproduct:${tenant}/orders`],
  tables: [`default_catalog.${tenant}_db.orders`],
  outcome: 'succeeded',
  rowCount: 3,
  bytes: 12,
  durationMs: 7,
  startedAt: '2026-12-03T07:00:00.000Z',
  ...overrides,
});

describe.each(requireTestDatabaseIds())(
  'query audit store on %s',
  databaseId => {
    const databases = TestDatabases.create({ ids: [databaseId] });

    it('records entries per tenant and pages them newest first, filtered by actor and outcome', async () => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory });
      const store = new QueryAuditStore(TenantScopedDatabase.create(knex));

      const first = entry('acme');
      const refused = entry('acme', {
        actorRef: 'token:acme.t1',
        statement: 'DELETE FROM acme_db.orders',
        products: [],
        tables: [],
        outcome: 'refused',
        message: 'Query refused: only SELECT ... (line 1, column 1)',
        rowCount: 0,
        bytes: 0,
      });
      const long = entry('acme', {
        statement: `SELECT ${'1 + '.repeat(5000)}1`,
        outcome: 'failed',
        message: 'x'.repeat(5000),
      });
      const foreign = entry('globex');
      for (const e of [first, refused, long, foreign]) await store.record(e);

      const page = await store.list('acme', { limit: 2 });
      expect(page.items.map(e => e.id)).toEqual([long.id, refused.id]);
      expect(page.items[0].statement).toHaveLength(MAX_AUDIT_STATEMENT_LENGTH);
      expect(page.items[0].statementTruncated).toBe(true);
      expect(page.items[0].message).toHaveLength(2000);
      expect(page.items[1]).toEqual({
        ...refused,
        startedAt: '2026-12-03T07:00:00.000Z',
      });
      const rest = await store.list('acme', {
        limit: 2,
        before: page.nextCursor,
      });
      expect(rest.items).toEqual([first]);
      expect(rest.nextCursor).toBeUndefined();

      expect(
        (await store.list('acme', { limit: 10, actor: 'token:acme.t1' })).items,
      ).toEqual([refused]);
      expect(
        (
          await store.list('acme', { limit: 10, outcome: 'succeeded' })
        ).items.map(e => e.id),
      ).toEqual([first.id]);
      expect((await store.list('globex', { limit: 10 })).items).toEqual([
        foreign,
      ]);
      expect((await store.list('initech', { limit: 10 })).items).toEqual([]);
    });

    it('migrates up and down', async () => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory });
      expect(await knex.schema.hasTable(AUDIT)).toBe(true);
      await knex.migrate.rollback({ directory }, true);
      expect(await knex.schema.hasTable(AUDIT)).toBe(false);
      await knex.migrate.latest({ directory });
      await new QueryAuditStore(TenantScopedDatabase.create(knex)).record(
        entry('acme'),
      );
    });

    if (databaseId.startsWith('POSTGRES')) {
      it("keeps a tenant's rows from a query that forgets its tenant filter, and never changes a row", async () => {
        const role = `akili_tenant_${randomBytes(5).toString('hex')}`;
        const knex = await databases.init(databaseId);
        await knex.migrate.latest({ directory });
        await knex.raw('CREATE ROLE ?? NOLOGIN', [role]);
        await knex.raw('GRANT ?? TO CURRENT_USER', [role]);
        try {
          // As the plugin runs: transactions switch to a role that owns nothing, RLS forced.
          await prepareTenantRole(knex, role);
          const db = TenantScopedDatabase.create(knex, { tenantRole: role });
          const store = new QueryAuditStore(db);
          await store.record(entry('acme'));
          await store.record(entry('globex', { statement: 'globex secret' }));

          // No tenant filter at all: acme's transaction sees acme's row only ...
          const seen = await db.withTenant('acme', tx =>
            tx(AUDIT).select('tenant_id', 'statement'),
          );
          expect(seen).toEqual([
            { tenant_id: 'acme', statement: 'SELECT id FROM acme_db.orders' },
          ]);
          // ... and a filter naming the other tenant finds nothing.
          expect(
            await db.withTenant('acme', tx =>
              tx(AUDIT).where('tenant_id', 'globex').select('id'),
            ),
          ).toEqual([]);
          // Planting a row in the other tenant's trail is refused by the policy.
          const planted = await db
            .withTenant('acme', tx =>
              tx(AUDIT).insert({
                tenant_id: 'globex',
                query_id: randomUUID(),
                actor: 'user:default/mallory',
                statement: 'planted',
                products: '[]',
                tables: '[]',
                outcome: 'succeeded',
                row_count: 0,
                bytes: 0,
                duration_ms: 0,
                started_at: new Date(),
              }),
            )
            .then(
              () => 'inserted',
              (error: Error) => String(error?.message),
            );
          expect(planted).toMatch(/row-level security/);
          // Append-only: the tenant role may not change or delete its own rows.
          for (const attempt of [
            (tx: any) => tx(AUDIT).update({ statement: 'rewritten' }),
            (tx: any) => tx(AUDIT).delete(),
          ]) {
            const answer = await db.withTenant('acme', attempt).then(
              () => 'done',
              (error: Error) => String(error?.message),
            );
            expect(answer).toMatch(/permission denied/);
          }
          expect(
            (await store.list('globex', { limit: 10 })).items.map(
              e => e.statement,
            ),
          ).toEqual(['globex secret']);
        } finally {
          await knex.raw('DROP OWNED BY ??', [role]);
          await knex.raw('DROP ROLE IF EXISTS ??', [role]);
        }
      });
    }
  },
);
