import {
  AkiliEvent,
  akiliDeadLetterTopic,
  akiliEventTopic,
} from '@akili/plugin-akili-common';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { TenantScopedDatabase } from '../../database/TenantScopedDatabase';
import {
  KAFKA_MOCK_CONSUMER_TIMINGS,
  KafkaMock,
  requireTestDatabaseIds,
  startKafkaMock,
} from '../../testUtils';
import { KafkaEventTransport } from '..';
import {
  AKILI_DEAD_LETTER_HEADERS,
  AkiliEventConsumer,
  AkiliEventConsumerOptions,
  AkiliEventHandlerContext,
} from './AkiliEventConsumer';
import {
  eventually,
  messageOf,
  migrationSource,
  processedOf,
  productRegistered,
  recordRefresh,
  refreshesOf,
  uniqueGroup,
  uniqueTenant,
} from './__testUtils__/helpers';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });
const allIds = databases.eachSupportedId();

let mock: KafkaMock;
let kafka: Kafka;
let producer: Producer;
let deadLetter: KafkaEventTransport;
const started: AkiliEventConsumer[] = [];
const readers: Array<{ disconnect(): Promise<void> }> = [];

beforeAll(async () => {
  mock = await startKafkaMock();
  kafka = new Kafka({
    brokers: mock.brokers,
    clientId: 'akili-consumer-test',
    logLevel: logLevel.NOTHING,
  });
  producer = kafka.producer();
  await producer.connect();
  deadLetter = KafkaEventTransport.create({ brokers: mock.brokers });
});

afterEach(async () => {
  await Promise.all([
    ...started.splice(0).map(c => c.stop()),
    ...readers.splice(0).map(r => r.disconnect()),
  ]);
});

afterAll(async () => {
  await producer?.disconnect();
  await deadLetter?.close();
  await mock?.stop();
});

async function produce(
  topic: string,
  messages: Array<{ key: string; value: string }>,
) {
  await producer.send({ topic, messages });
}

async function startConsumer(
  db: TenantScopedDatabase,
  options: Partial<AkiliEventConsumerOptions>,
): Promise<AkiliEventConsumer> {
  const consumer = new AkiliEventConsumer({
    groupId: uniqueGroup('refresh'),
    topics: /^$/,
    handler: recordRefresh(db),
    db,
    source: kafka,
    deadLetter,
    logger: mockServices.logger.mock(),
    retryDelayMs: 10,
    kafka: { consumerConfig: KAFKA_MOCK_CONSUMER_TIMINGS },
    ...options,
  });
  await consumer.start();
  started.push(consumer);
  return consumer;
}

interface DeadLetter {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** Reads a dead-letter topic from the beginning with a group of its own. */
async function readDeadLetters(topic: string): Promise<DeadLetter[]> {
  const received: DeadLetter[] = [];
  const reader = kafka.consumer({
    groupId: uniqueGroup('dlq-reader'),
    ...KAFKA_MOCK_CONSUMER_TIMINGS,
  });
  readers.push(reader);
  await reader.connect();
  await reader.subscribe({ topics: [topic], fromBeginning: true });
  await reader.run({
    eachMessage: async ({ message }) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(message.headers ?? {})) {
        headers[name] = String(value);
      }
      received.push({
        key: message.key?.toString() ?? '',
        value: message.value?.toString() ?? '',
        headers,
      });
    },
  });
  return received;
}

const tenantTopics = (tenant: string) =>
  new RegExp(`^akili\\.${tenant}\\.product$`);

describe('AkiliEventConsumer with Kafka (librdkafka mock cluster)', () => {
  it.each(allIds)(
    'processes each event once per group, retries, dead-letters bad messages and goes on, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ migrationSource });
      const db = TenantScopedDatabase.create(knex);
      const tenant = uniqueTenant();
      const other = uniqueTenant();
      const topic = akiliEventTopic(tenant, 'product');
      const first = productRegistered(tenant, 'orders');
      const flaky = productRegistered(tenant, 'customers');
      const poison = productRegistered(tenant, 'returns');
      const last = productRegistered(tenant, 'invoices');
      const foreign = productRegistered(other);
      const invalid = { ...productRegistered(tenant, 'bad'), id: 'not-a-uuid' };

      // The relay republished `first` (at least once); the rest is one of each kind of trouble.
      // One key keeps them in one partition, in this order.
      const key = `dataproduct:${tenant}/all`;
      await produce(topic, [
        { key, value: messageOf(first).value },
        { key, value: messageOf(first).value },
        { key, value: '{not json' },
        { key, value: JSON.stringify(invalid) },
        { key, value: messageOf(foreign, topic).value },
        { key, value: messageOf(flaky).value },
        { key, value: messageOf(poison).value },
        { key, value: messageOf(last).value },
      ]);

      const callsA: string[] = [];
      const seenB: string[] = [];
      const a = await startConsumer(db, {
        topics: tenantTopics(tenant),
        handler: async (event: AkiliEvent, ctx) => {
          callsA.push(`${event.data.product}#${ctx.attempt}`);
          await recordRefresh(db)(event, ctx);
          if (event.id === poison.id) {
            throw new Error('catalog refresh refused');
          }
          if (event.id === flaky.id && ctx.attempt === 1) {
            throw new Error('transient');
          }
        },
      });
      const b = await startConsumer(db, {
        topics: [topic],
        handler: async event => {
          seenB.push(event.id);
        },
      });

      const processed = [first.id, flaky.id, last.id].sort();
      await eventually(async () => {
        expect(await processedOf(db, tenant, a.groupId)).toEqual(processed);
        expect(callsA).toContain(`dataproduct:${tenant}/invoices#1`);
      }, 60_000);
      await eventually(async () => {
        expect(await processedOf(db, tenant, b.groupId)).toEqual(
          [...processed, poison.id].sort(),
        );
      }, 60_000);

      expect(callsA).toEqual([
        `dataproduct:${tenant}/orders#1`,
        `dataproduct:${tenant}/customers#1`,
        `dataproduct:${tenant}/customers#2`,
        `dataproduct:${tenant}/returns#1`,
        `dataproduct:${tenant}/returns#2`,
        `dataproduct:${tenant}/returns#3`,
        `dataproduct:${tenant}/invoices#1`,
      ]);
      expect(seenB).toEqual([first.id, flaky.id, poison.id, last.id]);
      // Rolled back: no refresh of the poison event, and nothing in the other tenant.
      expect(await refreshesOf(db, tenant)).toEqual(processed);
      expect(await refreshesOf(db, other)).toEqual([]);

      const dead = await readDeadLetters(akiliDeadLetterTopic(topic));
      await eventually(() => expect(dead).toHaveLength(7), 60_000);
      const summary = (group: string) =>
        dead
          .filter(
            d => d.headers[AKILI_DEAD_LETTER_HEADERS.consumerGroup] === group,
          )
          .map(d => d.headers[AKILI_DEAD_LETTER_HEADERS.reason]);
      expect(summary(a.groupId)).toEqual([
        'invalid-json',
        'invalid-event',
        'tenant-mismatch',
        'handler-failed',
      ]);
      expect(summary(b.groupId)).toEqual([
        'invalid-json',
        'invalid-event',
        'tenant-mismatch',
      ]);
      for (const d of dead) {
        expect(d.key).toBe(key);
        expect(d.headers[AKILI_DEAD_LETTER_HEADERS.originalTopic]).toBe(topic);
      }
      const failed = dead.find(
        d => d.headers[AKILI_DEAD_LETTER_HEADERS.reason] === 'handler-failed',
      )!;
      expect(failed.value).toBe(messageOf(poison).value);
      expect(failed.headers).toMatchObject({
        [AKILI_DEAD_LETTER_HEADERS.detail]: 'catalog refresh refused',
        [AKILI_DEAD_LETTER_HEADERS.attempts]: '3',
      });
    },
  );

  it.each(allIds)(
    'processes partitions concurrently in batches, once per event and in order per key, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ migrationSource });
      const db = TenantScopedDatabase.create(knex);
      const tenant = uniqueTenant();
      const topic = akiliEventTopic(tenant, 'product');
      await mock.createTopic(topic, 4);
      const keys = Array.from({ length: 12 }, (_, k) => `p-${k}`);
      const events = Array.from({ length: 240 }, (_, n) =>
        productRegistered(tenant, keys[n % keys.length]),
      );
      // Every key's events, in production order.
      const expectedByKey = new Map<string, string[]>();
      for (const event of events) {
        const list = expectedByKey.get(event.subject) ?? [];
        list.push(event.id);
        expectedByKey.set(event.subject, list);
      }
      const seenByKey = new Map<string, string[]>();
      const batchSizes: number[] = [];

      // The relay published everything at least once: the first 40 twice.
      await producer.send({
        topic,
        messages: [...events, ...events.slice(0, 40)].map(e => ({
          key: e.subject,
          value: messageOf(e).value,
        })),
      });
      const c = await startConsumer(db, {
        topics: [topic],
        kafka: {
          consumerConfig: KAFKA_MOCK_CONSUMER_TIMINGS,
          partitionsConsumedConcurrently: 4,
        },
        handler: async (event, ctx) => {
          const list = seenByKey.get(event.subject) ?? [];
          list.push(event.id);
          seenByKey.set(event.subject, list);
          await recordRefresh(db)(event, ctx);
        },
      });
      const handleBatch = c.handleBatch.bind(c);
      jest.spyOn(c, 'handleBatch').mockImplementation((messages, options) => {
        batchSizes.push(messages.length);
        return handleBatch(messages, options);
      });

      const ids = events.map(e => e.id).sort();
      await eventually(async () => {
        expect(await processedOf(db, tenant, c.groupId)).toEqual(ids);
      }, 60_000);
      expect(await refreshesOf(db, tenant)).toEqual(ids);
      expect(seenByKey).toEqual(expectedByKey);
      // Batches, not one message at a time.
      expect(Math.max(...batchSizes)).toBeGreaterThan(1);
    },
  );

  it.each(allIds)(
    'resumes after a restart without reprocessing, and skips a republished event, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ migrationSource });
      const db = TenantScopedDatabase.create(knex);
      const tenant = uniqueTenant();
      const topic = akiliEventTopic(tenant, 'product');
      const groupId = uniqueGroup('restart');
      const first = productRegistered(tenant, 'orders');
      const second = productRegistered(tenant, 'customers');
      const calls: string[] = [];
      const handler = async (
        event: AkiliEvent,
        ctx: AkiliEventHandlerContext,
      ) => {
        calls.push(event.id);
        await recordRefresh(db)(event, ctx);
      };

      await produce(topic, [messageOf(first)]);
      const before = await startConsumer(db, {
        groupId,
        topics: tenantTopics(tenant),
        handler,
      });
      await eventually(async () =>
        expect(await processedOf(db, tenant, groupId)).toEqual([first.id]),
      );
      await before.stop();

      // The relay crashed after publishing `first` and publishes it again, then `second`.
      await produce(topic, [messageOf(first), messageOf(second)]);
      await startConsumer(db, {
        groupId,
        topics: tenantTopics(tenant),
        handler,
      });
      await eventually(async () =>
        expect(await processedOf(db, tenant, groupId)).toEqual(
          [first.id, second.id].sort(),
        ),
      );

      expect(calls).toEqual([first.id, second.id]);
      expect(await refreshesOf(db, tenant)).toEqual(
        [first.id, second.id].sort(),
      );
    },
  );

  it.each(allIds)(
    'picks up the topic of a new tenant with topicRefreshIntervalMs, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ migrationSource });
      const db = TenantScopedDatabase.create(knex);
      const prefix = uniqueTenant('r');
      const [one, two] = [`${prefix}-one`, `${prefix}-two`];
      const groupId = uniqueGroup('refresh-topics');
      const early = productRegistered(one);
      const late = productRegistered(two);

      await produce(akiliEventTopic(one, 'product'), [messageOf(early)]);
      await startConsumer(db, {
        groupId,
        topics: new RegExp(`^akili\\.${prefix}-[a-z0-9-]+\\.product$`),
        kafka: {
          consumerConfig: KAFKA_MOCK_CONSUMER_TIMINGS,
          topicRefreshIntervalMs: 500,
        },
      });
      await eventually(async () =>
        expect(await processedOf(db, one, groupId)).toEqual([early.id]),
      );

      // A new tenant: its topic appears after the consumer subscribed.
      await produce(akiliEventTopic(two, 'product'), [messageOf(late)]);
      await eventually(
        async () =>
          expect(await processedOf(db, two, groupId)).toEqual([late.id]),
        60_000,
      );
      expect(await refreshesOf(db, one)).toEqual([early.id]);
    },
  );
});
