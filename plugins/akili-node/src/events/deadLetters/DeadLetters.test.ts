import {
  AkiliEvent,
  akiliDeadLetterTopic,
  akiliEventTopic,
} from '@akili/plugin-akili-common';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { TenantScopedDatabase } from '../../database/TenantScopedDatabase';
import { requireTestDatabaseIds } from '../../testUtils';
import { AKILI_EVENT_HEADERS } from '../EventOutbox';
import { InProcessEventBus } from '../InProcessEventBus';
import {
  AKILI_DEAD_LETTER_HEADERS,
  AkiliEventConsumer,
} from '../consumer/AkiliEventConsumer';
import {
  messageOf,
  migrationSource,
  processedOf,
  productRegistered,
  recordRefresh,
  refreshesOf,
  uniqueGroup,
  uniqueTenant,
} from '../consumer/__testUtils__/helpers';
import { akiliEventTopicPattern } from '../consumer/topics';
import { DeadLetterRecorder } from './DeadLetterRecorder';
import { AKILI_RETRY_OF_HEADER, DeadLetterStore } from './DeadLetterStore';
import { akiliMigrationsV1 } from '../../migrations/v1';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });
const allIds = databases.eachSupportedId();

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map(stop => stop()));
});

async function setUp(databaseId: (typeof allIds)[number][0]) {
  const knex = await databases.init(databaseId);
  await knex.migrate.latest({ migrationSource });
  await akiliMigrationsV1.createDeadLettersTable(knex);
  const db = TenantScopedDatabase.create(knex);
  const bus = new InProcessEventBus();
  const logger = mockServices.logger.mock();
  const recorder = new DeadLetterRecorder({ db, source: bus, logger });
  await recorder.start();
  stops.push(() => recorder.stop());
  const store = new DeadLetterStore({ db });
  /** A consumer whose handler fails while `broken.value` is true. */
  async function consumer(broken: { value: boolean }) {
    const c = new AkiliEventConsumer({
      groupId: uniqueGroup('refresh'),
      topics: akiliEventTopicPattern('product'),
      handler: async (event: AkiliEvent, context) => {
        if (broken.value) {
          throw new Error(`catalog refused ${event.subject}`);
        }
        await recordRefresh(db)(event, context);
      },
      db,
      source: bus,
      deadLetter: bus,
      logger,
      retryDelayMs: 1,
    });
    await c.start();
    stops.push(() => c.stop());
    return c;
  }
  /** Dead letters are delivered after the message in progress: let the bus drain. */
  const drained = async () => {
    await bus.publish([]);
    await bus.publish([]);
  };
  return { db, bus, recorder, store, consumer, drained };
}

describe('dead letters (in-process bus)', () => {
  it.each(allIds)(
    'records a dead letter in its tenant only, and a retry makes the consumer that gave up process it, %p',
    async databaseId => {
      const { db, bus, store, consumer, drained } = await setUp(databaseId);
      const tenant = uniqueTenant('a');
      const other = uniqueTenant('b');
      const broken = { value: true };
      const c = await consumer(broken);
      const event = productRegistered(tenant);

      await bus.publish([messageOf(event)]);
      await drained();

      const { items } = await store.list(tenant, { limit: 10 });
      expect(items).toEqual([
        expect.objectContaining({
          tenant,
          topic: akiliEventTopic(tenant, 'product'),
          consumerGroup: c.groupId,
          reason: 'handler-failed',
          detail: `catalog refused ${event.subject}`,
          attempts: 3,
          eventId: event.id,
          eventType: 'product.registered',
          key: event.subject,
          payload: JSON.stringify(event),
          retries: 0,
        }),
      ]);
      expect(items[0].retriedAt).toBeUndefined();
      expect(await store.countOpen(tenant)).toBe(1);
      // Another tenant sees none of it, not even by id.
      expect((await store.list(other, { limit: 10 })).items).toEqual([]);
      expect(await store.countOpen(other)).toBe(0);
      await expect(
        store.retry(other, items[0].id, { publisher: bus, actor: 'user:x' }),
      ).rejects.toThrow(NotFoundError);
      expect(await refreshesOf(db, tenant)).toEqual([]);

      broken.value = false;
      const retried = await store.retry(tenant, items[0].id, {
        publisher: bus,
        actor: 'user:default/ops',
      });
      await drained();

      expect(retried).toMatchObject({
        id: items[0].id,
        retries: 1,
        retriedBy: 'user:default/ops',
      });
      expect(Date.parse(retried.retriedAt!)).not.toBeNaN();
      // Same event id: processed once, by the group that had given up.
      expect(await refreshesOf(db, tenant)).toEqual([event.id]);
      expect(await processedOf(db, tenant, c.groupId)).toEqual([event.id]);
      expect((await store.list(tenant, { limit: 10 })).items).toEqual([]);
      expect(
        (await store.list(tenant, { limit: 10, status: 'retried' })).items,
      ).toHaveLength(1);
      expect(await store.countOpen(tenant)).toBe(0);
    },
  );

  it.each(allIds)(
    'records messages that are not events with their reason, each dead letter once, %p',
    async databaseId => {
      const { bus, recorder, store, consumer, drained } = await setUp(
        databaseId,
      );
      const tenant = uniqueTenant('a');
      const other = uniqueTenant('b');
      await consumer({ value: false });
      const topic = akiliEventTopic(tenant, 'product');
      const foreign = productRegistered(other);

      await bus.publish([
        { topic, key: 'k1', value: '{not json' },
        messageOf(foreign, topic),
      ]);
      await drained();

      const { items } = await store.list(tenant, { limit: 10 });
      expect(items.map(i => i.reason)).toEqual([
        'tenant-mismatch',
        'invalid-json',
      ]);
      expect(items[1]).toMatchObject({ key: 'k1', payload: '{not json' });
      expect(items[1].eventId).toBeUndefined();
      expect(items[1].detail).toMatch(/^not valid JSON/);
      // The event was published on the first tenant's topic: it is that tenant's dead letter.
      expect(items[0]).toMatchObject({ eventId: foreign.id, tenant });
      expect((await store.list(other, { limit: 10 })).items).toEqual([]);

      // Kafka delivers at least once: the same dead letter again is not a second one.
      const again = {
        topic: akiliDeadLetterTopic(topic),
        key: 'k1',
        value: '{not json',
        headers: {
          [AKILI_DEAD_LETTER_HEADERS.id]: items[1].id,
          [AKILI_DEAD_LETTER_HEADERS.reason]: 'invalid-json',
        },
      };
      await expect(recorder.record([again, again])).resolves.toBe(0);
      // A dead letter of another producer, without id, is recognised by its content.
      const bare = { ...again, headers: { 'x-other': '1' } };
      await expect(recorder.record([bare])).resolves.toBe(1);
      await expect(recorder.record([bare])).resolves.toBe(0);
      const recorded = (await store.list(tenant, { limit: 10 })).items;
      expect(recorded).toHaveLength(3);
      expect(recorded[0]).toMatchObject({
        reason: 'unknown',
        detail: 'The dead letter gives no detail',
      });
      // Not a tenant's dead-letter topic: nowhere to record it.
      await expect(
        recorder.record([
          { ...again, topic: 'elsewhere.dlq' },
          { ...again, topic },
        ]),
      ).resolves.toBe(0);
    },
  );

  it.each(allIds)(
    'lists newest first in pages, cuts long payloads in lists, %p',
    async databaseId => {
      const { recorder, store } = await setUp(databaseId);
      const tenant = uniqueTenant('a');
      const topic = akiliDeadLetterTopic(akiliEventTopic(tenant, 'quality'));
      const big = 'x'.repeat(20_000);
      await recorder.record(
        Array.from({ length: 5 }, (_, i) => ({
          topic,
          key: `k${i}`,
          value: i === 4 ? big : `v${i}`,
          headers: {
            [AKILI_DEAD_LETTER_HEADERS.id]: `dl-${i}`,
            [AKILI_DEAD_LETTER_HEADERS.reason]: 'invalid-json',
            [AKILI_EVENT_HEADERS.id]: `e${i}`,
          },
        })),
      );

      const first = await store.list(tenant, { limit: 2 });
      expect(first.items.map(i => i.id)).toEqual(['dl-4', 'dl-3']);
      expect(first.items[0]).toMatchObject({ payloadTruncated: true });
      expect(first.items[0].payload).toHaveLength(8000);
      const second = await store.list(tenant, {
        limit: 2,
        before: first.nextCursor,
      });
      const third = await store.list(tenant, {
        limit: 2,
        before: second.nextCursor,
      });
      expect([...second.items, ...third.items].map(i => i.id)).toEqual([
        'dl-2',
        'dl-1',
        'dl-0',
      ]);
      expect(third.nextCursor).toBeUndefined();
      expect((await store.get(tenant, 'dl-4'))?.payload).toBe(big);
      expect(await store.get(tenant, 'dl-404')).toBeUndefined();
    },
  );

  it.each(allIds)(
    'a retry that cannot publish says so and leaves the dead letter open; a retried message names its dead letter, %p',
    async databaseId => {
      const { recorder, store } = await setUp(databaseId);
      const tenant = uniqueTenant('a');
      const topic = akiliEventTopic(tenant, 'product');
      await recorder.record([
        {
          topic: akiliDeadLetterTopic(topic),
          key: 'k',
          value: '{}',
          headers: {
            [AKILI_DEAD_LETTER_HEADERS.id]: 'dl-1',
            [AKILI_DEAD_LETTER_HEADERS.reason]: 'invalid-event',
            [AKILI_DEAD_LETTER_HEADERS.detail]: '$.id: is required',
            'x-trace': 't-1',
          },
        },
      ]);

      const down = {
        publish: async () => {
          throw new Error('Connection error: connect ECONNREFUSED 127.0.0.1:1');
        },
      };
      const failing = store.retry(tenant, 'dl-1', {
        publisher: down,
        actor: 'user:default/ops',
      });
      await expect(failing).rejects.toThrow(ServiceUnavailableError);
      await expect(failing).rejects.toThrow(
        `Could not publish dead letter 'dl-1' again to topic '${topic}': Connection error: connect ECONNREFUSED 127.0.0.1:1`,
      );
      expect(await store.countOpen(tenant)).toBe(1);

      const published: unknown[] = [];
      await store.retry(tenant, 'dl-1', {
        publisher: {
          publish: async messages => void published.push(...messages),
        },
        actor: 'user:default/ops',
      });
      expect(published).toEqual([
        {
          topic,
          key: 'k',
          value: '{}',
          // The original headers, none of the dead-letter ones, and which dead letter it retries.
          headers: { 'x-trace': 't-1', [AKILI_RETRY_OF_HEADER]: 'dl-1' },
        },
      ]);
    },
  );
});
