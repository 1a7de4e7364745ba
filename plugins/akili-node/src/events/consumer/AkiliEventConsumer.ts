import {
  AkiliDeadLetterReason,
  AkiliEvent,
  AkiliEventMessage,
  DEFAULT_AKILI_EVENT_TOPIC_PATTERN,
  akiliDeadLetterTopic,
  validateAkiliEvent,
} from '@akili/plugin-akili-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { Knex } from 'knex';
import { TenantScopedDatabase } from '../../database/TenantScopedDatabase';
import { DEFAULT_PROCESSED_EVENTS_TABLE } from './processedEventsTable';
import { isDeadLetterTopic, tenantOfTopic } from './topics';
import {
  AkiliEventSubscribable,
  AkiliKafkaConsumerOptions,
  isKafka,
  TopicSubscription,
} from './TopicSubscription';

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
  /** A unique id of this dead letter, so whoever records dead letters can deduplicate them. */
  id: 'akili-dead-letter-id',
} as const;

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
  /**
   * Called with a batch's valid events (all of one tenant) before its transaction opens: look
   * up here what the handlers need from other plugins or over the network, and keep it for them
   * (a `WeakMap` keyed by the event objects the handler gets). On SQLite a plugin has one
   * database connection, which the transaction holds while the handlers run: a handler calling
   * another plugin, whose check of this plugin's token reads this plugin's keys from that
   * database, would wait for itself. When it throws, the batch fails as if its transaction
   * could not be opened (with Kafka it is delivered again).
   */
  prepare?: (events: readonly AkiliEvent[]) => Promise<void>;
  /** The consuming plugin's database, with the processed-events table (`createProcessedEventsTable`). */
  db: TenantScopedDatabase;
  /** A kafkajs client (Redpanda) or an in-process bus (`InProcessEventBus`). */
  source: Kafka | AkiliEventSubscribable;
  /**
   * Where messages that cannot be processed go (topic `akiliDeadLetterTopic(topic)`). With an
   * in-process `source` it is usually the same bus: the dead letter is then published without
   * waiting for its delivery, which comes after the current message's.
   */
  deadLetter: AkiliEventPublisher;
  logger: LoggerService;
  /** How many times the handler runs before the event is dead-lettered; default 3. */
  maxAttempts?: number;
  /** Wait before the first retry, doubled for each further one; default 200 ms. */
  retryDelayMs?: number;
  /** The processed-events table; default `akili_processed_events`. */
  processedTable?: string;
  /**
   * How long the group's processed marks are kept; default 14 days, longer than a topic's usual
   * retention (7 days), so a redelivered event is still recognised. A tenant's older marks are
   * deleted at most hourly, in the transaction of one of its batches.
   */
  processedRetentionMs?: number;
  /** The topic naming pattern, to read the tenant from a topic; default `akili.{tenant}.{family}`. */
  topicPattern?: string;
  /** Kafka only. */
  kafka?: AkiliKafkaConsumerOptions;
}

/**
 * Options of {@link AkiliEventConsumer.handleBatch}.
 *
 * @public
 */
export interface AkiliEventBatchOptions {
  /**
   * Called after each message was handled, inside the transaction (the outcome is not committed
   * yet), e.g. to send a Kafka heartbeat.
   */
  onMessage?: () => Promise<void>;
}

/** A message after validation: an event to process, or what to do with it instead. */
type PreparedMessage =
  | { message: AkiliEventMessage; event: AkiliEvent }
  | { message: AkiliEventMessage; skip: true }
  | {
      message: AkiliEventMessage;
      deadLetter: { reason: AkiliDeadLetterReason; detail: string };
    };

/** The savepoint each event is processed in, inside the transaction of its batch. */
const EVENT_SAVEPOINT = 'akili_event';

/** A tenant's old processed marks are deleted at most this often. */
const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/** Processed marks per insert (SQLite: knex writes a compound SELECT, at most 500 terms). */
const MARK_CHUNK = 500;

function errorMessage(error: unknown): string {
  // Not `instanceof Error`: errors of native drivers may come from another realm.
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

/** A handler of the fast path failed: the batch is processed again, event by event. */
class FastPathFailed extends Error {
  constructor(
    readonly cause: unknown,
    /** The event whose handler threw (its first attempt), if one did. */
    readonly eventId?: string,
  ) {
    super('An event of the batch failed on the fast path');
  }
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
 * 2. in one `db.withTenant(event.tenant, …)` transaction, inserts `(groupId, tenant, event.id)`
 *    into the processed-events table, skipping the event when the row exists, and runs the handler with
 *    that transaction, in a savepoint of its own: the handler's state change and the processed
 *    mark commit together;
 * 3. when the handler throws, rolls back to the savepoint and retries (up to `maxAttempts`, with
 *    a doubling delay), then removes the mark and dead-letters the event with the error message.
 *
 * With Kafka the consumer joins `groupId` and processes up to
 * `kafka.partitionsConsumedConcurrently` partitions at a time, each partition's messages in
 * order, a batch of them (up to `kafka.maxBatchSize`) per transaction: one statement marks the
 * batch's events, then each event's handler runs in its savepoint, so a failing event is
 * retried and dead-lettered alone. The offsets of a batch are committed after its transaction
 * committed; when the transaction or dead-lettering fails, the error reaches kafkajs, which does
 * not commit and delivers the batch again. With the in-process bus every consumer receives every
 * message; messages are handled one at a time in arrival order.
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
  readonly #subscription: TopicSubscription;
  readonly #topicTenants = new Map<string, string | undefined>();
  readonly #processedRetentionMs: number;
  /** When each tenant's old processed marks were last deleted. */
  readonly #prunedAt = new Map<string, number>();

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
    this.#processedRetentionMs =
      options.processedRetentionMs ?? 14 * 24 * 60 * 60 * 1000;
    this.#subscription = new TopicSubscription({
      groupId: options.groupId,
      topics: options.topics,
      source: options.source,
      logger: this.#logger,
      kafka: options.kafka,
      handleBatch: async (messages, heartbeat) => {
        await this.handleBatch(messages, { onMessage: heartbeat });
      },
    });
  }

  /** The consumer group. */
  get groupId(): string {
    return this.#options.groupId;
  }

  /**
   * Starts consuming. With Kafka it resolves once the consumer has connected and subscribed
   * (joining the group continues in the background), or once that failed: a broker that is down
   * is logged, and the consumer keeps trying to start with a doubling delay
   * (`kafka.startRetryMinMs`, `kafka.startRetryMaxMs`) until it does or is stopped. It never
   * rejects, so a plugin's startup hook does not fail while the broker is down.
   */
  async start(): Promise<void> {
    if (await this.#subscription.start()) {
      this.#logger.info('Akili event consumer started');
    }
  }

  /** Stops consuming, after the message in progress. */
  async stop(): Promise<void> {
    await this.#subscription.stop();
    this.#logger.info('Akili event consumer stopped');
  }

  /**
   * Handles one message: validates, deduplicates, runs the handler, retries, dead-letters.
   * Resolves with the outcome; rejects when dead-lettering fails or the transaction cannot be
   * opened or committed (then the message must be delivered again). `start` feeds messages
   * from the in-process bus here; call it directly for another source.
   */
  async handle(message: AkiliEventMessage): Promise<AkiliEventOutcome> {
    const [outcome] = await this.handleBatch([message]);
    return outcome;
  }

  /**
   * Handles messages in order, as {@link AkiliEventConsumer.handle} does one, with one
   * transaction per run of consecutive messages of one topic (one tenant): one query finds the
   * events already processed, then each event's processed mark and handler run in a savepoint of
   * their own, so a failing handler rolls back (and retries, then dead-letters) that event only.
   * Resolves with the outcomes, in the order of `messages`, once the transactions committed;
   * rejects as `handle` does, and then none of the outcomes of the failed transaction are
   * committed (the messages must be delivered again, dead letters may then be published twice).
   * With Kafka, `start` feeds each partition's batches here.
   */
  async handleBatch(
    messages: readonly AkiliEventMessage[],
    options: AkiliEventBatchOptions = {},
  ): Promise<AkiliEventOutcome[]> {
    const outcomes: AkiliEventOutcome[] = [];
    for (let from = 0; from < messages.length; ) {
      let to = from + 1;
      while (
        to < messages.length &&
        messages[to].topic === messages[from].topic
      ) {
        to++;
      }
      outcomes.push(
        ...(await this.#handleTopicRun(messages.slice(from, to), options)),
      );
      from = to;
    }
    return outcomes;
  }

  /** The tenant of a topic, remembered per topic (the pattern is compiled once per topic). */
  #tenantOfTopic(topic: string): string | undefined {
    if (!this.#topicTenants.has(topic)) {
      this.#topicTenants.set(topic, tenantOfTopic(topic, this.#topicPattern));
    }
    return this.#topicTenants.get(topic);
  }

  #prepare(message: AkiliEventMessage): PreparedMessage {
    if (isDeadLetterTopic(message.topic)) {
      return { message, skip: true };
    }
    let value: unknown;
    try {
      value = JSON.parse(message.value);
    } catch (error) {
      return {
        message,
        deadLetter: {
          reason: 'invalid-json',
          detail: `not valid JSON: ${errorMessage(error)}`,
        },
      };
    }
    const problems = validateAkiliEvent(value);
    if (problems.length > 0) {
      return {
        message,
        deadLetter: {
          reason: 'invalid-event',
          detail: problems.map(p => `${p.path}: ${p.message}`).join('; '),
        },
      };
    }
    const event = value as AkiliEvent;
    const topicTenant = this.#tenantOfTopic(message.topic);
    if (topicTenant !== event.tenant) {
      return {
        message,
        deadLetter: {
          reason: 'tenant-mismatch',
          detail:
            topicTenant === undefined
              ? `tenant mismatch: topic '${
                  message.topic
                }' is not a tenant topic (${
                  this.#topicPattern
                }), the event is of tenant '${event.tenant}'`
              : `tenant mismatch: topic '${message.topic}' is of tenant '${topicTenant}', the event of tenant '${event.tenant}'`,
        },
      };
    }
    return { message, event };
  }

  /**
   * Messages of one topic: valid events all belong to the topic's tenant.
   *
   * A batch of valid events first runs on a fast path: the handlers one after the other in the
   * batch transaction, without a savepoint each (savepoints cost more than many handlers). When a
   * handler throws, or a statement failed in the transaction (a handler caught it: PostgreSQL
   * would turn the commit into a rollback), that transaction is rolled back and the batch runs
   * again on the careful path: each handler in its savepoint, retried, then dead-lettered alone.
   * Handlers of the events before the failing one then run twice; their writes of the first run
   * were rolled back (other side effects were not: delivery is at least once anyway).
   */
  async #handleTopicRun(
    messages: readonly AkiliEventMessage[],
    options: AkiliEventBatchOptions,
  ): Promise<AkiliEventOutcome[]> {
    const prepared = messages.map(message => this.#prepare(message));
    const events = prepared.flatMap(p => ('event' in p ? [p.event] : []));
    const run = async (
      careful: boolean,
      tx?: Knex.Transaction,
      fresh?: Set<string>,
      failedOnce?: FastPathFailed,
    ) => {
      const outcomes: AkiliEventOutcome[] = [];
      // Statements the handlers run in the transaction: without any, none can have failed, and
      // the check below (a round trip per batch) is left out.
      let statements = 0;
      const counted = () => {
        statements += 1;
      };
      if (!careful && tx) {
        tx.on('query', counted);
      }
      try {
        for (const p of prepared) {
          let outcome: AkiliEventOutcome;
          if ('skip' in p) {
            this.#logger.warn('Skipping a message of a dead-letter topic', {
              topic: p.message.topic,
            });
            outcome = 'skipped';
          } else if ('deadLetter' in p) {
            outcome = await this.#deadLetter(
              p.message,
              p.deadLetter.reason,
              p.deadLetter.detail,
            );
          } else if (!fresh?.delete(p.event.id)) {
            outcome = 'duplicate';
          } else if (careful) {
            outcome = await this.#processWithRetries(
              tx!,
              p.event,
              p.message,
              p.event.id === failedOnce?.eventId ? failedOnce : undefined,
            );
          } else {
            try {
              await this.#options.handler(p.event, {
                tx: tx!,
                tenant: p.event.tenant,
                topic: p.message.topic,
                attempt: 1,
              });
            } catch (error) {
              this.#logHandlerFailure(p.event, 1, error);
              throw new FastPathFailed(error, p.event.id);
            }
            outcome = 'processed';
          }
          if ('event' in p) {
            this.#logger.debug('Akili event handled', {
              eventId: p.event.id,
              eventType: p.event.type,
              tenant: p.event.tenant,
              outcome,
            });
          }
          outcomes.push(outcome);
          await options.onMessage?.();
        }
      } finally {
        tx?.off('query', counted);
      }
      if (!careful && tx && statements > 0) {
        // Fails when any statement of the transaction failed, even one a handler caught.
        await tx.raw('SELECT 1').catch(error => {
          throw new FastPathFailed(error);
        });
      }
      return outcomes;
    };
    if (events.length === 0) {
      return run(true);
    }
    await this.#options.prepare?.(events);
    const inTransaction = (careful: boolean, failedOnce?: FastPathFailed) =>
      this.#options.db.withTenant(events[0].tenant, async tx =>
        run(careful, tx, await this.#markProcessed(tx, events), failedOnce),
      );
    // Dead letters are published as the run meets them: a batch with any goes the careful way
    // at once, so that no dead letter is published twice.
    if (events.length < prepared.length) {
      return inTransaction(true);
    }
    try {
      return await inTransaction(false);
    } catch (error) {
      if (!(error instanceof FastPathFailed)) {
        throw error;
      }
      this.#logger.debug(
        'An event of the batch failed: processing the batch event by event',
        { error: errorMessage(error.cause) },
      );
      return inTransaction(true, error);
    }
  }

  /**
   * Marks the events processed with one statement per chunk, skipping those marked before (the
   * relay publishes at least once), and returns the ids it marked: those events are new and are
   * processed in this transaction; a later copy of one in the batch is a duplicate.
   */
  async #markProcessed(
    tx: Knex.Transaction,
    events: readonly AkiliEvent[],
  ): Promise<Set<string>> {
    const { db, groupId } = this.#options;
    await this.#pruneIfDue(tx);
    const now = new Date();
    const ids = [...new Set(events.map(e => e.id))];
    const fresh = new Set<string>();
    for (let i = 0; i < ids.length; i += MARK_CHUNK) {
      const inserted: Array<{ event_id: string }> = await db
        .insert(
          tx,
          this.#table,
          ids
            .slice(i, i + MARK_CHUNK)
            // Set here, not by the column default: SQLite's default is text, which does not
            // compare with the dates the pruning binds.
            .map(id => ({
              consumer_group: groupId,
              event_id: id,
              processed_at: now,
            })),
        )
        // The tenant is part of the key: another tenant's event with the same id is not this
        // one (with row-level security a conflict on a narrower key would be invisible too).
        .onConflict(['consumer_group', 'tenant_id', 'event_id'])
        .ignore()
        .returning('event_id');
      for (const row of inserted) {
        fresh.add(row.event_id);
      }
    }
    return fresh;
  }

  async #processWithRetries(
    tx: Knex.Transaction,
    event: AkiliEvent,
    message: AkiliEventMessage,
    /** The event's failed first attempt on the fast path, if it had one. */
    failedOnce?: FastPathFailed,
  ): Promise<AkiliEventOutcome> {
    let lastError: unknown = failedOnce?.cause;
    for (
      let attempt = failedOnce ? 2 : 1;
      attempt <= this.#maxAttempts;
      attempt++
    ) {
      if (attempt > 1) {
        await sleep(this.#retryDelayMs * 2 ** (attempt - 2));
      }
      await tx.raw(`SAVEPOINT ${EVENT_SAVEPOINT}`);
      try {
        await this.#options.handler(event, {
          tx,
          tenant: event.tenant,
          topic: message.topic,
          attempt,
        });
        // Fails when a statement failed in the savepoint (PostgreSQL then refuses all but a
        // rollback), even one the handler caught: the event failed.
        await tx.raw(`RELEASE SAVEPOINT ${EVENT_SAVEPOINT}`);
        return 'processed';
      } catch (error) {
        // Undoes the handler's writes of this attempt only. When this fails too,
        // the transaction is lost: the error rolls the whole batch back.
        await tx.raw(`ROLLBACK TO SAVEPOINT ${EVENT_SAVEPOINT}`);
        await tx.raw(`RELEASE SAVEPOINT ${EVENT_SAVEPOINT}`);
        lastError = error;
        this.#logHandlerFailure(event, attempt, error);
      }
    }
    // Not processed after all: the mark goes, so a redelivery is processed again.
    await this.#options.db
      .scoped(tx, this.#table)
      .where({ consumer_group: this.#options.groupId, event_id: event.id })
      .delete();
    return this.#deadLetter(
      message,
      'handler-failed',
      errorMessage(lastError),
      this.#maxAttempts,
    );
  }

  /** Deletes the group's marks of the transaction's tenant older than the retention, hourly. */
  async #pruneIfDue(tx: Knex.Transaction): Promise<void> {
    const { db, groupId } = this.#options;
    const tenant = db.tenantOf(tx);
    const now = Date.now();
    const last = this.#prunedAt.get(tenant);
    if (last !== undefined && now - last < PRUNE_INTERVAL_MS) {
      return;
    }
    this.#prunedAt.set(tenant, now);
    await db
      .scoped(tx, this.#table)
      .where({ consumer_group: groupId })
      .where('processed_at', '<', new Date(now - this.#processedRetentionMs))
      .delete();
  }

  #logHandlerFailure(event: AkiliEvent, attempt: number, error: unknown) {
    this.#logger.warn('Akili event handler failed', {
      eventId: event.id,
      eventType: event.type,
      tenant: event.tenant,
      attempt,
      maxAttempts: this.#maxAttempts,
      error: errorMessage(error),
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
      [AKILI_DEAD_LETTER_HEADERS.id]: randomUUID(),
    };
    if (attempts !== undefined) {
      headers[AKILI_DEAD_LETTER_HEADERS.attempts] = String(attempts);
    }
    const topic = akiliDeadLetterTopic(message.topic);
    const publishing = this.#options.deadLetter.publish([
      { topic, key: message.key, value: message.value, headers },
    ]);
    if (!isKafka(this.#options.source)) {
      // An in-process bus delivers one message at a time and awaits its handlers: waiting here
      // for a dead letter to be delivered through it would wait for ourselves.
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
}
