import { TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { EventOutbox, TenantScopedDatabase } from '@akili/plugin-akili-node';
import {
  installTestMetrics,
  requireTestDatabaseIds,
  TestMetrics,
} from '@akili/plugin-akili-node/testUtils';
import {
  DagsterTestServer,
  startDagsterTestServer,
} from '@akili/dagster-test-server';
import { DagsterGraphqlClient } from '../client/DagsterGraphqlClient';
import { recordingLogger } from '../__testUtils__/logger';
import { RunTracker } from './RunTracker';
import { DAGSTER_TRACKER_LAG, observeTrackerLag } from './trackerMetrics';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });
const T = Date.UTC(2026, 10, 27, 12);

describe.each(databases.eachSupportedId())(
  'run tracker lag gauge on %p',
  databaseId => {
    let dagster: DagsterTestServer;
    let testMetrics: TestMetrics;

    beforeEach(async () => {
      testMetrics = installTestMetrics();
      dagster = await startDagsterTestServer({
        locations: [
          {
            name: 'acme_orders',
            repositories: [{ jobs: [{ name: 'orders_job' }] }],
          },
        ],
      });
    });
    afterEach(async () => {
      await dagster.stop().catch(() => undefined);
      await testMetrics.uninstall();
    });

    it('reports the seconds since the furthest-behind tenant caught up, with no tenant label', async () => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({
        directory: resolvePackagePath(
          '@akili/plugin-dagster-backend',
          'migrations',
        ),
      });
      let now = T;
      const tracker = new RunTracker({
        client: new DagsterGraphqlClient({
          baseUrl: dagster.url,
          headers: {},
          timeoutMs: 2000,
        }),
        db: TenantScopedDatabase.create(knex),
        outbox: EventOutbox.create(),
        logger: recordingLogger([]),
        tenants: async () => ['acme', 'globex'],
        now: () => now,
      });
      const stop = observeTrackerLag(tracker);
      const lag = () => testMetrics.collect(DAGSTER_TRACKER_LAG);

      // No round yet (another instance may run the tracker): nothing reported.
      expect(await lag()).toEqual([]);

      await tracker.runOnce();
      expect(await lag()).toEqual([{ attributes: {}, value: 0 }]);

      now = T + 30_000;
      expect(await lag()).toEqual([{ attributes: {}, value: 30 }]);
      await tracker.runOnce();
      expect(await lag()).toEqual([{ attributes: {}, value: 0 }]);

      // Dagster down: rounds fail, the lag grows from the last round that caught up.
      await dagster.stop();
      now = T + 60_000;
      await tracker.runOnce();
      now = T + 90_000;
      expect(await lag()).toEqual([{ attributes: {}, value: 60 }]);

      stop();
      now = T + 120_000;
      // No longer observed: the SDK keeps the last value.
      expect(await lag()).toEqual([{ attributes: {}, value: 60 }]);
    });
  },
);
