import { AkiliEventMessage } from '@akili/plugin-akili-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  BatchObservableCallback,
  Meter,
  ObservableGauge,
} from '@opentelemetry/api';
import { Knex } from 'knex';
import { TenantScopedDatabase } from '../database/TenantScopedDatabase';
import { isPostgres } from '../database/dialect';
import { AKILI_EVENT_HEADERS } from './EventOutbox';
import { EventTransport } from './EventTransport';
import { DEFAULT_EVENT_OUTBOX_TABLE, outboxChannel } from './outboxTable';
import { akiliMeter } from '../metrics/meter';

/**
 * The gauge of unpublished outbox rows, labelled `plugin`; in Prometheus `akili_outbox_backlog`.
 *
 * @public
 */
export const AKILI_OUTBOX_BACKLOG = 'akili.outbox.backlog';

/**
 * Options of {@link OutboxRelay}.
 *
 * @public
 */
export interface OutboxRelayOptions {
  db: TenantScopedDatabase;
  transport: EventTransport;
  logger?: LoggerService;
  /** The outbox table (default `akili_event_outbox`). */
  table?: string;
  /** Most rows published per round (default 1000; about 0.5 MB of messages at 500 bytes each, split by partition). */
  batchSize?: number;
  /**
   * How often to look for new rows when idle and not woken (default 1000 ms). On PostgreSQL the
   * relay is also woken by the notification {@link EventOutbox} sends with each commit (see
   * `wakeOnNotify`), so polling is only the fallback there.
   */
  pollIntervalMs?: number;
  /**
   * PostgreSQL only: listen (`LISTEN`, on a connection of its own outside the pool) for the
   * notification each outbox transaction sends when it commits, and start a round at once
   * instead of at the next poll, whichever process committed. Default `true`. When the listening
   * connection cannot be opened or breaks, the relay logs it, polls meanwhile, and listens again
   * on a later round.
   */
  wakeOnNotify?: boolean;
  /**
   * Mark a published batch sent while the next batch is read and published (default `true`):
   * publishes stay one at a time, in outbox order, and at most one batch waits to be marked.
   * `false` runs one round at a time (read, publish, mark), as the relay did before; kept to
   * compare the two (`bench/events`).
   */
  overlapMarking?: boolean;
  /** First delay after a failed publish (default 200 ms); doubles per failure ... */
  minBackoffMs?: number;
  /** ... up to this (default 10 000 ms). */
  maxBackoffMs?: number;
  /**
   * How long published rows stay in the outbox (for the operators' view: last publish per
   * topic) before the relay deletes them; default 7 days. Unpublished rows are never deleted.
   */
  retentionMs?: number;
  /**
   * The plugin whose outbox this is: while the relay runs, the gauge `akili.outbox.backlog`
   * reports its unpublished rows with this `plugin` label. Without it nothing is reported.
   */
  plugin?: string;
}

/** Old published rows of a tenant are deleted at most this often (with its next mark-sent). */
const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/** After the listening connection failed, the relay tries to listen again after this long. */
const RELISTEN_DELAY_MS = 5000;

/** A raw connection of the `pg` driver, as knex's PostgreSQL client makes them. */
interface ListeningConnection {
  query(sql: string): Promise<unknown>;
  on(event: 'notification', listener: (message: unknown) => void): unknown;
  on(event: 'error' | 'end', listener: (error?: Error) => void): unknown;
}

/** The parts of knex's client the relay uses to open a connection outside the pool. */
interface RawConnectionClient {
  acquireRawConnection(): Promise<ListeningConnection>;
  destroyRawConnection(connection: ListeningConnection): Promise<void>;
}

/**
 * What one round of {@link OutboxRelay.runOnce} did.
 *
 * @public
 */
export interface OutboxRelayRound {
  /** Rows published and marked sent. */
  published: number;
  /** Whether the round stopped at a failure (the transport or the database). */
  failed: boolean;
  /** Whether the batch was full, so more rows may be waiting. */
  more: boolean;
}

interface OutboxRow {
  id: number | string;
  event_id: string;
  tenant_id: string;
  topic: string;
  message_key: string;
  payload: string;
}

/** Waits for every promise, then rejects with the first failure, if any. */
async function settleAll(promises: Array<Promise<unknown>>): Promise<void> {
  const results = await Promise.allSettled(promises);
  for (const result of results) {
    if (result.status === 'rejected') {
      throw result.reason;
    }
  }
}

function headersOf(row: OutboxRow): Record<string, string> {
  const headers: Record<string, string> = {
    [AKILI_EVENT_HEADERS.id]: row.event_id,
    [AKILI_EVENT_HEADERS.tenant]: row.tenant_id,
    [AKILI_EVENT_HEADERS.contentType]: 'application/json',
  };
  try {
    const { type, version } = JSON.parse(row.payload);
    headers[AKILI_EVENT_HEADERS.type] = String(type);
    headers[AKILI_EVENT_HEADERS.version] = String(version);
  } catch {
    // Validated at enqueue; a hand-edited row still gets published for consumers to refuse.
  }
  return headers;
}

/**
 * Publishes the rows of the event outbox through an {@link EventTransport}, in outbox order.
 *
 * @remarks
 *
 * Each round reads a batch of unsent rows across tenants in a read-only platform scope (ordered
 * by id), publishes them in that order, and marks them sent in one transaction per tenant (the
 * platform scope cannot write). When publishing fails, the round stops: no row is published
 * before an earlier unsent row, so the order of one key (one subject) is kept, and every row of
 * the batch records the attempt and the error. The relay then retries with exponential backoff
 * (200 ms doubling to 10 s by default) until the broker is back.
 *
 * Running in the background ({@link OutboxRelay.start}), the relay marks a published batch sent
 * while it reads and publishes the next one (rows published but not yet marked are left out of
 * that read); publishes stay one at a time. It starts a round when woken: by
 * {@link OutboxRelay.wake} in this process, and on PostgreSQL by the notification every
 * {@link EventOutbox} transaction sends on commit (`LISTEN` on a connection of its own), so an
 * event committed by any process is published without waiting for the poll interval, which
 * remains the fallback (and the only way on SQLite without `wake`).
 *
 * Delivery is at least once: rows are marked sent only after the transport acknowledged them, so
 * a process that dies between publish and mark (or a failed mark) publishes them again after a
 * restart. Consumers deduplicate by event id. Nothing committed to the outbox is lost: a process
 * killed between commit and publish leaves the rows unsent, and the next relay (this process
 * after a restart, or another instance) publishes them.
 *
 * Run one relay per database: two relays on the same outbox would each publish every row (still
 * at least once, but interleaved, so consumers could see a key's events out of order).
 *
 * @public
 */
export class OutboxRelay {
  readonly #db: TenantScopedDatabase;
  readonly #transport: EventTransport;
  readonly #logger: LoggerService | undefined;
  readonly #table: string;
  readonly #batchSize: number;
  readonly #pollIntervalMs: number;
  readonly #minBackoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #retentionMs: number;
  readonly #plugin: string | undefined;
  #gauge:
    | {
        meter: Meter;
        gauge: ObservableGauge;
        callback: BatchObservableCallback;
      }
    | undefined;
  /** When each tenant's old rows were last deleted. */
  readonly #prunedAt = new Map<string, number>();

  #running = false;
  #loop: Promise<void> | undefined;
  #failures = 0;
  #woken = false;
  #wakeUp: (() => void) | undefined;
  #round: Promise<OutboxRelayRound> | undefined;
  readonly #wakeOnNotify: boolean;
  readonly #overlapMarking: boolean;
  /** The mark-sent of the last published batch, running while the next one is read. */
  #marking: Promise<boolean> | undefined;
  /** Ids of rows being published or published and not marked sent yet (left out of reads). */
  readonly #unmarked = new Set<string>();
  /** The read of the next batch, started while the last one was published. */
  #prefetch: Promise<OutboxRow[]> | undefined;
  #listener:
    | { client: RawConnectionClient; connection: ListeningConnection }
    | undefined;
  #listening: Promise<void> | undefined;
  #listenFailedAt: number | undefined;

  static create(options: OutboxRelayOptions): OutboxRelay {
    return new OutboxRelay(options);
  }

  private constructor(options: OutboxRelayOptions) {
    this.#db = options.db;
    this.#transport = options.transport;
    this.#logger = options.logger;
    this.#table = options.table ?? DEFAULT_EVENT_OUTBOX_TABLE;
    this.#batchSize = options.batchSize ?? 1000;
    this.#pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.#minBackoffMs = options.minBackoffMs ?? 200;
    this.#maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.#retentionMs = options.retentionMs ?? 7 * 24 * 60 * 60 * 1000;
    this.#plugin = options.plugin;
    this.#wakeOnNotify = options.wakeOnNotify ?? true;
    this.#overlapMarking = options.overlapMarking ?? true;
  }

  /** Whether the relay is listening for the outbox's commit notifications (PostgreSQL). */
  get listening(): boolean {
    return this.#listener !== undefined;
  }

  /**
   * How many rows of the outbox are not published yet, every tenant's (a read-only platform
   * scope; the partial index on unsent rows keeps it cheap).
   */
  async backlog(): Promise<number> {
    const row = await this.#db.withPlatformScope(tx =>
      tx(this.#table).whereNull('sent_at').count({ count: '*' }).first(),
    );
    return Number(row?.count ?? 0);
  }

  /** Reports {@link OutboxRelay.backlog} in `akili.outbox.backlog` while the relay runs. */
  #observeBacklog(): void {
    if (this.#plugin === undefined || this.#gauge) {
      return;
    }
    const plugin = this.#plugin;
    const meter = akiliMeter('events');
    const gauge = meter.createObservableGauge(AKILI_OUTBOX_BACKLOG, {
      description:
        'Rows of the event outbox not yet published to the broker, per plugin',
      unit: '{row}',
    });
    const callback: BatchObservableCallback = async result => {
      try {
        result.observe(gauge, await this.backlog(), { plugin });
      } catch (error) {
        // No sample rather than a wrong one; the relay logs its own read failures.
        this.#logger?.debug('Could not count the unpublished outbox rows', {
          plugin,
          error: (error as Error).message,
        });
      }
    };
    meter.addBatchObservableCallback(callback, [gauge]);
    this.#gauge = { meter, gauge, callback };
  }

  /** Failed rounds in a row (0 after a success). */
  get consecutiveFailures(): number {
    return this.#failures;
  }

  /** The delay before the next round after `failures` failed rounds in a row. */
  backoffMs(failures: number = this.#failures): number {
    if (failures <= 0) {
      return 0;
    }
    return Math.min(
      this.#maxBackoffMs,
      this.#minBackoffMs * 2 ** Math.min(failures - 1, 30),
    );
  }

  /**
   * Publishes one batch of unsent rows. Rounds never overlap: a call during a round waits for it
   * and runs after it.
   */
  runOnce(): Promise<OutboxRelayRound> {
    return this.#enqueueRound(false);
  }

  /**
   * A round after the previous one. With `overlap`, the round's mark-sent continues in the
   * background (awaited by the next round, before it starts its own); without, the round
   * resolves once its rows are marked.
   */
  #enqueueRound(overlap: boolean): Promise<OutboxRelayRound> {
    const previous = this.#round ?? Promise.resolve(undefined);
    const round = previous
      .catch(() => undefined)
      .then(() => this.#publishBatch(overlap));
    this.#round = round;
    return round;
  }

  /** Waits for the mark-sent in progress; resolves with whether it succeeded. */
  async #settleMarking(): Promise<boolean> {
    const marking = this.#marking;
    this.#marking = undefined;
    return marking ? marking : true;
  }

  /** Unsent rows in outbox order, but those published and not marked yet. */
  #readBatch(): Promise<OutboxRow[]> {
    const skip = [...this.#unmarked];
    return this.#db.withPlatformScope(tx => {
      this.#captureClient(tx);
      let query = tx(this.#table).whereNull('sent_at');
      if (skip.length > 0) {
        query = isPostgres(tx)
          ? query.whereRaw('NOT (?? = any(?::bigint[]))', ['id', skip])
          : query.whereNotIn('id', skip);
      }
      return query
        .orderBy('id')
        .limit(this.#batchSize)
        .select(
          'id',
          'event_id',
          'tenant_id',
          'topic',
          'message_key',
          'payload',
        );
    });
  }

  /** Drops the read of the next batch started during a publish (its rows stay unsent). */
  async #dropPrefetch(): Promise<void> {
    const prefetch = this.#prefetch;
    this.#prefetch = undefined;
    await prefetch?.catch(() => undefined);
  }

  async #publishBatch(overlap: boolean): Promise<OutboxRelayRound> {
    if (!overlap) {
      // A round of its own: whatever the background read or published is settled first.
      await this.#dropPrefetch();
      if (!(await this.#settleMarking())) {
        return { published: 0, failed: true, more: false };
      }
    }
    let rows: OutboxRow[];
    try {
      const prefetch = this.#prefetch;
      this.#prefetch = undefined;
      rows = await (prefetch ?? this.#readBatch());
    } catch (error) {
      this.#failures += 1;
      this.#logger?.error('Could not read the event outbox', {
        table: this.#table,
        error: (error as Error).message,
      });
      return { published: 0, failed: true, more: false };
    }
    if (rows.length === 0) {
      this.#failures = 0;
      return { published: 0, failed: false, more: false };
    }
    const messages: AkiliEventMessage[] = rows.map(row => ({
      topic: row.topic,
      key: row.message_key,
      value: row.payload,
      headers: headersOf(row),
    }));
    const ids = rows.map(row => String(row.id));
    for (const id of ids) {
      this.#unmarked.add(id);
    }
    if (overlap) {
      // The next batch is read while this one is published (without this one's rows); it is
      // published only after this one was acknowledged, and dropped if this one fails.
      const prefetch = this.#readBatch();
      prefetch.catch(() => undefined);
      this.#prefetch = prefetch;
    }
    try {
      await this.#transport.publish(messages);
    } catch (error) {
      await this.#dropPrefetch();
      for (const id of ids) {
        this.#unmarked.delete(id);
      }
      this.#failures += 1;
      const message = (error as Error).message ?? String(error);
      this.#logger?.warn('Could not publish events from the outbox; retrying', {
        rows: rows.length,
        failures: this.#failures,
        retryInMs: this.backoffMs(),
        error: message,
      });
      await this.#recordFailure(rows, message).catch(recordError =>
        this.#logger?.error('Could not record a failed publish in the outbox', {
          error: (recordError as Error).message,
        }),
      );
      return { published: 0, failed: true, more: false };
    }
    // The previous batch's mark ran while this one was read and published; one at a time.
    const previousMarked = await this.#settleMarking();
    const marking = this.#markSent(rows).then(
      () => true,
      error => {
        // Published but not marked: they will be read and published again (at least once).
        this.#logger?.error('Could not mark published events as sent', {
          rows: rows.length,
          error: (error as Error).message,
        });
        return false;
      },
    );
    this.#marking = marking.finally(() => {
      for (const id of ids) {
        this.#unmarked.delete(id);
      }
    });
    if (!overlap && !(await this.#settleMarking())) {
      this.#failures += 1;
      return { published: 0, failed: true, more: false };
    }
    if (!previousMarked) {
      this.#failures += 1;
      await this.#dropPrefetch();
      return { published: rows.length, failed: true, more: false };
    }
    this.#failures = 0;
    return {
      published: rows.length,
      failed: false,
      // A batch read ahead is published by the next round, right away.
      more: rows.length === this.#batchSize || this.#prefetch !== undefined,
    };
  }

  /** Remembers the knex client of the relay's database, to open the listening connection. */
  #captureClient(tx: Knex.Transaction): void {
    if (this.#listenClient === undefined && isPostgres(tx)) {
      this.#listenClient = tx.client as unknown as RawConnectionClient;
    }
  }

  #listenClient: RawConnectionClient | undefined;

  /**
   * Opens the listening connection when the relay runs on PostgreSQL, is not listening yet, and
   * did not fail to in the last few seconds. A notification wakes the relay; a broken connection
   * is closed and opened again on a later round. Never throws.
   */
  #listenIfDue(): void {
    const client = this.#listenClient;
    if (
      !this.#wakeOnNotify ||
      !this.#running ||
      !client ||
      this.#listener ||
      this.#listening ||
      (this.#listenFailedAt !== undefined &&
        Date.now() - this.#listenFailedAt < RELISTEN_DELAY_MS)
    ) {
      return;
    }
    const channel = outboxChannel(this.#table);
    this.#listening = (async () => {
      let connection: ListeningConnection | undefined;
      try {
        connection = await client.acquireRawConnection();
        const opened = connection;
        const lost = (error?: Error) => {
          if (this.#listener?.connection !== opened) {
            return;
          }
          this.#listener = undefined;
          this.#listenFailedAt = Date.now();
          if (this.#running) {
            this.#logger?.warn(
              'The outbox relay lost its notification connection; polling until it listens again',
              {
                table: this.#table,
                error: error?.message ?? 'connection ended',
              },
            );
          }
          client.destroyRawConnection(opened).catch(() => undefined);
          this.#relistenLater();
        };
        opened.on('error', lost);
        opened.on('end', lost);
        opened.on('notification', () => this.wake());
        await opened.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
        if (!this.#running) {
          await client.destroyRawConnection(opened).catch(() => undefined);
          return;
        }
        this.#listener = { client, connection: opened };
        this.#listenFailedAt = undefined;
        // Rows committed before LISTEN took effect sent their notification to nobody.
        this.wake();
      } catch (error) {
        this.#listenFailedAt = Date.now();
        if (connection) {
          await client.destroyRawConnection(connection).catch(() => undefined);
        }
        this.#logger?.warn(
          'The outbox relay could not listen for commit notifications; polling meanwhile',
          { table: this.#table, error: (error as Error).message },
        );
        this.#relistenLater();
      }
    })().finally(() => {
      this.#listening = undefined;
    });
  }

  /** A round (and with it another attempt to listen) once the delay has passed. */
  #relistenLater(): void {
    if (!this.#running) {
      return;
    }
    const timer = setTimeout(() => this.wake(), RELISTEN_DELAY_MS + 10);
    timer.unref?.();
  }

  async #unlisten(): Promise<void> {
    await this.#listening;
    const listener = this.#listener;
    this.#listener = undefined;
    if (listener) {
      await listener.client
        .destroyRawConnection(listener.connection)
        .catch(() => undefined);
    }
  }

  #byTenant(rows: OutboxRow[]): Map<string, Array<number | string>> {
    const ids = new Map<string, Array<number | string>>();
    for (const row of rows) {
      const list = ids.get(row.tenant_id) ?? [];
      list.push(row.id);
      ids.set(row.tenant_id, list);
    }
    return ids;
  }

  /** The rows of `ids` of the transaction's tenant: one array parameter on PostgreSQL. */
  #rowsOf(tx: Knex.Transaction, ids: Array<number | string>) {
    const query = this.#db.scoped(tx, this.#table);
    return isPostgres(tx)
      ? query.whereRaw('?? = any(?::bigint[])', [
          `${this.#table}.id`,
          ids.map(String),
        ])
      : query.whereIn('id', ids);
  }

  /** One transaction per tenant (the platform scope cannot write), the tenants in parallel. */
  async #markSent(rows: OutboxRow[]): Promise<void> {
    const sentAt = new Date();
    await settleAll(
      [...this.#byTenant(rows)].map(([tenant, ids]) =>
        this.#db.withTenant(tenant, async tx => {
          await this.#rowsOf(tx, ids).update({ sent_at: sentAt });
          await this.#pruneIfDue(tx, tenant, sentAt);
        }),
      ),
    );
  }

  /** Deletes the tenant's rows published longer ago than the retention, at most hourly. */
  async #pruneIfDue(tx: Knex.Transaction, tenant: string, now: Date) {
    const last = this.#prunedAt.get(tenant);
    if (last !== undefined && now.getTime() - last < PRUNE_INTERVAL_MS) {
      return;
    }
    this.#prunedAt.set(tenant, now.getTime());
    const deleted = await this.#db
      .scoped(tx, this.#table)
      .whereNotNull('sent_at')
      .where('sent_at', '<', new Date(now.getTime() - this.#retentionMs))
      .delete();
    if (deleted > 0) {
      this.#logger?.info(
        `Deleted ${deleted} published event(s) of tenant ${tenant} from the outbox (older than the retention)`,
      );
    }
  }

  async #recordFailure(rows: OutboxRow[], error: string): Promise<void> {
    await settleAll(
      [...this.#byTenant(rows)].map(([tenant, ids]) =>
        this.#db.withTenant(tenant, tx =>
          this.#rowsOf(tx, ids).update({
            attempts: tx.raw('attempts + 1'),
            last_error: error.slice(0, 4000),
          }),
        ),
      ),
    );
  }

  /** Starts publishing in the background until {@link OutboxRelay.stop}. */
  start(): void {
    if (this.#running) {
      return;
    }
    this.#running = true;
    this.#observeBacklog();
    this.#loop = this.#run();
  }

  /**
   * Makes an idle relay look at the outbox now instead of at its next poll, e.g. right after a
   * transaction that enqueued events committed. Does not cut a backoff short.
   */
  wake(): void {
    this.#woken = true;
    this.#wakeUp?.();
  }

  /** Stops the loop after the current round and waits for it. The transport stays open. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#wakeUp?.();
    if (this.#gauge) {
      const { meter, gauge, callback } = this.#gauge;
      meter.removeBatchObservableCallback(callback, [gauge]);
      this.#gauge = undefined;
    }
    await this.#loop;
    this.#loop = undefined;
    await this.#round?.catch(() => undefined);
    await this.#dropPrefetch();
    await this.#settleMarking();
    await this.#unlisten();
  }

  async #run(): Promise<void> {
    while (this.#running) {
      this.#woken = false;
      let round: OutboxRelayRound;
      try {
        round = await this.#enqueueRound(this.#overlapMarking);
      } catch (error) {
        this.#failures += 1;
        round = { published: 0, failed: true, more: false };
      }
      if (!this.#running) {
        return;
      }
      this.#listenIfDue();
      if (round.failed) {
        await this.#sleep(this.backoffMs(), false);
      } else if (!round.more) {
        await this.#sleep(this.#pollIntervalMs, true);
      }
    }
  }

  #sleep(ms: number, wakeable: boolean): Promise<void> {
    if (wakeable && this.#woken) {
      return Promise.resolve();
    }
    return new Promise(resolve => {
      let timer: ReturnType<typeof setTimeout> | undefined = undefined;
      const done = () => {
        clearTimeout(timer);
        this.#wakeUp = undefined;
        resolve();
      };
      timer = setTimeout(done, ms);
      this.#wakeUp = () => {
        if (!this.#running || wakeable) {
          done();
        }
      };
    });
  }
}
