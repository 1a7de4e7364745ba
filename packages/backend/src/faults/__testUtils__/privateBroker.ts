import {
  AKILI_EVENT_HEADERS,
  KafkaEventTransport,
} from '@akili/plugin-akili-node';
import {
  KAFKA_MOCK_CONSUMER_TIMINGS,
  KafkaMock,
  startKafkaMock,
} from '@akili/plugin-akili-node/testUtils';
import { randomBytes } from 'node:crypto';

/**
 * A Kafka-protocol broker cluster of the test's own (librdkafka's mock cluster, three brokers),
 * that the test takes down and brings back, and a reader that counts every message on the Akili
 * topics by event id (so duplicates on the topic show, not only at a deduplicating consumer).
 *
 * Down and up keep the cluster's process, its ports and its log: what a broker restart looks
 * like to clients (same addresses, messages kept). Killing the process would lose the log and
 * come back on new random ports (librdkafka 2.0's mock has no way to choose them), which no
 * client configured with fixed brokers could follow.
 */
export interface PrivateBroker {
  readonly brokers: string[];
  readonly mock: KafkaMock;
  /** Every broker disconnects its clients and refuses new connections. */
  down(): Promise<void>;
  /** Every broker accepts connections again. */
  up(): Promise<void>;
  /**
   * Starts counting the messages of topics matching `topics` from their beginning: how often
   * each event id (header `akili-event-id`) was seen.
   */
  countTopic(topics: RegExp): Promise<TopicCounter>;
  stop(): Promise<void>;
}

export interface TopicCounter {
  /** Deliveries per event id. */
  readonly seen: ReadonlyMap<string, number>;
  stop(): Promise<void>;
}

export async function startPrivateBroker(): Promise<PrivateBroker> {
  const mock = await startKafkaMock({ brokerCount: 3 });
  const counters: TopicCounter[] = [];
  return {
    brokers: mock.brokers,
    mock,
    down: () => mock.brokerDown('all'),
    up: () => mock.brokerUp('all'),
    async countTopic(topics) {
      const { kafka } = KafkaEventTransport.create({
        brokers: mock.brokers,
        clientId: 'akili-fault-topic-counter',
        ssl: false,
      });
      const consumer = kafka.consumer({
        groupId: `akili.fault.counter-${randomBytes(4).toString('hex')}`,
        ...KAFKA_MOCK_CONSUMER_TIMINGS,
      });
      const seen = new Map<string, number>();
      await consumer.connect();
      await consumer.subscribe({ topics: [topics], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const id = message.headers?.[AKILI_EVENT_HEADERS.id]?.toString();
          if (id) seen.set(id, (seen.get(id) ?? 0) + 1);
        },
      });
      const counter = { seen, stop: () => consumer.disconnect() };
      counters.push(counter);
      return counter;
    },
    async stop() {
      for (const counter of counters.splice(0)) {
        await counter.stop().catch(() => {});
      }
      await mock.stop();
    },
  };
}
