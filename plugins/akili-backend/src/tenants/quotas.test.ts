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
  AKILI_TENANT_QUOTAS_CACHE_MS,
  akiliTenantQuotasServiceRef,
  createAkiliTenantQuotasServiceFactory,
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
 * Another plugin of the same backend (like the query plugin): it reads a tenant's quotas from the
 * control plane (`/v1/internal/tenant-status`), over HTTP, with its service credentials, cached.
 */
const otherPlugin = createBackendPlugin({
  pluginId: 'other',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        quotas: akiliTenantQuotasServiceRef,
      },
      async init({ httpRouter, quotas }) {
        const router = express.Router();
        router.get('/quotas/:tenant', (req, res, next) => {
          quotas
            .quotas(req.params.tenant)
            .then(found => res.json({ quotas: found ?? null }))
            .catch(next);
        });
        httpRouter.use(router);
        httpRouter.addAuthPolicy({ path: '/quotas', allow: 'unauthenticated' });
      },
    });
  },
});

describe.each(requireTestDatabaseIds())('tenant quotas on %s', databaseId => {
  const databases = TestDatabases.create({ ids: [databaseId] });

  it("gives another plugin an operator's changed quotas after the cache, and nothing for an unknown tenant", async () => {
    let now = Date.now();
    const { server } = await startTestBackend({
      features: [
        akiliPlugin,
        otherPlugin,
        // The real quotas client of every plugin, with a clock the test moves.
        createAkiliTenantQuotasServiceFactory({ now: () => now }),
        userInfoFromDirectory({
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
            akili: {
              tenants: {
                seed: [
                  {
                    name: 'acme',
                    title: 'ACME',
                    quotas: { queryRowLimit: 100 },
                  },
                ],
              },
            },
          },
        }),
      ],
    });
    const quotasOf = async (tenant: string) => {
      const res = await request(server).get(`/api/other/quotas/${tenant}`);
      expect(res.status).toBe(200);
      return res.body.quotas;
    };

    expect(await quotasOf('acme')).toEqual({
      queryRowLimit: 100,
      maxConcurrentQueries: 4,
    });
    expect(await quotasOf('initech')).toBeNull();

    const changed = await request(server)
      .patch('/api/akili/v1/tenants/acme')
      .set('Authorization', mockCredentials.user.header('user:default/admin'))
      .send({ quotas: { queryRowLimit: 5, maxConcurrentQueries: 1 } });
    expect(changed.status).toBe(200);

    // Within the cache window the plugin still has the former quotas ...
    now += AKILI_TENANT_QUOTAS_CACHE_MS - 1_000;
    expect((await quotasOf('acme')).queryRowLimit).toBe(100);
    // ... and not a look-up longer.
    now += 1_000;
    expect(await quotasOf('acme')).toEqual({
      queryRowLimit: 5,
      maxConcurrentQueries: 1,
    });
  });
});
