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
    addProject(gitlab, 1, 'data-products/acme/orders', {
      files: { main: { 'dataproduct.yaml': 'x' }, feature: {} },
    });
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

  describe('recording a pipeline of the product’s CI (body { pipelineId })', () => {
    /** A pipeline as a push to `ref` starts it (no variables), running. */
    async function pushPipeline(projectId: number, ref = 'main') {
      const res = await fetch(
        `${gitlab.baseUrl}/api/v4/projects/${projectId}/pipeline?ref=${ref}`,
        { method: 'POST', headers: { 'private-token': 'platform-token' } },
      );
      expect(res.status).toBe(201);
      const { id } = (await res.json()) as { id: number };
      gitlab.setPipelineStatus(id, 'running');
      return id;
    }
    const record = (
      body: object,
      auth = mockApiTokenHeader('acme.ci'),
      name = 'orders',
    ) => deploy('acme', name, auth).send(body);
    const deploymentsOf = async (pipelineId: number) =>
      (await get('tenants/acme/products/orders/deployments')).body.items.filter(
        (d: { pipelineId: number }) => d.pipelineId === pipelineId,
      );

    it('records the running pipeline for the CI’s token, triggers nothing, and follows it to its end', async () => {
      const pipelineId = await pushPipeline(1);
      const pipelines = gitlab.pipelines.size;
      const res = await record({ pipelineId });
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({
        entityRef: 'dataproduct:acme/orders',
        revision: 1,
        version: '1.4.0',
        requestedBy: 'token:acme.ci',
        gitlabProject: 'data-products/acme/orders',
        ref: 'main',
        pipelineId,
        pipelineUrl: `${gitlab.baseUrl}/data-products/acme/orders/-/pipelines/${pipelineId}`,
        status: 'running',
      });
      expect(gitlab.pipelines.size).toBe(pipelines);
      expect(gitlab.requests).toContain(
        `GET /api/v4/projects/1/pipelines/${pipelineId}`,
      );

      // The same pipeline again (a retried job): the deployment recorded first.
      const again = await record({ pipelineId }, as('dev'));
      expect(again.status).toBe(200);
      expect(again.body).toEqual(res.body);
      expect(await deploymentsOf(pipelineId)).toHaveLength(1);

      gitlab.setPipelineStatus(pipelineId, 'success');
      await eventually(
        async () =>
          (await statusOf('acme', 'orders', res.body.id)) === 'success',
      );
      expect(
        (await events('acme')).filter(e => e.data.deploymentId === res.body.id),
      ).toEqual([
        expect.objectContaining({
          type: 'product.deployed',
          data: expect.objectContaining({
            deploymentId: res.body.id,
            deployedBy: 'token:acme.ci',
          }),
        }),
      ]);
      // Recorded once its end is known too.
      expect((await record({ pipelineId })).body).toMatchObject({
        id: res.body.id,
        status: 'success',
      });
    });

    it('records one deployment when two jobs record the same pipeline at once', async () => {
      const pipelineId = await pushPipeline(1);
      const answers = await Promise.all([
        record({ pipelineId }),
        record({ pipelineId }),
        record({ pipelineId }),
      ]);
      expect(answers.map(a => a.status).sort()).toEqual([200, 200, 202]);
      expect(new Set(answers.map(a => a.body.id)).size).toBe(1);
      expect(await deploymentsOf(pipelineId)).toHaveLength(1);
      gitlab.setPipelineStatus(pipelineId, 'canceled');

      // The pipeline the portal started is recorded already: its own deploy job gets that one.
      const triggered = await deploy('acme', 'orders');
      const recorded = await record({ pipelineId: triggered.body.pipelineId });
      expect(recorded.status).toBe(200);
      expect(recorded.body).toMatchObject({
        id: triggered.body.id,
        requestedBy: 'user:default/dev',
      });
      gitlab.setPipelineStatus(triggered.body.pipelineId, 'canceled');
    });

    it('records a pipeline that already ended with its end and its event', async () => {
      const pipelineId = await pushPipeline(1);
      gitlab.setPipelineStatus(pipelineId, 'failed');
      const res = await record({ pipelineId, version: '1.4.0' });
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({
        pipelineId,
        version: '1.4.0',
        revision: 1,
        status: 'failed',
        finishedAt: expect.any(String),
      });
      expect(
        (await events('acme')).filter(e => e.data.deploymentId === res.body.id),
      ).toEqual([
        expect.objectContaining({
          type: 'product.deployment.failed',
          data: expect.objectContaining({ status: 'failed' }),
        }),
      ]);
    });

    it('refuses a pipeline of another branch (400) or of another project (404), recording nothing', async () => {
      const feature = await pushPipeline(1, 'feature');
      const branch = await record({ pipelineId: feature });
      expect(branch.status).toBe(400);
      expect(branch.body.error.message).toBe(
        `Pipeline ${feature} of data-products/acme/orders runs on the branch 'feature', not on the default branch 'main': only the default branch deploys`,
      );
      // globex's pipeline, named through acme's product: GitLab has no such pipeline in acme's project.
      const globex = await pushPipeline(2);
      const foreign = await record({ pipelineId: globex });
      expect(foreign.status).toBe(404);
      expect(foreign.body.error.message).toBe(
        `No pipeline ${globex} in the GitLab project data-products/acme/orders: record a pipeline of the product's own project`,
      );
      expect(gitlab.requests).not.toContain(
        `GET /api/v4/projects/2/pipelines/${globex}`,
      );
      const missing = await record({ pipelineId: 999_999 });
      expect(missing.status).toBe(404);
      for (const pipelineId of [feature, globex, 999_999]) {
        expect(await deploymentsOf(pipelineId)).toEqual([]);
      }
    });

    it('refuses consumers and readers (403), other tenants (404) and bad bodies (400)', async () => {
      const pipelineId = await pushPipeline(1);
      expect((await record({ pipelineId }, as('con'))).status).toBe(403);
      expect(
        (await record({ pipelineId }, mockApiTokenHeader('acme.reader')))
          .status,
      ).toBe(403);
      const foreign = await record({ pipelineId }, as('gus'));
      expect(foreign.status).toBe(404);
      expect(foreign.body.error.message).toBe(
        'No data product dataproduct:acme/orders in the registry',
      );
      const bad = await record({ pipelineId: '12' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toBe(
        'request/body/pipelineId must be integer',
      );
      expect((await record({ pipelineId: -1 })).status).toBe(400);
      const unregistered = await record({ pipelineId, version: '9.9.9' });
      expect(unregistered.status).toBe(400);
      expect(unregistered.body.error.message).toMatch(
        /^Version 9\.9\.9 of dataproduct:acme\/orders is not registered/,
      );
      const versionAlone = await record({ version: '1.4.0' });
      expect(versionAlone.status).toBe(400);
      expect(versionAlone.body.error.message).toMatch(/goes with pipelineId/);
      // A dry run checks the pipeline and records nothing.
      const plan = await record({ pipelineId }).query({ dryRun: 'true' });
      expect(plan.status).toBe(200);
      expect(plan.body).toMatchObject({ dryRun: true, ref: 'main' });
      expect(await deploymentsOf(pipelineId)).toEqual([]);
      gitlab.setPipelineStatus(pipelineId, 'canceled');
    });

    it('answers 503 within seconds when GitLab is down, recording nothing', async () => {
      const pipelineId = await pushPipeline(1);
      const port = Number(new URL(gitlab.baseUrl).port);
      await gitlab.stop();
      try {
        const started = Date.now();
        const res = await record({ pipelineId });
        expect(Date.now() - started).toBeLessThan(5_000);
        expect(res.status).toBe(503);
        expect(res.body.error.message).toMatch(
          /^GitLab at http:\/\/127\.0\.0\.1:\d+\/api\/v4 did not answer GET /,
        );
      } finally {
        await gitlab.start(port);
      }
      expect(await deploymentsOf(pipelineId)).toEqual([]);
      gitlab.setPipelineStatus(pipelineId, 'canceled');
    });
  });
});
