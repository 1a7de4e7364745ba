import { TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { AkiliEvent, DataProductManifest } from '@akili/plugin-akili-common';
import {
  DEFAULT_EVENT_OUTBOX_TABLE,
  EventOutbox,
  TenantScopedDatabase,
} from '@akili/plugin-akili-node';
import { requireTestDatabaseIds } from '@akili/plugin-akili-node/testUtils';
import {
  DagsterTestServer,
  startDagsterTestServer,
} from '@akili/dagster-test-server';
import { DagsterGraphqlClient } from '../client/DagsterGraphqlClient';
import { LogEntry, recordingLogger } from '../__testUtils__/logger';
import { AssetCheckProduct, AssetCheckTracker } from './AssetCheckTracker';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });
const T = Date.UTC(2026, 11, 3, 12) / 1000;
const ORDERS = ['sales', 'orders'];
const LINES = ['sales', 'order_lines'];
const SHIPMENTS = ['logistics', 'shipments'];

function manifest(
  tenant: string,
  name: string,
  dagster: { codeLocation: string; assetKeys: string[][] },
  extra: Partial<DataProductManifest['spec']> = {},
): AssetCheckProduct {
  return {
    tenant,
    manifest: {
      apiVersion: 'akili.io/v1alpha1',
      kind: 'DataProduct',
      metadata: { name, namespace: tenant },
      spec: {
        outputPorts: [
          { name: 'orders', kind: 'table', location: {}, schema: [] },
          { name: 'order_lines', kind: 'table', location: {}, schema: [] },
        ],
        transformation: { language: 'sql', entrypoint: 'x.sql', dagster },
        ...extra,
      } as unknown as DataProductManifest['spec'],
    } as DataProductManifest,
  };
}

const acmeOrders = manifest(
  'acme',
  'orders',
  { codeLocation: 'acme_orders', assetKeys: [ORDERS, LINES] },
  {
    quality: [
      {
        name: 'lines_not_empty',
        type: 'volume',
        port: 'orders',
        severity: 'error',
      },
    ],
  } as Partial<DataProductManifest['spec']>,
);

describe.each(databases.eachSupportedId())(
  'asset check tracker on %p',
  databaseId => {
    let dagster: DagsterTestServer;

    beforeEach(async () => {
      dagster = await startDagsterTestServer({
        locations: [
          {
            name: 'acme_orders',
            repositories: [
              {
                jobs: [{ name: 'orders_daily', assetKeys: [ORDERS, LINES] }],
                assetChecks: [
                  { assetKey: ORDERS, name: 'row_count' },
                  { assetKey: ORDERS, name: 'unique_ids' },
                  { assetKey: LINES, name: 'lines_not_empty' },
                ],
              },
            ],
          },
          {
            name: 'globex_shipments',
            repositories: [
              {
                jobs: [{ name: 'shipments_daily', assetKeys: [SHIPMENTS] }],
                assetChecks: [{ assetKey: SHIPMENTS, name: 'on_time' }],
              },
            ],
          },
        ],
      });
    });
    afterEach(async () => {
      dagster.assertNoInvalidRequests();
      await dagster.stop();
    });

    async function setUp(products: AssetCheckProduct[] = [acmeOrders]) {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({
        directory: resolvePackagePath(
          '@akili/plugin-dagster-backend',
          'migrations',
        ),
      });
      const db = TenantScopedDatabase.create(knex);
      const logs: LogEntry[] = [];
      const wakes: number[] = [];
      const tracker = (lookbackSeconds = 86_400) =>
        new AssetCheckTracker({
          client: new DagsterGraphqlClient({
            baseUrl: dagster.url,
            headers: {},
            timeoutMs: 5000,
          }),
          db,
          outbox: EventOutbox.create(),
          relay: { wake: () => wakes.push(1) },
          logger: recordingLogger(logs),
          products: async () => products,
          lookbackSeconds,
          now: () => T * 1000,
        });
      const outbox = (tenant: string): Promise<AkiliEvent[]> =>
        db.withTenant(tenant, async tx =>
          (
            await db
              .scoped(tx, DEFAULT_EVENT_OUTBOX_TABLE)
              .select('payload')
              .orderBy('id')
          ).map((row: { payload: string }) => JSON.parse(row.payload)),
        );
      return { knex, db, tracker, outbox, logs, wakes };
    }

    const run = (status: 'SUCCESS' | 'FAILURE' | 'STARTED' = 'SUCCESS') =>
      dagster.addRun({
        jobName: 'orders_daily',
        status,
        tags: {
          'akili/tenant': 'acme',
          'akili/product': 'dataproduct:acme/orders',
        },
      });

    it('reports each finished execution once, one event per product, port and run, and a restart repeats none', async () => {
      const { tracker, outbox, wakes } = await setUp();
      const first = run();
      const second = run();
      // Before the look-back (a day): history, not reported.
      dagster.addAssetCheckExecution({
        assetKey: ORDERS,
        checkName: 'row_count',
        runId: first.runId,
        success: true,
        timestamp: T - 2 * 86_400,
      });
      const passed = dagster.addAssetCheckExecution({
        assetKey: ORDERS,
        checkName: 'row_count',
        runId: first.runId,
        success: true,
        timestamp: T - 600,
        metadataEntries: [
          { label: 'rows', type: 'int', value: 1200 },
          { label: 'dimension', type: 'text', text: 'completeness' },
          { label: 'threshold', type: 'text', text: '> 0' },
        ],
      });
      const unique = dagster.addAssetCheckExecution({
        assetKey: ORDERS,
        checkName: 'unique_ids',
        runId: first.runId,
        success: false,
        severity: 'ERROR',
        description: '3 duplicate ids',
        timestamp: T - 590,
        metadataEntries: [
          { label: 'duplicate_ratio', type: 'float', value: 0.0025 },
        ],
      });
      const lines = dagster.addAssetCheckExecution({
        assetKey: LINES,
        checkName: 'lines_not_empty',
        runId: second.runId,
        success: false,
        severity: 'WARN',
        timestamp: T - 300,
        partition: '2026-12-02',
      });

      await expect(tracker().runOnce()).resolves.toEqual({ reported: 3 });
      expect(wakes).toHaveLength(1);
      const events = await outbox('acme');
      expect(
        events.map(e => [
          e.type,
          e.tenant,
          e.source,
          e.subject,
          e.data.outputPort,
          e.data.runId,
          e.data.outcome,
          (e.data.checks as Array<{ name: string }>).map(c => c.name),
        ]),
      ).toEqual([
        [
          'quality.checked',
          'acme',
          'akili-dagster-backend',
          'dataproduct:acme/orders',
          'orders',
          first.runId,
          'FAIL',
          ['row_count', 'unique_ids'],
        ],
        // The rule of the same name says its port; the run is another one.
        [
          'quality.checked',
          'acme',
          'akili-dagster-backend',
          'dataproduct:acme/orders',
          'orders',
          second.runId,
          'WARN',
          ['lines_not_empty'],
        ],
      ]);
      expect(events[0].data.checks).toEqual([
        {
          name: 'row_count',
          status: 'PASS',
          executionId: passed.id,
          observedAt: new Date((T - 600) * 1000).toISOString(),
          observedValue: 1200,
          dimension: 'completeness',
          threshold: '> 0',
          severity: 'error',
        },
        {
          name: 'unique_ids',
          status: 'FAIL',
          executionId: unique.id,
          observedAt: new Date((T - 590) * 1000).toISOString(),
          observedValue: 0.0025,
          message: '3 duplicate ids',
          severity: 'error',
        },
      ]);
      expect(events[0].data.checkedAt).toBe(
        new Date((T - 590) * 1000).toISOString(),
      );
      expect(events[1].data.checks).toEqual([
        expect.objectContaining({
          executionId: lines.id,
          status: 'WARN',
          severity: 'warning',
          partition: '2026-12-02',
        }),
      ]);

      // Again, and after a restart (a new tracker on the same database): nothing new.
      await expect(tracker().runOnce()).resolves.toEqual({ reported: 0 });
      const restarted = tracker(0);
      await expect(restarted.runOnce()).resolves.toEqual({ reported: 0 });
      expect(await outbox('acme')).toHaveLength(2);

      // A new execution after the restart is reported, once.
      const third = run();
      const newer = dagster.addAssetCheckExecution({
        assetKey: ORDERS,
        checkName: 'row_count',
        runId: third.runId,
        success: true,
        timestamp: T,
      });
      await expect(restarted.runOnce()).resolves.toEqual({ reported: 1 });
      await expect(tracker().runOnce()).resolves.toEqual({ reported: 0 });
      const after = await outbox('acme');
      expect(after).toHaveLength(3);
      expect(after[2].data).toMatchObject({
        runId: third.runId,
        outcome: 'PASS',
        checks: [{ name: 'row_count', executionId: newer.id }],
      });
    });

    it('follows every page of a busy check', async () => {
      const { tracker, outbox } = await setUp();
      const runs = Array.from({ length: 3 }, () => run());
      const added = Array.from({ length: 250 }, (_, i) =>
        dagster.addAssetCheckExecution({
          assetKey: ORDERS,
          checkName: 'row_count',
          runId: runs[i % 3].runId,
          success: i % 10 !== 0,
          timestamp: T - 3000 + i,
        }),
      );
      await expect(tracker().runOnce()).resolves.toEqual({ reported: 250 });
      const requests = dagster
        .requests()
        .filter(r => r.operationName === 'AkiliAssetCheckExecutions');
      // row_count: three pages of 100; the other two checks: one empty page each.
      expect(
        requests.filter(r => r.variables?.checkName === 'row_count'),
      ).toHaveLength(3);
      const ids = (await outbox('acme')).flatMap(e =>
        (e.data.checks as Array<{ executionId: string }>).map(
          c => c.executionId,
        ),
      );
      expect(ids.sort()).toEqual(added.map(e => e.id).sort());
      expect(new Set(ids).size).toBe(250);
      // The next round stops at the cursor: one request per check.
      dagster.clearRequests();
      await expect(tracker().runOnce()).resolves.toEqual({ reported: 0 });
      expect(
        dagster
          .requests()
          .filter(r => r.operationName === 'AkiliAssetCheckExecutions'),
      ).toHaveLength(3);
    });

    it('maps outcomes: passed, failed as a warning, failed as an error, could not run; waits for one in progress', async () => {
      const { tracker, outbox } = await setUp();
      const finished = run();
      const failedRun = run('FAILURE');
      const running = run('STARTED');
      dagster.addAssetCheckExecution({
        assetKey: ORDERS,
        checkName: 'row_count',
        runId: finished.runId,
        success: true,
        timestamp: T - 100,
      });
      dagster.addAssetCheckExecution({
        assetKey: ORDERS,
        checkName: 'unique_ids',
        runId: finished.runId,
        success: false,
        severity: 'WARN',
        timestamp: T - 99,
      });
      dagster.addAssetCheckExecution({
        assetKey: LINES,
        checkName: 'lines_not_empty',
        runId: finished.runId,
        success: false,
        severity: 'ERROR',
        timestamp: T - 98,
      });
      // Planned in a run that failed: EXECUTION_FAILED.
      dagster.addAssetCheckExecution({
        assetKey: ORDERS,
        checkName: 'row_count',
        runId: failedRun.runId,
        timestamp: T - 50,
      });
      // Planned in a run that succeeded without evaluating it: SKIPPED, nothing to report.
      dagster.addAssetCheckExecution({
        assetKey: ORDERS,
        checkName: 'unique_ids',
        runId: finished.runId,
        timestamp: T - 40,
      });
      // Planned in a run still going: reported when evaluated.
      const inProgress = dagster.addAssetCheckExecution({
        assetKey: ORDERS,
        checkName: 'row_count',
        runId: running.runId,
        timestamp: T - 10,
      });
      const later = dagster.addAssetCheckExecution({
        assetKey: ORDERS,
        checkName: 'row_count',
        runId: finished.runId,
        success: true,
        timestamp: T - 5,
      });

      await expect(tracker().runOnce()).resolves.toEqual({ reported: 5 });
      const statuses = (await outbox('acme')).flatMap(e =>
        (e.data.checks as Array<{ name: string; status: string }>).map(c => [
          c.name,
          c.status,
        ]),
      );
      expect(statuses).toEqual([
        // One batch (port orders, the finished run), oldest first.
        ['row_count', 'PASS'],
        ['unique_ids', 'WARN'],
        ['lines_not_empty', 'FAIL'],
        ['row_count', 'PASS'],
        ['row_count', 'ERROR'],
      ]);
      expect(
        (await outbox('acme')).find(e => e.data.runId === failedRun.runId)!
          .data,
      ).toMatchObject({
        outcome: 'FAIL',
        checks: [
          {
            status: 'ERROR',
            message: expect.stringContaining('did not run'),
          },
        ],
      });
      await expect(tracker().runOnce()).resolves.toEqual({ reported: 0 });

      dagster.evaluateAssetCheckExecution(inProgress.id, {
        success: false,
        severity: 'ERROR',
        timestamp: T,
      });
      await expect(tracker().runOnce()).resolves.toEqual({ reported: 1 });
      await expect(tracker().runOnce()).resolves.toEqual({ reported: 0 });
      const events = await outbox('acme');
      expect(events[events.length - 1].data).toMatchObject({
        runId: running.runId,
        checks: [
          { name: 'row_count', status: 'FAIL', executionId: inProgress.id },
        ],
      });
      expect(
        events.filter(e =>
          (e.data.checks as Array<{ executionId: string }>).some(
            c => c.executionId === later.id,
          ),
        ),
      ).toHaveLength(1);
    });

    it('reports a tenant only the checks of its own code location', async () => {
      const globexClaimsAcme = manifest('globex', 'stolen', {
        codeLocation: 'globex_shipments',
        assetKeys: [ORDERS, SHIPMENTS],
      });
      const globexInAcmeLocation = manifest('globex', 'squatter', {
        codeLocation: 'acme_orders',
        assetKeys: [ORDERS],
      });
      const { tracker, outbox, logs } = await setUp([
        globexClaimsAcme,
        globexInAcmeLocation,
      ]);
      const acmeRun = run();
      const globexRun = dagster.addRun({
        jobName: 'shipments_daily',
        status: 'SUCCESS',
      });
      dagster.addAssetCheckExecution({
        assetKey: ORDERS,
        checkName: 'row_count',
        runId: acmeRun.runId,
        success: false,
        timestamp: T - 60,
      });
      const onTime = dagster.addAssetCheckExecution({
        assetKey: SHIPMENTS,
        checkName: 'on_time',
        runId: globexRun.runId,
        success: true,
        timestamp: T - 30,
      });

      await expect(tracker().runOnce()).resolves.toEqual({ reported: 1 });
      const events = await outbox('globex');
      expect(events).toHaveLength(1);
      expect(events[0].data).toMatchObject({
        product: 'dataproduct:globex/stolen',
        checks: [{ name: 'on_time', executionId: onTime.id }],
      });
      expect(await outbox('acme')).toEqual([]);
      // acme's executions were never even read for globex.
      expect(
        dagster
          .requests()
          .filter(r => r.operationName === 'AkiliAssetCheckExecutions')
          .map(r => r.variables?.checkName),
      ).toEqual(['on_time']);
      expect(logs).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          message:
            'Skipped the asset checks of a product in another tenant’s code location',
        }),
      );
      expect(logs).toContainEqual(
        expect.objectContaining({
          message:
            'Skipped an asset the product’s code location does not define',
          meta: expect.objectContaining({
            tenant: 'globex',
            codeLocation: 'acme_orders',
          }),
        }),
      );
    });

    it('migrates the cursor table down and up again', async () => {
      const { knex, tracker } = await setUp();
      await tracker().runOnce();
      const directory = resolvePackagePath(
        '@akili/plugin-dagster-backend',
        'migrations',
      );
      expect(await knex.schema.hasTable('dagster_asset_check_cursors')).toBe(
        true,
      );
      await knex.migrate.down({
        directory,
        name: '20261203100000_asset_check_cursors.js',
      });
      expect(await knex.schema.hasTable('dagster_asset_check_cursors')).toBe(
        false,
      );
      await knex.migrate.latest({ directory });
      await expect(tracker().runOnce()).resolves.toEqual({ reported: 0 });
    });

    it('starts from now without a look-back, and keeps going when Dagster fails for a round', async () => {
      const { tracker, outbox, logs } = await setUp();
      const old = run();
      dagster.addAssetCheckExecution({
        assetKey: ORDERS,
        checkName: 'row_count',
        runId: old.runId,
        success: true,
        timestamp: T - 60,
      });
      await expect(tracker(0).runOnce()).resolves.toEqual({ reported: 0 });
      dagster.failNext(1, 'http-500');
      await expect(tracker(0).runOnce()).resolves.toEqual({ reported: 0 });
      expect(logs).toContainEqual(
        expect.objectContaining({
          message: 'Could not track the asset checks of a data product',
        }),
      );
      const fresh = dagster.addAssetCheckExecution({
        assetKey: ORDERS,
        checkName: 'row_count',
        runId: old.runId,
        success: true,
        timestamp: T,
      });
      await expect(tracker(0).runOnce()).resolves.toEqual({ reported: 1 });
      expect((await outbox('acme')).map(e => e.data.checks)).toEqual([
        [expect.objectContaining({ executionId: fresh.id })],
      ]);
    });
  },
);
