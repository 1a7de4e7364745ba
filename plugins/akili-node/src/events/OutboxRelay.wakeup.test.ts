import { AkiliEventMessage, parseAkiliEvent } from '@akili/plugin-akili-common';
import { TestDatabases } from '@backstage/backend-test-utils';
import { requireTestDatabaseIds } from '../testUtils';
import {
  OutboxTestDatabase,
  executionEvent,
  openOutboxTestDatabase,
  runNumber,
} from './__testUtils__/outboxTestDatabase';
import { EventOutbox } from './EventOutbox';
import { EventTransport } from './EventTransport';
import { OutboxRelay } from './OutboxRelay';
import { DEFAULT_EVENT_OUTBOX_TABLE } from './outboxTable';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });
const allIds = databases.eachSupportedId();
const postgresIds = allIds.filter(([id]) => id.startsWith('POSTGRES'));

/** Longer than any of these tests: a round they see was not started by the poll. */
const NEVER_MS = 10 * 60 * 1000;

/** Records what it was asked to publish. */
class RecordingTransport implements EventTransport {
  readonly delivered: AkiliEventMessage[] = [];
  async publish(messages: AkiliEventMessage[]) {
    this.delivered.push(...messages);
  }
}

/** Resolves once `condition()` holds; rejects naming `what` after `ms`. */
async function until(what: string, condition: () => boolean, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}`);
    }
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

describe.each(postgresIds)(
  'outbox relay woken by commit notifications on %p',
  databaseId => {
    let t: OutboxTestDatabase;
    const outbox = EventOutbox.create();

    beforeEach(async () => {
      t = await openOutboxTestDatabase(databases, databaseId);
    });
    afterEach(async () => {
      await t?.cleanup();
    });

    it('publishes an event committed through another connection pool without a wake() or a poll', async () => {
      const transport = new RecordingTransport();
      const relay = OutboxRelay.create({
        db: t.db,
        transport,
        pollIntervalMs: NEVER_MS,
      });
      relay.start();
      try {
        // The first round (at start) finds nothing and opens the listening connection.
        await until('the relay to listen', () => relay.listening);
        expect(transport.delivered).toHaveLength(0);

        // Another pool, as another backend process writing to the same outbox would have.
        const other = await t.reopen();
        await other.db.withTenant('acme', tx =>
          outbox.enqueueMany(other.db, tx, [
            executionEvent('acme', 'orders', 1),
            executionEvent('acme', 'orders', 2),
          ]),
        );
        await until('the events', () => transport.delivered.length >= 2);
        expect(
          transport.delivered.map(m => runNumber(parseAkiliEvent(m.value))),
        ).toEqual([1, 2]);
      } finally {
        await relay.stop();
      }
      expect(relay.listening).toBe(false);
    });

    it('does not listen with wakeOnNotify: false', async () => {
      const relay = OutboxRelay.create({
        db: t.db,
        transport: new RecordingTransport(),
        pollIntervalMs: NEVER_MS,
        wakeOnNotify: false,
      });
      relay.start();
      try {
        // wake() makes a round and waits for it to end: no listening after it either.
        relay.wake();
        expect((await relay.runOnce()).failed).toBe(false);
        expect(relay.listening).toBe(false);
      } finally {
        await relay.stop();
      }
    });

    it('listens again after its connection was killed, and is woken on the new one', async () => {
      const transport = new RecordingTransport();
      const relay = OutboxRelay.create({
        db: t.db,
        transport,
        pollIntervalMs: NEVER_MS,
      });
      relay.start();
      try {
        await until('the relay to listen', () => relay.listening);
        const killed = await t.knex.raw(
          `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
         WHERE datname = current_database() AND query LIKE 'LISTEN %'`,
        );
        expect(killed.rows).toHaveLength(1);
        await until('the relay to notice', () => !relay.listening);
        await until('the relay to listen again', () => relay.listening);

        await t.db.withTenant('acme', tx =>
          outbox.enqueue(t.db, tx, executionEvent('acme', 'orders', 7)),
        );
        await until('the event', () => transport.delivered.length >= 1);
        expect(
          transport.delivered.map(m => runNumber(parseAkiliEvent(m.value))),
        ).toEqual([7]);
      } finally {
        await relay.stop();
      }
    });
  },
);

describe.each(allIds)(
  'outbox relay under concurrent writers on %p',
  databaseId => {
    let t: OutboxTestDatabase;
    const outbox = EventOutbox.create();

    beforeEach(async () => {
      t = await openOutboxTestDatabase(databases, databaseId);
    });
    afterEach(async () => {
      await t?.cleanup();
    });

    it('publishes every event exactly once and each key in order while writers commit concurrently', async () => {
      const WRITERS = 6;
      const TRANSACTIONS = 12;
      const PER_TRANSACTION = 5;
      const total = WRITERS * TRANSACTIONS * PER_TRANSACTION;
      const transport = new RecordingTransport();
      // Small batches, so that many rounds overlap their marking with the next read and publish.
      const relay = OutboxRelay.create({
        db: t.db,
        transport,
        batchSize: 7,
        pollIntervalMs: 20,
      });
      relay.start();
      try {
        // Each writer has its own key (product) and tenant, its run numbers ascending.
        const { db } = t;
        await Promise.all(
          Array.from({ length: WRITERS }, async (_, w) => {
            const tenant = w % 2 === 0 ? 'acme' : 'globex';
            for (let i = 0; i < TRANSACTIONS; i++) {
              await db.withTenant(tenant, tx =>
                outbox.enqueueMany(
                  db,
                  tx,
                  Array.from({ length: PER_TRANSACTION }, (__, j) =>
                    executionEvent(
                      tenant,
                      `w-${w}`,
                      i * PER_TRANSACTION + j + 1,
                    ),
                  ),
                ),
              );
            }
          }),
        );
        await until(
          'every event',
          () => transport.delivered.length >= total,
          40_000,
        );
      } finally {
        await relay.stop();
      }
      // Nothing left, nothing published twice (not even after the rounds that overlapped).
      expect((await relay.runOnce()).published).toBe(0);
      expect(transport.delivered).toHaveLength(total);
      const events = transport.delivered.map(m => parseAkiliEvent(m.value));
      expect(new Set(events.map(e => e.id)).size).toBe(total);
      const byKey = new Map<string, number[]>();
      for (const event of events) {
        const runs = byKey.get(event.subject) ?? [];
        runs.push(runNumber(event));
        byKey.set(event.subject, runs);
      }
      expect(byKey.size).toBe(WRITERS);
      for (const runs of byKey.values()) {
        expect(runs).toEqual(
          Array.from(
            { length: TRANSACTIONS * PER_TRANSACTION },
            (_, i) => i + 1,
          ),
        );
      }
      const unsent = await t.db.withPlatformScope(tx =>
        tx(DEFAULT_EVENT_OUTBOX_TABLE).whereNull('sent_at').count({ n: '*' }),
      );
      expect(Number(unsent[0].n)).toBe(0);
    });
  },
);
