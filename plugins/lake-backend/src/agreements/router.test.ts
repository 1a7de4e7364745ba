import {
  coreServices,
  createBackendPlugin,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  akiliEventsServiceRef,
  akiliTenantDatabaseServiceRef,
  tenancyServiceRef,
} from '@akili/plugin-akili-node';
import {
  mockTenantStatus,
  requireTestDatabaseIds,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import { lakePermissions } from '@akili/plugin-lake-common';
import request from 'supertest';
import { createAccessAgreements } from '.';
import { createRouter } from '../service/router';
import { LakeService } from '../service/LakeService';

jest.setTimeout(60_000);

const directory: Record<string, string[]> = {
  'user:default/gina': ['user:default/gina', 'group:akili/globex.consumer'],
  'user:default/bob': ['user:default/bob', 'group:akili/globex.operator'],
  'user:default/alice': ['user:default/alice', 'group:akili/acme.developer'],
  'user:default/carl': ['user:default/carl', 'group:akili/acme.consumer'],
  'user:default/ivan': ['user:default/ivan', 'group:akili/initech.operator'],
  'user:default/root': ['user:default/root', 'group:akili/platform-admin'],
};

function product(
  namespace: string,
  name: string,
  outputPorts: object[],
): Entity {
  return {
    apiVersion: 'akili.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { namespace, name, title: name },
    spec: {
      type: 'aggregate',
      lifecycle: 'production',
      owner: `${namespace}-team`,
      outputPorts,
    } as Entity['spec'],
  };
}

const column = (name: string, classification?: string) => ({
  name,
  type: 'string',
  ...(classification ? { classification } : {}),
});

const entities: Entity[] = [
  product('acme', 'customer-360', [
    {
      name: 'customer_360',
      kind: 'table',
      location: { table: { database: 'customer', table: 'customer_360' } },
      schema: [
        column('customer_id'),
        column('email', 'pii'),
        column('country'),
        column('shipments_90d'),
      ],
    },
    {
      name: 'changes',
      kind: 'topic',
      location: { kafka: { topic: 'acme.customer-360.changes' } },
      schema: [column('customer_id')],
    },
  ]),
  product('globex', 'shipments', [
    {
      name: 'shipments',
      kind: 'table',
      location: { table: { database: 'logistics', table: 'shipments' } },
      schema: [column('shipment_id')],
    },
  ]),
];

/**
 * The agreements part of the lake plugin, wired as plugin.ts wires it: inside the lake's
 * validated router (its file routes are not called here).
 */
const agreementsPlugin = createBackendPlugin({
  pluginId: 'lake',
  register(env) {
    env.registerInit({
      deps: {
        database: akiliTenantDatabaseServiceRef,
        events: akiliEventsServiceRef,
        tenancy: tenancyServiceRef,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        httpRouter: coreServices.httpRouter,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init(deps) {
        deps.permissionsRegistry.addPermissions(lakePermissions);
        const db = await deps.database.open({
          migrationsDirectory: resolvePackagePath(
            '@akili/plugin-lake-backend',
            'migrations',
          ),
        });
        const { router } = createAccessAgreements({
          db,
          outbox: deps.events.outbox,
          tenancy: deps.tenancy,
          httpAuth: deps.httpAuth,
          auth: deps.auth,
          catalog: deps.catalog,
        });
        deps.httpRouter.use(
          await createRouter({ lake: {} as LakeService, agreements: router }),
        );
      },
    });
  },
});

const inAMonth = () =>
  new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString();

const requestBody = (overrides: Record<string, unknown> = {}) => ({
  provider: { product: 'dataproduct:acme/customer-360', port: 'customer_360' },
  consumer: { tenant: 'globex', product: 'dataproduct:globex/shipments' },
  purpose: 'Delivery experience per customer for the carrier scorecard',
  columns: ['customer_id', 'country', 'shipments_90d'],
  until: inAMonth(),
  ...overrides,
});

describe.each(requireTestDatabaseIds())('agreements API on %s', databaseId => {
  const databases = TestDatabases.create({ ids: [databaseId] });

  async function start() {
    const knex = await databases.init(databaseId);
    const { server } = await startTestBackend({
      features: [
        agreementsPlugin,
        userInfoFromDirectory(directory),
        mockTenantStatus({
          acme: 'active',
          globex: 'active',
          initech: 'active',
        }).factory,
        catalogServiceMock.factory({ entities }),
        mockServices.database.factory({ knex }),
      ],
    });
    const as = (user: string) =>
      mockCredentials.user.header(`user:default/${user}`);
    return {
      server,
      get: (path: string, user: string) =>
        request(server).get(`/api/lake${path}`).set('Authorization', as(user)),
      post: (path: string, user: string, body: object = {}) =>
        request(server)
          .post(`/api/lake${path}`)
          .set('Authorization', as(user))
          .send(body),
      asPlugin: (path: string, subject: string) =>
        request(server)
          .get(`/api/lake${path}`)
          .set(
            'Authorization',
            mockCredentials.service.header({
              onBehalfOf: mockCredentials.service(subject),
              targetPluginId: 'lake',
            }),
          ),
    };
  }

  it('lets globex request acme’s port and acme decide; globex cannot approve its own; initech sees nothing', async () => {
    const api = await start();
    const created = await api.post('/v1/agreements', 'gina', requestBody());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'requested',
      provider: {
        tenant: 'acme',
        product: 'dataproduct:acme/customer-360',
        port: 'customer_360',
      },
      consumer: { tenant: 'globex', product: 'dataproduct:globex/shipments' },
      requestedBy: 'user:default/gina',
    });
    const id = created.body.id;

    // The consumer tenant, even its operator, does not decide.
    const own = await api.post(`/v1/agreements/${id}/approve`, 'bob');
    expect(own.status).toBe(403);
    expect(own.body.error.message).toBe(
      `user:default/bob may not decide on access agreement ${id}: tenant 'acme' (the provider) decides`,
    );
    // A consumer of the provider tenant does not either.
    const carl = await api.post(`/v1/agreements/${id}/approve`, 'carl');
    expect(carl.status).toBe(403);
    expect(carl.body.error.message).toContain(
      'needs role developer or operator',
    );

    // initech: 404 by id, nothing in its list, no decision.
    for (const path of [`/v1/agreements/${id}`]) {
      const res = await api.get(path, 'ivan');
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe(`No access agreement ${id}`);
    }
    const initechList = await api.get('/v1/agreements', 'ivan');
    expect(initechList.status).toBe(200);
    expect(initechList.body.items).toEqual([]);
    expect((await api.get('/v1/agreements?tenant=acme', 'ivan')).status).toBe(
      404,
    );
    const ivanApproves = await api.post(`/v1/agreements/${id}/approve`, 'ivan');
    expect(ivanApproves.status).toBe(404);

    // Both parties see it.
    for (const [user, query] of [
      ['alice', '?tenant=acme&side=provider'],
      ['gina', '?tenant=globex&side=consumer'],
      ['gina', ''],
      ['root', ''],
    ]) {
      const list = await api.get(`/v1/agreements${query}`, user);
      expect({ user, ids: list.body.items.map((a: any) => a.id) }).toEqual({
        user,
        ids: [id],
      });
    }
    expect(
      (await api.get('/v1/agreements?tenant=acme&side=consumer', 'alice')).body
        .items,
    ).toEqual([]);

    const approved = await api.post(`/v1/agreements/${id}/approve`, 'alice', {
      note: 'Fine for the scorecard',
      columns: ['customer_id', 'shipments_90d'],
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      columns: ['customer_id', 'shipments_90d'],
      decidedBy: 'user:default/alice',
    });
    const again = await api.post(`/v1/agreements/${id}/approve`, 'alice');
    expect(again.status).toBe(409);

    const read = await api.get(`/v1/agreements/${id}`, 'gina');
    expect(read.status).toBe(200);
    expect(read.body.history.map((h: any) => [h.to, h.by])).toEqual([
      ['requested', 'user:default/gina'],
      ['approved', 'user:default/alice'],
    ]);

    // In force: for backend plugins only.
    const users = await api.get(
      '/v1/agreements/in-force?consumer=globex',
      'gina',
    );
    expect(users.status).toBe(403);
    const admin = await api.get(
      '/v1/agreements/in-force?consumer=globex',
      'root',
    );
    expect(admin.status).toBe(403);
    const starrocks = await api.asPlugin(
      '/v1/agreements/in-force?consumer=globex',
      'plugin:starrocks',
    );
    expect(starrocks.status).toBe(200);
    expect(starrocks.body.items.map((a: any) => [a.id, a.columns])).toEqual([
      [id, ['customer_id', 'shipments_90d']],
    ]);
    const acmeInForce = await api.asPlugin(
      '/v1/agreements/in-force?consumer=acme',
      'plugin:starrocks',
    );
    expect(acmeInForce.body.items).toEqual([]);
    const external = await api.asPlugin(
      '/v1/agreements/in-force?consumer=globex',
      'external:ci',
    );
    expect(external.status).toBe(403);

    // The consumer gives it up.
    const given = await api.post(`/v1/agreements/${id}/revoke`, 'gina', {
      reason: 'Scorecard retired',
    });
    expect(given.status).toBe(200);
    expect(given.body).toMatchObject({
      status: 'revoked',
      endedBy: 'user:default/gina',
      endReason: 'Scorecard retired',
    });
  });

  it('a request for the whole port (no columns) is approved only with the columns granted, columns of the port', async () => {
    const api = await start();
    const created = await api.post(
      '/v1/agreements',
      'gina',
      requestBody({ columns: [] }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'requested', columns: [] });
    const id = created.body.id;

    const bare = await api.post(`/v1/agreements/${id}/approve`, 'alice', {
      note: 'Fine',
    });
    expect(bare.status).toBe(400);
    expect(bare.body.error.message).toContain(
      'Invalid body: columns: access agreement',
    );
    expect(bare.body.error.message).toContain(
      'the approval must name the columns to grant',
    );
    const empty = await api.post(`/v1/agreements/${id}/approve`, 'alice', {
      columns: [],
    });
    expect(empty.status).toBe(400);
    // Checked against the OpenAPI spec.
    expect(empty.body.error.message).toContain(
      'request/body/columns must NOT have fewer than 1 items',
    );
    const unknown = await api.post(`/v1/agreements/${id}/approve`, 'alice', {
      columns: ['customer_id', 'ssn'],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain(
      "Invalid body: columns 'ssn' are not columns of port 'customer_360' of dataproduct:acme/customer-360",
    );
    // The consumer cannot grant itself the columns.
    expect(
      (
        await api.post(`/v1/agreements/${id}/approve`, 'gina', {
          columns: ['customer_id'],
        })
      ).status,
    ).toBe(403);
    expect((await api.get(`/v1/agreements/${id}`, 'gina')).body.status).toBe(
      'requested',
    );

    const approved = await api.post(`/v1/agreements/${id}/approve`, 'alice', {
      columns: ['customer_id', 'country'],
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      columns: ['customer_id', 'country'],
    });
    const inForce = await api.asPlugin(
      '/v1/agreements/in-force?consumer=globex',
      'plugin:starrocks',
    );
    expect(inForce.body.items.map((a: any) => [a.id, a.columns])).toEqual([
      [id, ['customer_id', 'country']],
    ]);
  });

  it('refuses bad requests with a 400 naming the field, and a second open request with a 409', async () => {
    const api = await start();
    const cases: Array<[Record<string, unknown>, string]> = [
      [
        {
          provider: { product: 'dataproduct:acme/nope', port: 'customer_360' },
        },
        'Invalid body: provider.product: no data product dataproduct:acme/nope',
      ],
      [
        {
          provider: { product: 'dataproduct:acme/customer-360', port: 'nope' },
        },
        "Invalid body: provider.port: dataproduct:acme/customer-360 has no output port 'nope'",
      ],
      [
        {
          provider: {
            product: 'dataproduct:acme/customer-360',
            port: 'changes',
          },
          columns: ['customer_id'],
        },
        "Invalid body: provider.port 'changes' is a topic port; agreements cover table and files ports only",
      ],
      [
        { columns: ['customer_id', 'salary', 'ssn'] },
        "Invalid body: columns 'salary', 'ssn' are not columns of port 'customer_360' of dataproduct:acme/customer-360",
      ],
      [
        { until: new Date(Date.now() - 1000).toISOString() },
        'Invalid body: until must be in the future',
      ],
      [
        { until: new Date(Date.now() + 400 * 24 * 3600 * 1000).toISOString() },
        'Invalid body: until must be at most a year ahead',
      ],
      [{ until: 'tomorrow' }, 'Invalid body: until must be an ISO 8601 time'],
      [
        { purpose: 'short' },
        'request/body/purpose must NOT have fewer than 10 characters',
      ],
      [
        { purpose: 'x'.repeat(2001) },
        'request/body/purpose must NOT have more than 2000 characters',
      ],
      [{ columns: ['country', 'country'] }, 'columns must not repeat a column'],
      [
        {
          consumer: {
            tenant: 'globex',
            product: 'dataproduct:acme/customer-360',
          },
        },
        "Invalid body: consumer.product must be a data product of tenant 'globex'",
      ],
      [{ extra: 1 }, 'unknown field extra'],
    ];
    for (const [overrides, message] of cases) {
      const res = await api.post(
        '/v1/agreements',
        'gina',
        requestBody(overrides),
      );
      expect({
        overrides,
        status: res.status,
        message: res.body.error?.message,
      }).toEqual({
        overrides,
        status: 400,
        message: expect.stringContaining(message),
      });
    }
    // A provider tenant member asking for its own tenant's port.
    const self = await api.post(
      '/v1/agreements',
      'alice',
      requestBody({ consumer: { tenant: 'acme' } }),
    );
    expect(self.status).toBe(400);
    expect(self.body.error.message).toContain(
      'consumer.tenant must be another tenant',
    );
    // A tenant the caller is not in: as if it did not exist.
    const foreign = await api.post(
      '/v1/agreements',
      'gina',
      requestBody({ consumer: { tenant: 'initech' } }),
    );
    expect(foreign.status).toBe(404);

    const first = await api.post('/v1/agreements', 'gina', requestBody());
    expect(first.status).toBe(201);
    const second = await api.post('/v1/agreements', 'bob', requestBody());
    expect(second.status).toBe(409);
    expect(second.body.error.message).toContain(
      "Tenant 'globex' already has an open request for port 'customer_360'",
    );

    // Withdrawn by the consumer, a new request may follow; the provider cannot withdraw.
    const byProvider = await api.post(
      `/v1/agreements/${first.body.id}/withdraw`,
      'alice',
    );
    expect(byProvider.status).toBe(403);
    // Its body is optional: a POST with no body at all (curl -X POST) withdraws too.
    const withdrawn = await request(api.server)
      .post(`/api/lake/v1/agreements/${first.body.id}/withdraw`)
      .set('Authorization', mockCredentials.user.header('user:default/gina'));
    expect(withdrawn.body.status).toBe('withdrawn');
    expect(
      (await api.post('/v1/agreements', 'bob', requestBody())).status,
    ).toBe(201);

    expect((await api.get('/v1/agreements/not-an-id', 'gina')).status).toBe(
      400,
    );
    const badStatus = await api.get('/v1/agreements?status=open', 'gina');
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.error.message).toContain('unknown status open');
    const reject = await api.post(
      `/v1/agreements/${first.body.id}/reject`,
      'alice',
      {},
    );
    expect(reject.status).toBe(400);
    expect(reject.body.error.message).toContain(
      "request/body must have required property 'note'",
    );
  });

  it('serves its OpenAPI spec, and checks requests against it before any handler', async () => {
    const api = await start();
    const spec = await api.get('/openapi.json', 'gina');
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toBe('3.0.3');
    expect(Object.keys(spec.body.paths)).toContain(
      '/api/lake/v1/agreements/{id}/approve',
    );
    // A user is refused the agreements in force (403), not told about its query first.
    expect(
      (await api.get('/v1/agreements/in-force?consumer=globex', 'gina')).status,
    ).toBe(403);
    const missing = await api.asPlugin(
      '/v1/agreements/in-force',
      'plugin:starrocks',
    );
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain(
      "request/query must have required property 'consumer'",
    );
    const badSide = await api.get(
      '/v1/agreements?tenant=globex&side=both',
      'gina',
    );
    expect(badSide.status).toBe(400);
    expect(badSide.body.error.message).toContain(
      'request/query/side must be equal to one of the allowed values: provider, consumer',
    );
  });
});
