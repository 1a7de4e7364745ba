import { TestDatabases } from '@backstage/backend-test-utils';
import { TenantScopedDatabase } from '@akili/plugin-akili-node';
import { requireTestDatabaseIds } from '@akili/plugin-akili-node/testUtils';
import { LAKE_MIGRATIONS_DIRECTORY } from './DownloadAuditStore';
import { UsageStore } from './UsageStore';

jest.setTimeout(60_000);

const directory = LAKE_MIGRATIONS_DIRECTORY;
const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });
const DAY = 24 * 3600 * 1000;

describe.each(databases.eachSupportedId())('lake usage on %p', databaseId => {
  it('keeps one row per tenant and day (the latest wins), finds the week-old one, and migrates down and up', async () => {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest({ directory });
    const store = new UsageStore(TenantScopedDatabase.create(knex));
    const now = Date.parse('2026-12-03T12:00:00Z');
    const at = (daysAgo: number, hour = 0) =>
      new Date(now - daysAgo * DAY + hour * 3600 * 1000);
    const measure = (measuredAt: Date, bytes: number) => ({
      measuredAt,
      objects: bytes / 5,
      bytes,
      products: [{ product: 'dataproduct:acme/orders', objects: 1, bytes }],
    });

    await store.record('acme', measure(at(10), 100));
    await store.record('acme', measure(at(8), 150));
    await store.record('acme', measure(at(8, 3), 200));
    await store.record('acme', measure(at(1), 500));
    await store.record('acme', measure(at(0), 800));
    await store.record('globex', measure(at(0), 5));

    const acme = await store.read('acme');
    expect(acme.latest).toMatchObject({ bytes: 800, objects: 160 });
    expect(acme.latest!.measuredAt.toISOString()).toBe(at(0).toISOString());
    expect(acme.weekBefore).toMatchObject({ bytes: 200 });
    expect(acme.weekBefore!.products).toEqual([
      { product: 'dataproduct:acme/orders', objects: 1, bytes: 200 },
    ]);
    expect(acme.history.map(p => p.bytes)).toEqual([100, 200, 500, 800]);
    expect(acme.history[1].measuredAt).toBe(at(8, 3).toISOString());

    const globex = await store.read('globex');
    expect(globex.history).toEqual([
      { measuredAt: at(0).toISOString(), objects: 1, bytes: 5 },
    ]);
    expect(globex.weekBefore).toBeUndefined();
    expect(await store.read('initech')).toEqual({ history: [] });

    await knex.migrate.rollback({ directory }, true);
    expect(await knex.schema.hasTable('lake_usage')).toBe(false);
    expect(await knex.schema.hasTable('lake_downloads')).toBe(false);
    await knex.migrate.latest({ directory });
    expect(await knex.schema.hasTable('lake_usage')).toBe(true);
  });
});
