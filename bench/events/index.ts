/*
 * bench/events: N domain events through the Akili path (EventOutbox in tenant transactions,
 * OutboxRelay publishing through KafkaEventTransport, an AkiliEventConsumer deduplicating in its
 * processed-events table) against a kafkajs producer sending the same envelopes directly to a
 * kafkajs consumer, in the same process, on the same Kafka mock cluster (librdkafka's), each run
 * on its own tenants (so its own topics) and consumer group. The Akili path runs twice per
 * round: with the relay as before issue 16 (one round at a time, woken by the writers' wake())
 * and as now (marking and the next read overlapped with publishing, woken by the outbox's
 * PostgreSQL NOTIFY). Prints events per second, end-to-end latency p50/p95/max, loss and
 * duplicates, the statements (round trips) each pool ran per event by kind, and a one-line
 * summary of the medians over the rounds.
 *
 *   make bench NAME=events          (AKILI_BENCH_EVENTS=1000 for a quicker run)
 *   AKILI_BENCH_REPEAT=3            rounds (default 3)
 *   AKILI_BENCH_WRITERS=4           concurrent writers on each side
 *   AKILI_BENCH_RELAY_BATCH=1000    the relay's batch size
 *   AKILI_BENCH_CONSUMER_PARTITIONS the consumer's partitionsConsumedConcurrently (default 4)
 *   AKILI_BENCH_BEFORE_WAKE=0       the old relay's writers do not call wake() (another process's)
 */
import { randomBytes } from 'node:crypto';
import knexFactory, { Knex } from 'knex';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  AkiliEvent,
  AkiliEventMessage,
  akiliEventTopic,
  createAkiliEvent,
} from '@akili/plugin-akili-common';
import {
  AKILI_EVENT_HEADERS,
  AkiliEventBatchOptions,
  AkiliEventConsumer,
  AkiliEventOutcome,
  EventOutbox,
  EventTransport,
  KafkaEventTransport,
  OutboxRelay,
  TenantScopedDatabase,
  akiliMigrationsV1,
} from '@akili/plugin-akili-node';
import {
  KAFKA_MOCK_CONSUMER_TIMINGS,
  KafkaMock,
  startKafkaMock,
} from '@akili/plugin-akili-node/testUtils';

const N = Number(process.env.AKILI_BENCH_EVENTS ?? 10_000);
/** Events per outbox transaction (one `enqueueMany`), and per direct `sendBatch`. */
const BATCH = 100;
/**
 * Writers producing at the same time on each side (a backend serves concurrent requests; the
 * direct side gets the same concurrency): each takes the next batch when its last one is done.
 */
const WRITERS = Number(process.env.AKILI_BENCH_WRITERS ?? 4);
const PRODUCTS = 100;
const TENANTS = 2;
const PARTITIONS = 4;
/** Give up waiting when nothing new arrived for this long. */
const STALL_MS = 60_000;
const PG =
  process.env.AKILI_TEST_PG_URL ??
  'postgresql://akili_test:akili_test@127.0.0.1:5432/postgres';
const DB_NAME = 'akili_bench_events';

const hex = () => randomBytes(3).toString('hex');
const now = () => performance.now();
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Quiet logger: warnings and errors to stderr (a bench should show trouble), the rest dropped. */
const logger: LoggerService = {
  error: (message, meta) => console.error(`ERROR ${message}`, meta ?? ''),
  warn: (message, meta) => console.error(`WARN ${message}`, meta ?? ''),
  info: () => {},
  debug: () => {},
  child: () => logger,
};

/**
 * The events of one run, in emission order: transactions of BATCH events alternate between the
 * tenants; each tenant's events cycle over its PRODUCTS / TENANTS products (the message keys).
 */
function makeEvents(tenants: string[], count: number): AkiliEvent[][] {
  const batches: AkiliEvent[][] = [];
  const seq = tenants.map(() => 0);
  for (let i = 0; i < count; i += BATCH) {
    const t = (i / BATCH) % tenants.length;
    const tenant = tenants[t];
    const batch: AkiliEvent[] = [];
    for (let j = 0; j < Math.min(BATCH, count - i); j++) {
      const n = seq[t]++;
      const product = `dataproduct:${tenant}/p-${
        (n % (PRODUCTS / TENANTS)) * TENANTS + t
      }`;
      const started = new Date(Date.UTC(2026, 0, 1) + n * 1000);
      batch.push(
        createAkiliEvent({
          type: 'execution.completed',
          tenant,
          subject: product,
          source: 'akili-bench',
          data: {
            runId: `run-${n}`,
            product,
            job: 'build',
            status: 'SUCCESS',
            startedAt: started.toISOString(),
            endedAt: new Date(started.getTime() + 500).toISOString(),
          },
        }) as AkiliEvent,
      );
    }
    batches.push(batch);
  }
  return batches;
}

/** Runs `fn` over `items` with `WRITERS` of them in flight, each started in order. */
async function inParallel<T>(items: T[], fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(WRITERS, items.length) }, async () => {
      while (next < items.length) {
        await fn(items[next++]);
      }
    }),
  );
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

interface Result {
  label: string;
  events: number;
  seconds: number;
  rate: number;
  p50: number;
  p95: number;
  max: number;
  lost: number;
  duplicates: number;
  notes: string[];
}

function summarize(
  label: string,
  expected: Map<string, number>,
  received: Map<string, number>,
  started: number,
  duplicates: number,
  notes: string[],
): Result {
  const latencies: number[] = [];
  let last = started;
  for (const [id, sentAt] of expected) {
    const at = received.get(id);
    if (at !== undefined) {
      latencies.push(at - sentAt);
      last = Math.max(last, at);
    }
  }
  latencies.sort((a, b) => a - b);
  const seconds = (last - started) / 1000;
  return {
    label,
    events: latencies.length,
    seconds,
    rate: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    max: latencies[latencies.length - 1] ?? NaN,
    lost: expected.size - latencies.length,
    duplicates,
    notes,
  };
}

/** Waits until `done()` or until nothing new arrived for STALL_MS. */
async function waitFor(progress: () => number, done: () => boolean) {
  let seen = -1;
  let since = now();
  while (!done()) {
    const p = progress();
    if (p !== seen) {
      seen = p;
      since = now();
    } else if (now() - since > STALL_MS) {
      return;
    }
    await sleep(5);
  }
}

async function createTopics(mock: KafkaMock, tenants: string[]) {
  for (const tenant of tenants) {
    await mock.createTopic(akiliEventTopic(tenant, 'execution'), PARTITIONS);
  }
}

/** The baseline: a kafkajs producer and consumer, same envelopes, keys, headers and batches. */
async function runDirect(mock: KafkaMock): Promise<Result> {
  const tenants = Array.from({ length: TENANTS }, (_, t) => `bd${hex()}-${t}`);
  await createTopics(mock, tenants);
  const topics = tenants.map(t => akiliEventTopic(t, 'execution'));
  const kafka = new Kafka({
    brokers: mock.brokers,
    clientId: 'akili-bench-direct',
    logLevel: logLevel.NOTHING,
  });
  // The producer settings of KafkaEventTransport.
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: true,
    maxInFlightRequests: 1,
    idempotent: false,
  });
  const consumer = kafka.consumer({
    groupId: `akili.bench.direct-${hex()}`,
    ...KAFKA_MOCK_CONSUMER_TIMINGS,
  });
  const received = new Map<string, number>();
  let deliveries = 0;
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      deliveries += 1;
      const id = message.headers?.[AKILI_EVENT_HEADERS.id]?.toString();
      if (id && !received.has(id)) received.set(id, now());
    },
  });

  const send = (events: AkiliEvent[]) => {
    const byTopic = new Map<string, AkiliEventMessage[]>();
    for (const event of events) {
      const topic = akiliEventTopic(event.tenant, 'execution');
      const list = byTopic.get(topic) ?? [];
      list.push({
        topic,
        key: event.subject,
        value: JSON.stringify(event),
        headers: {
          [AKILI_EVENT_HEADERS.id]: event.id,
          [AKILI_EVENT_HEADERS.type]: event.type,
          [AKILI_EVENT_HEADERS.version]: String(event.version),
          [AKILI_EVENT_HEADERS.tenant]: event.tenant,
          [AKILI_EVENT_HEADERS.contentType]: 'application/json',
        },
      });
      byTopic.set(topic, list);
    }
    return producer.sendBatch({
      topicMessages: [...byTopic].map(([topic, messages]) => ({
        topic,
        messages,
      })),
      acks: -1,
    });
  };

  // Warm-up: one event per tenant, consumed, so the group has joined before the clock starts.
  const warmup = makeEvents(tenants, TENANTS).flat();
  await send(warmup);
  await waitFor(
    () => received.size,
    () => warmup.every(e => received.has(e.id)),
  );
  const warmDeliveries = deliveries;

  const batches = makeEvents(tenants, N);
  const expected = new Map<string, number>();
  const started = now();
  await inParallel(batches, async batch => {
    const at = now();
    for (const event of batch) expected.set(event.id, at);
    await send(batch);
  });
  const producedAt = now();
  await waitFor(
    () => received.size,
    () => [...expected.keys()].every(id => received.has(id)),
  );
  await consumer.disconnect();
  await producer.disconnect();
  const consumed = deliveries - warmDeliveries;
  const distinct = [...expected.keys()].filter(id => received.has(id)).length;
  return summarize('direct', expected, received, started, consumed - distinct, [
    `direct: produced ${N} in ${((producedAt - started) / 1000).toFixed(
      2,
    )} s (${(N / ((producedAt - started) / 1000)).toFixed(0)} ev/s)`,
  ]);
}

/** Times each publish of the relay, to tell relay time from broker time. */
class TimedTransport implements EventTransport {
  publishes = 0;
  published = 0;
  publishMs = 0;
  firstAt = NaN;
  lastAt = NaN;
  constructor(private readonly inner: KafkaEventTransport) {}
  async publish(messages: AkiliEventMessage[]) {
    const t0 = now();
    if (Number.isNaN(this.firstAt)) this.firstAt = t0;
    await this.inner.publish(messages);
    const t1 = now();
    this.publishes += 1;
    this.published += messages.length;
    this.publishMs += t1 - t0;
    this.lastAt = t1;
  }
  close() {
    return this.inner.close();
  }
}

/**
 * Counts the statements (round trips) a knex pool runs and their time, by kind (the first word
 * of the SQL, or the table an INSERT/UPDATE/DELETE/SELECT names), from knex's query events.
 */
class QueryStats {
  readonly kinds = new Map<string, { n: number; ms: number }>();
  readonly #started = new Map<string, number>();
  constructor(knex: Knex) {
    knex.on('query', (q: { __knexQueryUid?: string; sql?: string }) => {
      if (q.__knexQueryUid) this.#started.set(q.__knexQueryUid, now());
    });
    const end = (_: unknown, q: { __knexQueryUid?: string; sql?: string }) => {
      const t0 = q.__knexQueryUid && this.#started.get(q.__knexQueryUid);
      if (!t0) return;
      this.#started.delete(q.__knexQueryUid!);
      const kind = QueryStats.kindOf(q.sql ?? '');
      const k = this.kinds.get(kind) ?? { n: 0, ms: 0 };
      k.n += 1;
      k.ms += now() - t0;
      this.kinds.set(kind, k);
    };
    knex.on('query-response', end);
    knex.on('query-error', (e: unknown, q: any) => end(e, q));
  }
  static kindOf(sql: string): string {
    const text = sql.trim().replace(/\s+/g, ' ');
    const word = text.split(' ')[0].toUpperCase().replace(/;$/, '');
    if (/^(INSERT|UPDATE|DELETE)$/.test(word)) {
      const m = /^(?:INSERT INTO|UPDATE|DELETE FROM) "?([\w.]+)"?/i.exec(text);
      return `${word} ${m?.[1] ?? ''}`.trim();
    }
    if (word === 'SELECT') {
      if (/set_config/i.test(text)) return 'SELECT set_config';
      if (/pg_notify/i.test(text)) return 'SELECT pg_notify';
      const m = / from "?([\w.]+)"?/i.exec(text);
      return m ? `SELECT ${m[1]}` : 'SELECT';
    }
    if (word === 'WITH')
      return /pg_notify/i.test(text) ? 'INSERT+NOTIFY' : 'WITH';
    return word;
  }
  reset() {
    this.kinds.clear();
  }
  total() {
    let n = 0;
    let ms = 0;
    for (const k of this.kinds.values()) {
      n += k.n;
      ms += k.ms;
    }
    return { n, ms };
  }
  describe(events: number): string {
    const { n, ms } = this.total();
    const parts = [...this.kinds]
      .sort((a, b) => b[1].n - a[1].n)
      .map(([kind, k]) => `${kind} ${k.n} (${(k.ms / k.n).toFixed(1)} ms)`);
    return `${n} statements, ${(n / events).toFixed(3)} per event, ${(
      ms / 1000
    ).toFixed(2)} s summed: ${parts.join(', ')}`;
  }
}

async function freshDatabase(): Promise<{ publisher: Knex; consumer: Knex }> {
  const admin = knexFactory({ client: 'pg', connection: PG });
  await admin.raw(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  await admin.raw(`CREATE DATABASE ${DB_NAME}`);
  await admin.destroy();
  const url = new URL(PG);
  url.pathname = `/${DB_NAME}`;
  // Two pools, as the publishing and the consuming plugin would each have their own.
  const open = () =>
    knexFactory({
      client: 'pg',
      connection: url.toString(),
      pool: { min: 0, max: 10 },
    });
  // The tables as the plugins' migrations create them (event ids keyed by tenant).
  const publisher = open();
  await akiliMigrationsV1.createEventOutboxTable(publisher);
  await akiliMigrationsV1.keyEventIdsByTenant(publisher, {
    outbox: 'akili_event_outbox',
  });
  const consumer = open();
  await akiliMigrationsV1.createProcessedEventsTable(consumer);
  await akiliMigrationsV1.keyEventIdsByTenant(consumer, {
    processedEvents: 'akili_processed_events',
  });
  return { publisher, consumer };
}

async function dropDatabase() {
  const admin = knexFactory({ client: 'pg', connection: PG });
  await admin.raw(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  await admin.destroy();
}

/**
 * How the relay runs: `before`, one round at a time (read, publish, mark sent), woken by the
 * writers' `relay.wake()` in this process or by its poll, as before issue 16; `after`, the
 * defaults: marking overlaps the next read and publish, and the relay is woken by the outbox's
 * PostgreSQL notification on commit (the writers do not call `wake()`).
 */
type Variant = 'before' | 'after';

/** The Akili path: outbox in tenant transactions → relay → Kafka → AkiliEventConsumer. */
async function runAkili(mock: KafkaMock, variant: Variant): Promise<Result> {
  const tenants = Array.from({ length: TENANTS }, (_, t) => `ba${hex()}-${t}`);
  await createTopics(mock, tenants);
  const topics = tenants.map(t => akiliEventTopic(t, 'execution'));
  const knexes = await freshDatabase();
  const publisherStats = new QueryStats(knexes.publisher);
  const consumerStats = new QueryStats(knexes.consumer);
  try {
    const publisherDb = TenantScopedDatabase.create(knexes.publisher);
    const consumerDb = TenantScopedDatabase.create(knexes.consumer);
    const outbox = EventOutbox.create();
    const transport = new TimedTransport(
      KafkaEventTransport.create({
        brokers: mock.brokers,
        clientId: 'akili-bench-relay',
      }),
    );
    // The relay's default batch size (1000) unless AKILI_BENCH_RELAY_BATCH says otherwise.
    const relay = OutboxRelay.create({
      db: publisherDb,
      transport,
      logger,
      ...(variant === 'before'
        ? { overlapMarking: false, wakeOnNotify: false }
        : {}),
      ...(process.env.AKILI_BENCH_RELAY_BATCH
        ? { batchSize: Number(process.env.AKILI_BENCH_RELAY_BATCH) }
        : {}),
    });

    const received = new Map<string, number>();
    const outcomes: Record<AkiliEventOutcome, number> = {
      processed: 0,
      duplicate: 0,
      'dead-lettered': 0,
      skipped: 0,
    };
    let handlerCalls = 0;
    let handleMs = 0;
    let handleCalls = 0;
    // Counts every delivery's outcome (handleBatch() is what start() feeds each partition's
    // batches to, one transaction per batch).
    class CountingConsumer extends AkiliEventConsumer {
      async handleBatch(
        messages: readonly AkiliEventMessage[],
        options?: AkiliEventBatchOptions,
      ): Promise<AkiliEventOutcome[]> {
        const t0 = now();
        const result = await super.handleBatch(messages, options);
        handleMs += now() - t0;
        handleCalls += 1;
        for (const outcome of result) outcomes[outcome] += 1;
        return result;
      }
    }
    const consumer = new CountingConsumer({
      groupId: `akili.bench.events-${hex()}`,
      topics,
      db: consumerDb,
      source: new Kafka({
        brokers: mock.brokers,
        clientId: 'akili-bench-consumer',
        logLevel: logLevel.NOTHING,
      }),
      deadLetter: transport,
      logger,
      handler: async event => {
        handlerCalls += 1;
        if (!received.has(event.id)) received.set(event.id, now());
      },
      kafka: {
        consumerConfig: KAFKA_MOCK_CONSUMER_TIMINGS,
        // The consumer's default (4) unless AKILI_BENCH_CONSUMER_PARTITIONS says otherwise.
        ...(process.env.AKILI_BENCH_CONSUMER_PARTITIONS
          ? {
              partitionsConsumedConcurrently: Number(
                process.env.AKILI_BENCH_CONSUMER_PARTITIONS,
              ),
            }
          : {}),
      },
    });

    const emit = async (batch: AkiliEvent[]) => {
      await publisherDb.withTenant(batch[0].tenant, tx =>
        outbox.enqueueMany(publisherDb, tx, batch),
      );
      const committedAt = now();
      // AKILI_BENCH_BEFORE_WAKE=0: the writers of the old relay do not call wake() either, as a
      // writer in another process cannot (the relay then waits for its poll).
      if (variant === 'before' && process.env.AKILI_BENCH_BEFORE_WAKE !== '0') {
        relay.wake();
      }
      return committedAt;
    };

    relay.start();
    await consumer.start();
    // Warm-up: one event per tenant through the whole path, so the group has joined.
    const warmup = makeEvents(tenants, TENANTS);
    for (const batch of warmup) await emit(batch);
    await waitFor(
      () => received.size,
      () =>
        warmup.flat().every(e => received.has(e.id)) &&
        outcomes.processed >= TENANTS,
    );
    const warm = { ...outcomes };
    const warmHandlerCalls = handlerCalls;
    const warmHandleMs = handleMs;
    const warmHandleCalls = handleCalls;
    const warmPublish = {
      publishes: transport.publishes,
      published: transport.published,
      publishMs: transport.publishMs,
    };
    transport.firstAt = NaN;
    publisherStats.reset();
    consumerStats.reset();

    const batches = makeEvents(tenants, N);
    const expected = new Map<string, number>();
    let enqueueMs = 0;
    const started = now();
    await inParallel(batches, async batch => {
      const t0 = now();
      const committedAt = await emit(batch);
      enqueueMs += committedAt - t0;
      for (const event of batch) expected.set(event.id, committedAt);
    });
    const enqueuedAt = now();
    await waitFor(
      () => received.size,
      () => [...expected.keys()].every(id => received.has(id)),
    );

    await relay.stop();
    await consumer.stop();
    await transport.close();
    const publisherQueries = publisherStats.describe(N);
    const consumerQueries = consumerStats.describe(N);

    // What the databases say: the outbox drained, one processed mark per event.
    let unsent = 0;
    await publisherDb.withPlatformScope(async tx => {
      const [row] = await tx('akili_event_outbox')
        .whereNull('sent_at')
        .count({ n: '*' });
      unsent = Number(row.n);
    });
    let marks = 0;
    for (const tenant of tenants) {
      await consumerDb.withTenant(tenant, async tx => {
        const [row] = await consumerDb
          .scoped(tx, 'akili_processed_events')
          .count({ n: '*' });
        marks += Number(row.n);
      });
    }

    const deliveries =
      outcomes.processed +
      outcomes.duplicate +
      outcomes['dead-lettered'] +
      outcomes.skipped -
      (warm.processed + warm.duplicate + warm['dead-lettered'] + warm.skipped);
    const processed = outcomes.processed - warm.processed;
    const duplicates = outcomes.duplicate - warm.duplicate;
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const publishes = transport.publishes - warmPublish.publishes;
    const publishMs = transport.publishMs - warmPublish.publishMs;
    const relaySpan = transport.lastAt - started;
    const lastReceived = Math.max(...received.values());
    const tag = `akili-${variant}`;
    const notes = [
      `${tag} enqueue: ${N} events in ${
        batches.length
      } transactions, done after ${s(enqueuedAt - started)} (${(
        N /
        ((enqueuedAt - started) / 1000)
      ).toFixed(0)} ev/s; ${(enqueueMs / batches.length).toFixed(
        1,
      )} ms per transaction)`,
      `${tag} relay: ${
        transport.published - warmPublish.published
      } published in ${publishes} publishes (${(
        (transport.published - warmPublish.published) /
        Math.max(1, publishes)
      ).toFixed(0)} per publish), last publish done ${s(
        relaySpan,
      )} after start; Kafka publish time ${s(publishMs)} (${(
        publishMs / Math.max(1, publishes)
      ).toFixed(1)} ms each), relay database time ~${s(
        relaySpan - publishMs,
      )} (read + mark sent, upper bound)`,
      `${tag} consumer: ${deliveries} deliveries (${processed} processed, ${duplicates} duplicate, ${
        outcomes['dead-lettered'] - warm['dead-lettered']
      } dead-lettered), last handled ${s(
        lastReceived - started,
      )} after start, ${s(
        lastReceived - transport.lastAt,
      )} after the last publish; ${handleCalls - warmHandleCalls} batches (${(
        deliveries / Math.max(1, handleCalls - warmHandleCalls)
      ).toFixed(1)} messages each), ${(
        (handleMs - warmHandleMs) /
        Math.max(1, deliveries)
      ).toFixed(
        2,
      )} ms per message in handleBatch() (validate + tenant transaction + marks; partitions run concurrently)`,
      `${tag} publisher database (writers + relay): ${publisherQueries}`,
      `${tag} consumer database: ${consumerQueries}`,
      `${tag} check: outbox unsent ${unsent}, processed marks ${marks} (expected ${
        N + TENANTS
      } incl. warm-up), handler calls ${handlerCalls - warmHandlerCalls}`,
    ];
    const result = summarize(
      tag,
      expected,
      received,
      started,
      duplicates,
      notes,
    );
    if (unsent !== 0 || marks !== N + TENANTS) {
      result.notes.push(`${tag} check: DATABASE COUNTS DO NOT MATCH`);
    }
    return result;
  } finally {
    await knexes.publisher.destroy();
    await knexes.consumer.destroy();
    await dropDatabase();
  }
}

const fmt = (n: number) =>
  Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-';

/**
 * Rounds of the three runs (direct, Akili as before, Akili now), the order of the two Akili runs
 * swapped every other round; the summary takes each figure's median over the rounds. The machine
 * is shared: one round alone says little.
 */
const REPEAT = Math.max(1, Number(process.env.AKILI_BENCH_REPEAT ?? 3));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function printTable(results: Result[]) {
  const rows = [
    [
      'path',
      'events',
      'seconds',
      'events/s',
      'p50 ms',
      'p95 ms',
      'max ms',
      'dupl.',
      'lost',
    ],
    ...results.map(r => [
      r.label,
      String(r.events),
      r.seconds.toFixed(2),
      fmt(r.rate),
      fmt(r.p50),
      fmt(r.p95),
      fmt(r.max),
      String(r.duplicates),
      String(r.lost),
    ]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map(r => r[c].length)));
  for (const row of rows) {
    console.log(
      row
        .map((cell, c) =>
          (c === 0 ? cell.padEnd : cell.padStart).call(cell, widths[c]),
        )
        .join('  '),
    );
  }
}

async function main() {
  const mock = await startKafkaMock();
  const rounds: Array<{ direct: Result; before: Result; after: Result }> = [];
  try {
    console.log(
      `events: ${N} events, ${PRODUCTS} products (keys) in ${TENANTS} tenants, ${BATCH} per batch/transaction, ${WRITERS} concurrent writers, ${mock.brokers.length} mock brokers, ${PARTITIONS} partitions per topic, ${REPEAT} round(s)`,
    );
    for (let round = 1; round <= REPEAT; round++) {
      const direct = await runDirect(mock);
      let before: Result;
      let after: Result;
      if (round % 2 === 1) {
        before = await runAkili(mock, 'before');
        after = await runAkili(mock, 'after');
      } else {
        after = await runAkili(mock, 'after');
        before = await runAkili(mock, 'before');
      }
      console.log(`--- round ${round}`);
      for (const note of [...direct.notes, ...before.notes, ...after.notes]) {
        console.log(note);
      }
      printTable([direct, before, after]);
      console.log(
        `round ${round}: akili ${(after.rate / direct.rate).toFixed(
          2,
        )} of direct, p95 ${fmt(after.p95)} ms; as before ${(
          before.rate / direct.rate
        ).toFixed(2)}, p95 ${fmt(before.p95)} ms`,
      );
      rounds.push({ direct, before, after });
    }
  } finally {
    await mock.stop();
  }

  const all = rounds.flatMap(r => [r.direct, r.before, r.after]);
  const ok = all.every(r => r.lost === 0 && r.duplicates === 0);
  const ratio = median(rounds.map(r => r.after.rate / r.direct.rate));
  const beforeRatio = median(rounds.map(r => r.before.rate / r.direct.rate));
  const m = (pick: (r: (typeof rounds)[number]) => number) =>
    fmt(median(rounds.map(pick)));
  console.log(
    `events: akili ${m(r => r.after.rate)} ev/s vs direct ${m(
      r => r.direct.rate,
    )} ev/s = ${ratio.toFixed(2)} (goal >= 0.8), p50 ${m(
      r => r.after.p50,
    )} ms p95 ${m(r => r.after.p95)} ms (goal < 250; direct p95 ${m(
      r => r.direct.p95,
    )} ms); relay as before: ${beforeRatio.toFixed(2)}, p95 ${m(
      r => r.before.p95,
    )} ms; medians of ${rounds.length} round(s), lost ${all.reduce(
      (n, r) => n + r.lost,
      0,
    )}, duplicates ${all.reduce((n, r) => n + r.duplicates, 0)}${
      ok ? '' : ', LOSS OR DUPLICATES'
    }`,
  );
  process.exit(ok ? 0 : 1);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
