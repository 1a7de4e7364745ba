import { AkiliEvent, akiliEventTopic } from '@akili/plugin-akili-common';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { Kafka, logLevel } from 'kafkajs';
import { TenantScopedDatabase } from '../../database/TenantScopedDatabase';
import { requireTestDatabaseIds } from '../../testUtils';
import { KafkaEventTransport } from '../KafkaEventTransport';
import {
  KAFKA_MOCK_CONSUMER_TIMINGS,
  KafkaMock,
  startKafkaMock,
} from '../../testUtils';
import { AkiliEventConsumer } from '../consumer/AkiliEventConsumer';
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
} from '../consumer/__testUtils__/helpers';
import { DeadLetterRecorder } from './DeadLetterRecorder';
import { DeadLetterStore } from './DeadLetterStore';
import { akiliMigrationsV1 } from '../../migrations/v1';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });
// One database is enough here: the in-process tests cover both stores.
const [[databaseId]] = databases.eachSupportedId();

let mock: KafkaMock;
let kafka: Kafka;
let transport: KafkaEventTransport;
const stops: Array<() => Promise<void>> = [];

beforeAll(async () => {
  mock = await startKafkaMock();
  kafka = new Kafka({
    brokers: mock.brokers,
    clientId: 'akili-dead-letter-test',
    logLevel: logLevel.NOTHING,
  });
  transport = KafkaEventTransport.create({ brokers: mock.brokers });
});

afterAll(async () => {
  await Promise.all(stops.splice(0).map(stop => stop()));
  await transport?.close();
  await mock?.stop();
});

it('records a dead letter from Kafka once its dead-letter topic appears, and a retry gets the event processed', async () => {
  const knex = await databases.init(databaseId);
  await knex.migrate.latest({ migrationSource });
  await akiliMigrationsV1.createDeadLettersTable(knex);
  const db = TenantScopedDatabase.create(knex);
  const logger = mockServices.logger.mock();
  const tenant = uniqueTenant();
  const topic = akiliEventTopic(tenant, 'product');
  await mock.createTopic(topic, 2);

  // Started before any dead-letter topic exists: it must find the new one by itself.
  const recorder = new DeadLetterRecorder({
    db,
    source: kafka,
    logger,
    groupId: uniqueGroup('dead-letters'),
    kafka: {
      consumerConfig: KAFKA_MOCK_CONSUMER_TIMINGS,
      topicRefreshIntervalMs: 500,
    },
  });
  await recorder.start();
  stops.push(() => recorder.stop());

  let broken = true;
  const consumer = new AkiliEventConsumer({
    groupId: uniqueGroup('refresh'),
    topics: [topic],
    handler: async (event: AkiliEvent, context) => {
      if (broken) {
        throw new Error('catalog unavailable');
      }
      await recordRefresh(db)(event, context);
    },
    db,
    source: kafka,
    deadLetter: transport,
    logger,
    retryDelayMs: 10,
    kafka: { consumerConfig: KAFKA_MOCK_CONSUMER_TIMINGS },
  });
  await consumer.start();
  stops.push(() => consumer.stop());

  const event = productRegistered(tenant);
  await transport.publish([messageOf(event)]);

  const store = new DeadLetterStore({ db });
  const [deadLetter] = await eventually(async () => {
    const { items } = await store.list(tenant, { limit: 10 });
    expect(items).toHaveLength(1);
    return items;
  }, 60_000);
  expect(deadLetter).toMatchObject({
    topic,
    reason: 'handler-failed',
    detail: 'catalog unavailable',
    eventId: event.id,
    consumerGroup: consumer.groupId,
  });

  broken = false;
  await store.retry(tenant, deadLetter.id, {
    publisher: transport,
    actor: 'user:default/ops',
  });
  await eventually(async () => {
    expect(await refreshesOf(db, tenant)).toEqual([event.id]);
  }, 60_000);
  expect(await processedOf(db, tenant, consumer.groupId)).toEqual([event.id]);
  expect(await store.countOpen(tenant)).toBe(0);
});
