import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { AkiliEvent, akiliEventTopic } from '@akili/plugin-akili-common';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { TenantScopedDatabase } from '../database/TenantScopedDatabase';
import { requireTestDatabaseIds } from '../testUtils';
import { AkiliEventConsumer } from './consumer/AkiliEventConsumer';
import {
  eventually,
  migrationSource,
  uniqueGroup,
} from './consumer/__testUtils__/helpers';
import { KafkaEventTransport } from './KafkaEventTransport';
import {
  KAFKA_MOCK_CONSUMER_TIMINGS,
  KafkaMock,
  startKafkaMock,
} from '../testUtils';
import { OutboxRelay } from './OutboxRelay';
import { DEFAULT_EVENT_OUTBOX_TABLE } from './outboxTable';
import {
  OutboxTestDatabase,
  openOutboxTestDatabase,
  runNumber,
} from './__testUtils__/outboxTestDatabase';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });
// A second process needs a database it can reach: PostgreSQL (in-memory SQLite is per process).
const postgres = requireTestDatabaseIds().find(id => id.startsWith('POSTGRES'));
const describePostgres = postgres ? describe : describe.skip;

const EVENTS = 300;
const KILL_AFTER_BATCH = 7;

/** Runs the dying backend to its end; resolves with how it ended and what it printed. */
function runDyingBackend(env: Record<string, string>) {
  return new Promise<{
    signal: string | null;
    code: number | null;
    out: string;
    err: string;
  }>(resolve => {
    const child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        require.resolve('./__testUtils__/relayProcess.ts'),
      ],
      { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', chunk => (out += chunk));
    child.stderr.on('data', chunk => (err += chunk));
    child.on('exit', (code, signal) => resolve({ code, signal, out, err }));
  });
}

describePostgres(
  'a backend process killed between publish and mark-sent',
  () => {
    let mock: KafkaMock;
    let t: OutboxTestDatabase;
    const stops: Array<() => Promise<void>> = [];

    beforeAll(async () => {
      mock = await startKafkaMock();
    });
    afterAll(async () => {
      await Promise.all(stops.splice(0).map(stop => stop()));
      await t?.cleanup();
      await mock?.stop();
    });

    it('loses nothing and processes every event once after a restart', async () => {
      t = await openOutboxTestDatabase(databases, postgres!);
      const tenant = `kill-${randomBytes(4).toString('hex')}`;
      const topic = akiliEventTopic(tenant, 'execution');
      await mock.createTopic(topic, 2);

      const died = await runDyingBackend({
        AKILI_KILL_PG: JSON.stringify(t.knex.client.config.connection),
        AKILI_KILL_TENANT_ROLE: t.tenantRole ?? '',
        AKILI_KILL_BROKERS: mock.brokers.join(','),
        AKILI_KILL_TENANT: tenant,
        AKILI_KILL_EVENTS: String(EVENTS),
        AKILI_KILL_AFTER_BATCH: String(KILL_AFTER_BATCH),
      });
      expect({ signal: died.signal, err: died.err }).toEqual({
        signal: 'SIGKILL',
        err: '',
      });
      expect(died.out).toContain(`committed ${EVENTS}\n`);
      expect(died.out).toContain(`acknowledged batch ${KILL_AFTER_BATCH}\n`);

      // What the dead process left: 6 batches marked sent; the 7th on the broker but not marked.
      const unsent = async () =>
        t.db.withTenant(tenant, async tx => {
          const [{ n }] = await t.db
            .scoped(tx, DEFAULT_EVENT_OUTBOX_TABLE)
            .whereNull('sent_at')
            .count({ n: '*' });
          return Number(n);
        });
      expect(await unsent()).toBe(EVENTS - (KILL_AFTER_BATCH - 1) * 10);

      // The consumer of another service, idempotent by event id.
      await t.knex.migrate.latest({ migrationSource });
      const consumerDb = TenantScopedDatabase.create(t.knex);
      const handled: AkiliEvent[] = [];
      const transport = KafkaEventTransport.create({ brokers: mock.brokers });
      stops.push(() => transport.close());
      const consumer = new AkiliEventConsumer({
        groupId: uniqueGroup('after-kill'),
        topics: [topic],
        db: consumerDb,
        source: transport.kafka,
        deadLetter: transport,
        logger: mockServices.logger.mock(),
        handler: async event => {
          handled.push(event);
        },
        kafka: {
          consumerConfig: KAFKA_MOCK_CONSUMER_TIMINGS,
        },
      });
      await consumer.start();
      stops.push(() => consumer.stop());

      // The restarted backend: a new relay on the same outbox.
      const restarted = await t.reopen();
      const relay = OutboxRelay.create({ db: restarted.db, transport });
      for (;;) {
        const round = await relay.runOnce();
        expect(round.failed).toBe(false);
        if (!round.more) break;
      }
      expect(await unsent()).toBe(0);

      await eventually(() => expect(handled).toHaveLength(EVENTS), 90_000);
      // Every event exactly once (the re-published 7th batch was recognised), in order per key.
      expect(new Set(handled.map(e => e.id)).size).toBe(EVENTS);
      expect(handled.map(runNumber).sort((a, b) => a - b)).toEqual(
        Array.from({ length: EVENTS }, (_, i) => i),
      );
      for (let p = 0; p < 5; p++) {
        const runs = handled
          .filter(e => e.subject === `dataproduct:${tenant}/p-${p}`)
          .map(runNumber);
        expect(runs).toEqual([...runs].sort((a, b) => a - b));
      }
      // The broker holds the 7th batch twice: the restarted relay published it again, and the
      // consumer's processed marks, not luck, kept it from being handled twice.
      const admin = transport.kafka.admin();
      await admin.connect();
      const offsets = await admin.fetchTopicOffsets(topic);
      await admin.disconnect();
      expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(
        EVENTS + 10,
      );
      // Nothing more arrives later.
      await new Promise(resolve => setTimeout(resolve, 1000));
      expect(handled).toHaveLength(EVENTS);
    });
  },
);
