import {
  AkiliEvent,
  AkiliEventMessage,
  DEFAULT_AKILI_EVENT_TOPIC_PATTERN,
  akiliDeadLetterTopic,
  validateAkiliEvent,
} from '@akili/plugin-akili-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import type { Consumer, ConsumerConfig, IHeaders, Kafka } from 'kafkajs';
import { Knex } from 'knex';
import { TenantScopedDatabase } from '../../database/TenantScopedDatabase';
import { DEFAULT_PROCESSED_EVENTS_TABLE } from './processedEventsTable';
import { exactTopicsPattern, isDeadLetterTopic, tenantOfTopic } from './topics';

/**
 * The shape of a consumer group id: `akili.<plugin>.<purpose>`, e.g.
 * `akili.catalog.product-refresh`. Every consumer has its own group, so each gets every event.
 *
 * @public
 */
export const AKILI_CONSUMER_GROUP_PATTERN = /^akili\.[a-z0-9-]+\.[a-z0-9.-]+$/;

/**
 * The headers {@link AkiliEventConsumer} puts on a dead-lettered message (besides the original
 * headers, which it keeps).
 *
 * @public
 */
export const AKILI_DEAD_LETTER_HEADERS = {
  /** Why: one of {@link AkiliDeadLetterReason}. */
  reason: 'akili-dead-letter-reason',
  /** What exactly: the JSON error, the validation problems, the handler's error message. */
  detail: 'akili-dead-letter-detail',
  /** The topic the message was read from. */
  originalTopic: 'akili-original-topic',
  /** The consumer group that gave up on it. */
  consumerGroup: 'akili-consumer-group',
  /** How many times the handler ran (only for `handler-failed`). */
  attempts: 'akili-attempts',
} as const;

/**
 * Why a message went to the dead-letter topic.
 *
 * @public
 */
export type AkiliDeadLetterReason =
  | 'invalid-json'
  | 'invalid-event'
  | 'tenant-mismatch'
  | 'handler-failed';

/**
 * What became of one message.
 *
 * @public
 */
export type AkiliEventOutcome =
  | 'processed'
  | 'duplicate'
  | 'dead-lettered'
  | 'skipped';

/**
 * What a handler gets besides the event.
 *
 * @public
 */
export interface AkiliEventHandlerContext {
  /**
   * The tenant transaction the event is processed in: make every state change through it, so it
   * commits together with the processed mark, or not at all.
   */
  tx: Knex.Transaction;
  /** The event's tenant (also the transaction's tenant). */
  tenant: string;
  /** The topic the event was read from. */
  topic: string;
  /** 1 on the first try, then 2, … up to `maxAttempts`. */
  attempt: number;
}

/**
 * Processes one event. Throwing rolls back the transaction; the consumer then retries, and
 * dead-letters the event after `maxAttempts`.
 *
 * @public
 */
export type AkiliEventHandler = (
  event: AkiliEvent,
  context: AkiliEventHandlerContext,
) => Promise<void>;

/**
 * An in-process source of messages, such as `InProcessEventBus`.
 *
 * @public
 */
export interface AkiliEventSubscribable {
  subscribe(
    topicPattern: RegExp | string,
    handler: (message: AkiliEventMessage) => Promise<void>,
  ): () => void;
}

/**
 * Where dead-lettered messages are published: an event transport (Kafka or in-process).
 *
 * @public
 */
export interface AkiliEventPublisher {
  publish(messages: AkiliEventMessage[]): Promise<void>;
}

/**
 * Options of {@link AkiliEventConsumer}.
 *
 * @public
 */
export interface AkiliEventConsumerOptions {
  /**
   * The consumer group, unique per consumer: `akili.<plugin>.<purpose>` (see
   * {@link AKILI_CONSUMER_GROUP_PATTERN}). It is the Kafka consumer group and the key of the
   * processed marks, so never reuse one for a different purpose.
   */
  groupId: string;
  /**
   * The topics: a list, or a pattern over the per-tenant topics such as
   * `akiliEventTopicPattern('product')` (`/^akili\.([a-z0-9-]+)\.product$/`).
   *
   * With Kafka, a pattern is matched against the topics that exist when the consumer starts
   * (kafkajs resolves it once): topics created later (a new tenant) are consumed after a restart,
   * or sooner with `kafka.topicRefreshIntervalMs`.
   */
  topics: string[] | RegExp;
  /** Processes one event inside its tenant transaction. */
  handler: AkiliEventHandler;
  /** The consuming plugin's database, with the processed-events table (`createProcessedEventsTable`). */
  db: TenantScopedDatabase;
  /** A kafkajs client (Redpanda) or an in-process bus (`InProcessEventBus`). */
  source: Kafka | AkiliEventSubscribable;
  /**
   * Where messages that cannot be processed go (topic `akiliDeadLetterTopic(topic)`). It may be
   * the in-process bus of `source` itself: the dead letter is then delivered after the current
   * message, without waiting for it.
   */
  deadLetter: AkiliEventPublisher;
  logger: LoggerService;
  /** How many times the handler runs before the event is dead-lettered; default 3. */
  maxAttempts?: number;
  /** Wait before the first retry, doubled for each further one; default 200 ms. */
  retryDelayMs?: number;
  /** The processed-events table; default `akili_processed_events`. */
  processedTable?: string;
  /** The topic naming pattern, to read the tenant from a topic; default `akili.{tenant}.{family}`. */
  topicPattern?: string;
  /** Kafka only. */
  kafka?: {
    /**
     * Where a new group starts: at the beginning of each topic (default `true`, processing is
     * idempotent) or at its end.
     */
    fromBeginning?: boolean;
    /**
     * kafkajs consumer settings (timeouts and the like). Against the librdkafka mock cluster use
     * `sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 100`.
     */
    consumerConfig?: Omit<ConsumerConfig, 'groupId'>;
    /**
     * Re-reads the topic list this often and restarts the consumer when a pattern matches new
     * topics (kafkajs resolves a pattern only when subscribing). Off by default.
     */
    topicRefreshIntervalMs?: number;
  };
}

function isKafka(source: Kafka | AkiliEventSubscribable): source is Kafka {
  return typeof (source as Kafka).consumer === 'function';
}

function headersOf(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) {
      result[name] = first.toString();
    }
  }
  return result;
}

function errorMessage(error: unknown): string {
  // Not `instanceof Error`: errors of native drivers may come from another realm.
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

const sleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

/**
 * Consumes Akili domain events idempotently, from Kafka (Redpanda) or from an in-process bus.
 *
 * @remarks
 *
 * Events arrive at least once (the outbox relay may republish after a crash), so for each
 * message the consumer:
 *
 * 1. parses the JSON and validates the event (`validateAkiliEvent`), and checks that the topic's
 *    tenant is the event's tenant; a message failing any of these goes to the dead-letter topic
 *    (`akiliDeadLetterTopic(topic)`, headers {@link AKILI_DEAD_LETTER_HEADERS}) and is skipped;
 * 2. in one `db.withTenant(event.tenant, …)` transaction, inserts `(groupId, event.id)` into the
 *    processed-events table, skipping the event when the row exists, and runs the handler with
 *    that transaction: the handler's state change and the processed mark commit together;
 * 3. when the handler throws, rolls back and retries (up to `maxAttempts`, with a doubling
 *    delay), then dead-letters the event with the error message.
 *
 * With Kafka the consumer joins `groupId`, handles messages one at a time per partition, and
 * commits an offset only after its message was processed or dead-lettered; when dead-lettering
 * itself fails, the error reaches kafkajs, which does not commit and retries. With the
 * in-process bus every consumer receives every message; messages are handled one at a time in
 * arrival order.
 *
 * @public
 */
export class AkiliEventConsumer {
  readonly #options: AkiliEventConsumerOptions;
  readonly #logger: LoggerService;
  readonly #maxAttempts: number;
  readonly #retryDelayMs: number;
  readonly #table: string;
  readonly #topicPattern: string;
  #consumer: Consumer | undefined;
  #unsubscribe: (() => void) | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #refreshTimer: NodeJS.Timeout | undefined;
  #knownTopics: string[] = [];
  #refreshing: Promise<void> | undefined;
  #running = false;

  constructor(options: AkiliEventConsumerOptions) {
    if (!AKILI_CONSUMER_GROUP_PATTERN.test(options.groupId)) {
      throw new Error(
        `Invalid consumer group id '${options.groupId}': use akili.<plugin>.<purpose>, e.g. akili.catalog.product-refresh`,
      );
    }
    if (Array.isArray(options.topics) && options.topics.length === 0) {
      throw new Error(`Consumer ${options.groupId} has no topics`);
    }
    this.#options = options;
    this.#logger = options.logger.child({ consumerGroup: options.groupId });
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.#retryDelayMs = Math.max(0, options.retryDelayMs ?? 200);
    this.#table = options.processedTable ?? DEFAULT_PROCESSED_EVENTS_TABLE;
    this.#topicPattern =
      options.topicPattern ?? DEFAULT_AKILI_EVENT_TOPIC_PATTERN;
  }

  /** The consumer group. */
  get groupId(): string {
    return this.#options.groupId;
  }

  /**
   * Starts consuming. With Kafka it resolves once the consumer has connected and subscribed
   * (joining the group continues in the background).
   */
  async start(): Promise<void> {
    if (this.#running) {
      return;
    }
    this.#running = true;
    const { source, topics } = this.#options;
    if (isKafka(source)) {
      try {
        await this.#startKafka(source);
      } catch (error) {
        this.#running = false;
        const consumer = this.#consumer;
        this.#consumer = undefined;
        await consumer?.disconnect().catch(() => undefined);
        throw error;
      }
      const interval = this.#options.kafka?.topicRefreshIntervalMs;
      if (interval && !Array.isArray(topics)) {
        this.#refreshTimer = setInterval(() => {
          if (!this.#refreshing) {
            this.#refreshing = this.#refreshTopics(source).finally(() => {
              this.#refreshing = undefined;
            });
          }
        }, interval);
        this.#refreshTimer.unref?.();
      }
    } else {
      const pattern = Array.isArray(topics)
        ? exactTopicsPattern(topics)
        : topics;
      this.#unsubscribe = source.subscribe(pattern, message => {
        const run = this.#queue.then(() => this.handle(message));
        this.#queue = run.catch(() => undefined);
        return run.then(() => undefined);
      });
    }
    this.#logger.info('Akili event consumer started');
  }

  /** Stops consuming, after the message in progress. */
  async stop(): Promise<void> {
    if (!this.#running) {
      return;
    }
    this.#running = false;
    if (this.#refreshTimer) {
      clearInterval(this.#refreshTimer);
      this.#refreshTimer = undefined;
    }
    await this.#refreshing;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await this.#queue;
    const consumer = this.#consumer;
    this.#consumer = undefined;
    await consumer?.disconnect();
    this.#logger.info('Akili event consumer stopped');
  }

  /**
   * Handles one message: validates, deduplicates, runs the handler, retries, dead-letters.
   * Resolves with the outcome; rejects only when dead-lettering fails (then the message must be
   * delivered again). `start` feeds messages here; call it directly for another source.
   */
  async handle(message: AkiliEventMessage): Promise<AkiliEventOutcome> {
    if (isDeadLetterTopic(message.topic)) {
      this.#logger.warn('Skipping a message of a dead-letter topic', {
        topic: message.topic,
      });
      return 'skipped';
    }
    let value: unknown;
    try {
      value = JSON.parse(message.value);
    } catch (error) {
      return this.#deadLetter(
        message,
        'invalid-json',
        `not valid JSON: ${errorMessage(error)}`,
      );
    }
    const problems = validateAkiliEvent(value);
    if (problems.length > 0) {
      return this.#deadLetter(
        message,
        'invalid-event',
        problems.map(p => `${p.path}: ${p.message}`).join('; '),
      );
    }
    const event = value as AkiliEvent;
    const topicTenant = tenantOfTopic(message.topic, this.#topicPattern);
    if (topicTenant !== event.tenant) {
      return this.#deadLetter(
        message,
        'tenant-mismatch',
        topicTenant === undefined
          ? `tenant mismatch: topic '${message.topic}' is not a tenant topic (${
              this.#topicPattern
            }), the event is of tenant '${event.tenant}'`
          : `tenant mismatch: topic '${message.topic}' is of tenant '${topicTenant}', the event of tenant '${event.tenant}'`,
      );
    }

    let lastError: unknown;
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt++) {
      try {
        const outcome = await this.#process(event, message.topic, attempt);
        this.#logger.debug('Akili event handled', {
          eventId: event.id,
          eventType: event.type,
          tenant: event.tenant,
          outcome,
        });
        return outcome;
      } catch (error) {
        lastError = error;
        this.#logger.warn('Akili event handler failed', {
          eventId: event.id,
          eventType: event.type,
          tenant: event.tenant,
          attempt,
          maxAttempts: this.#maxAttempts,
          error: errorMessage(error),
        });
        if (attempt < this.#maxAttempts) {
          await sleep(this.#retryDelayMs * 2 ** (attempt - 1));
        }
      }
    }
    return this.#deadLetter(
      message,
      'handler-failed',
      errorMessage(lastError),
      this.#maxAttempts,
    );
  }

  async #process(
    event: AkiliEvent,
    topic: string,
    attempt: number,
  ): Promise<AkiliEventOutcome> {
    const { db, groupId, handler } = this.#options;
    return db.withTenant(event.tenant, async tx => {
      const seen = await db
        .scoped(tx, this.#table)
        .where({ consumer_group: groupId, event_id: event.id })
        .first('event_id');
      if (seen) {
        return 'duplicate';
      }
      await db.insert(tx, this.#table, {
        consumer_group: groupId,
        event_id: event.id,
      });
      await handler(event, { tx, tenant: event.tenant, topic, attempt });
      return 'processed';
    });
  }

  async #deadLetter(
    message: AkiliEventMessage,
    reason: AkiliDeadLetterReason,
    detail: string,
    attempts?: number,
  ): Promise<AkiliEventOutcome> {
    const headers: Record<string, string> = {
      ...message.headers,
      [AKILI_DEAD_LETTER_HEADERS.reason]: reason,
      [AKILI_DEAD_LETTER_HEADERS.detail]: detail.slice(0, 2000),
      [AKILI_DEAD_LETTER_HEADERS.originalTopic]: message.topic,
      [AKILI_DEAD_LETTER_HEADERS.consumerGroup]: this.#options.groupId,
    };
    if (attempts !== undefined) {
      headers[AKILI_DEAD_LETTER_HEADERS.attempts] = String(attempts);
    }
    const topic = akiliDeadLetterTopic(message.topic);
    const publishing = this.#options.deadLetter.publish([
      { topic, key: message.key, value: message.value, headers },
    ]);
    if ((this.#options.deadLetter as unknown) === this.#options.source) {
      // An in-process bus delivers one message at a time and awaits its handlers: waiting here
      // for our own dead letter to be delivered would wait for ourselves.
      publishing.catch(error =>
        this.#logger.error('Could not dead-letter an Akili event', {
          topic: message.topic,
          error: errorMessage(error),
        }),
      );
    } else {
      await publishing;
    }
    this.#logger.warn('Akili event dead-lettered', {
      topic: message.topic,
      deadLetterTopic: topic,
      reason,
      detail: detail.slice(0, 500),
    });
    return 'dead-lettered';
  }

  async #startKafka(kafka: Kafka): Promise<void> {
    const { groupId, topics } = this.#options;
    const consumer = kafka.consumer({
      ...this.#options.kafka?.consumerConfig,
      groupId,
    });
    this.#consumer = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.#logger.error('Akili event consumer crashed', {
        error: errorMessage(payload.error),
        restart: String(payload.restart),
      });
    });
    await consumer.connect();
    if (!Array.isArray(topics)) {
      this.#knownTopics = await this.#matchingTopics(kafka, topics);
    }
    await consumer.subscribe({
      topics: Array.isArray(topics) ? topics : [topics],
      fromBeginning: this.#options.kafka?.fromBeginning ?? true,
    });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        await this.handle({
          topic,
          key: message.key?.toString() ?? '',
          value: message.value?.toString('utf8') ?? '',
          headers: headersOf(message.headers),
        });
      },
    });
  }

  async #matchingTopics(kafka: Kafka, pattern: RegExp): Promise<string[]> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const all = await admin.listTopics();
      return all.filter(topic => topic.search(pattern) !== -1).sort();
    } finally {
      await admin.disconnect();
    }
  }

  async #refreshTopics(kafka: Kafka): Promise<void> {
    const { topics } = this.#options;
    if (Array.isArray(topics) || !this.#running) {
      return;
    }
    try {
      const found = await this.#matchingTopics(kafka, topics);
      const added = found.filter(topic => !this.#knownTopics.includes(topic));
      if (added.length === 0 || !this.#running) {
        return;
      }
      this.#logger.info('New topics match the consumer, restarting it', {
        topics: added.join(','),
      });
      const old = this.#consumer;
      this.#consumer = undefined;
      await old?.disconnect();
      if (this.#running) {
        await this.#startKafka(kafka);
      }
    } catch (error) {
      this.#logger.warn('Could not refresh the consumer topics', {
        error: errorMessage(error),
      });
    }
  }
}
