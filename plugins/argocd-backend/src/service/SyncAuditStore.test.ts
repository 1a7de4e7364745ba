import { TestDatabases } from '@backstage/backend-test-utils';
import { TenantScopedDatabase } from '@akili/plugin-akili-node';
import { requireTestDatabaseIds } from '@akili/plugin-akili-node/testUtils';
import { ARGOCD_MIGRATIONS_DIRECTORY, SyncAuditStore } from './SyncAuditStore';

jest.setTimeout(60_000);

const directory = ARGOCD_MIGRATIONS_DIRECTORY;
const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });

const intent = {
  actor: 'user:default/olga',
  product: 'dataproduct:acme/orders',
  application: 'acme-orders',
  revision: 'main',
};

describe.each(databases.eachSupportedId())('sync audit on %p', databaseId => {
  it('keeps intents and outcomes per tenant, pages newest first, and migrates down and up', async () => {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest({ directory });
    const store = new SyncAuditStore(TenantScopedDatabase.create(knex));

    const first = await store.recordIntent('acme', intent);
    await store.recordOutcome('acme', first, intent, { outcome: 'succeeded' });
    const second = await store.recordIntent('acme', {
      ...intent,
      revision: 'v2',
    });
    await store.recordOutcome(
      'acme',
      second,
      { ...intent, revision: 'v2' },
      { outcome: 'failed', error: 'x'.repeat(5000) },
    );
    const third = await store.recordIntent('acme', intent);
    await store.recordIntent('globex', {
      ...intent,
      product: 'dataproduct:globex/shipments',
      application: 'globex-shipments',
    });

    const page = await store.list('acme', { limit: 2 });
    expect(page.items.map(e => [e.id, e.revision, e.outcome])).toEqual([
      [third, 'main', 'unknown'],
      [second, 'v2', 'failed'],
    ]);
    expect(page.items[1].error).toHaveLength(1000);
    expect(page.items[1].outcomeAt).toEqual(expect.any(String));
    expect(page.items.every(e => e.tenant === 'acme')).toBe(true);
    const next = await store.list('acme', {
      limit: 2,
      before: page.nextCursor,
    });
    expect(next.items.map(e => [e.id, e.outcome])).toEqual([
      [first, 'succeeded'],
    ]);
    expect(next.nextCursor).toBeUndefined();
    const globex = await store.list('globex', { limit: 10 });
    expect(globex.items.map(e => e.application)).toEqual(['globex-shipments']);

    await knex.migrate.rollback({ directory }, true);
    expect(await knex.schema.hasTable('argocd_sync_audit')).toBe(false);
    await knex.migrate.latest({ directory });
    expect(await knex.schema.hasTable('argocd_sync_audit')).toBe(true);
  });
});
