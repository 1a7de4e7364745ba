import { AkiliEventMessage } from '@akili/plugin-akili-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import type {
  Consumer,
  ConsumerConfig,
  EachBatchPayload,
  IHeaders,
  Kafka,
} from 'kafkajs';
import { exactTopicsPattern } from './topics';

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
 * How a consumer reads Kafka (Redpanda).
 *
 * @public
 */
export interface AkiliKafkaConsumerOptions {
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
  /**
   * How many partitions are processed at the same time (kafkajs
   * `partitionsConsumedConcurrently`); default 4. Each takes a database connection while it
   * processes a batch. Order is kept per partition, hence per key.
   */
  partitionsConsumedConcurrently?: number;
  /** Most messages of a partition processed in one transaction; default 500. */
  maxBatchSize?: number;
  /**
   * When the consumer cannot start (the broker is down), it retries after this long, doubled for
   * each further failure up to `startRetryMaxMs`; default 1000 ms.
   */
  startRetryMinMs?: number;
  /** The longest wait between two start attempts; default 30000 ms. */
  startRetryMaxMs?: number;
}

/** What {@link TopicSubscription} feeds messages to. */
export type TopicBatchHandler = (
  messages: AkiliEventMessage[],
  /** Call between messages of a long batch (a Kafka heartbeat; a no-op in process). */
  heartbeat: () => Promise<void>,
) => Promise<void>;

/** Options of {@link TopicSubscription}. */
export interface TopicSubscriptionOptions {
  groupId: string;
  topics: string[] | RegExp;
  source: Kafka | AkiliEventSubscribable;
  logger: LoggerService;
  kafka?: AkiliKafkaConsumerOptions;
  /**
   * Handles messages of one topic partition, in order. Resolving commits their offsets;
   * rejecting makes Kafka deliver them again.
   */
  handleBatch: TopicBatchHandler;
}

/** Whether a source is a kafkajs client (rather than an in-process bus). */
export function isKafka(
  source: Kafka | AkiliEventSubscribable,
): source is Kafka {
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
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

/**
 * The reading half of a consumer: a Kafka consumer group (batches per partition, offsets
 * committed after the handler resolved, new topics of a pattern picked up by a periodic
 * refresh), or a subscription to an in-process bus (one message at a time, in arrival order).
 * {@link AkiliEventConsumer} and the dead-letter recorder share it.
 */
export class TopicSubscription {
  readonly #options: TopicSubscriptionOptions;
  readonly #logger: LoggerService;
  #consumer: Consumer | undefined;
  #unsubscribe: (() => void) | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #refreshTimer: NodeJS.Timeout | undefined;
  #knownTopics: string[] = [];
  #refreshing: Promise<void> | undefined;
  #running = false;
  /** The start attempt in progress, if any. */
  #attempt: Promise<boolean> | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  /** Failed start attempts in a row. */
  #failures = 0;

  constructor(options: TopicSubscriptionOptions) {
    this.#options = options;
    this.#logger = options.logger;
  }

  /**
   * With Kafka, resolves after the first attempt to connect and subscribe. When it fails (the
   * broker is down), it logs why and tries again in the background with a doubling delay
   * (`kafka.startRetryMinMs` to `kafka.startRetryMaxMs`) until it succeeds or `stop` is called:
   * it never rejects, and the consumer starts by itself once the broker is back. Resolves with
   * whether it consumes now.
   */
  async start(): Promise<boolean> {
    if (this.#running) {
      return true;
    }
    this.#running = true;
    const { source, topics } = this.#options;
    if (isKafka(source)) {
      return this.#attemptStart(source);
    }
    const pattern = Array.isArray(topics) ? exactTopicsPattern(topics) : topics;
    this.#unsubscribe = source.subscribe(pattern, message => {
      const run = this.#queue.then(() =>
        this.#options.handleBatch([message], async () => {}),
      );
      this.#queue = run.catch(() => undefined);
      return run;
    });
    return true;
  }

  /** The wait before the next start attempt after `failures` failed ones in a row. */
  #retryDelayMs(failures: number): number {
    const min = Math.max(1, this.#options.kafka?.startRetryMinMs ?? 1000);
    const max = Math.max(min, this.#options.kafka?.startRetryMaxMs ?? 30_000);
    return Math.min(max, min * 2 ** Math.min(failures - 1, 30));
  }

  /** One attempt to start the Kafka consumer; on failure, the next one is scheduled. */
  #attemptStart(kafka: Kafka): Promise<boolean> {
    const attempt = (async () => {
      try {
        await this.#startKafka(kafka);
      } catch (error) {
        const consumer = this.#consumer;
        this.#consumer = undefined;
        await consumer?.disconnect().catch(() => undefined);
        this.#failures += 1;
        if (!this.#running) {
          return false;
        }
        const retryInMs = this.#retryDelayMs(this.#failures);
        this.#logger.error('Akili event consumer could not start; retrying', {
          groupId: this.#options.groupId,
          attempt: this.#failures,
          retryInMs,
          error: errorMessage(error),
        });
        this.#retryTimer = setTimeout(() => {
          this.#retryTimer = undefined;
          if (this.#running && !this.#attempt) {
            this.#attemptStart(kafka);
          }
        }, retryInMs);
        this.#retryTimer.unref?.();
        return false;
      }
      if (this.#failures > 0) {
        this.#logger.info(
          'Akili event consumer started after failed attempts',
          {
            groupId: this.#options.groupId,
            failedAttempts: this.#failures,
          },
        );
      }
      this.#failures = 0;
      this.#startRefresh(kafka);
      return true;
    })();
    this.#attempt = attempt.finally(() => {
      this.#attempt = undefined;
    });
    return this.#attempt;
  }

  /** Re-reads the topics of a pattern periodically (`kafka.topicRefreshIntervalMs`). */
  #startRefresh(kafka: Kafka): void {
    const interval = this.#options.kafka?.topicRefreshIntervalMs;
    if (
      !interval ||
      Array.isArray(this.#options.topics) ||
      this.#refreshTimer ||
      !this.#running
    ) {
      return;
    }
    this.#refreshTimer = setInterval(() => {
      if (!this.#refreshing && !this.#attempt && this.#consumer) {
        this.#refreshing = this.#refreshTopics(kafka).finally(() => {
          this.#refreshing = undefined;
        });
      }
    }, interval);
    this.#refreshTimer.unref?.();
  }

  /** Stops, after the batch in progress. */
  async stop(): Promise<void> {
    if (!this.#running) {
      return;
    }
    this.#running = false;
    if (this.#refreshTimer) {
      clearInterval(this.#refreshTimer);
      this.#refreshTimer = undefined;
    }
    if (this.#retryTimer) {
      clearTimeout(this.#retryTimer);
      this.#retryTimer = undefined;
    }
    this.#failures = 0;
    // An attempt in progress ends first (it does not retry once stopped), then its consumer goes.
    await this.#attempt;
    await this.#refreshing;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await this.#queue;
    const consumer = this.#consumer;
    this.#consumer = undefined;
    await consumer?.disconnect();
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
      partitionsConsumedConcurrently: Math.max(
        1,
        this.#options.kafka?.partitionsConsumedConcurrently ?? 4,
      ),
      eachBatchAutoResolve: false,
      eachBatch: payload => this.#handleKafkaBatch(payload),
    });
  }

  /**
   * One partition's batch, in chunks of at most `maxBatchSize` messages; a chunk's offsets are
   * resolved (and committed) only after the handler resolved.
   */
  async #handleKafkaBatch({
    batch,
    resolveOffset,
    heartbeat,
    commitOffsetsIfNecessary,
    isRunning,
    isStale,
  }: EachBatchPayload): Promise<void> {
    const size = Math.max(1, this.#options.kafka?.maxBatchSize ?? 500);
    for (let from = 0; from < batch.messages.length; from += size) {
      if (!isRunning() || isStale()) {
        return;
      }
      const chunk = batch.messages.slice(from, from + size);
      await this.#options.handleBatch(
        chunk.map(message => ({
          topic: batch.topic,
          key: message.key?.toString() ?? '',
          value: message.value?.toString('utf8') ?? '',
          headers: headersOf(message.headers),
        })),
        () => heartbeat(),
      );
      for (const message of chunk) {
        resolveOffset(message.offset);
      }
      await commitOffsetsIfNecessary();
      await heartbeat();
    }
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
        // Retried like a first start when the broker went away meanwhile.
        await this.#attemptStart(kafka);
      }
    } catch (error) {
      this.#logger.warn('Could not refresh the consumer topics', {
        error: errorMessage(error),
      });
    }
  }
}
