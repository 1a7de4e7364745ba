import { AkiliEventMessage } from '@akili/plugin-akili-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import type { ConnectionOptions } from 'node:tls';
import {
  Admin,
  Kafka,
  LogEntry,
  Partitioners,
  Producer,
  SASLOptions,
  logLevel as KafkaLogLevel,
} from 'kafkajs';
import { EventTransport } from './EventTransport';

/**
 * Connection settings of {@link KafkaEventTransport}.
 *
 * @public
 */
export interface KafkaEventTransportOptions {
  /** Bootstrap servers, `host:port`. */
  brokers: string[];
  clientId?: string;
  ssl?: boolean | ConnectionOptions;
  sasl?: SASLOptions;
  /** How long to wait for a TCP connection to a broker (default 3000 ms). */
  connectionTimeoutMs?: number;
  /** How long to wait for a broker's answer (default 5000 ms). */
  requestTimeoutMs?: number;
  /**
   * Retries of one `publish` inside kafkajs before it rejects (default 2, i.e. a down broker
   * fails a publish within seconds; the outbox relay retries with its own backoff).
   */
  retries?: number;
  /** Receives kafkajs' warnings and errors. */
  logger?: LoggerService;
  /**
   * Creates each topic before its first publish, with these settings (a broker that auto-creates
   * topics would use its defaults, often one replica). Off by default.
   */
  topics?: KafkaTopicSettings;
}

/**
 * How {@link KafkaEventTransport} creates topics.
 *
 * @public
 */
export interface KafkaTopicSettings {
  create: boolean;
  /** Partitions of a new topic (default: the broker's default). */
  partitions?: number;
  /** Replicas of each partition of a new topic (default: the broker's default). */
  replicationFactor?: number;
}

/**
 * kafkajs' own reports of a broker it cannot reach, several per connection attempt: the failure
 * they cause is reported once per attempt by whoever attempted (a consumer's start, the relay's
 * publish), so these go to debug.
 */
const UNREACHABLE_BROKER =
  /^(Connection error|Connection timeout|Failed to connect to seed broker)/;

function logCreator(logger: LoggerService | undefined) {
  return () =>
    ({ level, label, log }: LogEntry) => {
      if (!logger) {
        return;
      }
      const { message, timestamp: _timestamp, logger: _name, ...meta } = log;
      const text = `kafkajs ${label}: ${message}`;
      if (UNREACHABLE_BROKER.test(String(message))) {
        logger.debug(text, meta);
      } else if (level <= KafkaLogLevel.ERROR) {
        logger.error(text, meta);
      } else if (level === KafkaLogLevel.WARN) {
        logger.warn(text, meta);
      } else {
        logger.debug(text, meta);
      }
    };
}

/**
 * Publishes messages to Kafka / Redpanda with a kafkajs producer.
 *
 * @remarks
 *
 * Every message is acknowledged by all in-sync replicas (`acks: -1`) before `publish` resolves.
 * The producer keeps one request in flight per broker connection, so messages of one key (one
 * partition) are written in publish order; it is neither idempotent nor transactional (the
 * outbox relay gives at-least-once delivery and consumers deduplicate by event id). Messages are
 * partitioned by key with kafkajs' Java-compatible murmur2 partitioner, like other Kafka clients.
 *
 * A broker that is down makes `publish` reject within seconds (connection and request timeouts,
 * few retries) with a `ServiceUnavailableError`, and the next `publish` reconnects.
 *
 * @public
 */
export class KafkaEventTransport implements EventTransport {
  readonly #kafka: Kafka;
  readonly #requestTimeoutMs: number;
  readonly #topics: KafkaTopicSettings | undefined;
  /** Topics known to exist (created by us, or found existing). */
  readonly #ensured = new Set<string>();
  #admin: Admin | undefined;
  #producer: Producer | undefined;
  #connecting: Promise<Producer> | undefined;

  static create(options: KafkaEventTransportOptions): KafkaEventTransport {
    return new KafkaEventTransport(options);
  }

  /** The kafkajs client, for consumers that should reach the same brokers the same way. */
  get kafka(): Kafka {
    return this.#kafka;
  }

  private constructor(options: KafkaEventTransportOptions) {
    if (options.brokers.length === 0) {
      throw new Error('KafkaEventTransport needs at least one broker');
    }
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 5000;
    this.#topics = options.topics?.create ? options.topics : undefined;
    this.#kafka = new Kafka({
      brokers: options.brokers,
      clientId: options.clientId ?? 'akili-outbox-relay',
      ssl: options.ssl,
      sasl: options.sasl,
      connectionTimeout: options.connectionTimeoutMs ?? 3000,
      requestTimeout: this.#requestTimeoutMs,
      enforceRequestTimeout: true,
      retry: {
        retries: options.retries ?? 2,
        initialRetryTime: 100,
        maxRetryTime: 1000,
      },
      logLevel: KafkaLogLevel.WARN,
      logCreator: logCreator(options.logger),
    });
  }

  async #connect(): Promise<Producer> {
    if (this.#producer) {
      return this.#producer;
    }
    this.#connecting ??= (async () => {
      const producer = this.#kafka.producer({
        createPartitioner: Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: true,
        maxInFlightRequests: 1,
        idempotent: false,
      });
      try {
        await producer.connect();
      } catch (error) {
        await producer.disconnect().catch(() => {});
        throw error;
      }
      this.#producer = producer;
      return producer;
    })().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async publish(messages: AkiliEventMessage[]): Promise<void> {
    if (messages.length === 0) {
      return;
    }
    // One entry per topic, messages in the given order (the order within a partition).
    const byTopic = new Map<
      string,
      Array<{ key: string; value: string; headers?: Record<string, string> }>
    >();
    for (const message of messages) {
      let list = byTopic.get(message.topic);
      if (!list) {
        list = [];
        byTopic.set(message.topic, list);
      }
      list.push({
        key: message.key,
        value: message.value,
        headers: message.headers,
      });
    }
    const topicMessages = [...byTopic].map(([topic, list]) => ({
      topic,
      messages: list,
    }));
    await this.#ensureTopics(topicMessages.map(t => t.topic));
    try {
      const producer = await this.#connect();
      await producer.sendBatch({
        topicMessages,
        acks: -1,
        timeout: this.#requestTimeoutMs,
      });
    } catch (error) {
      throw new ServiceUnavailableError(
        `Could not publish ${messages.length} event(s) to Kafka: ${
          (error as Error).message
        }`,
        error,
      );
    }
  }

  /** Creates the topics not known to exist yet, when topic creation is on. */
  async #ensureTopics(topics: string[]): Promise<void> {
    const settings = this.#topics;
    const missing = topics.filter(topic => !this.#ensured.has(topic));
    if (!settings || missing.length === 0) {
      return;
    }
    try {
      if (!this.#admin) {
        const admin = this.#kafka.admin();
        await admin.connect();
        this.#admin = admin;
      }
      // Resolves false, not an error, for topics that exist already.
      await this.#admin.createTopics({
        topics: missing.map(topic => ({
          topic,
          ...(settings.partitions
            ? { numPartitions: settings.partitions }
            : {}),
          ...(settings.replicationFactor
            ? { replicationFactor: settings.replicationFactor }
            : {}),
        })),
        waitForLeaders: true,
        timeout: this.#requestTimeoutMs,
      });
    } catch (error) {
      const admin = this.#admin;
      this.#admin = undefined;
      await admin?.disconnect().catch(() => undefined);
      throw new ServiceUnavailableError(
        `Could not create Kafka topic(s) ${missing.join(', ')} (partitions ${
          settings.partitions ?? 'default'
        }, replication factor ${settings.replicationFactor ?? 'default'}): ${
          (error as Error).message
        }`,
        error,
      );
    }
    for (const topic of missing) {
      this.#ensured.add(topic);
    }
  }

  async close(): Promise<void> {
    const admin = this.#admin;
    this.#admin = undefined;
    await admin?.disconnect().catch(() => undefined);
    const producer =
      this.#producer ?? (await this.#connecting?.catch(() => undefined));
    this.#producer = undefined;
    await producer?.disconnect();
  }
}
