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
import { akiliProductReadPermission } from '@akili/plugin-akili-common';
import {
  AKILI_TENANT_STATUS_CACHE_MS,
  createAkiliTenantStatusServiceFactory,
  tenancyServiceRef,
} from '@akili/plugin-akili-node';
import {
  requireTestDatabaseIds,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import express from 'express';
import request from 'supertest';
import { akiliPlugin } from '../plugin';

jest.setTimeout(60_000);

/**
 * Another Akili plugin of the same backend: its authorization path reads the tenant status from
 * the control plane (`/v1/internal/tenant-status`), over HTTP, cached.
 */
const otherPlugin = createBackendPlugin({
  pluginId: 'other',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter, tenancy: tenancyServiceRef },
      async init({ httpRouter, tenancy }) {
        const router = express.Router();
        router.get('/tenants/:tenant/things', (req, res, next) => {
          tenancy
            .authorize(req, {
              tenant: req.params.tenant,
              permission: akiliProductReadPermission,
            })
            .then(({ tenant }) => res.json({ tenant }))
            .catch(next);
        });
        httpRouter.use(router);
      },
    });
  },
});

describe.each(requireTestDatabaseIds())('suspension on %s', databaseId => {
  const databases = TestDatabases.create({ ids: [databaseId] });

  it('refuses a suspended tenant’s member on the next request of another plugin after the status cache, and at once in the control plane', async () => {
    let now = Date.now();
    const { server } = await startTestBackend({
      features: [
        akiliPlugin,
        otherPlugin,
        // The real status client of every plugin, with a clock the test moves.
        createAkiliTenantStatusServiceFactory({ now: () => now }),
        userInfoFromDirectory({
          'user:default/alice': [
            'user:default/alice',
            'group:akili/acme.developer',
          ],
          'user:default/admin': [
            'user:default/admin',
            'group:akili/platform-admin',
          ],
        }),
        mockServices.database.factory({
          knex: await databases.init(databaseId),
        }),
        mockServices.rootConfig.factory({
          data: {
            akili: { tenants: { seed: [{ name: 'acme', title: 'ACME' }] } },
          },
        }),
      ],
    });
    const as = (user: string, path: string) =>
      request(server)
        .get(path)
        .set(
          'Authorization',
          mockCredentials.user.header(`user:default/${user}`),
        );
    const other = (user = 'alice') =>
      as(user, '/api/other/tenants/acme/things');

    expect((await other()).status).toBe(200);
    const suspended = await request(server)
      .post('/api/akili/v1/tenants/acme/suspend')
      .set('Authorization', mockCredentials.user.header('user:default/admin'))
      .send({ reason: 'Unpaid invoice' });
    expect(suspended.status).toBe(200);

    // The control plane reads its own store: at once.
    const own = await as('alice', '/api/akili/v1/tenants/acme');
    expect(own.status).toBe(403);
    expect(own.body.error.message).toBe("Tenant 'acme' is suspended");

    // Another plugin within the cache window still has the former status ...
    now += AKILI_TENANT_STATUS_CACHE_MS - 1_000;
    expect((await other()).status).toBe(200);
    // ... and not a request longer.
    now += 1_000;
    const refused = await other();
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe("Tenant 'acme' is suspended");
    // Platform admins still manage a suspended tenant.
    expect((await other('admin')).status).toBe(200);

    await request(server)
      .post('/api/akili/v1/tenants/acme/resume')
      .set('Authorization', mockCredentials.user.header('user:default/admin'))
      .expect(200);
    now += AKILI_TENANT_STATUS_CACHE_MS;
    expect((await other()).status).toBe(200);
  });
});
