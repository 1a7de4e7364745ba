import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { LifecycleService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AkiliEvent,
  AkiliEventMessage,
  DataProductManifest,
  akiliEventFamily,
  akiliEventTopic,
  createAkiliEvent,
} from '@akili/plugin-akili-common';
import {
  AKILI_DEAD_LETTER_HEADERS,
  AkiliEventsService,
  EventOutbox,
  InProcessEventBus,
  TenantScopedDatabase,
} from '@akili/plugin-akili-node';
import { requireTestDatabaseIds } from '@akili/plugin-akili-node/testUtils';
import { Knex } from 'knex';
import { IncidentStore } from '../incidents/IncidentStore';
import {
  QUALITY_MIGRATIONS_DIRECTORY,
  QualityStore,
} from '../service/QualityStore';
import { startQualityConsumers } from './consumers';

jest.setTimeout(60_000);

/** The message the outbox relay publishes for an event. */
const akiliEventMessage = (event: AkiliEvent): AkiliEventMessage => ({
  topic: akiliEventTopic(event.tenant, akiliEventFamily(event.type)),
  key: event.subject,
  value: JSON.stringify(event),
});

const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });
const NOW = new Date('2026-12-03T12:00:00.000Z');

function product(tenant: string, name: string): DataProductManifest {
  return {
    apiVersion: 'akili.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { name, namespace: tenant },
    spec: {
      type: 'source-aligned',
      lifecycle: 'production',
      owner: `${tenant}-team`,
      domain: 'sales',
      outputPorts: [
        {
          name,
          kind: 'table' as const,
          location: { table: { database: 'sales', table: name } },
          schema: [{ name: 'id', type: 'string' as const }],
        },
      ],
      quality: [
        {
          name: 'row_count',
          type: 'volume',
          severity: 'error',
          operator: '>',
          threshold: 0,
        },
        {
          name: 'null_ratio',
          type: 'completeness',
          severity: 'warning',
          operator: '<',
          threshold: 0.01,
        },
      ],
      slos: { freshness: { maxDelay: 'PT2H' } },
    },
  } as DataProductManifest;
}

const checked = (
  tenant: string,
  source: string,
  checks: Array<Record<string, unknown>>,
  extra: Record<string, unknown> = {},
) =>
  createAkiliEvent({
    type: 'quality.checked',
    tenant,
    subject: `dataproduct:${tenant}/orders`,
    source,
    data: {
      product: `dataproduct:${tenant}/orders`,
      outputPort: 'orders',
      runId: 'run-1',
      checkedAt: '2026-12-03T11:00:00.000Z',
      outcome: 'FAIL',
      checks,
      ...extra,
    } as any,
  });

const completed = (
  tenant: string,
  status: 'SUCCESS' | 'FAILURE',
  endedAt: string,
  name = 'orders',
) =>
  createAkiliEvent({
    type: 'execution.completed',
    tenant,
    subject: `dataproduct:${tenant}/${name}`,
    source: 'akili-dagster-backend',
    data: {
      runId: `run-${endedAt}`,
      product: `dataproduct:${tenant}/${name}`,
      job: 'orders_daily',
      status,
      startedAt: '2026-12-03T09:00:00.000Z',
      endedAt,
    },
  });

describe.each(databases.eachSupportedId())(
  'quality consumers on %p',
  databaseId => {
    const stops: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const stop of stops.splice(0)) await stop();
    });

    async function setUp() {
      const knex: Knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: QUALITY_MIGRATIONS_DIRECTORY });
      const db = TenantScopedDatabase.create(knex);
      const store = new QualityStore({ db, now: () => NOW });
      const incidents = new IncidentStore({ db, clock: () => NOW });
      const bus = new InProcessEventBus();
      const deadLetters: AkiliEventMessage[] = [];
      bus.subscribe(/\.dlq$/, async message => {
        deadLetters.push(message);
      });
      const events: AkiliEventsService = {
        config: {
          transport: 'in-process',
          topicPattern: 'akili.{tenant}.{family}',
        },
        outbox: EventOutbox.create(),
        transport: {
          publish: messages => bus.publish(messages),
          source: bus,
        },
        relay: () => {
          throw new Error('not used');
        },
      };
      const starts: Array<() => Promise<void> | void> = [];
      const lifecycle = {
        addStartupHook: (hook: () => Promise<void> | void) => starts.push(hook),
        addShutdownHook: (hook: () => Promise<void>) => stops.push(hook),
        addBeforeShutdownHook: () => {},
      } as unknown as LifecycleService;
      const warnings: Array<{ message: string; meta: unknown }> = [];
      const logger = mockServices.logger.mock();
      logger.warn.mockImplementation((message: string, meta?: unknown) => {
        warnings.push({ message, meta });
      });
      logger.child.mockReturnValue(logger);
      const notified: string[][] = [];
      startQualityConsumers({
        db,
        events,
        store,
        incidents,
        catalog: catalogServiceMock({
          entities: [
            product('acme', 'orders'),
            product('globex', 'orders'),
          ].map(manifest => manifest as unknown as Entity),
        }),
        auth: mockServices.auth(),
        lifecycle,
        logger,
        notify: async opened => {
          notified.push(opened.map(incident => incident.title));
        },
        retryDelayMs: 1,
      });
      for (const start of starts) await start();
      const publish = (...list: ReturnType<typeof createAkiliEvent>[]) =>
        bus.publish(list.map(event => akiliEventMessage(event)));
      const rows = (tenant: string): Promise<Array<Record<string, unknown>>> =>
        db.withTenant(tenant, tx =>
          db
            .scoped(tx, 'quality_results')
            .orderBy('id')
            .select(
              'product',
              'port',
              'rule',
              'outcome',
              'source',
              'execution_id',
              'observed_value',
              'severity',
              'dimension',
              'run_id',
              'partition',
              'threshold',
              'message',
            ),
        );
      return {
        db,
        store,
        incidents,
        bus,
        publish,
        rows,
        deadLetters,
        warnings,
        notified,
      };
    }

    it('ingests Dagster checks with their execution ids once, syncing the contract first, and opens incidents in the same transaction', async () => {
      const { publish, rows, store, incidents } = await setUp();
      const event = checked('acme', 'akili-dagster-backend', [
        {
          name: 'row_count',
          status: 'FAIL',
          executionId: '41',
          observedAt: '2026-12-03T10:59:00.000Z',
          observedValue: 0,
          severity: 'error',
          message: 'empty',
        },
        {
          name: 'null_ratio',
          status: 'PASS',
          executionId: '42',
          observedAt: '2026-12-03T10:59:30.000Z',
          observedValue: 0.001,
          threshold: '< 0.01',
          partition: '2026-12-02',
        },
        {
          name: 'freshness_probe',
          status: 'WARN',
          executionId: '43',
          dimension: 'timeliness',
          severity: 'warning',
        },
      ]);
      await publish(event);
      // Redelivered (the relay publishes at least once): processed once.
      await publish(event);
      expect(await rows('acme')).toEqual([
        expect.objectContaining({
          product: 'orders',
          port: 'orders',
          rule: 'row_count',
          outcome: 'fail',
          source: 'dagster',
          execution_id: '41',
          observed_value: '0',
          severity: 'error',
          dimension: 'completeness',
          run_id: 'run-1',
          message: 'empty',
        }),
        expect.objectContaining({
          rule: 'null_ratio',
          outcome: 'pass',
          execution_id: '42',
          threshold: '< 0.01',
          partition: '2026-12-02',
          severity: 'warning',
        }),
        // Outside the contract: its own dimension and severity.
        expect.objectContaining({
          rule: 'freshness_probe',
          outcome: 'warn',
          execution_id: '43',
          dimension: 'timeliness',
          severity: 'warning',
        }),
      ]);
      // Another event with the same Dagster executions stores nothing new.
      await publish(
        checked('acme', 'akili-dagster-backend', [
          { name: 'row_count', status: 'FAIL', executionId: '41' },
        ]),
      );
      expect(await rows('acme')).toHaveLength(3);

      const summary = await store.summary('acme', 'orders');
      expect(summary).toMatchObject({
        coverage: { rules: 2, rulesWithResults: 2 },
      });
      const open = await incidents.list('acme', { state: 'open', limit: 10 });
      // The failing error rule opened one incident; the pass and the warning outside the
      // contract did not.
      expect(open.items.map(i => i.cause)).toEqual([
        { kind: 'rule', key: 'row_count' },
      ]);
      expect(await rows('globex')).toEqual([]);
    });

    it('keys other producers’ checks by event id and check name, and skips its own events', async () => {
      const { publish, rows } = await setUp();
      const event = checked('acme', 'ci-pipeline', [
        { name: 'row_count', status: 'PASS', observedValue: 12 },
        { name: 'null_ratio', status: 'ERROR', executionId: 'ignored' },
      ]);
      await publish(event);
      await publish(
        checked('acme', 'akili-quality-backend', [
          { name: 'row_count', status: 'FAIL' },
        ]),
        checked('acme', 'quality-backend', [
          { name: 'row_count', status: 'FAIL' },
        ]),
      );
      expect(
        (await rows('acme')).map(r => [
          r.rule,
          r.outcome,
          r.source,
          r.execution_id,
        ]),
      ).toEqual([
        ['row_count', 'pass', 'event', `${event.id}:row_count`],
        ['null_ratio', 'error', 'event', `${event.id}:null_ratio`],
      ]);
    });

    it('never ingests into another tenant: a product of another namespace and a tenant that is not the topic’s are dead-lettered, an unknown product skipped', async () => {
      const { publish, bus, rows, deadLetters, warnings } = await setUp();
      // acme's event naming globex's product: refused by validation, never ingested.
      const foreign = {
        ...checked('acme', 'ci', [{ name: 'row_count', status: 'FAIL' }]),
      };
      foreign.data = { ...foreign.data, product: 'dataproduct:globex/orders' };
      await publish(foreign);
      // globex's event on acme's topic.
      const globex = checked('globex', 'ci', [
        { name: 'row_count', status: 'FAIL' },
      ]);
      await bus.publish([
        { ...akiliEventMessage(globex), topic: 'akili.acme.quality' },
      ]);
      // A product the catalog does not have.
      await publish(
        checked('acme', 'ci', [{ name: 'row_count', status: 'FAIL' }], {
          product: 'dataproduct:acme/ghost',
        }),
      );
      await new Promise(resolve => setTimeout(resolve, 50));
      expect(await rows('acme')).toEqual([]);
      expect(await rows('globex')).toEqual([]);
      expect(
        deadLetters.map(m => [
          m.topic,
          m.headers?.[AKILI_DEAD_LETTER_HEADERS.reason],
        ]),
      ).toEqual([
        ['akili.acme.quality.dlq', 'invalid-event'],
        ['akili.acme.quality.dlq', 'tenant-mismatch'],
      ]);
      expect(warnings).toContainEqual({
        message: 'Skipped an event about a product not in the catalog',
        meta: expect.objectContaining({ product: 'dataproduct:acme/ghost' }),
      });
    });

    it('records runs: a success moves freshness, a failure opens a run incident and tells the owners once it committed', async () => {
      const { publish, store, incidents, notified } = await setUp();
      await publish(
        completed('acme', 'SUCCESS', '2026-12-03T11:30:00.000Z'),
        completed('acme', 'FAILURE', '2026-12-03T11:45:00.000Z'),
      );
      const summary = await store.summary('acme', 'orders');
      expect(summary.freshness).toMatchObject({
        status: 'fresh',
        lastSuccessAt: '2026-12-03T11:30:00.000Z',
      });
      const open = await incidents.list('acme', { state: 'open', limit: 10 });
      expect(open.items.map(i => i.cause)).toEqual([
        { kind: 'run', key: 'orders_daily' },
      ]);
      await new Promise(resolve => setImmediate(resolve));
      expect(notified).toEqual([[open.items[0].title]]);
      // Nothing for globex.
      expect(
        (await incidents.list('globex', { state: 'open', limit: 10 })).items,
      ).toEqual([]);
    });
  },
);
