import { TestDatabases } from '@backstage/backend-test-utils';
import { TenantScopedDatabase } from '../../database/TenantScopedDatabase';
import { requireTestDatabaseIds } from '../../testDatabases';
import {
  createProcessedEventsTable,
  dropProcessedEventsTable,
} from './processedEventsTable';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });
const allIds = databases.eachSupportedId();

describe('createProcessedEventsTable', () => {
  it.each(allIds)(
    'creates a tenant-isolated table unique by group and event id, and drops it, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await createProcessedEventsTable(knex, 'catalog_processed_events');
      const db = TenantScopedDatabase.create(knex);
      const table = 'catalog_processed_events';

      await db.withTenant('acme', async tx => {
        await db.insert(tx, table, { consumer_group: 'g1', event_id: 'e1' });
        await db.insert(tx, table, { consumer_group: 'g2', event_id: 'e1' });
      });
      // Not toThrow: better-sqlite3's error may come from another realm than jest's Error.
      await expect(
        db.withTenant('acme', tx =>
          db.insert(tx, table, { consumer_group: 'g1', event_id: 'e1' }),
        ),
      ).rejects.toMatchObject({
        message: expect.stringMatching(/unique|duplicate/i),
      });

      const rows = await db.withTenant('acme', tx =>
        db.scoped(tx, table).select(),
      );
      expect(rows).toHaveLength(2);
      expect(rows[0].processed_at).toBeTruthy();
      expect(rows[0].tenant_id).toBe('acme');

      // PostgreSQL: row-level security, not only the explicit filter, hides other tenants' rows
      // from an unfiltered read. SQLite has no row-level security: only the filter protects.
      const postgres = db.enforcesRowLevelSecurity;
      const unfiltered = await db.withTenant('globex', tx =>
        tx(table).select('event_id'),
      );
      expect(unfiltered).toHaveLength(postgres ? 0 : 2);
      const policies: string[] = postgres
        ? (
            await knex('pg_policies')
              .where({ tablename: table })
              .select('policyname')
          ).map(p => p.policyname)
        : [];
      expect(policies).toEqual(postgres ? ['tenant_isolation'] : []);

      await dropProcessedEventsTable(knex, table);
      expect(await knex.schema.hasTable(table)).toBe(false);
    },
  );
});
