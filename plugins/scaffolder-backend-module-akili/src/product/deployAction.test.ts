// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the real control plane, in tests only
import akiliPlugin from '@akili/plugin-akili-backend';
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  oneStepTemplate,
  runTask,
  TEST_TENANTS_CONFIG,
  testManifest,
} from '../__testUtils__/akiliTasks';
import { startScaffolder } from '../__testUtils__/startScaffolder';

jest.setTimeout(90_000);

const template = oneStepTemplate({
  name: 'deploy',
  action: 'akili:product:deploy',
  step: 'deploy',
  input: {
    product: '${{ parameters.product }}',
    wait: '${{ parameters.wait }}',
  },
  outputs: ['entityRef', 'deploymentId', 'pipelineUrl', 'status'],
});

describe('akili:product:deploy (real scaffolder, control plane and GitLab test server)', () => {
  let scaffolder: Awaited<ReturnType<typeof startScaffolder>>;

  beforeAll(async () => {
    // The control plane on the test backend's SQLite, reading pipelines every 50 ms.
    scaffolder = await startScaffolder({
      templates: [template],
      features: [akiliPlugin],
      akiliConfig: {
        ...TEST_TENANTS_CONFIG,
        deployments: { pollIntervalMs: 50, gitlabTimeoutMs: 2000 },
      },
    });
    const register = async (tenant: string, user: string, name?: string) => {
      const res = await request(scaffolder.server)
        .post(`/api/akili/v1/tenants/${tenant}/products`)
        .set('Authorization', mockCredentials.user.header(user))
        .set('Content-Type', 'application/yaml')
        .send(testManifest(tenant, { name }));
      if (res.status !== 201) {
        throw new Error(`registering ${tenant}/${name}: ${res.text}`);
      }
    };
    for (const [id, tenant, user] of [
      [1, 'acme', 'user:default/ann'],
      [2, 'globex', 'user:default/dora'],
    ] as const) {
      scaffolder.gitlab.addProject({
        id,
        pathWithNamespace: `data-products/${tenant}/orders`,
        defaultBranch: 'main',
        files: { main: { 'dataproduct.yaml': testManifest(tenant) } },
      });
      await register(tenant, user);
    }
    // Registered, but without a GitLab project.
    await register('acme', 'user:default/ann', 'orphan');
  });

  afterAll(async () => {
    await scaffolder?.gitlab.stop();
  });

  const deploy = (values: object, user = 'user:default/ann') =>
    runTask(scaffolder, user, 'template:default/deploy', {
      product: 'dataproduct:acme/orders',
      ...values,
    });

  /** The newest pipeline of the GitLab project `projectId`, once the task has created it. */
  const newPipeline = async (projectId: number, after: number) => {
    for (let i = 0; i < 400; i++) {
      const created = [...scaffolder.gitlab.pipelines.values()].find(
        p => p.projectId === projectId && p.id > after,
      );
      if (created) {
        return created;
      }
      await new Promise(resolve => setTimeout(resolve, 25));
    }
    throw new Error('no pipeline was created');
  };
  const lastPipelineId = () =>
    Math.max(0, ...scaffolder.gitlab.pipelines.keys());

  const deploymentsOf = async (tenant: string, user: string) =>
    (
      await request(scaffolder.server)
        .get(`/api/akili/v1/tenants/${tenant}/products/orders/deployments`)
        .set('Authorization', mockCredentials.user.header(user))
    ).body.items as { id: string; requestedBy: string; status: string }[];

  it('deploys as the task’s user and waits for the pipeline, logging its progress', async () => {
    const after = lastPipelineId();
    const task = deploy({ wait: true });
    const pipeline = await newPipeline(1, after);
    expect(pipeline.variables).toMatchObject({
      AKILI_PRODUCT: 'dataproduct:acme/orders',
      AKILI_VERSION: '1.0.0',
    });
    scaffolder.gitlab.setPipelineStatus(pipeline.id, 'running');
    await new Promise(resolve => setTimeout(resolve, 300));
    scaffolder.gitlab.setPipelineStatus(pipeline.id, 'success');
    const done = await task;
    expect(done.status).toBe('completed');
    expect(done.output).toEqual({
      entityRef: 'dataproduct:acme/orders',
      deploymentId: expect.any(String),
      pipelineUrl: expect.stringMatching(
        new RegExp(`/data-products/acme/orders/-/pipelines/${pipeline.id}$`),
      ),
      status: 'success',
    });
    expect(done.log).toContain(
      'Deploying dataproduct:acme/orders revision 1 through',
    );
    expect(done.log).toContain(
      'Deployment of dataproduct:acme/orders: running',
    );
    expect(done.log).toContain('Deployed dataproduct:acme/orders');
    const [latest] = await deploymentsOf('acme', 'user:default/ann');
    // The user's identity reached the control plane, not the scaffolder's.
    expect(latest).toMatchObject({
      id: done.output!.deploymentId,
      requestedBy: 'user:default/ann',
      status: 'success',
    });
  });

  it('without wait, answers the started deployment', async () => {
    const after = lastPipelineId();
    const done = await deploy({});
    expect(done.status).toBe('completed');
    expect(done.output).toMatchObject({ status: 'pending' });
    expect((await newPipeline(1, after)).status).toBe('created');
  });

  it('fails the step when the pipeline fails, saying where to look', async () => {
    const after = lastPipelineId();
    const task = deploy({ wait: true });
    const pipeline = await newPipeline(1, after);
    scaffolder.gitlab.setPipelineStatus(pipeline.id, 'failed');
    const done = await task;
    expect(done.status).toBe('failed');
    expect(done.log).toMatch(
      /The deployment of dataproduct:acme\/orders ended failed: The GitLab pipeline ended failed: see the failed jobs of the pipeline http:\/\/\S+\/data-products\/acme\/orders\/-\/pipelines\/\d+, fix the product and deploy it again/,
    );
    expect(done.output).toBeUndefined();
  });

  it('fails within seconds with what to do when GitLab is down, triggering nothing', async () => {
    const port = Number(new URL(scaffolder.gitlab.baseUrl).port);
    const before = (await deploymentsOf('acme', 'user:default/ann')).length;
    await scaffolder.gitlab.stop();
    const started = Date.now();
    let done: Awaited<ReturnType<typeof deploy>>;
    try {
      done = await deploy({ wait: true });
    } finally {
      await scaffolder.gitlab.start(port);
    }
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(done.status).toBe('failed');
    expect(done.log).toMatch(
      /Could not deploy dataproduct:acme\/orders: GitLab at http:\/\/127\.0\.0\.1:\d+\/api\/v4 did not answer GET \/projects\/data-products%2Facme%2Forders within 2 s .*try again when GitLab is reachable/,
    );
    expect(await deploymentsOf('acme', 'user:default/ann')).toHaveLength(
      before,
    );
  });

  it('fails with what to do when GitLab has no project for the product', async () => {
    const done = await deploy({ product: 'dataproduct:acme/orphan' });
    expect(done.status).toBe('failed');
    expect(done.log).toContain(
      'Could not deploy dataproduct:acme/orphan: GitLab refused GET /projects/data-products%2Facme%2Forphan with 404 (404 Project Not Found): check that the GitLab project data-products/acme/orphan exists',
    );
  });

  it('refuses a product of another tenant than the task’s, and one that is not registered', async () => {
    const after = lastPipelineId();
    // dora develops globex too, but the task is acme's.
    const foreign = await deploy(
      { product: 'dataproduct:globex/orders' },
      'user:default/dora',
    );
    expect(foreign.status).toBe('failed');
    expect(foreign.log).toContain(
      "The tenant of dataproduct:globex/orders 'globex' is not this task's tenant 'acme'",
    );
    const missing = await deploy({ product: 'dataproduct:acme/nothing' });
    expect(missing.status).toBe('failed');
    expect(missing.log).toContain(
      'Could not deploy dataproduct:acme/nothing: No data product dataproduct:acme/nothing in the registry: submit its manifest before deploying it',
    );
    const invalid = await deploy({ product: 'orders' });
    expect(invalid.status).toBe('failed');
    expect(invalid.log).toContain(
      "akili:product:deploy: product 'orders' is not dataproduct:<tenant>/<name>",
    );
    expect(lastPipelineId()).toBe(after);
    expect(
      (await deploymentsOf('globex', 'user:default/dora')).filter(
        d => d.requestedBy === 'user:default/dora',
      ),
    ).toEqual([]);
  });

  it('a dry run checks the product and the user, triggering nothing', async () => {
    const after = lastPipelineId();
    const dryRun = (product: string, user = 'user:default/ann') =>
      scaffolder.as(user).post('/v2/dry-run', {
        template,
        values: { tenant: 'acme', product },
        directoryContents: [],
      });
    const res = await dryRun('dataproduct:acme/orders');
    expect({ status: res.status, error: res.body.error }).toEqual({
      status: 200,
      error: undefined,
    });
    expect(res.body.output).toEqual({
      entityRef: 'dataproduct:acme/orders',
      status: 'planned',
    });
    expect(
      res.body.log
        .map((l: { body: { message: string } }) => l.body.message)
        .join('\n'),
    ).toContain(
      'Would deploy dataproduct:acme/orders revision 1 through a pipeline of data-products/acme/orders on main (dry run, nothing triggered)',
    );
    // ann is no developer of globex.
    const foreign = await dryRun('dataproduct:globex/orders');
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.message).toContain(
      "The tenant of dataproduct:globex/orders 'globex' is not a tenant where you are a developer or operator",
    );
    expect(lastPipelineId()).toBe(after);
  });
});
