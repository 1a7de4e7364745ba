import {
  AkiliEventMessage,
  akiliDeadLetterTopic,
  akiliEventTopic,
} from '@akili/plugin-akili-common';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { TenantScopedDatabase } from '../../database/TenantScopedDatabase';
import { requireTestDatabaseIds } from '../../testUtils';
import { InProcessEventBus } from '..';
import {
  AKILI_DEAD_LETTER_HEADERS,
  AkiliEventConsumer,
  AkiliEventConsumerOptions,
} from './AkiliEventConsumer';
import {
  messageOf,
  migrationSource,
  processedOf,
  productRegistered,
  recordRefresh,
  refreshesOf,
  uniqueGroup,
  uniqueTenant,
} from './__testUtils__/helpers';
import { akiliEventTopicPattern } from './topics';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });
const allIds = databases.eachSupportedId();

interface Setup {
  knex: Knex;
  db: TenantScopedDatabase;
  bus: InProcessEventBus;
  deadLetters: AkiliEventMessage[];
  consumer(
    options: Partial<AkiliEventConsumerOptions>,
  ): Promise<AkiliEventConsumer>;
}

const started: AkiliEventConsumer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map(c => c.stop()));
});

async function setUp(databaseId: (typeof allIds)[number][0]): Promise<Setup> {
  const knex = await databases.init(databaseId);
  await knex.migrate.latest({ migrationSource });
  const db = TenantScopedDatabase.create(knex);
  const bus = new InProcessEventBus();
  const deadLetters: AkiliEventMessage[] = [];
  bus.subscribe(/\.dlq$/, async message => {
    deadLetters.push(message);
  });
  return {
    knex,
    db,
    bus,
    deadLetters,
    async consumer(options) {
      const consumer = new AkiliEventConsumer({
        groupId: uniqueGroup('refresh'),
        topics: akiliEventTopicPattern('product'),
        handler: recordRefresh(db),
        db,
        source: bus,
        deadLetter: bus,
        logger: mockServices.logger.mock(),
        retryDelayMs: 1,
        ...options,
      });
      await consumer.start();
      started.push(consumer);
      return consumer;
    },
  };
}

/** The dead letters are delivered after the message in progress: wait for the bus to drain. */
async function drained(bus: InProcessEventBus) {
  await bus.publish([]);
  await bus.publish([]);
}

describe('AkiliEventConsumer with the in-process bus', () => {
  it.each(allIds)(
    'processes a valid event once, in its tenant, with a processed mark, %p',
    async databaseId => {
      const { db, bus, consumer } = await setUp(databaseId);
      const tenant = uniqueTenant();
      const other = uniqueTenant();
      const handler = jest.fn(recordRefresh(db));
      const c = await consumer({ handler });
      const event = productRegistered(tenant);

      await bus.publish([messageOf(event)]);

      expect(handler).toHaveBeenCalledTimes(1);
      expect(handler.mock.calls[0][0]).toEqual(event);
      expect(handler.mock.calls[0][1]).toMatchObject({
        tenant,
        topic: `akili.${tenant}.product`,
        attempt: 1,
      });
      expect(await refreshesOf(db, tenant)).toEqual([event.id]);
      expect(await processedOf(db, tenant, c.groupId)).toEqual([event.id]);
      // The mark is tenant data: invisible from another tenant.
      expect(await processedOf(db, other, c.groupId)).toEqual([]);
    },
  );

  it.each(allIds)(
    'prepares a batch outside its transaction and gives the handlers what it found, %p',
    async databaseId => {
      const { db, bus, consumer } = await setUp(databaseId);
      const tenant = uniqueTenant();
      const found = new WeakMap<object, string>();
      const seen: string[] = [];
      const c = await consumer({
        // Uses the database: with the batch's transaction open, SQLite's one connection would
        // be taken and this would wait for it.
        prepare: async events => {
          for (const event of events) {
            const refreshes = await refreshesOf(db, tenant);
            found.set(event, `${event.id}:${refreshes.length}`);
          }
        },
        handler: async (event, ctx) => {
          seen.push(found.get(event) ?? 'not prepared');
          await recordRefresh(db)(event, ctx);
        },
      });
      const event = productRegistered(tenant);
      await bus.publish([messageOf(event)]);
      expect(seen).toEqual([`${event.id}:0`]);

      // A failed preparation fails the batch before anything is marked: handled again later.
      const next = productRegistered(tenant);
      const failing = await consumer({
        groupId: c.groupId,
        prepare: async () => {
          throw new Error('the catalog is down');
        },
      });
      await expect(failing.handle(messageOf(next))).rejects.toThrow(
        'the catalog is down',
      );
      expect(await processedOf(db, tenant, c.groupId)).toEqual([event.id]);
      await expect(c.handle(messageOf(next))).resolves.toBe('processed');
      expect(seen).toEqual([`${event.id}:0`, `${next.id}:1`]);
    },
  );

  it.each(allIds)(
    'runs the handler once for an event delivered twice, %p',
    async databaseId => {
      const { db, bus, consumer } = await setUp(databaseId);
      const tenant = uniqueTenant();
      const handler = jest.fn(recordRefresh(db));
      const c = await consumer({ handler });
      const event = productRegistered(tenant);

      await bus.publish([messageOf(event), messageOf(event)]);
      await expect(c.handle(messageOf(event))).resolves.toBe('duplicate');

      expect(handler).toHaveBeenCalledTimes(1);
      expect(await refreshesOf(db, tenant)).toEqual([event.id]);
      expect(await processedOf(db, tenant, c.groupId)).toEqual([event.id]);
    },
  );

  it.each(allIds)(
    'processes an event id that another tenant already used: ids are unique per tenant, %p',
    async databaseId => {
      const { db, bus, consumer } = await setUp(databaseId);
      const first = uniqueTenant();
      const second = uniqueTenant();
      const handler = jest.fn(recordRefresh(db));
      const c = await consumer({ handler });
      const event = productRegistered(first);
      // Another tenant's producer reuses the id (by accident or on purpose).
      const reused = { ...productRegistered(second), id: event.id };

      await bus.publish([messageOf(event)]);
      await bus.publish([messageOf(reused)]);
      await expect(c.handle(messageOf(reused))).resolves.toBe('duplicate');

      expect(handler).toHaveBeenCalledTimes(2);
      expect(await refreshesOf(db, first)).toEqual([event.id]);
      expect(await refreshesOf(db, second)).toEqual([event.id]);
      expect(await processedOf(db, second, c.groupId)).toEqual([event.id]);
    },
  );

  it.each(allIds)(
    'dead-letters invalid JSON, invalid events and tenant mismatches, and goes on, %p',
    async databaseId => {
      const { db, bus, deadLetters, consumer } = await setUp(databaseId);
      const tenant = uniqueTenant();
      const other = uniqueTenant();
      const handler = jest.fn(recordRefresh(db));
      const c = await consumer({ handler });
      const topic = akiliEventTopic(tenant, 'product');
      const valid = productRegistered(tenant);
      const invalid = { ...productRegistered(tenant), version: 'one' };
      const foreign = productRegistered(other);

      await bus.publish([
        { topic, key: 'k1', value: '{not json', headers: { trace: 't-1' } },
        { topic, key: 'k2', value: JSON.stringify(invalid) },
        messageOf(foreign, topic),
        messageOf(valid),
      ]);
      await drained(bus);

      expect(handler).toHaveBeenCalledTimes(1);
      expect(await refreshesOf(db, tenant)).toEqual([valid.id]);
      expect(await refreshesOf(db, other)).toEqual([]);
      expect(deadLetters.map(m => m.topic)).toEqual([
        akiliDeadLetterTopic(topic),
        akiliDeadLetterTopic(topic),
        akiliDeadLetterTopic(topic),
      ]);
      const [json, schema, mismatch] = deadLetters;
      expect(json).toMatchObject({ key: 'k1', value: '{not json' });
      expect(json.headers).toMatchObject({
        trace: 't-1',
        [AKILI_DEAD_LETTER_HEADERS.reason]: 'invalid-json',
        [AKILI_DEAD_LETTER_HEADERS.originalTopic]: topic,
        [AKILI_DEAD_LETTER_HEADERS.consumerGroup]: c.groupId,
      });
      expect(json.headers![AKILI_DEAD_LETTER_HEADERS.detail]).toMatch(
        /^not valid JSON/,
      );
      expect(schema.headers).toMatchObject({
        [AKILI_DEAD_LETTER_HEADERS.reason]: 'invalid-event',
        [AKILI_DEAD_LETTER_HEADERS.originalTopic]: topic,
      });
      expect(schema.headers![AKILI_DEAD_LETTER_HEADERS.detail]).toContain(
        '$.version',
      );
      expect(mismatch.value).toBe(JSON.stringify(foreign));
      expect(mismatch.headers).toMatchObject({
        [AKILI_DEAD_LETTER_HEADERS.reason]: 'tenant-mismatch',
        [AKILI_DEAD_LETTER_HEADERS.originalTopic]: topic,
      });
      expect(mismatch.headers![AKILI_DEAD_LETTER_HEADERS.detail]).toContain(
        `topic '${topic}' is of tenant '${tenant}', the event of tenant '${other}'`,
      );
    },
  );

  it.each(allIds)(
    'dead-letters an event whose handler always fails, after maxAttempts, rolling its writes back, %p',
    async databaseId => {
      const { db, bus, deadLetters, consumer } = await setUp(databaseId);
      const tenant = uniqueTenant();
      const attempts: number[] = [];
      const c = await consumer({
        maxAttempts: 3,
        handler: async (event, ctx) => {
          attempts.push(ctx.attempt);
          await recordRefresh(db)(event, ctx);
          throw new Error(`catalog unavailable for ${event.subject}`);
        },
      });
      const event = productRegistered(tenant);
      const next = productRegistered(tenant, 'customers');

      await bus.publish([messageOf(event)]);
      await drained(bus);

      expect(attempts).toEqual([1, 2, 3]);
      expect(deadLetters).toHaveLength(1);
      expect(deadLetters[0]).toMatchObject({
        topic: akiliDeadLetterTopic(`akili.${tenant}.product`),
        value: JSON.stringify(event),
        headers: {
          [AKILI_DEAD_LETTER_HEADERS.reason]: 'handler-failed',
          [AKILI_DEAD_LETTER_HEADERS.detail]: `catalog unavailable for ${event.subject}`,
          [AKILI_DEAD_LETTER_HEADERS.attempts]: '3',
        },
      });
      // The handler's row and the processed mark were rolled back together, each time.
      expect(await refreshesOf(db, tenant)).toEqual([]);
      expect(await processedOf(db, tenant, c.groupId)).toEqual([]);

      // The consumer goes on with the next message.
      await expect(c.handle(messageOf(next))).resolves.toBe('dead-lettered');
      expect(attempts).toEqual([1, 2, 3, 1, 2, 3]);
    },
  );

  it.each(allIds)(
    'processes an event once when its handler fails once and then succeeds, %p',
    async databaseId => {
      const { db, bus, deadLetters, consumer } = await setUp(databaseId);
      const tenant = uniqueTenant();
      let calls = 0;
      const c = await consumer({
        handler: async (event, ctx) => {
          calls++;
          await recordRefresh(db)(event, ctx);
          if (ctx.attempt === 1) {
            throw new Error('transient');
          }
        },
      });
      const event = productRegistered(tenant);

      await bus.publish([messageOf(event), messageOf(event)]);
      await drained(bus);

      expect(calls).toBe(2);
      expect(deadLetters).toEqual([]);
      expect(await refreshesOf(db, tenant)).toEqual([event.id]);
      expect(await processedOf(db, tenant, c.groupId)).toEqual([event.id]);
    },
  );

  it.each(allIds)(
    'gives every event to each of two consumer groups, %p',
    async databaseId => {
      const { db, bus, consumer } = await setUp(databaseId);
      const tenant = uniqueTenant();
      const seenA: string[] = [];
      const seenB: string[] = [];
      const a = await consumer({
        handler: async event => {
          seenA.push(event.id);
        },
      });
      const b = await consumer({
        handler: async event => {
          seenB.push(event.id);
        },
      });
      const events = [
        productRegistered(tenant),
        productRegistered(tenant, 'customers'),
      ];

      await bus.publish(events.map(e => messageOf(e)));
      await bus.publish(events.map(e => messageOf(e)));

      const ids = events.map(e => e.id);
      expect(seenA).toEqual(ids);
      expect(seenB).toEqual(ids);
      expect(await processedOf(db, tenant, a.groupId)).toEqual([...ids].sort());
      expect(await processedOf(db, tenant, b.groupId)).toEqual([...ids].sort());
    },
  );

  it.each(allIds)(
    'consumes only its topics and stops on stop(), %p',
    async databaseId => {
      const { db, bus, consumer } = await setUp(databaseId);
      const tenant = uniqueTenant();
      const handler = jest.fn(recordRefresh(db));
      const c = await consumer({
        handler,
        topics: [akiliEventTopic(tenant, 'product')],
      });
      const event = productRegistered(tenant);

      await bus.publish([messageOf(event, akiliEventTopic(tenant, 'quality'))]);
      expect(handler).not.toHaveBeenCalled();
      await bus.publish([messageOf(event)]);
      expect(handler).toHaveBeenCalledTimes(1);

      await c.stop();
      await bus.publish([messageOf(productRegistered(tenant, 'customers'))]);
      expect(handler).toHaveBeenCalledTimes(1);
    },
  );
});

describe('AkiliEventConsumer processed marks', () => {
  it.each(allIds)(
    'deletes its marks older than the retention, in the tenant transaction of a batch, %p',
    async databaseId => {
      const { db, consumer } = await setUp(databaseId);
      const tenant = uniqueTenant();
      const [old, recent, next] = ['old', 'recent', 'next'].map(name =>
        productRegistered(tenant, name),
      );
      const groupId = uniqueGroup('retention');
      const first = await consumer({ groupId });
      await first.handleBatch([messageOf(old), messageOf(recent)]);
      await first.stop();
      const other = await consumer({ groupId: uniqueGroup('other') });
      await other.handleBatch([messageOf(old)]);
      await db.withTenant(tenant, tx =>
        db
          .scoped(tx, 'akili_processed_events')
          .where({ event_id: old.id })
          .update({ processed_at: new Date(Date.now() - 15 * 86_400_000) }),
      );

      // A restarted consumer of the group prunes with the tenant's first batch.
      const restarted = await consumer({ groupId });
      await restarted.handleBatch([messageOf(next)]);

      expect(await processedOf(db, tenant, groupId)).toEqual(
        [recent.id, next.id].sort(),
      );
      // Another group's marks are its own to prune.
      expect(await processedOf(db, tenant, other.groupId)).toEqual([old.id]);
    },
  );
});

describe('AkiliEventConsumer.handleBatch', () => {
  it.each(allIds)(
    'runs a batch of valid events without savepoints, and again event by event when one fails, %p',
    async databaseId => {
      const { db, bus, deadLetters, consumer } = await setUp(databaseId);
      const tenant = uniqueTenant();
      const [a, poison, b] = ['a', 'poison', 'b'].map(name =>
        productRegistered(tenant, name),
      );
      for (const maxAttempts of [2, 1]) {
        const calls: string[] = [];
        const c = await consumer({
          maxAttempts,
          handler: async (event, ctx) => {
            calls.push(
              `${String(event.data.product).split('/')[1]}#${ctx.attempt}`,
            );
            await recordRefresh(db)(event, ctx);
            if (event.id === poison.id) {
              throw new Error(`refused (${maxAttempts})`);
            }
          },
        });
        deadLetters.length = 0;

        const outcomes = await c.handleBatch(
          [a, poison, b].map(e => messageOf(e)),
        );
        await drained(bus);

        expect(outcomes).toEqual(['processed', 'dead-lettered', 'processed']);
        // The fast path ran a and poison (its first attempt); the careful one a again, poison's
        // remaining attempts, then b.
        expect(calls).toEqual(
          maxAttempts === 2
            ? ['a#1', 'poison#1', 'a#1', 'poison#2', 'b#1']
            : ['a#1', 'poison#1', 'a#1', 'b#1'],
        );
        expect(await processedOf(db, tenant, c.groupId)).toEqual(
          [a.id, b.id].sort(),
        );
        expect(deadLetters).toHaveLength(1);
        expect(deadLetters[0].headers).toMatchObject({
          [AKILI_DEAD_LETTER_HEADERS.detail]: `refused (${maxAttempts})`,
          [AKILI_DEAD_LETTER_HEADERS.attempts]: String(maxAttempts),
        });
      }
      // Two groups, each wrote a and b once: the fast path's writes were rolled back.
      expect(await refreshesOf(db, tenant)).toEqual(
        [a.id, a.id, b.id, b.id].sort(),
      );
    },
  );

  it.each(allIds)(
    'handles a batch in one transaction, rolling back and dead-lettering only the failing event, %p',
    async databaseId => {
      const { db, bus, deadLetters, consumer } = await setUp(databaseId);
      const tenant = uniqueTenant();
      const topic = akiliEventTopic(tenant, 'product');
      const [earlier, first, poison, flaky, last] = [
        'earlier',
        'first',
        'poison',
        'flaky',
        'last',
      ].map(name => productRegistered(tenant, name));
      const calls: string[] = [];
      const transactions = new Set<Knex.Transaction>();
      const c = await consumer({
        maxAttempts: 3,
        handler: async (event, ctx) => {
          calls.push(`${event.data.product}#${ctx.attempt}`);
          transactions.add(ctx.tx);
          await recordRefresh(db)(event, ctx);
          if (event.id === poison.id) {
            throw new Error('catalog refresh refused');
          }
          if (event.id === flaky.id && ctx.attempt === 1) {
            throw new Error('transient');
          }
        },
      });
      await expect(c.handle(messageOf(earlier))).resolves.toBe('processed');
      transactions.clear();
      calls.length = 0;

      const outcomes = await c.handleBatch([
        messageOf(first),
        messageOf(earlier),
        messageOf(first),
        { topic, key: 'k', value: '{not json' },
        messageOf(poison),
        messageOf(flaky),
        messageOf(last),
      ]);
      await drained(bus);

      expect(outcomes).toEqual([
        'processed',
        'duplicate',
        'duplicate',
        'dead-lettered',
        'dead-lettered',
        'processed',
        'processed',
      ]);
      const product = (name: string) => `dataproduct:${tenant}/${name}`;
      expect(calls).toEqual([
        `${product('first')}#1`,
        `${product('poison')}#1`,
        `${product('poison')}#2`,
        `${product('poison')}#3`,
        `${product('flaky')}#1`,
        `${product('flaky')}#2`,
        `${product('last')}#1`,
      ]);
      // One transaction for the whole batch.
      expect(transactions.size).toBe(1);
      const kept = [earlier.id, first.id, flaky.id, last.id].sort();
      expect(await refreshesOf(db, tenant)).toEqual(kept);
      expect(await processedOf(db, tenant, c.groupId)).toEqual(kept);
      expect(
        deadLetters.map(d => d.headers![AKILI_DEAD_LETTER_HEADERS.reason]),
      ).toEqual(['invalid-json', 'handler-failed']);
      expect(deadLetters[1].value).toBe(messageOf(poison).value);
    },
  );

  it.each(allIds)(
    'opens one transaction per topic of a batch, each in its tenant, %p',
    async databaseId => {
      const { db, consumer } = await setUp(databaseId);
      const [one, two] = [uniqueTenant(), uniqueTenant()];
      const tenants: string[] = [];
      const c = await consumer({
        handler: async (event, ctx) => {
          tenants.push(db.tenantOf(ctx.tx));
          await recordRefresh(db)(event, ctx);
        },
      });
      const events = [one, one, two, one].map(t => productRegistered(t));

      await expect(
        c.handleBatch(events.map(e => messageOf(e))),
      ).resolves.toEqual(['processed', 'processed', 'processed', 'processed']);

      expect(tenants).toEqual([one, one, two, one]);
      expect(await refreshesOf(db, one)).toEqual(
        [events[0].id, events[1].id, events[3].id].sort(),
      );
      expect(await refreshesOf(db, two)).toEqual([events[2].id]);
    },
  );

  it.each(allIds.filter(([id]) => id.startsWith('POSTGRES')))(
    'rolls back only the event whose handler broke the transaction, %p',
    async databaseId => {
      const { db, bus, deadLetters, consumer } = await setUp(databaseId);
      const tenant = uniqueTenant();
      const [first, breaker, last] = ['first', 'breaker', 'last'].map(name =>
        productRegistered(tenant, name),
      );
      const c = await consumer({
        handler: async (event, ctx) => {
          await recordRefresh(db)(event, ctx);
          if (event.id === breaker.id) {
            // A failed statement the handler swallows: PostgreSQL aborts the transaction; only
            // a rollback to the event's savepoint saves the rest of the batch.
            await ctx.tx.raw('SELECT * FROM no_such_table').catch(() => {});
          }
        },
      });

      await expect(
        c.handleBatch([messageOf(first), messageOf(breaker), messageOf(last)]),
      ).resolves.toEqual(['processed', 'dead-lettered', 'processed']);
      await drained(bus);

      const kept = [first.id, last.id].sort();
      expect(await refreshesOf(db, tenant)).toEqual(kept);
      expect(await processedOf(db, tenant, c.groupId)).toEqual(kept);
      expect(deadLetters).toHaveLength(1);
      expect(deadLetters[0].headers![AKILI_DEAD_LETTER_HEADERS.detail]).toMatch(
        /current transaction is aborted/,
      );
    },
  );
});

describe('AkiliEventConsumer options', () => {
  it('refuses a group id not of the form akili.<plugin>.<purpose>', () => {
    const db = {} as TenantScopedDatabase;
    const bus = new InProcessEventBus();
    const base = {
      topics: /x/,
      handler: async () => {},
      db,
      source: bus,
      deadLetter: bus,
      logger: mockServices.logger.mock(),
    };
    expect(
      () => new AkiliEventConsumer({ ...base, groupId: 'catalog' }),
    ).toThrow(/akili\.<plugin>\.<purpose>/);
    expect(
      () =>
        new AkiliEventConsumer({ ...base, groupId: 'akili.catalog.refresh' }),
    ).not.toThrow();
  });

  it('matches per-tenant topics, never dead-letter topics', () => {
    const pattern = akiliEventTopicPattern('product');
    expect(pattern.test('akili.acme.product')).toBe(true);
    expect(pattern.test('akili.acme.quality')).toBe(false);
    expect(pattern.test('akili.acme.product.dlq')).toBe(false);
    expect(akiliEventTopicPattern().test('akili.acme.quality')).toBe(true);
    expect(
      akiliEventTopicPattern('product', 'redpanda.{tenant}.events').test(
        'redpanda.acme.events',
      ),
    ).toBe(true);
  });
});
