import { AkiliEvent, parseAkiliEvent } from '@akili/plugin-akili-common';
import { TestDatabases } from '@backstage/backend-test-utils';
import { randomBytes } from 'node:crypto';
import { Consumer, Kafka, logLevel } from 'kafkajs';
import { requireTestDatabaseIds } from '../testUtils';
import { KafkaMock, startKafkaMock } from '../testUtils';
import {
  OutboxTestDatabase,
  executionEvent,
  openOutboxTestDatabase,
  runNumber,
} from './__testUtils__/outboxTestDatabase';
import { EventOutbox } from './EventOutbox';
import { KafkaEventTransport } from './KafkaEventTransport';
import { OutboxRelay } from './OutboxRelay';
import { DEFAULT_EVENT_OUTBOX_TABLE } from './outboxTable';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });
const allIds = databases.eachSupportedId();
const realBrokers = process.env.AKILI_TEST_KAFKA_REAL_BROKERS?.split(',');

interface Received {
  topic: string;
  partition: number;
  key: string;
  event: AkiliEvent;
  headers: Record<string, string>;
}

/** A consumer of its own group reading `topics` from the beginning into `received`. */
async function readBack(brokers: string[], topics: RegExp[]) {
  const kafka = new Kafka({
    brokers,
    clientId: 'akili-test-reader',
    logLevel: logLevel.NOTHING,
  });
  const consumer: Consumer = kafka.consumer({
    groupId: `akili-test-${randomBytes(6).toString('hex')}`,
    sessionTimeout: 6000,
    heartbeatInterval: 500,
    maxWaitTimeInMs: 150,
  });
  const received: Received[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(message.headers ?? {})) {
        headers[name] = String(value);
      }
      received.push({
        topic,
        partition,
        key: message.key!.toString(),
        event: parseAkiliEvent(message.value!.toString()),
        headers,
      });
    },
  });
  return {
    received,
    /** Waits until the distinct event ids received reach `count`. */
    async waitFor(count: number, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (
        new Set(received.map(r => r.event.id)).size < count &&
        Date.now() < deadline
      ) {
        await new Promise(resolve => setTimeout(resolve, 50));
      }
      return new Set(received.map(r => r.event.id)).size;
    },
    stop: () => consumer.disconnect(),
  };
}

/**
 * Checks delivery per key: every event arrived, and the first delivery of each event comes
 * after the first delivery of every earlier event of its key (duplicates of at-least-once
 * delivery allowed, gaps and reordering not).
 */
function expectCompleteAndOrderedPerKey(
  received: Received[],
  sent: AkiliEvent[],
) {
  const firstSeen: Received[] = [];
  const ids = new Set<string>();
  for (const r of received) {
    if (!ids.has(r.event.id)) {
      ids.add(r.event.id);
      firstSeen.push(r);
    }
  }
  expect(ids.size).toBe(sent.length);
  const perKey = (list: Array<{ key: string; n: number }>) => {
    const map = new Map<string, number[]>();
    for (const { key, n } of list) {
      map.set(key, [...(map.get(key) ?? []), n]);
    }
    return Object.fromEntries([...map].sort());
  };
  expect(
    perKey(firstSeen.map(r => ({ key: r.key, n: runNumber(r.event) }))),
  ).toEqual(perKey(sent.map(e => ({ key: e.subject, n: runNumber(e) }))));
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms`);
    }
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

describe('outbox relay to Kafka (librdkafka mock cluster, 3 brokers)', () => {
  let mock: KafkaMock;

  beforeAll(async () => {
    mock = await startKafkaMock();
  });
  afterAll(async () => {
    await mock?.stop();
  });

  describe.each(allIds)('on %p', databaseId => {
    let t: OutboxTestDatabase;
    const outbox = EventOutbox.create();

    beforeEach(async () => {
      t = await openOutboxTestDatabase(databases, databaseId);
    });
    afterEach(async () => {
      await t?.cleanup();
    });

    it('publishes committed events after a restart and reads them back: topic per tenant and family, key = subject', async () => {
      const tag = randomBytes(3).toString('hex');
      const acme = `acme-${tag}`;
      const globex = `globex-${tag}`;
      const events = [
        executionEvent(acme, 'orders', 1),
        executionEvent(globex, 'invoices', 2),
        executionEvent(acme, 'orders', 3),
      ];
      // Committed by a process that died before publishing...
      const { db } = t;
      for (const event of events) {
        await db.withTenant(event.tenant, tx => outbox.enqueue(db, tx, event));
      }
      // ... and published by a new one, with new objects on the same database.
      const restarted = await t.reopen();
      const transport = KafkaEventTransport.create({ brokers: mock.brokers });
      const relay = OutboxRelay.create({ db: restarted.db, transport });
      expect((await relay.runOnce()).published).toBe(3);
      await transport.close();

      const reader = await readBack(mock.brokers, [
        new RegExp(`^akili\\.(${acme}|${globex})\\.execution$`),
      ]);
      try {
        expect(await reader.waitFor(3)).toBe(3);
        const byId = new Map(reader.received.map(r => [r.event.id, r]));
        expect(byId.get(events[0].id)).toEqual({
          topic: `akili.${acme}.execution`,
          partition: expect.any(Number),
          key: `dataproduct:${acme}/orders`,
          event: events[0],
          headers: {
            'akili-event-id': events[0].id,
            'akili-event-type': 'execution.completed',
            'akili-event-version': '1',
            'akili-tenant': acme,
            'content-type': 'application/json',
          },
        });
        expect(byId.get(events[1].id)?.topic).toBe(`akili.${globex}.execution`);
        expect(byId.get(events[2].id)?.partition).toBe(
          byId.get(events[0].id)?.partition,
        );
      } finally {
        await reader.stop();
      }
    });

    it('keeps the order of each key across many events and batches', async () => {
      const tenant = `order-${randomBytes(3).toString('hex')}`;
      const products = ['orders', 'customers', 'invoices', 'stock', 'returns'];
      const events = Array.from({ length: 150 }, (_, i) =>
        executionEvent(tenant, products[(i * 7) % products.length], i + 1),
      );
      const { db } = t;
      for (let i = 0; i < events.length; i += 10) {
        const slice = events.slice(i, i + 10);
        await db.withTenant(tenant, async tx => {
          for (const event of slice) {
            await outbox.enqueue(db, tx, event);
          }
        });
      }
      const transport = KafkaEventTransport.create({ brokers: mock.brokers });
      const relay = OutboxRelay.create({ db: t.db, transport, batchSize: 20 });
      let published = 0;
      for (;;) {
        const round = await relay.runOnce();
        published += round.published;
        if (!round.more) break;
      }
      expect(published).toBe(150);
      await transport.close();

      const reader = await readBack(mock.brokers, [
        new RegExp(`^akili\\.${tenant}\\.execution$`),
      ]);
      try {
        expect(await reader.waitFor(150)).toBe(150);
        expectCompleteAndOrderedPerKey(reader.received, events);
        expect(reader.received).toHaveLength(150);
      } finally {
        await reader.stop();
      }
    });

    it('loses nothing when the brokers go down mid-stream and come back', async () => {
      const tenant = `outage-${randomBytes(3).toString('hex')}`;
      const products = ['orders', 'customers', 'invoices'];
      const transport = KafkaEventTransport.create({
        brokers: mock.brokers,
        connectionTimeoutMs: 1000,
        requestTimeoutMs: 2000,
        retries: 1,
      });
      const relay = OutboxRelay.create({
        db: t.db,
        transport,
        batchSize: 5,
        pollIntervalMs: 100,
        minBackoffMs: 100,
        maxBackoffMs: 1000,
      });
      const events: AkiliEvent[] = [];
      const enqueue = async (n: number) => {
        const event = executionEvent(tenant, products[n % 3], n);
        await t.db.withTenant(tenant, tx => outbox.enqueue(t.db, tx, event));
        events.push(event);
        relay.wake();
      };
      const sentCount = async () =>
        Number(
          (
            await t.db.withPlatformScope(tx =>
              tx(DEFAULT_EVENT_OUTBOX_TABLE)
                .whereNotNull('sent_at')
                .count({ n: '*' }),
            )
          )[0].n,
        );

      relay.start();
      try {
        for (let n = 1; n <= 20; n++) {
          await enqueue(n);
        }
        await waitUntil(async () => (await sentCount()) === 20, 20_000);

        const downAt = Date.now();
        await mock.brokerDown('all');
        for (let n = 21; n <= 40; n++) {
          await enqueue(n);
          await new Promise(resolve => setTimeout(resolve, 25));
        }
        // The relay keeps failing (and recording it) while the brokers are down.
        await waitUntil(async () => relay.consecutiveFailures >= 2, 20_000);
        const failedRows = await t.db.withTenant(tenant, tx =>
          t.db
            .scoped(tx, DEFAULT_EVENT_OUTBOX_TABLE)
            .whereNull('sent_at')
            .where('attempts', '>', 0)
            .select('last_error'),
        );
        expect(failedRows.length).toBeGreaterThan(0);
        expect(failedRows[0].last_error).toMatch(/Could not publish/);
        expect(await sentCount()).toBeLessThan(40);
        const firstFailureMs = Date.now() - downAt;

        await mock.brokerUp('all');
        const upAt = Date.now();
        for (let n = 41; n <= 60; n++) {
          await enqueue(n);
        }
        await waitUntil(async () => (await sentCount()) === 60, 60_000);
        const recoveryMs = Date.now() - upAt;
        // Visible in the test output, for the timings in the report.
        process.stdout.write(
          `[outage ${databaseId}] failures seen after ${firstFailureMs} ms; all sent ${recoveryMs} ms after brokers came back\n`,
        );
      } finally {
        await relay.stop();
        await transport.close();
      }

      const reader = await readBack(mock.brokers, [
        new RegExp(`^akili\\.${tenant}\\.execution$`),
      ]);
      try {
        expect(await reader.waitFor(60)).toBe(60);
        expectCompleteAndOrderedPerKey(reader.received, events);
      } finally {
        await reader.stop();
      }
    });
  });

  it('fails a publish within seconds while every broker is down', async () => {
    const transport = KafkaEventTransport.create({
      brokers: mock.brokers,
      connectionTimeoutMs: 1000,
      requestTimeoutMs: 2000,
      retries: 1,
    });
    const event = executionEvent('acme', 'orders', 1);
    await mock.brokerDown('all');
    const started = Date.now();
    try {
      await expect(
        transport.publish([
          { topic: 'akili.acme.execution', key: event.subject, value: '{}' },
        ]),
      ).rejects.toThrow(/Could not publish 1 event\(s\) to Kafka/);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await mock.brokerUp('all');
      await transport.close().catch(() => {});
    }
  });

  it('names the topic it could not create when topic creation is on (the mock has no CreateTopics)', async () => {
    const transport = KafkaEventTransport.create({
      brokers: mock.brokers,
      requestTimeoutMs: 2000,
      retries: 1,
      topics: { create: true, partitions: 3, replicationFactor: 1 },
    });
    const topic = `akili.create-${randomBytes(3).toString('hex')}.execution`;
    try {
      const publishing = transport.publish([{ topic, key: 'k', value: '{}' }]);
      await expect(publishing).rejects.toThrow(
        `Could not create Kafka topic(s) ${topic} (partitions 3, replication factor 1): `,
      );
      await expect(publishing).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
      });
    } finally {
      await transport.close().catch(() => {});
    }
  });
});

describe('KafkaEventTransport without a reachable broker', () => {
  it('fails within seconds with a ServiceUnavailableError', async () => {
    // Nothing listens on port 1: connection refused, retried, then given up.
    const transport = KafkaEventTransport.create({
      brokers: ['127.0.0.1:1'],
      connectionTimeoutMs: 1000,
      retries: 1,
    });
    const started = Date.now();
    await expect(
      transport.publish([{ topic: 't', key: 'k', value: '{}' }]),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringMatching(
        /^Could not publish 1 event\(s\) to Kafka: /,
      ),
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    await transport.close();
  });
});

const describeReal = realBrokers ? describe : describe.skip;

// The mock cluster has no CreateTopics API, so creating a topic with an exact partition count
// through kafkajs' admin client only runs against a real broker (Redpanda).
describeReal(
  'against real brokers (AKILI_TEST_KAFKA_REAL_BROKERS; skipped otherwise: the mock has no CreateTopics API)',
  () => {
    it('creates a topic with the configured partitions before its first publish', async () => {
      const tenant = `real-${randomBytes(3).toString('hex')}`;
      const topic = `akili.${tenant}.execution`;
      const transport = KafkaEventTransport.create({
        brokers: realBrokers!,
        topics: { create: true, partitions: 3, replicationFactor: 1 },
      });
      const admin = new Kafka({
        brokers: realBrokers!,
        logLevel: logLevel.NOTHING,
      }).admin();
      await admin.connect();
      try {
        const event = executionEvent(tenant, 'orders', 1);
        await transport.publish([
          { topic, key: event.subject, value: JSON.stringify(event) },
        ]);
        const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
        expect(metadata.topics[0].partitions).toHaveLength(3);
      } finally {
        await transport.close();
        await admin.deleteTopics({ topics: [topic] }).catch(() => {});
        await admin.disconnect();
      }
    });

    it('publishes to a topic created with the admin API', async () => {
      const kafka = new Kafka({
        brokers: realBrokers!,
        logLevel: logLevel.NOTHING,
      });
      const admin = kafka.admin();
      const tenant = `real-${randomBytes(3).toString('hex')}`;
      const topic = `akili.${tenant}.execution`;
      await admin.connect();
      try {
        await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
        const transport = KafkaEventTransport.create({ brokers: realBrokers! });
        const event = executionEvent(tenant, 'orders', 1);
        await transport.publish([
          { topic, key: event.subject, value: JSON.stringify(event) },
        ]);
        await transport.close();
        const reader = await readBack(realBrokers!, [new RegExp(`^${topic}$`)]);
        try {
          expect(await reader.waitFor(1)).toBe(1);
        } finally {
          await reader.stop();
        }
      } finally {
        await admin.deleteTopics({ topics: [topic] }).catch(() => {});
        await admin.disconnect();
      }
    });
  },
);
