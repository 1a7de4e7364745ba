import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  akiliEventBusServiceRef,
  InProcessEventBus,
} from '@akili/plugin-akili-node';
import {
  requireTestDatabaseIds,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import request from 'supertest';
import { akiliPlugin } from '../plugin';

jest.setTimeout(60_000);

const directory: Record<string, string[]> = {
  'user:default/olga': ['user:default/olga', 'group:akili/acme.operator'],
  'user:default/alice': ['user:default/alice', 'group:akili/acme.developer'],
  'user:default/gus': ['user:default/gus', 'group:akili/globex.operator'],
  'user:default/admin': ['user:default/admin', 'group:akili/platform-admin'],
};

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

describe.each(requireTestDatabaseIds())(
  'dead letters of the control plane on %s',
  databaseId => {
    const databases = TestDatabases.create({ ids: [databaseId] });

    async function start() {
      const knex = await databases.init(databaseId);
      const bus = new InProcessEventBus();
      const { server } = await startTestBackend({
        features: [
          akiliPlugin,
          createServiceFactory({
            service: akiliEventBusServiceRef,
            deps: {},
            factory: () => bus,
          }),
          userInfoFromDirectory(directory),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              akili: {
                tenants: {
                  seed: [
                    { name: 'acme', title: 'ACME Retail' },
                    { name: 'globex', title: 'Globex Logistics' },
                  ],
                },
              },
            },
          }),
        ],
      });
      const as = (user: string) =>
        mockCredentials.user.header(`user:default/${user}`);
      const api = {
        get: (path: string, user: string) =>
          request(server)
            .get(`/api/akili${path}`)
            .set('Authorization', as(user)),
        post: (path: string, user: string) =>
          request(server)
            .post(`/api/akili${path}`)
            .set('Authorization', as(user)),
      };
      return { bus, api };
    }

    it('lists what a consumer gave up on to the tenant operators only, and retries it', async () => {
      const { bus, api } = await start();
      // Not an event: the control plane's own consumer (the bridge) dead-letters it, the recorder
      // records it for acme.
      await bus.publish([
        {
          topic: 'akili.acme.product',
          key: 'dataproduct:acme/orders',
          value: '{oops',
        },
      ]);
      const [deadLetter] = await until('the dead letter', async () => {
        const res = await api.get('/v1/tenants/acme/dead-letters', 'olga');
        return res.body.items?.length ? res.body.items : undefined;
      });
      expect(deadLetter).toMatchObject({
        tenant: 'acme',
        topic: 'akili.acme.product',
        consumerGroup: 'akili.events.backstage-bridge',
        reason: 'invalid-json',
        key: 'dataproduct:acme/orders',
        payload: '{oops',
        retries: 0,
      });
      const status = await api.get('/v1/tenants/acme/events', 'olga');
      expect(status.body.openDeadLetters).toBe(1);

      // Not an operator of acme: a developer is refused, another tenant's operator sees no tenant.
      const developer = await api.get('/v1/tenants/acme/dead-letters', 'alice');
      expect(developer.status).toBe(403);
      expect(developer.body.error.message).toBe(
        "user:default/alice needs role operator in tenant 'acme' for akili.tenant.operate",
      );
      expect(
        (await api.get('/v1/tenants/acme/dead-letters', 'gus')).status,
      ).toBe(404);
      const own = await api.get('/v1/tenants/globex/dead-letters', 'gus');
      expect(own.status).toBe(200);
      expect(own.body.items).toEqual([]);
      // Guessing the id through the own tenant finds nothing, and changes nothing.
      const guessed = await api.post(
        `/v1/tenants/globex/dead-letters/${deadLetter.id}/retry`,
        'gus',
      );
      expect(guessed.status).toBe(404);
      expect(guessed.body.error.message).toBe(
        `No dead letter '${deadLetter.id}' in tenant 'globex'`,
      );
      // Another tenant's dead letter answers exactly as one in a tenant that does not exist.
      const foreign = await api.post(
        `/v1/tenants/acme/dead-letters/${deadLetter.id}/retry`,
        'gus',
      );
      expect(foreign.status).toBe(404);
      expect(foreign.body.error).toEqual({
        name: 'NotFoundError',
        message: `No dead letter '${deadLetter.id}' in tenant 'acme'`,
      });
      const missing = await api.post(
        `/v1/tenants/nowhere/dead-letters/${deadLetter.id}/retry`,
        'gus',
      );
      expect(missing.status).toBe(404);
      expect(missing.body.error).toEqual({
        name: 'NotFoundError',
        message: `No dead letter '${deadLetter.id}' in tenant 'nowhere'`,
      });
      expect(
        (
          await api.post(
            `/v1/tenants/acme/dead-letters/${deadLetter.id}/retry`,
            'alice',
          )
        ).status,
      ).toBe(403);

      const bad = await api.get(
        '/v1/tenants/acme/dead-letters?status=lost',
        'olga',
      );
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(
        /^request\/query\/status must be equal to one of the allowed values: open, retried, all$/,
      );

      const retried = await api.post(
        `/v1/tenants/acme/dead-letters/${deadLetter.id}/retry`,
        'olga',
      );
      expect(retried.status).toBe(200);
      expect(retried.body).toMatchObject({
        id: deadLetter.id,
        retries: 1,
        retriedBy: 'user:default/olga',
      });
      // The publish went outside the database: its intent before, its outcome after.
      const audit = await api.get('/v1/tenants/acme/audit', 'olga');
      expect(audit.body.items.slice(0, 2)).toEqual([
        expect.objectContaining({
          action: 'dead-letter.retried',
          actor: 'user:default/olga',
          details: {
            deadLetterId: deadLetter.id,
            topic: 'akili.acme.product',
          },
        }),
        expect.objectContaining({
          action: 'dead-letter.retry-requested',
          actor: 'user:default/olga',
          details: {
            deadLetterId: deadLetter.id,
            topic: 'akili.acme.product',
          },
        }),
      ]);
      // Still not JSON: the bridge gives up on it again, a new dead letter is open.
      const [again] = await until('the second dead letter', async () => {
        const res = await api.get('/v1/tenants/acme/dead-letters', 'olga');
        return res.body.items?.length ? res.body.items : undefined;
      });
      expect(again.id).not.toBe(deadLetter.id);
      const history = await api.get(
        '/v1/tenants/acme/dead-letters?status=retried',
        'olga',
      );
      expect(history.body.items.map((d: { id: string }) => d.id)).toEqual([
        deadLetter.id,
      ]);
      expect(
        (await api.get('/v1/tenants/globex/events', 'gus')).body
          .openDeadLetters,
      ).toBe(0);
    });

    it('audits a retry whose publish fails: its intent before, its failure after, and marks nothing', async () => {
      const { bus, api } = await start();
      await bus.publish([
        {
          topic: 'akili.acme.product',
          key: 'dataproduct:acme/orders',
          value: '{oops',
        },
      ]);
      const [deadLetter] = await until('the dead letter', async () => {
        const res = await api.get('/v1/tenants/acme/dead-letters', 'olga');
        return res.body.items?.length ? res.body.items : undefined;
      });
      // The broker goes down for the retry's publish.
      const publish = jest
        .spyOn(bus, 'publish')
        .mockRejectedValueOnce(new Error('broker down'));

      const retry = await api.post(
        `/v1/tenants/acme/dead-letters/${deadLetter.id}/retry`,
        'olga',
      );
      expect(retry.status).toBe(503);
      expect(retry.body.error.message).toBe(
        `Could not publish dead letter '${deadLetter.id}' again to topic 'akili.acme.product': broker down`,
      );
      expect(publish).toHaveBeenCalledTimes(1);
      const audit = await api.get('/v1/tenants/acme/audit', 'olga');
      const details = {
        deadLetterId: deadLetter.id,
        topic: 'akili.acme.product',
      };
      expect(audit.body.items.slice(0, 2)).toEqual([
        expect.objectContaining({
          action: 'dead-letter.retry-failed',
          actor: 'user:default/olga',
          details: {
            ...details,
            error: `Could not publish dead letter '${deadLetter.id}' again to topic 'akili.acme.product': broker down`,
          },
        }),
        expect.objectContaining({
          action: 'dead-letter.retry-requested',
          actor: 'user:default/olga',
          details,
        }),
      ]);
      const open = await api.get('/v1/tenants/acme/dead-letters', 'olga');
      expect(open.body.items).toEqual([
        expect.objectContaining({ id: deadLetter.id, retries: 0 }),
      ]);
    });
  },
);
