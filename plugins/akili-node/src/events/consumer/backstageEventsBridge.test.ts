import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import {
  DefaultEventsService,
  EventParams,
} from '@backstage/plugin-events-node';
import { TenantScopedDatabase } from '../../database/TenantScopedDatabase';
import { requireTestDatabaseIds } from '../../testUtils';
import { InProcessEventBus } from '..';
import {
  AKILI_BACKSTAGE_BRIDGE_GROUP_ID,
  akiliBackstageEventsTopic,
  bridgeToBackstageEvents,
} from './backstageEventsBridge';
import {
  messageOf,
  migrationSource,
  processedOf,
  productRegistered,
  uniqueTenant,
} from './__testUtils__/helpers';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });

describe('bridgeToBackstageEvents', () => {
  it.each(databases.eachSupportedId())(
    "republishes each Akili event once to Backstage's events service as akili.<type>, %p",
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ migrationSource });
      const db = TenantScopedDatabase.create(knex);
      const bus = new InProcessEventBus();
      const logger = mockServices.logger.mock();
      const events = DefaultEventsService.create({ logger });

      // What, for example, the catalog module does to refresh a product on registration.
      const received: EventParams[] = [];
      await events.subscribe({
        id: 'catalog-akili-refresh',
        topics: ['akili.product.registered'],
        onEvent: async params => {
          received.push(params);
        },
      });
      const others: EventParams[] = [];
      await events.subscribe({
        id: 'other',
        topics: ['akili.product.deployed'],
        onEvent: async params => {
          others.push(params);
        },
      });

      const bridge = bridgeToBackstageEvents(events, {
        db,
        source: bus,
        deadLetter: bus,
        logger,
      });
      expect(bridge.groupId).toBe(AKILI_BACKSTAGE_BRIDGE_GROUP_ID);
      await bridge.start();
      try {
        const tenant = uniqueTenant();
        const event = productRegistered(tenant);
        await bus.publish([messageOf(event), messageOf(event)]);

        expect(akiliBackstageEventsTopic(event.type)).toBe(
          'akili.product.registered',
        );
        // Published after the consumer's transaction, so wait for it.
        for (let i = 0; i < 100 && received.length === 0; i++) {
          await new Promise(resolve => setTimeout(resolve, 20));
        }
        await new Promise(resolve => setTimeout(resolve, 100));
        expect(received).toHaveLength(1);
        expect(received[0]).toEqual({
          topic: 'akili.product.registered',
          eventPayload: event,
          metadata: {
            'akili-event-id': event.id,
            'akili-event-type': 'product.registered',
            'akili-event-version': '1',
            'akili-tenant': tenant,
            'akili-subject': event.subject,
          },
        });
        expect(others).toEqual([]);
        expect(
          await processedOf(db, tenant, AKILI_BACKSTAGE_BRIDGE_GROUP_ID),
        ).toEqual([event.id]);
      } finally {
        await bridge.stop();
      }
    },
  );
});
