import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GitlabTestServer } from '@akili/gitlab-test-server';
import { captureIo } from '../__testUtils__/captureIo';
import { startAkiliBackend } from '../__testUtils__/startAkiliBackend';
import { ExitCode } from '../lib/io';
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
      files: { main: { 'dataproduct.yaml': manifest } },
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
});
