import {
  AkiliEventMessage,
  DEFAULT_AKILI_EVENT_TOPIC_PATTERN,
} from '@akili/plugin-akili-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { createHash } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { TenantScopedDatabase } from '../../database/TenantScopedDatabase';
import { AKILI_EVENT_HEADERS } from '../EventOutbox';
import { AKILI_DEAD_LETTER_HEADERS } from '../consumer/AkiliEventConsumer';
import {
  AkiliEventSubscribable,
  AkiliKafkaConsumerOptions,
  TopicSubscription,
} from '../consumer/TopicSubscription';
import {
  akiliDeadLetterTopicPattern,
  isDeadLetterTopic,
  originalTopicOf,
  tenantOfTopic,
} from '../consumer/topics';
import { DEFAULT_DEAD_LETTERS_TABLE } from './deadLettersTable';

/**
 * The consumer group of the control plane's dead-letter recorder.
 *
 * @public
 */
export const AKILI_DEAD_LETTER_RECORDER_GROUP_ID =
  'akili.control-plane.dead-letters';

/** Dead-letter topics appear when the first message of a topic fails: look for them this often. */
const DEFAULT_TOPIC_REFRESH_MS = 30_000;

/** Rows per insert (SQLite: knex writes a compound SELECT, at most 500 terms). */
const INSERT_CHUNK = 100;

/**
 * Options of {@link DeadLetterRecorder}.
 *
 * @public
 */
export interface DeadLetterRecorderOptions {
  /** The recording plugin's database, with the dead-letters table (`createDeadLettersTable`). */
  db: TenantScopedDatabase;
  /** A kafkajs client (Redpanda) or the in-process bus. */
  source: Kafka | AkiliEventSubscribable;
  logger: LoggerService;
  /** The topic naming pattern; default `akili.{tenant}.{family}`. */
  topicPattern?: string;
  /** Default `akili_dead_letters`. */
  table?: string;
  /** Default {@link AKILI_DEAD_LETTER_RECORDER_GROUP_ID}. */
  groupId?: string;
  /** Kafka only; `topicRefreshIntervalMs` defaults to 30 s, so new dead-letter topics are found. */
  kafka?: AkiliKafkaConsumerOptions;
}

const DEAD_LETTER_HEADER_NAMES = new Set<string>(
  Object.values(AKILI_DEAD_LETTER_HEADERS),
);

const cut = (text: string, max: number) =>
  text.length > max ? text.slice(0, max) : text;

/** The event id and type a message names: its headers, else its JSON value. */
function eventIdentity(message: AkiliEventMessage): {
  id?: string;
  type?: string;
} {
  const headers = message.headers ?? {};
  let id: unknown = headers[AKILI_EVENT_HEADERS.id];
  let type: unknown = headers[AKILI_EVENT_HEADERS.type];
  if (id === undefined || type === undefined) {
    try {
      const value = JSON.parse(message.value);
      if (value !== null && typeof value === 'object') {
        id ??= value.id;
        type ??= value.type;
      }
    } catch {
      // Not JSON: the reason will say so.
    }
  }
  return {
    ...(typeof id === 'string' && id ? { id: cut(id, 255) } : {}),
    ...(typeof type === 'string' && type ? { type: cut(type, 128) } : {}),
  };
}

/**
 * A dead letter's own id: its `akili-dead-letter-id` header, or for dead letters of other
 * producers a hash of the message, so a redelivered copy is recognised.
 */
function deadLetterId(message: AkiliEventMessage): string {
  const header = message.headers?.[AKILI_DEAD_LETTER_HEADERS.id];
  if (header) {
    return cut(header, 128);
  }
  const hash = createHash('sha256');
  for (const part of [
    message.topic,
    message.key,
    message.value,
    JSON.stringify(Object.entries(message.headers ?? {}).sort()),
  ]) {
    hash.update(part).update('\0');
  }
  return `sha256:${hash.digest('hex').slice(0, 48)}`;
}

/**
 * Records the messages of the dead-letter topics (`<topic>.dlq`, written by
 * `AkiliEventConsumer`) in a tenant-isolated table of the plugin's database, so operators can
 * list them with their reason and publish them again (`DeadLetterStore`).
 *
 * @remarks
 *
 * A dead letter belongs to the tenant of the topic it was dead-lettered from: a message on a
 * topic that is not a tenant topic is logged and left. Each is recorded once (its
 * `akili-dead-letter-id`), in one tenant transaction per batch; with Kafka the offsets are
 * committed after it, so nothing is lost when the database is down (the batch comes again).
 *
 * @public
 */
export class DeadLetterRecorder {
  readonly #db: TenantScopedDatabase;
  readonly #logger: LoggerService;
  readonly #table: string;
  readonly #topicPattern: string;
  readonly #subscription: TopicSubscription;

  constructor(options: DeadLetterRecorderOptions) {
    this.#db = options.db;
    this.#logger = options.logger;
    this.#table = options.table ?? DEFAULT_DEAD_LETTERS_TABLE;
    this.#topicPattern =
      options.topicPattern ?? DEFAULT_AKILI_EVENT_TOPIC_PATTERN;
    this.#subscription = new TopicSubscription({
      groupId: options.groupId ?? AKILI_DEAD_LETTER_RECORDER_GROUP_ID,
      topics: akiliDeadLetterTopicPattern(this.#topicPattern),
      source: options.source,
      logger: options.logger,
      kafka: {
        topicRefreshIntervalMs: DEFAULT_TOPIC_REFRESH_MS,
        ...options.kafka,
      },
      handleBatch: async messages => {
        await this.record(messages);
      },
    });
  }

  /**
   * Starts recording. A broker that is down is logged and retried with a doubling delay until
   * the recorder starts or is stopped (it never rejects).
   */
  async start(): Promise<void> {
    await this.#subscription.start();
  }

  async stop(): Promise<void> {
    await this.#subscription.stop();
  }

  /**
   * Records dead letters (messages of `….dlq` topics), one tenant transaction per tenant.
   * Resolves with how many were new; rejects when the database does (record them again).
   */
  async record(messages: readonly AkiliEventMessage[]): Promise<number> {
    const byTenant = new Map<string, Array<Record<string, unknown>>>();
    for (const message of messages) {
      const tenant = isDeadLetterTopic(message.topic)
        ? tenantOfTopic(originalTopicOf(message.topic), this.#topicPattern)
        : undefined;
      if (tenant === undefined) {
        this.#logger.warn(
          `Not recording a message of topic '${
            message.topic
          }': not the dead-letter topic of a tenant topic (${
            this.#topicPattern
          }.dlq)`,
        );
        continue;
      }
      const headers = message.headers ?? {};
      const original = Object.fromEntries(
        Object.entries(headers).filter(
          ([name]) => !DEAD_LETTER_HEADER_NAMES.has(name),
        ),
      );
      const event = eventIdentity(message);
      const attempts = Number(headers[AKILI_DEAD_LETTER_HEADERS.attempts]);
      const rows = byTenant.get(tenant) ?? [];
      rows.push({
        dead_letter_id: deadLetterId(message),
        topic: originalTopicOf(message.topic),
        consumer_group: headers[AKILI_DEAD_LETTER_HEADERS.consumerGroup]
          ? cut(headers[AKILI_DEAD_LETTER_HEADERS.consumerGroup], 255)
          : null,
        reason: cut(headers[AKILI_DEAD_LETTER_HEADERS.reason] || 'unknown', 64),
        detail:
          headers[AKILI_DEAD_LETTER_HEADERS.detail] ||
          'The dead letter gives no detail',
        attempts: Number.isInteger(attempts) ? attempts : null,
        event_id: event.id ?? null,
        event_type: event.type ?? null,
        message_key: cut(message.key, 512),
        payload: message.value,
        headers: JSON.stringify(original),
        dead_lettered_at: new Date(),
      });
      byTenant.set(tenant, rows);
    }
    let recorded = 0;
    for (const [tenant, rows] of byTenant) {
      recorded += await this.#db.withTenant(tenant, async tx => {
        let count = 0;
        for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
          const inserted: unknown[] = await this.#db
            .insert(tx, this.#table, rows.slice(i, i + INSERT_CHUNK))
            .onConflict(['tenant_id', 'dead_letter_id'])
            .ignore()
            .returning('id');
          count += inserted.length;
        }
        return count;
      });
      this.#logger.info(`Recorded dead letters of tenant ${tenant}`, {
        tenant,
        messages: rows.length,
      });
    }
    return recorded;
  }
}
