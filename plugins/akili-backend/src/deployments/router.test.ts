import { TestDatabases } from '@backstage/backend-test-utils';
import { GitlabTestServer } from '@akili/gitlab-test-server';
import {
  mockApiTokenHeader,
  mockApiTokenResolverFactory,
  requireTestDatabaseIds,
} from '@akili/plugin-akili-node/testUtils';
import { Knex } from 'knex';
import {
  addProject,
  as,
  deploymentEvents,
  eventually,
  startDeploymentsBackend,
} from './__testUtils__/deploymentsBackend';

jest.setTimeout(60_000);

describe.each(requireTestDatabaseIds())('deployments on %s', databaseId => {
  const databases = TestDatabases.create({ ids: [databaseId] });
  const gitlab = new GitlabTestServer('platform-token');
  let knex: Knex;
  let backend: Awaited<ReturnType<typeof startDeploymentsBackend>>;

  beforeAll(async () => {
    await gitlab.start();
    addProject(gitlab, 1, 'data-products/acme/orders');
    addProject(gitlab, 2, 'data-products/globex/orders');
    addProject(gitlab, 3, 'data-products/acme/locked', {
      pipelinesForbidden: true,
    });
    knex = await databases.init(databaseId);
    backend = await startDeploymentsBackend({
      knex,
      gitlab,
      features: [
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
      ],
    });
    await backend.register(
      ['acme', 'orders', 'dev'],
      ['acme', 'locked', 'dev'],
      ['acme', 'orphan', 'dev'],
      ['globex', 'orders', 'gus'],
    );
  });

  afterAll(async () => {
    await gitlab.stop();
  });

  const deploy: typeof backend.deploy = (...args) => backend.deploy(...args);
  const get: typeof backend.get = (...args) => backend.get(...args);
  const statusOf: typeof backend.statusOf = (...args) =>
    backend.statusOf(...args);
  const events = (tenant: string) => deploymentEvents(knex, tenant);

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

  it('answers a dry run with what would be deployed, triggering and recording nothing', async () => {
    const pipelines = gitlab.pipelines.size;
    const before = (await get('tenants/acme/products/orders/deployments')).body
      .items.length;
    const res = await deploy('acme', 'orders').query({ dryRun: 'true' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      dryRun: true,
      entityRef: 'dataproduct:acme/orders',
      tenant: 'acme',
      name: 'orders',
      revision: 1,
      version: '1.4.0',
      gitlabProject: 'data-products/acme/orders',
      ref: 'main',
    });
    // Refused as a real deployment would be.
    expect(
      (await deploy('acme', 'orders', as('con')).query({ dryRun: 'true' }))
        .status,
    ).toBe(403);
    expect(
      (await deploy('acme', 'orphan').query({ dryRun: 'true' })).body.error
        .message,
    ).toMatch(/404 Project Not Found/);
    expect(
      (await deploy('acme', 'orders').query({ dryRun: 'yes' })).status,
    ).toBe(400);
    expect(gitlab.pipelines.size).toBe(pipelines);
    expect(
      (await get('tenants/acme/products/orders/deployments')).body.items,
    ).toHaveLength(before);
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
