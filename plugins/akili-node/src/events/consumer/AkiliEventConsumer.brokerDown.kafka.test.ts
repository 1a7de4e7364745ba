import { akiliEventTopic } from '@akili/plugin-akili-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { TenantScopedDatabase } from '../../database/TenantScopedDatabase';
import {
  KAFKA_MOCK_CONSUMER_TIMINGS,
  KafkaMock,
  requireTestDatabaseIds,
  startKafkaMock,
} from '../../testUtils';
import { KafkaEventTransport } from '..';
import { AkiliEventConsumer } from './AkiliEventConsumer';
import {
  eventually,
  messageOf,
  migrationSource,
  productRegistered,
  recordRefresh,
  refreshesOf,
  uniqueGroup,
  uniqueTenant,
} from './__testUtils__/helpers';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });
// The behaviour under test is the broker's: one database is enough.
const [[databaseId]] = databases.eachSupportedId();

interface LogEntry {
  level: string;
  message: string;
  meta: Record<string, unknown>;
}

/** A logger that keeps what it is told, the fields of its children included. */
function collectingLogger(
  entries: LogEntry[],
  fields: Record<string, unknown> = {},
): LoggerService {
  const log = (level: string) => (message: string, meta?: Error | object) =>
    entries.push({ level, message, meta: { ...fields, ...meta } });
  return {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: meta => collectingLogger(entries, { ...fields, ...meta }),
  };
}

let mock: KafkaMock;
let kafka: Kafka;
let producer: Producer;
let deadLetter: KafkaEventTransport;
const started: AkiliEventConsumer[] = [];

beforeAll(async () => {
  mock = await startKafkaMock();
  kafka = new Kafka({
    brokers: mock.brokers,
    clientId: 'akili-broker-down-test',
    logLevel: logLevel.NOTHING,
    // A down broker fails an attempt within about a second, as in production.
    connectionTimeout: 1000,
    retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 300 },
  });
  producer = kafka.producer();
  await producer.connect();
  deadLetter = KafkaEventTransport.create({ brokers: mock.brokers });
});

afterEach(async () => {
  await mock.brokerUp('all');
  await Promise.all(started.splice(0).map(c => c.stop()));
});

afterAll(async () => {
  await producer?.disconnect();
  await deadLetter?.close();
  await mock?.stop();
});

async function setUp() {
  const knex = await databases.init(databaseId);
  await knex.migrate.latest({ migrationSource });
  const db = TenantScopedDatabase.create(knex);
  const tenant = uniqueTenant();
  const logs: LogEntry[] = [];
  const consumer = new AkiliEventConsumer({
    groupId: uniqueGroup('broker-down'),
    topics: [akiliEventTopic(tenant, 'product')],
    handler: recordRefresh(db),
    db,
    source: kafka,
    deadLetter,
    logger: collectingLogger(logs),
    kafka: {
      consumerConfig: KAFKA_MOCK_CONSUMER_TIMINGS,
      startRetryMinMs: 200,
      startRetryMaxMs: 800,
    },
  });
  started.push(consumer);
  const failedStarts = () =>
    logs.filter(
      e => e.message === 'Akili event consumer could not start; retrying',
    );
  return { db, tenant, consumer, logs, failedStarts };
}

describe('AkiliEventConsumer when the broker is down at start-up', () => {
  it('starts by itself once the broker is back, and consumes', async () => {
    const { db, tenant, consumer, logs, failedStarts } = await setUp();
    const before = productRegistered(tenant, 'orders');
    const after = productRegistered(tenant, 'customers');
    const topic = akiliEventTopic(tenant, 'product');
    await producer.send({ topic, messages: [messageOf(before)] });
    await mock.brokerDown('all');

    // The start does not fail (a plugin's startup hook would), it says why it is not consuming.
    await expect(consumer.start()).resolves.toBeUndefined();
    await eventually(() => expect(failedStarts().length).toBeGreaterThan(1));
    const [first, second] = failedStarts();
    expect(first).toMatchObject({
      level: 'error',
      meta: { consumerGroup: consumer.groupId, attempt: 1, retryInMs: 200 },
    });
    expect(String(first.meta.error)).not.toBe('');
    expect(second.meta).toMatchObject({ attempt: 2, retryInMs: 400 });
    expect(logs.map(e => e.message)).not.toContain(
      'Akili event consumer started',
    );

    await mock.brokerUp('all');
    await producer.send({ topic, messages: [messageOf(after)] });

    await eventually(
      async () =>
        expect(await refreshesOf(db, tenant)).toEqual(
          [before.id, after.id].sort(),
        ),
      60_000,
    );
    expect(
      logs.find(
        e => e.message === 'Akili event consumer started after failed attempts',
      )?.meta,
    ).toMatchObject({ consumerGroup: consumer.groupId });
  });

  it('stops at once while it is retrying, and tries no more', async () => {
    const { consumer, failedStarts } = await setUp();
    await mock.brokerDown('all');
    await consumer.start();
    await eventually(() => expect(failedStarts().length).toBeGreaterThan(0));

    const stopping = Date.now();
    await consumer.stop();
    expect(Date.now() - stopping).toBeLessThan(5000);

    const attempts = failedStarts().length;
    await new Promise(resolve => setTimeout(resolve, 2000));
    expect(failedStarts()).toHaveLength(attempts);
  });
});
