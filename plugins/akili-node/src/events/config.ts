import {
  createServiceFactory,
  createServiceRef,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { DEFAULT_AKILI_EVENT_TOPIC_PATTERN } from '@akili/plugin-akili-common';
import type { SASLOptions } from 'kafkajs';
import { EventTransport } from './EventTransport';
import { InProcessEventBus } from './InProcessEventBus';
import { KafkaEventTransport, KafkaTopicSettings } from './KafkaEventTransport';

/** `akili.events`: where Akili domain events go. @public */
export interface AkiliEventsConfig {
  /** `in-process` (default; `make dev`, no broker) or `kafka` (Redpanda). */
  transport: 'in-process' | 'kafka';
  /** Topic per tenant and family, default `akili.{tenant}.{family}`. */
  topicPattern: string;
  kafka?: {
    brokers: string[];
    clientId: string;
    ssl: boolean;
    sasl?: SASLOptions;
    /** `akili.events.kafka.topics`: create topics with these settings before first use. */
    topics?: KafkaTopicSettings;
  };
}

/** Reads and checks `akili.events`; a bad value fails at start-up naming the key. @public */
export function readAkiliEventsConfig(
  config: RootConfigService,
): AkiliEventsConfig {
  const events = config.getOptionalConfig('akili.events');
  const transport = events?.getOptionalString('transport') ?? 'in-process';
  if (transport !== 'in-process' && transport !== 'kafka') {
    throw new Error(
      `akili.events.transport must be "in-process" or "kafka", not "${transport}"`,
    );
  }
  const topicPattern =
    events?.getOptionalString('topicPattern') ??
    DEFAULT_AKILI_EVENT_TOPIC_PATTERN;
  if (transport === 'in-process') {
    return { transport, topicPattern };
  }
  const kafka = events!.getConfig('kafka');
  // Entries may hold comma-separated lists, so one environment variable can name all brokers.
  const brokers = kafka
    .getStringArray('brokers')
    .flatMap(entry => entry.split(','))
    .map(broker => broker.trim())
    .filter(Boolean);
  if (brokers.length === 0) {
    throw new Error('akili.events.kafka.brokers must name at least one broker');
  }
  const sasl = kafka.getOptionalConfig('sasl');
  const mechanism = sasl?.getString('mechanism');
  if (
    mechanism &&
    !['plain', 'scram-sha-256', 'scram-sha-512'].includes(mechanism)
  ) {
    throw new Error(
      `akili.events.kafka.sasl.mechanism must be plain, scram-sha-256 or scram-sha-512, not "${mechanism}"`,
    );
  }
  const topics = kafka.getOptionalConfig('topics');
  const positive = (key: string) => {
    const value = topics?.getOptionalNumber(key);
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new Error(
        `akili.events.kafka.topics.${key} must be a whole number of at least 1, not ${value}`,
      );
    }
    return value;
  };
  const topicSettings: KafkaTopicSettings | undefined = topics
    ? {
        create: topics.getOptionalBoolean('create') ?? false,
        partitions: positive('partitions'),
        replicationFactor: positive('replicationFactor'),
      }
    : undefined;
  return {
    transport,
    topicPattern,
    kafka: {
      ...(topicSettings ? { topics: topicSettings } : {}),
      brokers,
      clientId: kafka.getOptionalString('clientId') ?? 'akili-portal',
      ssl: kafka.getOptionalBoolean('ssl') ?? false,
      sasl: sasl
        ? ({
            mechanism,
            username: sasl.getString('username'),
            password: sasl.getString('password'),
          } as SASLOptions)
        : undefined,
    },
  };
}

/**
 * The in-process event bus of this backend: one for all Akili plugins, so events published by
 * one plugin's relay reach the consumers of another without a broker (`make dev`).
 *
 * @public
 */
export const akiliEventBusServiceRef = createServiceRef<InProcessEventBus>({
  id: 'akili.events.bus',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {},
      factory: () => new InProcessEventBus(),
    }),
});

/**
 * The transport `akili.events` asks for: the shared in-process bus, or a Kafka (Redpanda)
 * producer. @public
 */
export function createAkiliEventTransport(
  config: AkiliEventsConfig,
  options: { bus: InProcessEventBus; logger: LoggerService },
): EventTransport & {
  source: InProcessEventBus | KafkaEventTransport['kafka'];
} {
  if (config.transport === 'in-process' || !config.kafka) {
    const bus = options.bus;
    return {
      publish: messages => bus.publish(messages),
      source: bus,
    };
  }
  const kafka = KafkaEventTransport.create({
    ...config.kafka,
    logger: options.logger,
  });
  return {
    publish: messages => kafka.publish(messages),
    close: () => kafka.close(),
    source: kafka.kafka,
  };
}
