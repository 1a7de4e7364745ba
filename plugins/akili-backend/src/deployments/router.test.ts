import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { GitlabTestServer } from '@akili/gitlab-test-server';
import {
  DEFAULT_EVENT_OUTBOX_TABLE,
  TenantScopedDatabase,
} from '@akili/plugin-akili-node';
import {
  mockApiTokenHeader,
  mockApiTokenResolverFactory,
  requireTestDatabaseIds,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import { Knex } from 'knex';
import { akiliPlugin } from '../plugin';

jest.setTimeout(60_000);

const directory: Record<string, string[]> = {
  'user:default/dev': ['user:default/dev', 'group:akili/acme.developer'],
  'user:default/olga': ['user:default/olga', 'group:akili/acme.operator'],
  'user:default/con': ['user:default/con', 'group:akili/acme.consumer'],
  'user:default/gus': ['user:default/gus', 'group:akili/globex.developer'],
};
const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);

function manifestText(tenant: string, name: string): string {
  return `apiVersion: akili.io/v1alpha1
kind: DataProduct
metadata:
  name: ${name}
  namespace: ${tenant}
spec:
  type: source-aligned
  lifecycle: production
  owner: ${tenant}-sales
  domain: sales
  version: 1.4.0
  outputPorts:
    - name: ${name}
      kind: table
      location:
        table: { catalog: iceberg_${tenant}, database: sales, table: ${name} }
      schema:
        - { name: id, type: string, required: true }
`;
}

/** Polls `fn` until it returns something truthy (the backend follows pipelines every 50 ms). */
async function eventually<T>(fn: () => Promise<T | undefined | false>) {
  for (let i = 0; i < 200; i++) {
    const value = await fn();
    if (value) {
      return value;
    }
    await new Promise(resolve => setTimeout(resolve, 25));
  }
  throw new Error('timed out waiting');
}

describe.each(requireTestDatabaseIds())('deployments on %s', databaseId => {
  const databases = TestDatabases.create({ ids: [databaseId] });
  const gitlab = new GitlabTestServer('platform-token');
  let knex: Knex;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  const project = (id: number, path: string, extra = {}) =>
    gitlab.addProject({
      id,
      pathWithNamespace: path,
      defaultBranch: 'main',
      files: { main: { 'dataproduct.yaml': 'x' } },
      ...extra,
    });

  beforeAll(async () => {
    await gitlab.start();
    project(1, 'data-products/acme/orders');
    project(2, 'data-products/globex/orders');
    project(3, 'data-products/acme/locked', { pipelinesForbidden: true });
    knex = await databases.init(databaseId);
    ({ server } = await startTestBackend({
      features: [
        akiliPlugin,
        userInfoFromDirectory(directory),
        mockApiTokenResolverFactory([
          {
            tokenId: 'acme.ci',
            tenant: 'acme',
            permissions: ['akili.product.deploy', 'akili.product.read'],
          },
          {
            tokenId: 'acme.reader',
            tenant: 'acme',
            permissions: ['akili.product.read'],
          },
        ]),
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            integrations: { gitlab: [gitlab.integrationConfig()] },
            akili: {
              tenancy: { gitlab: { rootGroup: 'data-products' } },
              deployments: { pollIntervalMs: 50, gitlabTimeoutMs: 2000 },
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
    for (const [tenant, name, user] of [
      ['acme', 'orders', 'dev'],
      ['acme', 'locked', 'dev'],
      ['acme', 'orphan', 'dev'],
      ['globex', 'orders', 'gus'],
    ]) {
      const res = await request(server)
        .post(`/api/akili/v1/tenants/${tenant}/products`)
        .set('Authorization', as(user))
        .set('Content-Type', 'application/yaml')
        .send(manifestText(tenant, name));
      if (res.status !== 201) {
        throw new Error(`registering ${tenant}/${name}: ${res.status}`);
      }
    }
  });

  afterAll(async () => {
    await gitlab.stop();
  });

  const deploy = (tenant: string, name: string, auth = as('dev')) =>
    request(server)
      .post(`/api/akili/v1/tenants/${tenant}/products/${name}/deploy`)
      .set('Authorization', auth);
  const get = (path: string, auth = as('dev')) =>
    request(server).get(`/api/akili/v1/${path}`).set('Authorization', auth);
  const events = async (tenant: string) => {
    const db = TenantScopedDatabase.create(knex);
    const rows: Array<{ payload: string }> = await db.withTenant(tenant, tx =>
      db.scoped(tx, DEFAULT_EVENT_OUTBOX_TABLE).select('payload').orderBy('id'),
    );
    return rows
      .map(row => JSON.parse(row.payload))
      .filter(event => event.type.startsWith('product.deploy'));
  };
  const statusOf = async (tenant: string, name: string, id: string) =>
    (await get(`tenants/${tenant}/products/${name}/deployments/${id}`)).body
      .status;

  it('deploys a developer’s product through the tenant’s own project, follows it to success', async () => {
    const before = gitlab.requests.length;
    // A project named in the body is ignored: the route's tenant and name decide.
    const res = await deploy('acme', 'orders').send({
      project: 'data-products/globex/orders',
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      entityRef: 'dataproduct:acme/orders',
      revision: 1,
      version: '1.4.0',
      requestedBy: 'user:default/dev',
      gitlabProject: 'data-products/acme/orders',
      ref: 'main',
      status: 'pending',
      pipelineUrl: expect.stringMatching(
        /\/data-products\/acme\/orders\/-\/pipelines\/\d+$/,
      ),
    });
    const pipeline = gitlab.pipelines.get(res.body.pipelineId)!;
    expect(pipeline).toMatchObject({
      projectId: 1,
      ref: 'main',
      variables: {
        AKILI_PRODUCT: 'dataproduct:acme/orders',
        AKILI_VERSION: '1.4.0',
      },
    });
    const seen = gitlab.requests.slice(before);
    expect(seen).toContain('POST /api/v4/projects/1/pipeline?ref=main');
    expect(seen.some(r => /globex|projects\/2\b/.test(r))).toBe(false);

    gitlab.setPipelineStatus(pipeline.id, 'running');
    await eventually(
      async () => (await statusOf('acme', 'orders', res.body.id)) === 'running',
    );
    expect((await get('tenants/acme/products/orders')).body.status).toBe(
      'registered',
    );
    gitlab.setPipelineStatus(pipeline.id, 'success');
    await eventually(
      async () => (await statusOf('acme', 'orders', res.body.id)) === 'success',
    );
    expect((await get('tenants/acme/products/orders')).body.status).toBe(
      'deployed',
    );
    expect(await events('acme')).toEqual([
      expect.objectContaining({
        type: 'product.deployed',
        subject: 'dataproduct:acme/orders',
        data: expect.objectContaining({
          deploymentId: res.body.id,
          version: '1.4.0',
          deployedBy: 'user:default/dev',
        }),
      }),
    ]);
    const list = await get(
      'tenants/acme/products/orders/deployments',
      as('con'),
    );
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toMatchObject({
      id: res.body.id,
      status: 'success',
      finishedAt: expect.any(String),
    });
  });

  it('records a failed pipeline as failed, with product.deployment.failed', async () => {
    const res = await deploy('acme', 'orders', as('olga'));
    expect(res.status).toBe(202);
    gitlab.setPipelineStatus(res.body.pipelineId, 'failed');
    await eventually(
      async () => (await statusOf('acme', 'orders', res.body.id)) === 'failed',
    );
    const list = await get('tenants/acme/products/orders/deployments');
    expect(list.body.items.map((d: { status: string }) => d.status)).toEqual([
      'failed',
      'success',
    ]);
    expect((await events('acme')).map(e => e.type)).toEqual([
      'product.deployed',
      'product.deployment.failed',
    ]);
  });

  it('lets a token with akili.product.deploy deploy, and refuses consumers, readers and other tenants', async () => {
    const pipelines = gitlab.pipelines.size;
    expect(
      (await deploy('acme', 'orders', mockApiTokenHeader('acme.ci'))).status,
    ).toBe(202);
    const consumer = await deploy('acme', 'orders', as('con'));
    expect(consumer.status).toBe(403);
    expect(
      (await deploy('acme', 'orders', mockApiTokenHeader('acme.reader')))
        .status,
    ).toBe(403);
    // globex's developer: acme's product is missing, as a tenant that does not exist.
    const foreign = await deploy('acme', 'orders', as('gus'));
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.message).toBe(
      'No data product dataproduct:acme/orders in the registry',
    );
    expect(
      (await get('tenants/acme/products/orders/deployments', as('gus'))).status,
    ).toBe(404);
    expect(gitlab.pipelines.size).toBe(pipelines + 1);
    // A product that is not registered.
    expect((await deploy('acme', 'nothing')).status).toBe(404);
  });

  it('answers 502 naming GitLab when it refuses, and records nothing', async () => {
    const locked = await deploy('acme', 'locked');
    expect(locked.status).toBe(502);
    expect(locked.body.error.message).toMatch(
      /^GitLab refused POST \/projects\/3\/pipeline\?ref=main with 403 \(403 Forbidden\): check that the GitLab project data-products\/acme\/locked exists and that the portal's GitLab token may run its pipelines/,
    );
    const orphan = await deploy('acme', 'orphan');
    expect(orphan.status).toBe(502);
    expect(orphan.body.error.message).toMatch(/404 Project Not Found/);
    for (const name of ['locked', 'orphan']) {
      expect(
        (await get(`tenants/acme/products/${name}/deployments`)).body.items,
      ).toEqual([]);
    }
  });

  it('answers 503 naming GitLab when it is down, and records nothing', async () => {
    const port = Number(new URL(gitlab.baseUrl).port);
    const before = (await get('tenants/acme/products/orders/deployments')).body
      .items.length;
    await gitlab.stop();
    try {
      const res = await deploy('acme', 'orders');
      expect(res.status).toBe(503);
      expect(res.body.error.message).toMatch(
        /^GitLab at http:\/\/127\.0\.0\.1:\d+\/api\/v4 did not answer GET \/projects\/data-products%2Facme%2Forders within 2 s .*try again when GitLab is reachable$/,
      );
    } finally {
      await gitlab.start(port);
    }
    expect(
      (await get('tenants/acme/products/orders/deployments')).body.items,
    ).toHaveLength(before);
    expect((await get('tenants/acme/products/orders')).body.status).toBe(
      'deployed',
    );
  });
});
