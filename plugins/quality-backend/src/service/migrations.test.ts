import { TestDatabases } from '@backstage/backend-test-utils';
import { TenantScopedDatabase } from '@akili/plugin-akili-node';
import { requireTestDatabaseIds } from '@akili/plugin-akili-node/testUtils';
import { QUALITY_MIGRATIONS_DIRECTORY } from './QualityStore';

jest.setTimeout(60_000);

const directory = QUALITY_MIGRATIONS_DIRECTORY;
const TABLES = [
  'quality_results',
  'quality_latest',
  'quality_daily',
  'quality_rules',
  'quality_products',
  'quality_incidents',
  'quality_incident_events',
  'akili_processed_events',
  'akili_event_outbox',
];
const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });

describe.each(databases.eachSupportedId())('migrations on %p', databaseId => {
  it('creates every table, keeps one open incident per cause, and goes down and up', async () => {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest({ directory });
    for (const table of TABLES) {
      expect(await knex.schema.hasTable(table)).toBe(true);
    }
    const db = TenantScopedDatabase.create(knex);
    const incident = (state: string) => ({
      product: 'orders',
      cause_kind: 'rule',
      cause_key: 'no_nulls',
      title: 'no_nulls failed',
      state,
      severity: 'error',
      opened_at: new Date(),
      last_failure_at: new Date(),
    });
    await db.withTenant('acme', async tx => {
      await db.insert(tx, 'quality_incidents', incident('resolved'));
      await db.insert(tx, 'quality_incidents', incident('resolved'));
      await db.insert(tx, 'quality_incidents', incident('new'));
    });
    await expect(
      db.withTenant('acme', tx =>
        db.insert(tx, 'quality_incidents', incident('acknowledged')),
      ),
    ).rejects.toThrow(/unique/i);
    // Another tenant's open incident of the same cause is its own.
    await db.withTenant('globex', tx =>
      db.insert(tx, 'quality_incidents', incident('new')),
    );
    // The timeline is append-only.
    await db.withTenant('acme', tx =>
      db.insert(tx, 'quality_incident_events', {
        incident_id: 1,
        at: new Date(),
        actor: 'akili:quality',
        kind: 'opened',
        details: '{}',
      }),
    );
    if (knex.client.config.client === 'pg') {
      // The test user owns the tables (and may bypass row-level security): the policies are
      // what the tenant role gets.
      const { rows } = await knex.raw(
        `SELECT policyname, cmd FROM pg_policies WHERE tablename = 'quality_incident_events' ORDER BY policyname`,
      );
      expect(rows).toEqual([
        { policyname: 'tenant_append', cmd: 'INSERT' },
        { policyname: 'tenant_read', cmd: 'SELECT' },
      ]);
    } else {
      await expect(
        db.withTenant('acme', tx =>
          db.scoped(tx, 'quality_incident_events').update({ kind: 'x' }),
        ),
      ).rejects.toThrow();
    }

    await knex.migrate.rollback({ directory }, true);
    for (const table of TABLES) {
      expect(await knex.schema.hasTable(table)).toBe(false);
    }
    await knex.migrate.latest({ directory });
    for (const table of TABLES) {
      expect(await knex.schema.hasTable(table)).toBe(true);
    }
  });
});
