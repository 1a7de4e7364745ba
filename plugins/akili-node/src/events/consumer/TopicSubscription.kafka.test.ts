import { LoggerService } from '@backstage/backend-plugin-api';
import { Kafka, logLevel } from 'kafkajs';
import {
  KAFKA_MOCK_CONSUMER_TIMINGS,
  KafkaMock,
  startKafkaMock,
} from '../../testUtils';
import { TopicSubscription } from './TopicSubscription';
import { eventually, uniqueGroup } from './__testUtils__/helpers';

jest.setTimeout(120_000);

interface LogEntry {
  level: string;
  message: string;
  meta: Record<string, unknown>;
}

function collectingLogger(entries: LogEntry[]): LoggerService {
  const log = (level: string) => (message: string, meta?: Error | object) =>
    entries.push({ level, message, meta: { ...meta } });
  const logger: LoggerService = {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: () => logger,
  };
  return logger;
}

let mock: KafkaMock;
let kafka: Kafka;

beforeAll(async () => {
  mock = await startKafkaMock();
  kafka = new Kafka({
    brokers: mock.brokers,
    clientId: 'akili-topic-subscription-test',
    logLevel: logLevel.NOTHING,
  });
});

afterAll(async () => {
  await mock?.stop();
});

describe('TopicSubscription on Kafka', () => {
  // The dead-letter recorder's case: its pattern matches no topic when it starts. The mock
  // cluster crashes such a consumer for good ("Number of partitions is invalid"); the topic
  // refresh must still start it once a matching topic appears.
  it('reads a pattern that matches no topic yet, once one appears', async () => {
    const entries: LogEntry[] = [];
    const suffix = uniqueGroup('t').replace(/[^a-z0-9]/g, '');
    const seen: string[] = [];
    const subscription = new TopicSubscription({
      groupId: uniqueGroup('no-topic-yet'),
      topics: new RegExp(`^akili\\.${suffix}\\..*$`),
      source: kafka,
      logger: collectingLogger(entries),
      kafka: {
        consumerConfig: KAFKA_MOCK_CONSUMER_TIMINGS,
        topicRefreshIntervalMs: 500,
        startRetryMinMs: 200,
        startRetryMaxMs: 1000,
      },
      handleBatch: async messages => {
        seen.push(...messages.map(m => m.value));
      },
    });
    try {
      await subscription.start();
      // Past the group join, where the mock crashes the consumer.
      await new Promise(resolve => setTimeout(resolve, 5000));
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({
        topic: `akili.${suffix}.events`,
        messages: [{ key: 'k', value: 'hello' }],
      });
      await producer.disconnect();
      await eventually(() => expect(seen).toEqual(['hello']), 60_000);
    } finally {
      await subscription.stop();
    }
    expect(entries.filter(e => e.level === 'error').length).toBeLessThanOrEqual(
      1,
    );
  });
});
