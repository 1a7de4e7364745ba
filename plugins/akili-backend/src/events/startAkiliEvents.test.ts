import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  eventsServiceFactory,
  eventsServiceRef,
  EventParams,
} from '@backstage/plugin-events-node';
import { TenantScopedDatabase } from '@akili/plugin-akili-node';
import {
  requireTestDatabaseIds,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import request from 'supertest';
import { akiliPlugin } from '../plugin';

jest.setTimeout(60_000);

/** A plugin of the same backend that listens to Akili events through Backstage's events service. */
function listener(received: EventParams[]) {
  return createBackendPlugin({
    pluginId: 'listener',
    register(env) {
      env.registerInit({
        deps: { events: eventsServiceRef, logger: coreServices.logger },
        async init({ events }) {
          await events.subscribe({
            id: 'listener',
            topics: ['akili.tenant.created', 'akili.tenant.suspended'],
            onEvent: async params => {
              received.push(params);
            },
          });
        },
      });
    },
  });
}

async function until<T>(what: string, probe: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

describe.each(requireTestDatabaseIds())(
  'tenant events through the outbox on %s',
  databaseId => {
    const databases = TestDatabases.create({ ids: [databaseId] });

    it('publishes tenant.created and tenant.suspended to Backstage events, and nothing for a refused change', async () => {
      const received: EventParams[] = [];
      const knex = await databases.init(databaseId);
      const backend = await startTestBackend({
        features: [
          akiliPlugin,
          listener(received),
          // The real events service: one bus for all plugins (the test backend's mock is per plugin).
          eventsServiceFactory,
          userInfoFromDirectory({
            'user:default/admin': [
              'user:default/admin',
              'group:akili/platform-admin',
            ],
          }),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              akili: {
                tenants: { seed: [{ name: 'acme', title: 'ACME Retail' }] },
              },
            },
          }),
        ],
      });
      const admin = mockCredentials.user.header('user:default/admin');
      const eventsOf = (type: string, tenant: string) =>
        received.filter(
          e =>
            e.topic === `akili.${type}` &&
            (e.eventPayload as { tenant: string }).tenant === tenant,
        );

      // The seeded tenant's creation went through the outbox at start-up.
      const seeded = await until(
        'the seeded tenant event',
        () => eventsOf('tenant.created', 'acme')[0],
      );
      expect(seeded.eventPayload).toMatchObject({
        type: 'tenant.created',
        version: 1,
        tenant: 'acme',
        subject: 'tenant:acme',
        source: 'akili-backend',
        data: { tenant: 'acme', title: 'ACME Retail', createdBy: 'system' },
      });

      const created = await request(backend.server)
        .post('/api/akili/v1/tenants')
        .set('Authorization', admin)
        .send({ name: 'umbrella', title: 'Umbrella Research' });
      expect(created.status).toBe(201);
      const suspended = await request(backend.server)
        .post('/api/akili/v1/tenants/umbrella/suspend')
        .set('Authorization', admin)
        .send({ reason: 'Contract ended' });
      expect(suspended.status).toBe(200);
      const event = await until(
        'tenant.suspended of umbrella',
        () => eventsOf('tenant.suspended', 'umbrella')[0],
      );
      expect(event.eventPayload).toMatchObject({
        data: {
          tenant: 'umbrella',
          reason: 'Contract ended',
          suspendedBy: 'user:default/admin',
        },
      });
      expect(eventsOf('tenant.created', 'umbrella')).toHaveLength(1);

      // Refused changes roll back their event with them: a second create (409), a second
      // suspend (409).
      expect(
        (
          await request(backend.server)
            .post('/api/akili/v1/tenants')
            .set('Authorization', admin)
            .send({ name: 'umbrella', title: 'Again' })
        ).status,
      ).toBe(409);
      expect(
        (
          await request(backend.server)
            .post('/api/akili/v1/tenants/umbrella/suspend')
            .set('Authorization', admin)
            .send({ reason: 'Twice' })
        ).status,
      ).toBe(409);
      // Three events in the outbox, all sent (read across tenants: RLS hides them otherwise).
      const outbox = await TenantScopedDatabase.create(knex).withPlatformScope(
        tx => tx('akili_event_outbox').select('topic', 'sent_at'),
      );
      expect(outbox.map(row => row.topic)).toEqual([
        'akili.acme.tenant',
        'akili.umbrella.tenant',
        'akili.umbrella.tenant',
      ]);
      expect(outbox.every(row => row.sent_at !== null)).toBe(true);
      // Operators see the tenant's events in the outbox.
      const status = await request(backend.server)
        .get('/api/akili/v1/tenants/umbrella/events')
        .set('Authorization', admin);
      expect(status.status).toBe(200);
      expect(status.body).toEqual({
        tenant: 'umbrella',
        pending: 0,
        openDeadLetters: 0,
        topics: [
          {
            topic: 'akili.umbrella.tenant',
            total: 2,
            pending: 0,
            lastPublishedAt: expect.any(String),
            // The suspension came after the creation: it is the topic's last event.
            lastEvent: {
              id: expect.any(String),
              type: 'tenant.suspended',
              subject: 'tenant:umbrella',
            },
          },
        ],
      });
      await backend.stop();
      expect(eventsOf('tenant.created', 'umbrella')).toHaveLength(1);
      expect(eventsOf('tenant.suspended', 'umbrella')).toHaveLength(1);
    });

    it('keeps events in the outbox and shows why while the broker is unreachable', async () => {
      const knex = await databases.init(databaseId);
      const backend = await startTestBackend({
        features: [
          akiliPlugin,
          userInfoFromDirectory({
            'user:default/ops': [
              'user:default/ops',
              'group:akili/acme.operator',
            ],
            'user:default/dev': [
              'user:default/dev',
              'group:akili/acme.developer',
            ],
          }),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              akili: {
                // Nothing listens on port 1: every publish fails fast.
                events: {
                  transport: 'kafka',
                  kafka: { brokers: ['127.0.0.1:1'] },
                },
                tenants: { seed: [{ name: 'acme', title: 'ACME Retail' }] },
              },
            },
          }),
        ],
      });
      let body: any;
      for (let i = 0; i < 100; i++) {
        const res = await request(backend.server)
          .get('/api/akili/v1/tenants/acme/events')
          .set(
            'Authorization',
            mockCredentials.user.header('user:default/ops'),
          );
        expect(res.status).toBe(200);
        body = res.body;
        if (body.lastError) break;
        await new Promise(resolve => setTimeout(resolve, 200));
      }
      expect(body).toMatchObject({
        tenant: 'acme',
        pending: 1,
        oldestPendingAt: expect.any(String),
        lastError: expect.stringMatching(/\S/),
        topics: [{ topic: 'akili.acme.tenant', total: 1, pending: 1 }],
        openDeadLetters: 0,
      });
      // Operators only: a developer of the tenant is refused.
      const dev = await request(backend.server)
        .get('/api/akili/v1/tenants/acme/events')
        .set('Authorization', mockCredentials.user.header('user:default/dev'));
      expect(dev.status).toBe(403);
      await backend.stop();
    });
  },
);
