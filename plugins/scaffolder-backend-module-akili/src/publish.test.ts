import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseManifest } from '@akili/plugin-akili-common';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the real control plane, in tests only
import akiliPlugin from '@akili/plugin-akili-backend';
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import { startScaffolder } from './__testUtils__/startScaffolder';

jest.setTimeout(90_000);

const run = promisify(execFile);

/** The SQL product template of the repository, as the catalog holds it (a file location). */
function sqlTemplate() {
  const file = path.resolve(
    __dirname,
    '../../../templates/sql-product/template.yaml',
  );
  const entity = parseYaml(fs.readFileSync(file, 'utf8'));
  entity.metadata.namespace = 'default';
  entity.metadata.annotations = {
    'backstage.io/managed-by-location': `file:${file}`,
  };
  return entity;
}

const values = (name: string, gitlabHost: string) => ({
  tenant: 'acme',
  name,
  title: 'Order statistics',
  domain: 'domain:default/sales',
  owner: 'sales-analytics',
  description: 'Orders and revenue per day.',
  outputPorts: [
    {
      name: 'daily_orders',
      columns: [
        { name: 'order_date', type: 'date' },
        { name: 'revenue', type: 'decimal' },
      ],
    },
  ],
  gitlabHost,
});

/** `git clone` with the git CLI, never prompting nor reading the machine's git configuration. */
async function gitClone(url: string, dir: string) {
  await run('git', ['clone', '-q', url, dir], {
    env: {
      PATH: process.env.PATH,
      HOME: os.tmpdir(),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_TERMINAL_PROMPT: '0',
    },
  });
}

describe('a template run publishes its GitLab project with a real git push', () => {
  let scaffolder: Awaited<ReturnType<typeof startScaffolder>>;
  let work: string;

  beforeAll(async () => {
    scaffolder = await startScaffolder({
      templates: [sqlTemplate()],
      features: [akiliPlugin],
      akiliConfig: {
        tenants: { seed: [{ name: 'acme', title: 'ACME' }] },
      },
    });
    scaffolder.gitlab.addGroup('data-products/acme');
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'akili-publish-test-'));
  });

  afterAll(async () => {
    await scaffolder.gitlab.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const runTemplate = async (name: string) => {
    const res = await scaffolder.as('user:default/ann').post('/v2/tasks', {
      templateRef: 'template:default/akili-sql-product',
      values: values(name, scaffolder.gitlab.host),
    });
    expect(res.status).toBe(201);
    return scaffolder.finished(res.body.id);
  };

  const registryEntry = (name: string) =>
    request(scaffolder.server)
      .get(`/api/akili/v1/tenants/acme/products/${name}`)
      .set('Authorization', mockCredentials.user.header('user:default/ann'));

  it('sql-product: the pushed repository holds the manifest, README, CI and tests, and the product is registered', async () => {
    const task = await runTemplate('order-stats');
    expect(task).toMatchObject({ status: 'completed' });

    const project = [...scaffolder.gitlab.projects.values()].find(
      p => p.pathWithNamespace === 'data-products/acme/order-stats',
    );
    expect(project).toBeDefined();
    expect(scaffolder.gitlab.requests).toEqual(
      expect.arrayContaining([
        'POST /api/v4/projects',
        'GET /data-products/acme/order-stats.git/info/refs?service=git-receive-pack',
        'POST /data-products/acme/order-stats.git/git-receive-pack',
      ]),
    );

    const clone = path.join(work, 'order-stats');
    const url = `${scaffolder.gitlab.baseUrl.replace(
      '//',
      `//oauth2:${scaffolder.gitlab.token}@`,
    )}/data-products/acme/order-stats.git`;
    await gitClone(url, clone);
    const read = (file: string) =>
      fs.readFileSync(path.join(clone, file), 'utf8');

    const manifest = parseManifest(read('dataproduct.yaml'));
    expect(manifest.errors).toEqual([]);
    expect(manifest.valid).toBe(true);
    expect(manifest.manifests[0].metadata).toMatchObject({
      name: 'order-stats',
      namespace: 'acme',
    });
    expect(read('README.md')).toContain('Order statistics');
    expect(read('README.md')).not.toContain('${{');
    expect(
      parseYaml(read('.gitlab-ci.yml'))['validate-manifest'].script,
    ).toEqual(['akili validate dataproduct.yaml']);
    expect(fs.readdirSync(path.join(clone, 'tests'))).toContain(
      'test_models.py',
    );
    expect(read('models/daily_orders.sql')).toContain('AS order_date');

    // The project's repository endpoints answer from what was pushed.
    const raw = await fetch(
      `${scaffolder.gitlab.baseUrl}/api/v4/projects/${
        project!.id
      }/repository/files/dataproduct.yaml/raw?ref=main`,
      { headers: { 'private-token': scaffolder.gitlab.token } },
    );
    expect(await raw.text()).toBe(read('dataproduct.yaml'));

    const entry = await registryEntry('order-stats');
    expect(entry.status).toBe(200);
    expect(entry.body).toMatchObject({
      entityRef: 'dataproduct:acme/order-stats',
      status: 'registered',
      revision: 1,
      createdBy: 'user:default/ann',
    });
  });

  it('a push GitLab refuses fails the task with the reason, and registers nothing', async () => {
    // The integration's token may create the project but not push to it.
    scaffolder.gitlab.tokens.set(scaffolder.gitlab.token, { push: false });
    try {
      const task = await runTemplate('refused-push');
      expect(task.status).toBe('failed');
      // The official action's error carries GitLab's answer.
      expect(task.log).toContain('HTTP Error: 403 Forbidden');
      expect(task.log).toContain(
        'You are not allowed to push code to this project.',
      );
      expect(task.log).toContain(
        'Skipping step register because a previous step failed',
      );
    } finally {
      scaffolder.gitlab.tokens.set(scaffolder.gitlab.token, {});
    }
    const entry = await registryEntry('refused-push');
    expect(entry.status).toBe(404);
    // What is left: the project GitLab created, empty.
    const project = [...scaffolder.gitlab.projects.values()].find(
      p => p.pathWithNamespace === 'data-products/acme/refused-push',
    );
    expect(project?.files).toEqual({});
    expect(
      scaffolder.gitlab.requests.filter(r => r.includes('git-receive-pack')),
    ).toContain(
      'GET /data-products/acme/refused-push.git/info/refs?service=git-receive-pack',
    );
  });
});
