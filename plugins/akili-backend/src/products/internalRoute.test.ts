import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  mockApiTokenHeader,
  mockApiTokenResolverFactory,
  requireTestDatabaseIds,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import { akiliPlugin } from '../plugin';

jest.setTimeout(60_000);

const directory: Record<string, string[]> = {
  'user:default/dev': ['user:default/dev', 'group:akili/acme.developer'],
  'user:default/gus': ['user:default/gus', 'group:akili/globex.developer'],
  'user:default/root': ['user:default/root', 'group:akili/platform-admin'],
};

const manifest = (
  name: string,
  namespace: string,
) => `apiVersion: akili.io/v1alpha1
kind: DataProduct
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  type: source-aligned
  lifecycle: experimental
  owner: sales
  domain: sales
  version: 1.0.0
  outputPorts:
    - name: orders
      kind: table
      location:
        table: { database: sales, table: ${name} }
      schema:
        - { name: order_id, type: string }
`;

describe.each(requireTestDatabaseIds())(
  'GET /v1/internal/products on %s',
  databaseId => {
    const databases = TestDatabases.create({ ids: [databaseId] });
    let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      ({ server } = await startTestBackend({
        features: [
          akiliPlugin,
          userInfoFromDirectory(directory),
          mockApiTokenResolverFactory([
            {
              tokenId: 'acme.ci',
              tenant: 'acme',
              permissions: ['akili.product.submit', 'akili.product.read'],
            },
          ]),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              akili: {
                tenants: {
                  seed: [
                    { name: 'acme', title: 'ACME' },
                    { name: 'globex', title: 'Globex' },
                  ],
                },
              },
            },
          }),
          catalogServiceMock.factory({ entities: [] }),
        ],
      }));
      const submit = async (tenant: string, user: string, text: string) => {
        const res = await request(server)
          .post(`/api/akili/v1/tenants/${tenant}/products`)
          .set('Authorization', mockCredentials.user.header(user))
          .set('Content-Type', 'application/yaml')
          .send(text);
        if (res.status !== 201) {
          throw new Error(`submission to ${tenant} failed: ${res.text}`);
        }
      };
      // The text claims globex; the route's tenant (acme) is where it is registered.
      await submit('acme', 'user:default/dev', manifest('orders', 'globex'));
      await submit('globex', 'user:default/gus', manifest('parcels', 'globex'));
    });

    const list = (auth: string) =>
      request(server)
        .get('/api/akili/v1/internal/products')
        .set('Authorization', auth);

    it('answers every tenant’s current manifests to a backend plugin, in the row’s tenant', async () => {
      const res = await list(
        mockCredentials.service.header({
          onBehalfOf: mockCredentials.service('plugin:catalog'),
          targetPluginId: 'akili',
        }),
      );
      expect(res.status).toBe(200);
      expect(
        res.body.products.map(
          (p: {
            entityRef: string;
            tenant: string;
            revision: number;
            manifest: any;
          }) => [
            p.entityRef,
            p.tenant,
            p.revision,
            p.manifest.metadata.namespace,
          ],
        ),
      ).toEqual([
        ['dataproduct:acme/orders', 'acme', 1, 'acme'],
        ['dataproduct:globex/parcels', 'globex', 1, 'globex'],
      ]);
    });

    it.each([
      ['a developer', mockCredentials.user.header('user:default/dev')],
      ['a platform admin', mockCredentials.user.header('user:default/root')],
      ['an API token of a tenant', mockApiTokenHeader('acme.ci')],
    ])('refuses %s (403)', async (_, auth) => {
      const res = await list(auth);
      expect(res.status).toBe(403);
      expect(res.body.products).toBeUndefined();
    });

    it('refuses a caller without credentials', async () => {
      const res = await request(server).get('/api/akili/v1/internal/products');
      // The real httpAuth answers 401; the test backend's mock treats no header as refused.
      expect([401, 403]).toContain(res.status);
      expect(res.body.products).toBeUndefined();
    });
  },
);
