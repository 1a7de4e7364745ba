import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GitlabTestServer } from '@akili/gitlab-test-server';
import { captureIo } from '../__testUtils__/captureIo';
import { startAkiliBackend } from '../__testUtils__/startAkiliBackend';
import { ExitCode } from '../lib/io';
import { main } from '../cli';
import { runDeploy } from './deploy';
import { runSubmit } from './submit';

jest.setTimeout(60_000);

const manifest = `apiVersion: akili.io/v1alpha1
kind: DataProduct
metadata:
  name: orders
  namespace: acme
spec:
  type: source-aligned
  lifecycle: production
  owner: acme-sales
  domain: sales
  version: 2.1.0
  outputPorts:
    - name: orders
      kind: table
      location:
        table: { catalog: iceberg_acme, database: sales, table: orders }
      schema:
        - { name: order_id, type: string }
`;

describe('akili deploy against the control plane and the GitLab test server', () => {
  const gitlab = new GitlabTestServer();
  let backend: Awaited<ReturnType<typeof startAkiliBackend>>;
  let home: string;

  beforeAll(async () => {
    await gitlab.start();
    gitlab.addProject({
      id: 11,
      pathWithNamespace: 'data-products/acme/orders',
      defaultBranch: 'main',
      files: { main: { 'dataproduct.yaml': manifest }, feature: {} },
    });
    backend = await startAkiliBackend({ gitlab });
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'akili-deploy-'));
    fs.writeFileSync(path.join(home, 'dataproduct.yaml'), manifest);
    const io = captureIo(env(), home);
    const code = await runSubmit(
      'dataproduct.yaml',
      {
        tenant: 'acme',
        dryRun: false,
        acknowledgeBreaking: false,
        format: 'text',
      },
      io,
    );
    if (code !== ExitCode.Ok) {
      throw new Error(`submit failed: ${io.stderr()}`);
    }
  });
  afterAll(async () => {
    await gitlab.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  function env(token = backend.tokens.acmeCi) {
    return {
      AKILI_URL: backend.url,
      AKILI_TOKEN: token,
      AKILI_POLL_INTERVAL: '0.05',
      XDG_CONFIG_HOME: home,
    };
  }

  /** Moves the newest pipeline through `statuses` while the command follows it. */
  async function drive(statuses: Array<'running' | 'success' | 'failed'>) {
    for (const status of statuses) {
      while (gitlab.pipelines.size === 0) {
        await new Promise(resolve => setTimeout(resolve, 20));
      }
      await new Promise(resolve => setTimeout(resolve, 150));
      const newest = Math.max(...gitlab.pipelines.keys());
      gitlab.setPipelineStatus(newest, status);
    }
  }

  const deploy = (io: ReturnType<typeof captureIo>, follow = true) =>
    runDeploy('orders', { tenant: 'acme', follow, format: 'text' }, io);

  it('follows a deployment with progress lines to success (exit 0)', async () => {
    const io = captureIo(env(), home);
    const [code] = await Promise.all([
      deploy(io),
      drive(['running', 'success']),
    ]);
    expect(io.stderr()).toMatch(
      /^Deploying dataproduct:acme\/orders revision 1 \(version 2\.1\.0\) from data-products\/acme\/orders \(main\)\nPipeline: http:\/\/127\.0\.0\.1:\d+\/data-products\/acme\/orders\/-\/pipelines\/\d+\nStatus: pending\nStatus: running\nStatus: success\n$/,
    );
    expect(io.stdout()).toBe(
      'Deployed: dataproduct:acme/orders revision 1 (version 2.1.0)\n',
    );
    expect(code).toBe(ExitCode.Ok);
    const pipeline = gitlab.pipelines.get(
      Math.max(...gitlab.pipelines.keys()),
    )!;
    expect(pipeline.variables).toEqual({
      AKILI_PRODUCT: 'dataproduct:acme/orders',
      AKILI_VERSION: '2.1.0',
    });
  });

  it('exits 1 when the pipeline fails', async () => {
    gitlab.pipelines.clear();
    const io = captureIo(env(), home);
    const [code] = await Promise.all([deploy(io), drive(['failed'])]);
    expect(io.stdout()).toBe(
      'Deployment failed: dataproduct:acme/orders revision 1 (version 2.1.0) (The GitLab pipeline ended failed)\n',
    );
    expect(code).toBe(ExitCode.Refused);
  });

  it('starts without following with --no-follow', async () => {
    const io = captureIo(env(), home);
    expect(await deploy(io, false)).toBe(ExitCode.Ok);
    expect(io.stdout()).toMatch(
      /^Deployment [0-9a-f-]{36} started: pending\n$/,
    );
  });

  it('exits 3 without the permission and 4 for a product that is not there', async () => {
    const reader = captureIo(env(backend.tokens.acmeReader), home);
    expect(await deploy(reader)).toBe(ExitCode.Auth);
    expect(reader.stderr()).toMatch(
      /^Deploy acme\/orders: Not allowed \(403\)/,
    );
    const missing = captureIo(env(), home);
    expect(
      await runDeploy(
        'returns',
        { tenant: 'acme', follow: true, format: 'text' },
        missing,
      ),
    ).toBe(ExitCode.NotFound);
    expect(missing.stderr()).toContain(
      'No data product dataproduct:acme/returns in the registry',
    );
  });

  describe('--pipeline: recording a pipeline of the product’s CI', () => {
    /** A pipeline as a push to `ref` starts it (no variables), running. */
    async function pushPipeline(ref = 'main') {
      const res = await fetch(
        `${gitlab.baseUrl}/api/v4/projects/11/pipeline?ref=${ref}`,
        { method: 'POST', headers: { 'private-token': 'test-token' } },
      );
      const { id } = (await res.json()) as { id: number };
      gitlab.setPipelineStatus(id, 'running');
      return id;
    }

    /** `akili deploy orders --tenant acme <args>`, as typed. */
    const deployOrders = (
      io: ReturnType<typeof captureIo>,
      ...args: string[]
    ) => main(['deploy', 'orders', '--tenant', 'acme', ...args], io);

    it('records the pipeline running the job (--pipeline current --no-wait), once', async () => {
      const pipelineId = await pushPipeline();
      const pipelines = gitlab.pipelines.size;
      const ciEnv = { ...env(), CI_PIPELINE_ID: String(pipelineId) };
      const io = captureIo(ciEnv, home);
      expect(await deployOrders(io, '--pipeline', 'current', '--no-wait')).toBe(
        ExitCode.Ok,
      );
      expect(io.stderr()).toBe(
        `Recording pipeline ${pipelineId}: deploying dataproduct:acme/orders revision 1 (version 2.1.0) from data-products/acme/orders (main)\nPipeline: ${gitlab.baseUrl}/data-products/acme/orders/-/pipelines/${pipelineId}\nStatus: running\n`,
      );
      const id = io
        .stdout()
        .match(/^Deployment ([0-9a-f-]{36}) recorded: running\n$/)?.[1];
      expect(id).toBeDefined();
      expect(gitlab.pipelines.size).toBe(pipelines);

      // The job retried: the same deployment, by the pipeline's id as CI gives it.
      const again = captureIo(ciEnv, home);
      expect(
        await deployOrders(
          again,
          '--pipeline',
          String(pipelineId),
          '--no-wait',
          '--format',
          'json',
        ),
      ).toBe(ExitCode.Ok);
      expect(again.stderr()).toMatch(/^Recorded before: deploying /);
      expect(JSON.parse(again.stdout())).toMatchObject({
        id,
        pipelineId,
        requestedBy: 'token:acme.ci',
        status: 'running',
      });
      gitlab.setPipelineStatus(pipelineId, 'success');
    });

    it('refuses to wait for the pipeline running the job, and bad pipeline ids (exit 2)', async () => {
      const pipelineId = await pushPipeline();
      const ciEnv = { ...env(), CI_PIPELINE_ID: String(pipelineId) };
      const wait = captureIo(ciEnv, home);
      expect(await deployOrders(wait, '--pipeline', 'current')).toBe(
        ExitCode.Usage,
      );
      expect(wait.stderr()).toContain(
        `akili deploy: Pipeline ${pipelineId} is the one running this job, which cannot wait for its end: add --no-wait`,
      );
      const outsideCi = captureIo(env(), home);
      expect(
        await deployOrders(outsideCi, '--pipeline', 'current', '--no-wait'),
      ).toBe(ExitCode.Usage);
      expect(outsideCi.stderr()).toContain('CI_PIPELINE_ID, which is not set');
      const notAnId = captureIo(env(), home);
      expect(
        await deployOrders(notAnId, '--pipeline', '12a', '--no-wait'),
      ).toBe(ExitCode.Usage);
      expect(notAnId.stderr()).toContain(
        '--pipeline takes a GitLab pipeline id or "current", not "12a"',
      );
      const list = await fetch(
        `${backend.url}/api/akili/v1/tenants/acme/products/orders/deployments`,
        { headers: { authorization: `Bearer ${backend.tokens.acmeCi}` } },
      );
      const { items } = (await list.json()) as {
        items: Array<{ pipelineId: number }>;
      };
      expect(items.length).toBeGreaterThan(0);
      expect(items.some(d => d.pipelineId === pipelineId)).toBe(false);
      gitlab.setPipelineStatus(pipelineId, 'canceled');
    });

    it('exits 1 for a pipeline of another branch, naming why', async () => {
      const pipelineId = await pushPipeline('feature');
      const io = captureIo(env(), home);
      expect(
        await runDeploy(
          'orders',
          {
            tenant: 'acme',
            follow: false,
            format: 'text',
            pipeline: String(pipelineId),
          },
          io,
        ),
      ).toBe(ExitCode.Refused);
      expect(io.stderr()).toContain(
        `Pipeline ${pipelineId} of data-products/acme/orders runs on the branch 'feature', not on the default branch 'main': only the default branch deploys`,
      );
    });

    it('follows a recorded pipeline to its end from outside it', async () => {
      gitlab.pipelines.clear();
      const pipelineId = await pushPipeline();
      const io = captureIo(env(), home);
      const [code] = await Promise.all([
        runDeploy(
          'orders',
          {
            tenant: 'acme',
            follow: true,
            format: 'text',
            pipeline: String(pipelineId),
          },
          io,
        ),
        drive(['success']),
      ]);
      expect(io.stderr()).toMatch(/\nStatus: running\nStatus: success\n$/);
      expect(io.stdout()).toBe(
        'Deployed: dataproduct:acme/orders revision 1 (version 2.1.0)\n',
      );
      expect(code).toBe(ExitCode.Ok);
      expect(gitlab.pipelines.size).toBe(1);
    });
  });
});
