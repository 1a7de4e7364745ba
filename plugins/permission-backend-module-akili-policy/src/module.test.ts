import request from 'supertest';
import {
  BackstageUserPrincipal,
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import permissionPlugin from '@backstage/plugin-permission-backend';
import permissionModuleAkiliPolicy from '.';
import { authKeepingActor } from '@akili/plugin-akili-node/testUtils';

jest.setTimeout(60_000);

const component = (namespace: string, name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    namespace,
    name,
    annotations: {
      'backstage.io/managed-by-location': 'url:https://test/entities.yaml',
      'backstage.io/managed-by-origin-location':
        'url:https://test/entities.yaml',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'group:platform' },
});

const ENTITIES = [
  component('acme', 'orders-api'),
  component('acme', 'customers-api'),
  component('globex', 'fleet-api'),
  component('default', 'portal'),
  {
    ...component('default', 'sales'),
    kind: 'Domain',
    spec: { owner: 'group:platform' },
  },
  // No namespace at all: the catalog treats it as `default`.
  {
    ...component('default', 'no-namespace'),
    metadata: {
      ...component('default', 'no-namespace').metadata,
      namespace: undefined,
    },
  },
];

/** Ownership refs per user, as the Akili sign-in resolver would put them in the token. */
const ROLES: Record<string, string[]> = {
  'user:default/ann': ['group:akili/acme.developer'],
  'user:default/otto': ['group:akili/acme.operator'],
  'user:default/root': ['group:akili/platform-admin'],
  'user:default/nobody': [],
};

const testEntities = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'akili-policy-test-entities',
  register(reg) {
    reg.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addEntityProvider({
          getProviderName: () => 'akili-policy-test',
          connect: async connection =>
            connection.applyMutation({
              type: 'full',
              entities: ENTITIES.map(entity => ({
                entity,
                locationKey: 'akili-policy-test',
              })),
            }),
        });
      },
    });
  },
});

const userInfoFromRoles = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials) {
      const { userEntityRef } = credentials.principal as BackstageUserPrincipal;
      return {
        userEntityRef,
        ownershipEntityRefs: [userEntityRef, ...(ROLES[userEntityRef] ?? [])],
      };
    },
  }),
});

describe('the Akili policy in a real catalog and permission backend', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

  const as = (user: string) => ({
    get: (url: string) =>
      request(server)
        .get(url)
        .set('Authorization', mockCredentials.user.header(user)),
    post: (url: string, body: object) =>
      request(server)
        .post(url)
        .set('Authorization', mockCredentials.user.header(user))
        .send(body),
  });

  const refsOf = (entities: Entity[]) =>
    entities
      .map(
        e =>
          `${e.kind.toLocaleLowerCase('en-US')}:${
            e.metadata.namespace ?? 'default'
          }/${e.metadata.name}`,
      )
      .sort();

  const ALL = [
    'component:acme/customers-api',
    'component:acme/orders-api',
    'component:default/no-namespace',
    'component:default/portal',
    'component:globex/fleet-api',
    'domain:default/sales',
  ];
  const SHARED = [
    'component:default/no-namespace',
    'component:default/portal',
    'domain:default/sales',
  ];
  const ACME_AND_SHARED = [
    'component:acme/customers-api',
    'component:acme/orders-api',
    ...SHARED,
  ].sort();

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        catalogPlugin,
        testEntities,
        permissionPlugin,
        permissionModuleAkiliPolicy,
        userInfoFromRoles,
        authKeepingActor,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            catalog: {
              processingInterval: { seconds: 1 },
              rules: [{ allow: ['Component', 'Domain'] }],
            },
          },
        }),
      ],
    }));

    // Wait until the provider's entities are processed and stitched.
    const deadline = Date.now() + 45_000;
    for (;;) {
      const res = await as('user:default/root').get('/api/catalog/entities');
      if (res.status === 200 && res.body.length === ALL.length) break;
      if (res.status !== 200) throw new Error(`${res.status} ${res.text}`);
      if (Date.now() > deadline) {
        throw new Error(
          `entities not ingested: ${JSON.stringify(res.headers)} ${res.text}`,
        );
      }
      await new Promise(r => setTimeout(r, 200));
    }
  });

  it('shows an admin every entity', async () => {
    const res = await as('user:default/root').get('/api/catalog/entities');
    expect(refsOf(res.body)).toEqual(ALL);
  });

  it('shows an acme developer acme and shared entities in /entities', async () => {
    const res = await as('user:default/ann').get('/api/catalog/entities');
    expect(res.status).toBe(200);
    expect(refsOf(res.body)).toEqual(ACME_AND_SHARED);

    // Even when asking for globex explicitly.
    const filtered = await as('user:default/ann').get(
      '/api/catalog/entities?filter=metadata.namespace=globex',
    );
    expect(filtered.body).toEqual([]);
  });

  it('filters /entities/by-query, including its total count', async () => {
    const res = await as('user:default/ann').get(
      '/api/catalog/entities/by-query?limit=100',
    );
    expect(res.status).toBe(200);
    expect(refsOf(res.body.items)).toEqual(ACME_AND_SHARED);
    expect(res.body.totalItems).toBe(ACME_AND_SHARED.length);

    const search = await as('user:default/ann').get(
      '/api/catalog/entities/by-query?fullTextFilterTerm=fleet',
    );
    expect(search.body.items).toEqual([]);
  });

  it('filters /entity-facets', async () => {
    const res = await as('user:default/ann').get(
      '/api/catalog/entity-facets?facet=metadata.namespace&facet=metadata.name',
    );
    expect(res.status).toBe(200);
    const namespaces = res.body.facets['metadata.namespace'];
    expect(
      Object.fromEntries(
        namespaces.map((f: { value: string; count: number }) => [
          f.value,
          f.count,
        ]),
      ),
    ).toEqual({ acme: 2, default: 3 });
    expect(
      res.body.facets['metadata.name'].map((f: { value: string }) => f.value),
    ).not.toContain('fleet-api');

    const admin = await as('user:default/root').get(
      '/api/catalog/entity-facets?facet=metadata.namespace',
    );
    expect(
      admin.body.facets['metadata.namespace'].map(
        (f: { value: string }) => f.value,
      ),
    ).toContain('globex');
  });

  it('answers 404 for a globex entity by name and null in by-refs', async () => {
    const acme = await as('user:default/ann').get(
      '/api/catalog/entities/by-name/component/acme/orders-api',
    );
    expect(acme.status).toBe(200);
    const globex = await as('user:default/ann').get(
      '/api/catalog/entities/by-name/component/globex/fleet-api',
    );
    expect(globex.status).toBe(404);
    const adminGlobex = await as('user:default/root').get(
      '/api/catalog/entities/by-name/component/globex/fleet-api',
    );
    expect(adminGlobex.status).toBe(200);

    const byRefs = await as('user:default/ann').post(
      '/api/catalog/entities/by-refs',
      {
        entityRefs: ['component:globex/fleet-api', 'component:acme/orders-api'],
      },
    );
    expect(byRefs.status).toBe(200);
    expect(byRefs.body.items[0]).toBeNull();
    expect(byRefs.body.items[1].metadata.name).toBe('orders-api');
  });

  it('shows a user without tenant only shared entities', async () => {
    const res = await as('user:default/nobody').get('/api/catalog/entities');
    expect(refsOf(res.body)).toEqual(SHARED);
    const acme = await as('user:default/nobody').get(
      '/api/catalog/entities/by-name/component/acme/orders-api',
    );
    expect(acme.status).toBe(404);
  });

  it('lets operators refresh entities of their tenant only', async () => {
    const refresh = (user: string, entityRef: string) =>
      as(user).post('/api/catalog/refresh', { entityRef });
    expect(
      (await refresh('user:default/otto', 'component:acme/orders-api')).status,
    ).toBe(200);
    expect(
      (await refresh('user:default/otto', 'component:globex/fleet-api')).status,
    ).toBe(403);
    expect(
      (await refresh('user:default/ann', 'component:acme/orders-api')).status,
    ).toBe(403);
    expect(
      (await refresh('user:default/root', 'component:globex/fleet-api')).status,
    ).toBe(200);
  });
});
