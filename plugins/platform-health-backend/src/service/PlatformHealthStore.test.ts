import { TestDatabases } from '@backstage/backend-test-utils';
import { requireTestDatabaseIds } from '@akili/plugin-akili-node/testUtils';
import {
  PLATFORM_HEALTH_MIGRATIONS_DIRECTORY,
  PlatformHealthStore,
} from './PlatformHealthStore';
import { CheckResult } from '../checks/runCheck';

jest.setTimeout(60_000);

const directory = PLATFORM_HEALTH_MIGRATIONS_DIRECTORY;
const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });
const T0 = Date.parse('2026-12-03T12:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

function result(
  id: CheckResult['id'],
  minutes: number,
  status: CheckResult['status'],
  error?: string,
): CheckResult {
  return { id, status, latencyMs: 12, checkedAt: at(minutes), error };
}

describe.each(databases.eachSupportedId())(
  'platform health on %p',
  databaseId => {
    it('migrates up and down and up again', async () => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory });
      expect(await knex.schema.hasTable('platform_health_checks')).toBe(true);
      expect(
        await knex.schema.hasColumn('platform_health_checks', 'tenant_id'),
      ).toBe(false);
      await knex.migrate.rollback({ directory }, true);
      expect(await knex.schema.hasTable('platform_health_checks')).toBe(false);
      await knex.migrate.latest({ directory });
      expect(await knex.schema.hasTable('platform_health_checks')).toBe(true);
    });

    it('stores only the three checked statuses on PostgreSQL (a check constraint)', async () => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory });
      const postgres = knex.client.config.client === 'pg';
      // not-configured is never checked, so never stored; SQLite has no constraint here.
      const outcome = await knex('platform_health_checks')
        .insert({
          dependency: 'dagster',
          status: 'not-configured',
          latency_ms: 1,
          checked_at: new Date(),
        })
        .then(
          () => 'stored',
          (error: Error) => error.message,
        );
      expect(outcome).toMatch(
        postgres ? /platform_health_checks_status/ : /^stored$/,
      );
    });

    it('answers history oldest first, the last error and the last change', async () => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory });
      const store = new PlatformHealthStore({ db: knex });
      await store.record([
        result('dagster', 0, 'up'),
        result('gitlab', 0, 'up'),
      ]);
      await store.record([result('dagster', 1, 'down', 'ECONNREFUSED')]);
      await store.record([result('dagster', 2, 'down', 'timed out')]);
      await store.record([result('dagster', 3, 'up')]);
      await store.record([result('dagster', 4, 'up')]);

      const history = await store.history('dagster', at(0));
      expect(history.map(c => [c.status, c.checkedAt, c.error])).toEqual([
        ['up', at(0).toISOString(), undefined],
        ['down', at(1).toISOString(), 'ECONNREFUSED'],
        ['down', at(2).toISOString(), 'timed out'],
        ['up', at(3).toISOString(), undefined],
        ['up', at(4).toISOString(), undefined],
      ]);
      expect(await store.history('dagster', at(2))).toHaveLength(3);

      const summary = await store.summary('dagster', at(-60));
      expect(summary.latest).toEqual({
        status: 'up',
        latencyMs: 12,
        checkedAt: at(4).toISOString(),
      });
      expect(summary.lastError).toEqual({
        message: 'timed out',
        at: at(2).toISOString(),
      });
      expect(summary.lastChangeAt).toBe(at(3).toISOString());

      // Never changed in the window: no last change; never failed: no last error.
      const gitlab = await store.summary('gitlab', at(-60));
      expect(gitlab.latest?.status).toBe('up');
      expect(gitlab.lastChangeAt).toBeUndefined();
      expect(gitlab.lastError).toBeUndefined();
      expect(await store.summary('argocd', at(-60))).toEqual({});
    });

    it('prunes the checks older than the cut-off and keeps the rest', async () => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory });
      const store = new PlatformHealthStore({ db: knex });
      await store.record([
        result('dagster', -25 * 60, 'down', 'old'),
        result('dagster', -24 * 60 - 1, 'up'),
        result('dagster', -23 * 60, 'up'),
        result('gitlab', 0, 'up'),
      ]);
      expect(await store.prune(at(-24 * 60))).toBe(2);
      const left = await store.history('dagster', at(-48 * 60));
      expect(left.map(c => c.checkedAt)).toEqual([at(-23 * 60).toISOString()]);
      expect(await store.history('gitlab', at(-1))).toHaveLength(1);
      expect(await store.prune(at(-24 * 60))).toBe(0);
    });
  },
);
