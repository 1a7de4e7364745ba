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

/** A template setting a CI/CD variable on any project id (the guard decides). */
const variableTemplate = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'set-variable', namespace: 'default' },
  spec: {
    type: 'service',
    parameters: [
      {
        properties: {
          tenant: { type: 'string' },
          projectId: { type: 'number' },
          gitlabHost: { type: 'string' },
        },
      },
    ],
    steps: [
      {
        id: 'ci-url',
        action: 'gitlab:projectVariable:create',
        input: {
          repoUrl: '${{ parameters.gitlabHost }}?owner=x&repo=y',
          projectId: '${{ parameters.projectId }}',
          key: 'AKILI_URL',
          value: 'https://elsewhere.example',
          variableType: 'env_var',
        },
      },
    ],
  },
};

describe('a template run publishes its GitLab project with a real git push', () => {
  let scaffolder: Awaited<ReturnType<typeof startScaffolder>>;
  let work: string;

  beforeAll(async () => {
    scaffolder = await startScaffolder({
      templates: [sqlTemplate(), variableTemplate],
      features: [akiliPlugin],
      akiliConfig: {
        tenants: { seed: [{ name: 'acme', title: 'ACME' }] },
      },
      config: { backend: { baseUrl: 'http://portal.akili.test' } },
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
    return {
      id: res.body.id as string,
      ...(await scaffolder.finished(res.body.id)),
    };
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

    // The CI/CD variables that are not secrets: AKILI_URL is the portal's (backend.baseUrl);
    // AKILI_TOKEN is the operator's to add, AKILI_PRODUCT marks a deployment's pipeline.
    const variables = await fetch(
      `${scaffolder.gitlab.baseUrl}/api/v4/projects/${project!.id}/variables`,
      { headers: { 'private-token': scaffolder.gitlab.token } },
    );
    expect(await variables.json()).toEqual([
      expect.objectContaining({
        key: 'AKILI_URL',
        value: 'http://portal.akili.test',
        variable_type: 'env_var',
        masked: false,
        environment_scope: '*',
      }),
    ]);
    expect(scaffolder.gitlab.projectAdmin.of(project!.id)).toEqual({
      AKILI_URL: 'http://portal.akili.test',
    });
    // The task's output tells who adds the secret AKILI_TOKEN, and where.
    const events = await scaffolder
      .as('user:default/ann')
      .get(`/v2/tasks/${task.id}/events`);
    const { output } = (
      events.body as { type: string; body: { output?: any } }[]
    ).find(e => e.type === 'completion')!.body;
    expect(output.text).toEqual([
      expect.objectContaining({
        content: expect.stringContaining(
          'An operator of the tenant adds it once as the\nCI/CD variable `AKILI_TOKEN` (masked and protected)',
        ),
      }),
    ]);

    const entry = await registryEntry('order-stats');
    expect(entry.status).toBe(200);
    expect(entry.body).toMatchObject({
      entityRef: 'dataproduct:acme/order-stats',
      status: 'registered',
      revision: 1,
      createdBy: 'user:default/ann',
    });
  });

  it('a push GitLab refuses fails the task saying what to do, and leaves no project and no product behind', async () => {
    // The integration's token may create the project but not push to it.
    scaffolder.gitlab.tokens.set(scaffolder.gitlab.token, { push: false });
    let task: { status: string; log: string };
    try {
      task = await runTemplate('refused-push');
    } finally {
      scaffolder.gitlab.tokens.set(scaffolder.gitlab.token, {});
    }
    expect(task.status).toBe('failed');
    // GitLab's answer, what was done and what to do.
    expect(task.log).toContain(
      'GitLab refused the push to data-products/acme/refused-push (HTTP Error: 403 Forbidden',
    );
    expect(task.log).toContain(
      'You are not allowed to push code to this project.',
    );
    expect(task.log).toContain(
      'the project was removed again, so nothing is left and the name is free; ask a maintainer of the GitLab group data-products/acme for push rights to its projects (Developer or above), then run the template again.',
    );
    expect(task.log).toContain(
      'Skipping step register because a previous step failed',
    );
    expect(scaffolder.gitlab.requests).toEqual(
      expect.arrayContaining([
        'GET /data-products/acme/refused-push.git/info/refs?service=git-receive-pack',
        expect.stringMatching(/^DELETE \/api\/v4\/projects\/\d+$/),
      ]),
    );
    // Nothing is left: no project on GitLab, no product in the registry.
    expect(
      [...scaffolder.gitlab.projects.values()].filter(
        p => p.pathWithNamespace === 'data-products/acme/refused-push',
      ),
    ).toEqual([]);
    const entry = await registryEntry('refused-push');
    expect(entry.status).toBe(404);

    // So the same run works once the token may push.
    const again = await runTemplate('refused-push');
    expect(again).toMatchObject({ status: 'completed' });
  });

  it('a project GitLab does not let the run remove again is named in the error, with what to do', async () => {
    scaffolder.gitlab.tokens.set(scaffolder.gitlab.token, { push: false });
    scaffolder.gitlab.projectAdmin.refuseDeletes = true;
    let task: { status: string; log: string };
    try {
      task = await runTemplate('left-behind');
    } finally {
      scaffolder.gitlab.tokens.set(scaffolder.gitlab.token, {});
      scaffolder.gitlab.projectAdmin.refuseDeletes = false;
    }
    expect(task.status).toBe('failed');
    expect(task.log).toContain(
      `and removing the project again failed (GitLab answered 403 Forbidden): the empty project ${scaffolder.gitlab.baseUrl}/data-products/acme/left-behind is left and must be removed (GitLab: Settings > General > Advanced > Delete project) before the template can run again with this name; ask a maintainer of the GitLab group data-products/acme for push rights`,
    );
    expect(
      [...scaffolder.gitlab.projects.values()].find(
        p => p.pathWithNamespace === 'data-products/acme/left-behind',
      )?.files,
    ).toEqual({});
    expect((await registryEntry('left-behind')).status).toBe(404);
  });

  it('a project that existed before the step is never removed, even when the push fails', async () => {
    scaffolder.gitlab.addProject({
      id: 4711,
      pathWithNamespace: 'data-products/acme/taken-empty',
      defaultBranch: 'main',
      files: {},
    });
    const task = await runTemplate('taken-empty');
    expect(task.status).toBe('failed');
    expect(task.log).not.toContain('removed again');
    expect(scaffolder.gitlab.projects.get(4711)).toBeDefined();
    expect(scaffolder.gitlab.requests).not.toContain(
      'DELETE /api/v4/projects/4711',
    );
  });

  it("sets a CI/CD variable on the task tenant's projects only", async () => {
    const foreign = { id: 4800, path: 'data-products/globex/orders' };
    const own = { id: 4801, path: 'data-products/acme/orders' };
    for (const p of [foreign, own]) {
      scaffolder.gitlab.addProject({
        id: p.id,
        pathWithNamespace: p.path,
        defaultBranch: 'main',
        files: {},
      });
    }
    const setOn = async (projectId: number) => {
      const res = await scaffolder.as('user:default/dora').post('/v2/tasks', {
        templateRef: 'template:default/set-variable',
        values: {
          tenant: 'acme',
          projectId,
          gitlabHost: scaffolder.gitlab.host,
        },
      });
      expect(res.status).toBe(201);
      return scaffolder.finished(res.body.id);
    };
    // dora develops globex too, but this task is acme's.
    const refused = await setOn(foreign.id);
    expect(refused.status).toBe('failed');
    expect(refused.log).toContain(
      "GitLab project 4800 is not inside the GitLab group of this task's tenant 'acme'",
    );
    expect(scaffolder.gitlab.projectAdmin.of(foreign.id)).toEqual({});

    expect(await setOn(own.id)).toMatchObject({ status: 'completed' });
    expect(scaffolder.gitlab.projectAdmin.of(own.id)).toEqual({
      AKILI_URL: 'https://elsewhere.example',
    });

    // GitLab refusing it (the key is taken now) fails the step saying what to do.
    const taken = await setOn(own.id);
    expect(taken.status).toBe('failed');
    expect(taken.log).toContain(
      'GitLab did not set the CI/CD variable AKILI_URL on project 4801 (400 {"key":["(AKILI_URL) has already been taken"]}): the project exists; a maintainer of it can set AKILI_URL in its Settings > CI/CD > Variables',
    );
  });
});
