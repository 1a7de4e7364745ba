import {
  AkiliEventMessage,
  InvalidAkiliEventError,
  parseAkiliEvent,
} from '@akili/plugin-akili-common';
import { TestDatabases } from '@backstage/backend-test-utils';
import { InputError, NotAllowedError } from '@backstage/errors';
import { requireTestDatabaseIds } from '../testUtils';
import {
  OutboxTestDatabase,
  executionEvent,
  openOutboxTestDatabase,
  runNumber,
} from './__testUtils__/outboxTestDatabase';
import { EventOutbox } from './EventOutbox';
import { EventTransport } from './EventTransport';
import { InProcessEventBus } from './InProcessEventBus';
import { OutboxRelay } from './OutboxRelay';
import { akiliMigrationsV1 } from '../migrations/v1';
import { DEFAULT_EVENT_OUTBOX_TABLE } from './outboxTable';

jest.setTimeout(60_000);

const TABLE = DEFAULT_EVENT_OUTBOX_TABLE;
const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });
const allIds = databases.eachSupportedId();
const postgresIds = allIds.filter(([id]) => id.startsWith('POSTGRES'));

/** Everything the bus delivered, in order. */
function record(bus: InProcessEventBus, pattern: RegExp | string = /.*/) {
  const seen: AkiliEventMessage[] = [];
  bus.subscribe(pattern, async message => {
    seen.push(message);
  });
  return seen;
}

/** A transport that fails while `down` is set, recording what it was asked to publish. */
class SwitchableTransport implements EventTransport {
  down = false;
  readonly delivered: AkiliEventMessage[] = [];
  attempts = 0;
  async publish(messages: AkiliEventMessage[]) {
    this.attempts += 1;
    if (this.down) {
      throw new Error('broker unreachable');
    }
    this.delivered.push(...messages);
  }
}

async function unsentCount(t: OutboxTestDatabase): Promise<number> {
  const rows = await t.db.withPlatformScope(tx =>
    tx(TABLE).whereNull('sent_at').count({ n: '*' }),
  );
  return Number(rows[0].n);
}

describe.each(allIds)('event outbox on %p', databaseId => {
  let t: OutboxTestDatabase;
  const outbox = EventOutbox.create();

  beforeEach(async () => {
    t = await openOutboxTestDatabase(databases, databaseId);
  });
  afterEach(async () => {
    await t?.cleanup();
  });

  it('publishes committed events in outbox order, marks them sent, and publishes each once', async () => {
    const events = [
      executionEvent('acme', 'orders', 1),
      executionEvent('acme', 'customers', 2),
      executionEvent('acme', 'orders', 3),
    ];
    await t.db.withTenant('acme', async tx => {
      for (const event of events) {
        await outbox.enqueue(t.db, tx, event);
      }
    });
    const globexEvent = executionEvent('globex', 'invoices', 4);
    await t.db.withTenant('globex', tx =>
      outbox.enqueue(t.db, tx, globexEvent),
    );

    const bus = new InProcessEventBus();
    const seen = record(bus);
    const acmeOnly = record(bus, 'akili.acme.execution');
    const relay = OutboxRelay.create({ db: t.db, transport: bus });
    expect(await relay.runOnce()).toEqual({
      published: 4,
      failed: false,
      more: false,
    });
    expect(seen.map(m => parseAkiliEvent(m.value).id)).toEqual([
      ...events.map(e => e.id),
      globexEvent.id,
    ]);
    expect(seen[0]).toEqual({
      topic: 'akili.acme.execution',
      key: 'dataproduct:acme/orders',
      value: JSON.stringify(events[0]),
      headers: {
        'akili-event-id': events[0].id,
        'akili-event-type': 'execution.completed',
        'akili-event-version': '1',
        'akili-tenant': 'acme',
        'content-type': 'application/json',
      },
    });
    expect(seen[3].topic).toBe('akili.globex.execution');
    expect(acmeOnly).toHaveLength(3);
    expect(await unsentCount(t)).toBe(0);

    expect(await relay.runOnce()).toEqual({
      published: 0,
      failed: false,
      more: false,
    });
    expect(seen).toHaveLength(4);
  });

  it('publishes nothing of a rolled-back transaction', async () => {
    await expect(
      t.db.withTenant('acme', async tx => {
        await outbox.enqueue(t.db, tx, executionEvent('acme', 'orders', 1));
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    const bus = new InProcessEventBus();
    const seen = record(bus);
    await OutboxRelay.create({ db: t.db, transport: bus }).runOnce();
    expect(seen).toEqual([]);
    expect(await unsentCount(t)).toBe(0);
  });

  it('refuses an invalid event and an event of another tenant, writing nothing', async () => {
    const invalid = {
      ...executionEvent('acme', 'orders', 1),
      data: { runId: 'r', status: 'DONE' },
    };
    const refusal = await t.db
      .withTenant('acme', tx => outbox.enqueue(t.db, tx, invalid))
      .catch(e => e);
    expect(refusal).toBeInstanceOf(InvalidAkiliEventError);
    expect(refusal).toBeInstanceOf(InputError);
    expect(refusal.message).toMatch(
      /^Refusing to publish an invalid event: .*\$\.data\.status: must be one of 'SUCCESS', 'FAILURE', 'CANCELED', not 'DONE'/,
    );
    expect(refusal.problems).toEqual(
      expect.arrayContaining([
        { path: '$.data.product', message: "missing required field 'product'" },
      ]),
    );
    await expect(
      t.db.withTenant('acme', tx =>
        outbox.enqueue(t.db, tx, {
          ...executionEvent('acme', 'orders', 2),
          type: 'product.vanished',
        }),
      ),
    ).rejects.toThrow("unknown event type 'product.vanished'");

    await expect(
      t.db.withTenant('acme', tx =>
        outbox.enqueue(t.db, tx, executionEvent('globex', 'invoices', 3)),
      ),
    ).rejects.toThrow(
      new NotAllowedError(
        "Refusing to publish an event of tenant 'globex' from a transaction of tenant 'acme'",
      ),
    );
    expect(await unsentCount(t)).toBe(0);
  });

  it('enqueues many events with one call, in order, and publishes them in that order', async () => {
    const events = Array.from({ length: 1203 }, (_, n) =>
      executionEvent('acme', n % 2 ? 'orders' : 'customers', n + 1),
    );
    await t.db.withTenant('acme', async tx => {
      await outbox.enqueueMany(t.db, tx, events.slice(0, 2));
      await outbox.enqueueMany(t.db, tx, []);
      await outbox.enqueueMany(t.db, tx, events.slice(2));
    });
    expect(await unsentCount(t)).toBe(events.length);
    const bus = new InProcessEventBus();
    const seen = record(bus);
    const relay = OutboxRelay.create({ db: t.db, transport: bus });
    await relay.runOnce();
    expect(seen).toHaveLength(1000);
    while ((await relay.runOnce()).published > 0) {
      // drain
    }
    expect(seen.map(m => parseAkiliEvent(m.value).id)).toEqual(
      events.map(e => e.id),
    );
    expect(await unsentCount(t)).toBe(0);
  });

  it('refuses a whole batch when one event is invalid or of another tenant', async () => {
    const good = [1, 2].map(n => executionEvent('acme', 'orders', n));
    const invalid = {
      ...executionEvent('acme', 'orders', 3),
      data: { runId: 'r', status: 'DONE' },
    };
    const refusal = await t.db
      .withTenant('acme', tx =>
        outbox.enqueueMany(t.db, tx, [...good, invalid]),
      )
      .catch(e => e);
    expect(refusal).toBeInstanceOf(InvalidAkiliEventError);
    await expect(
      t.db.withTenant('acme', tx =>
        outbox.enqueueMany(t.db, tx, [
          ...good,
          executionEvent('globex', 'invoices', 4),
        ]),
      ),
    ).rejects.toThrow(
      new NotAllowedError(
        "Refusing to publish an event of tenant 'globex' from a transaction of tenant 'acme'",
      ),
    );
    // Refused before writing: even a caller that catches the error wrote nothing.
    await t.db.withTenant('acme', async tx => {
      await expect(
        outbox.enqueueMany(t.db, tx, [...good, invalid]),
      ).rejects.toBeInstanceOf(InvalidAkiliEventError);
    });
    expect(await unsentCount(t)).toBe(0);
  });

  it('publishes after a restart what was committed but never published (killed between commit and publish)', async () => {
    const events = [1, 2, 3].map(n => executionEvent('acme', 'orders', n));
    // The first "process": commits, and dies before any relay ran.
    await t.db.withTenant('acme', async tx => {
      for (const event of events) {
        await outbox.enqueue(t.db, tx, event);
      }
    });
    // The restarted one: new pool, new objects, same database.
    const restarted = await t.reopen();
    const bus = new InProcessEventBus();
    const seen = record(bus);
    const relay = OutboxRelay.create({ db: restarted.db, transport: bus });
    expect((await relay.runOnce()).published).toBe(3);
    expect(seen.map(m => parseAkiliEvent(m.value).id)).toEqual(
      events.map(e => e.id),
    );
  });

  it('stops at a failed publish, records it, keeps the order and retries with capped backoff', async () => {
    const events = [1, 2, 3, 4, 5].map(n =>
      executionEvent('acme', n % 2 ? 'orders' : 'customers', n),
    );
    await t.db.withTenant('acme', async tx => {
      for (const event of events) {
        await outbox.enqueue(t.db, tx, event);
      }
    });
    const transport = new SwitchableTransport();
    const relay = OutboxRelay.create({
      db: t.db,
      transport,
      batchSize: 2,
      minBackoffMs: 200,
      maxBackoffMs: 10_000,
    });
    expect((await relay.runOnce()).published).toBe(2);
    transport.down = true;
    expect(await relay.runOnce()).toEqual({
      published: 0,
      failed: true,
      more: false,
    });
    expect(await relay.runOnce()).toMatchObject({ failed: true });
    expect(relay.consecutiveFailures).toBe(2);
    expect(relay.backoffMs()).toBe(400);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map(n => relay.backoffMs(n))).toEqual([
      200, 400, 800, 1600, 3200, 6400, 10_000, 10_000, 10_000,
    ]);

    const failedRows = await t.db.withTenant('acme', tx =>
      t.db
        .scoped(tx, TABLE)
        .whereNull('sent_at')
        .orderBy('id')
        .select('event_id', 'attempts', 'last_error'),
    );
    expect(failedRows).toEqual([
      { event_id: events[2].id, attempts: 2, last_error: 'broker unreachable' },
      { event_id: events[3].id, attempts: 2, last_error: 'broker unreachable' },
      { event_id: events[4].id, attempts: 0, last_error: null },
    ]);

    transport.down = false;
    expect((await relay.runOnce()).published).toBe(2);
    expect(relay.consecutiveFailures).toBe(0);
    expect((await relay.runOnce()).published).toBe(1);
    expect(
      transport.delivered.map(m => runNumber(parseAkiliEvent(m.value))),
    ).toEqual([1, 2, 3, 4, 5]);
  });

  it('runs in the background, publishes promptly on wake, and resumes after an outage', async () => {
    const transport = new SwitchableTransport();
    const relay = OutboxRelay.create({
      db: t.db,
      transport,
      pollIntervalMs: 60_000,
      minBackoffMs: 50,
      maxBackoffMs: 200,
    });
    relay.start();
    try {
      const enqueue = (n: number) =>
        t.db.withTenant('acme', tx =>
          outbox.enqueue(t.db, tx, executionEvent('acme', 'orders', n)),
        );
      const delivered = async (count: number) => {
        const deadline = Date.now() + 10_000;
        while (transport.delivered.length < count && Date.now() < deadline) {
          await new Promise(resolve => setTimeout(resolve, 10));
        }
        return transport.delivered.length;
      };

      // The first round found nothing; the poll would wait a minute, wake does not.
      await new Promise(resolve => setTimeout(resolve, 100));
      const started = Date.now();
      await enqueue(1);
      relay.wake();
      expect(await delivered(1)).toBe(1);
      expect(Date.now() - started).toBeLessThan(2000);

      transport.down = true;
      await enqueue(2);
      await enqueue(3);
      relay.wake();
      const attempts = transport.attempts;
      await new Promise(resolve => setTimeout(resolve, 600));
      expect(transport.attempts).toBeGreaterThan(attempts + 1);
      expect(transport.delivered).toHaveLength(1);

      transport.down = false;
      expect(await delivered(3)).toBe(3);
      expect(
        transport.delivered.map(m => runNumber(parseAkiliEvent(m.value))),
      ).toEqual([1, 2, 3]);
    } finally {
      await relay.stop();
    }
  });

  it('deletes published rows older than the retention, per tenant in its own transaction', async () => {
    const [old, oldUnsent, recent, next] = [1, 2, 3, 4].map(n =>
      executionEvent('acme', 'orders', n),
    );
    const other = executionEvent('globex', 'fleet', 5);
    const { db } = t;
    for (const event of [old, oldUnsent, recent, other]) {
      await db.withTenant(event.tenant, tx => outbox.enqueue(db, tx, event));
    }
    const bus = new InProcessEventBus();
    await OutboxRelay.create({ db: t.db, transport: bus }).runOnce();
    const ago = (days: number) => new Date(Date.now() - days * 86_400_000);
    await t.db.withTenant('acme', async tx => {
      await t.db
        .scoped(tx, TABLE)
        .where({ event_id: old.id })
        .update({ sent_at: ago(8) });
      await t.db
        .scoped(tx, TABLE)
        .where({ event_id: oldUnsent.id })
        .update({ sent_at: null, created_at: ago(30) });
    });
    await t.db.withTenant('globex', tx =>
      t.db.scoped(tx, TABLE).update({ sent_at: ago(8) }),
    );

    // A restarted relay prunes a tenant with its first mark-sent.
    await t.db.withTenant('acme', tx => outbox.enqueue(t.db, tx, next));
    const relay = OutboxRelay.create({
      db: t.db,
      transport: new InProcessEventBus(),
    });
    await relay.runOnce();

    const ids = (tenant: string) =>
      t.db.withTenant(tenant, async tx =>
        (await t.db.scoped(tx, TABLE).select('event_id').orderBy('id')).map(
          (r: { event_id: string }) => r.event_id,
        ),
      );
    // oldUnsent was published again by that round (it was unsent), so it is kept as recent.
    expect(await ids('acme')).toEqual([oldUnsent.id, recent.id, next.id]);
    // Another tenant is pruned only in its own transaction, when it publishes again.
    expect(await ids('globex')).toEqual([other.id]);
  });

  it('migrates down and up', async () => {
    await akiliMigrationsV1.dropEventOutboxTable(t.knex);
    expect(await t.knex.schema.hasTable(TABLE)).toBe(false);
    await akiliMigrationsV1.createEventOutboxTable(t.knex);
    expect(await t.knex.schema.hasTable(TABLE)).toBe(true);
  });
});

const describePostgres = postgresIds.length > 0 ? describe : describe.skip;

describePostgres('event outbox row-level security on PostgreSQL', () => {
  let t: OutboxTestDatabase;
  const outbox = EventOutbox.create();

  beforeAll(async () => {
    t = await openOutboxTestDatabase(databases, postgresIds[0][0]);
    await t.db.withTenant('acme', tx =>
      outbox.enqueue(t.db, tx, executionEvent('acme', 'orders', 1)),
    );
    await t.db.withTenant('globex', tx =>
      outbox.enqueue(t.db, tx, executionEvent('globex', 'invoices', 2)),
    );
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('hides outbox rows outside withTenant from the non-owner tenant role', async () => {
    const seen = await t.knex.transaction(async tx => {
      await tx.raw('SET LOCAL ROLE ??', [t.tenantRole!]);
      const who = (await tx.raw('SELECT current_user AS u')).rows[0].u;
      return { who, rows: await tx(TABLE).select('event_id') };
    });
    expect(seen).toEqual({ who: t.tenantRole, rows: [] });

    const acme = await t.db.withTenant('acme', tx =>
      tx(TABLE).select('tenant_id'),
    );
    expect(acme).toEqual([{ tenant_id: 'acme' }]);
    // A tenant cannot mark another tenant's rows sent, even without its filter.
    expect(
      await t.db.withTenant('acme', tx =>
        tx(TABLE)
          .where({ tenant_id: 'globex' })
          .update({ sent_at: new Date() }),
      ),
    ).toBe(0);
    // Nor plant a row of another tenant, even bypassing TenantScopedDatabase.insert.
    await expect(
      t.db.withTenant('acme', tx =>
        tx(TABLE).insert({
          event_id: 'planted',
          tenant_id: 'globex',
          topic: 'akili.globex.product',
          message_key: 'k',
          payload: '{}',
        }),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('lets the platform scope read every tenant but not write', async () => {
    const rows = await t.db.withPlatformScope(tx =>
      tx(TABLE).orderBy('id').select('tenant_id'),
    );
    expect(rows).toEqual([{ tenant_id: 'acme' }, { tenant_id: 'globex' }]);
    await expect(
      t.db.withPlatformScope(tx => tx(TABLE).update({ sent_at: new Date() })),
    ).rejects.toThrow(/read-only transaction/);
  });
});
