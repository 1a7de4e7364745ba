import fs from 'node:fs';
import path from 'node:path';
import { parseManifest } from '@akili/plugin-akili-common';
import { testManifestYaml } from '@akili/plugin-akili-node/testUtils';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the real control plane, in tests only
import akiliPlugin from '@akili/plugin-akili-backend';
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import { startScaffolder } from './__testUtils__/startScaffolder';

jest.setTimeout(60_000);

/** The edit template of the repository. */
const TEMPLATE = parseYaml(
  fs.readFileSync(
    path.resolve(__dirname, '../../../templates/edit-product/template.yaml'),
    'utf8',
  ),
);

const manifest = (tenant: string, name: string) =>
  `# Written by the sql-product template.\n${testManifestYaml(tenant, name, {
    version: '1.4.2',
    port: 'orders',
  })}`;

const addPort = {
  addOutputPorts: [
    {
      name: 'order_lines',
      columns: [
        { name: 'order_id', type: 'string', classification: 'internal' },
        { name: 'email', type: 'string', classification: 'pii' },
      ],
    },
  ],
  bump: 'minor',
};

type DryRunFile = { path: string; base64Content: string };

describe('the edit template (akili-edit-product) through the scaffolder', () => {
  let scaffolder: Awaited<ReturnType<typeof startScaffolder>>;

  beforeAll(async () => {
    scaffolder = await startScaffolder({
      templates: [
        {
          ...TEMPLATE,
          metadata: {
            ...TEMPLATE.metadata,
            namespace: 'default',
            annotations: {
              'backstage.io/managed-by-location':
                'url:https://example.test/templates/edit-product/template.yaml',
            },
          },
        },
      ],
      features: [akiliPlugin],
      akiliConfig: {
        reviews: { gitlab: { webhookSecret: 'review-secret' } },
        tenants: {
          seed: [
            { name: 'acme', title: 'ACME' },
            { name: 'globex', title: 'Globex' },
          ],
        },
      },
    });
    const { gitlab } = scaffolder;
    gitlab.addProject({
      id: 1,
      pathWithNamespace: 'data-products/acme/orders',
      defaultBranch: 'main',
      files: {
        main: {
          'dataproduct.yaml': manifest('acme', 'orders'),
          'README.md': '# orders\n',
        },
      },
    });
    gitlab.addProject({
      id: 2,
      pathWithNamespace: 'data-products/globex/stats',
      defaultBranch: 'main',
      files: { main: { 'dataproduct.yaml': manifest('globex', 'stats') } },
    });
    // The registry's current version of acme's product: what the change is diffed against.
    const res = await request(scaffolder.server)
      .post('/api/akili/v1/tenants/acme/products')
      .set('Authorization', mockCredentials.user.header('user:default/ann'))
      .set('Content-Type', 'application/yaml')
      .send(manifest('acme', 'orders'));
    if (res.status !== 201) {
      throw new Error(`registering acme/orders: ${res.status} ${res.text}`);
    }
  });

  afterAll(async () => {
    await scaffolder.gitlab.stop();
  });

  const values = (more: object = {}) => ({
    tenant: 'acme',
    product: 'dataproduct:acme/orders',
    gitlabUrl: scaffolder.gitlab.baseUrl,
    branch: 'main',
    ...addPort,
    ...more,
  });
  const dryRun = (v: object, user = 'user:default/ann') =>
    scaffolder.as(user).post('/v2/dry-run', {
      template: TEMPLATE,
      values: v,
      directoryContents: [],
    });
  const messages = (res: request.Response) =>
    (res.body.log ?? []).map((l: any) => l.body.message).join('\n');

  it('dry run: reads the manifest from the project, edits it, validates it and shows the registry’s answer; opens no merge request', async () => {
    scaffolder.gitlab.requests.length = 0;
    const res = await dryRun(values());
    expect({ status: res.status, error: res.body.error }).toEqual({
      status: 200,
      error: undefined,
    });
    const file = (res.body.directoryContents as DryRunFile[]).find(
      f => f.path === 'repo/dataproduct.yaml',
    );
    const text = Buffer.from(file!.base64Content, 'base64').toString('utf8');
    expect(text).toContain('# Written by the sql-product template.');
    const [edited] = parseManifest(text).manifests;
    expect(edited.spec.version).toBe('1.5.0');
    expect(edited.spec.outputPorts.map(p => p.name)).toEqual([
      'orders',
      'order_lines',
    ]);
    expect(edited.spec.outputPorts[1].schema[1]).toEqual({
      name: 'email',
      type: 'string',
      classification: 'pii',
    });

    const log = messages(res);
    expect(log).toContain(
      'dataproduct:acme/orders: Added output port order_lines (2 columns)',
    );
    expect(log).toContain('repo/dataproduct.yaml is a valid akili manifest');
    expect(log).toMatch(
      /The registry would register dataproduct:acme\/orders revision 2: \d+ changes? \(dry run, nothing stored\)/,
    );
    expect(res.body.output.text[0].content).toContain(
      'Version 1.4.2 → 1.5.0 (minor)',
    );
    // Read from the tenant's project; nothing written to GitLab.
    expect(scaffolder.gitlab.requests).toContain(
      'GET /api/v4/projects/data-products%2Facme%2Forders/repository/files/dataproduct.yaml/raw?ref=main',
    );
    expect(
      scaffolder.gitlab.requests.filter(r => !r.startsWith('GET ')),
    ).toEqual([]);
    expect(scaffolder.gitlab.mergeRequests.of(1)).toEqual([]);
  });

  it('refuses a product of a tenant other than the task’s, before GitLab is read', async () => {
    scaffolder.gitlab.requests.length = 0;
    // ann develops only in acme.
    const res = await dryRun(values({ product: 'dataproduct:globex/stats' }));
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      "'data-products/globex/stats' is not inside the GitLab group of a tenant where you are a developer or operator (below 'data-products')",
    );
    // dora develops in both tenants: the task's tenant still decides.
    const created = await scaffolder.as('user:default/dora').post('/v2/tasks', {
      templateRef: 'template:default/akili-edit-product',
      values: values({ product: 'dataproduct:globex/stats' }),
    });
    const result = await scaffolder.finished(created.body.id);
    expect(result.status).toBe('failed');
    expect(result.log).toContain("this task's tenant 'acme'");
    expect(scaffolder.gitlab.requests.some(r => r.includes('globex'))).toBe(
      false,
    );
    expect(scaffolder.gitlab.mergeRequests.of(2)).toEqual([]);

    // ann is not in globex: the task itself is refused.
    const refused = await dryRun(
      values({ tenant: 'globex', product: 'dataproduct:globex/stats' }),
    );
    expect(refused.status).toBe(403);
  });

  it('refuses a breaking change without a major version and the acknowledgement; with them, the registry names it breaking', async () => {
    const res = await dryRun(
      values({
        addOutputPorts: [],
        removeOutputPorts: ['orders'],
        bump: 'minor',
      }),
    );
    // The form's schema asks for both (the scaffolder checks it before the run); the action
    // refuses too, for a template that forgets it.
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        property: 'instance.bump',
        message: 'does not exactly match expected constant: major',
      }),
    ]);
    // With both, the removal is written and the registry's dry run names it as breaking.
    const breaking = await dryRun(
      values({
        addOutputPorts: [
          { name: 'orders_v2', columns: [{ name: 'id', type: 'string' }] },
        ],
        removeOutputPorts: ['orders'],
        bump: 'major',
        acknowledgeBreaking: true,
      }),
    );
    expect(breaking.status).toBe(200);
    expect(messages(breaking)).toMatch(
      /would register dataproduct:acme\/orders revision 2: \d+ changes \(\d+ breaking\)/,
    );
  });

  it('real run: opens a merge request whose branch holds the changed manifest, and the control plane’s review comments on it; the registry stores nothing', async () => {
    const created = await scaffolder.as('user:default/ann').post('/v2/tasks', {
      templateRef: 'template:default/akili-edit-product',
      values: values(),
    });
    expect(created.status).toBe(201);
    const result = await scaffolder.finished(created.body.id);
    expect({
      status: result.status,
      log: result.status === 'completed' ? '' : result.log,
    }).toEqual({
      status: 'completed',
      log: '',
    });

    const [mr] = scaffolder.gitlab.mergeRequests.of(1);
    expect(mr).toMatchObject({
      sourceBranch: 'akili/orders-1.5.0',
      targetBranch: 'main',
      title: 'Data product orders 1.5.0',
      state: 'opened',
    });
    expect(mr.description).toContain(
      'Added output port order_lines (2 columns)',
    );
    const project = scaffolder.gitlab.projects.get(1)!;
    const onBranch = parseManifest(
      project.files[mr.sourceBranch]['dataproduct.yaml'],
    ).manifests[0];
    expect(onBranch.spec.version).toBe('1.5.0');
    expect(onBranch.spec.outputPorts.map(p => p.name)).toEqual([
      'orders',
      'order_lines',
    ]);
    // Only the manifest changed; the default branch is as it was.
    expect(project.files[mr.sourceBranch]['README.md']).toBe('# orders\n');
    expect(project.files.main['dataproduct.yaml']).toBe(
      manifest('acme', 'orders'),
    );
    const [commit] = scaffolder.gitlab.mergeRequests.commits;
    expect(commit.actions.map(a => [a.action, a.file_path])).toEqual([
      ['update', 'dataproduct.yaml'],
    ]);

    // The task's output links to the merge request.
    const events = await scaffolder
      .as('user:default/ann')
      .get(`/v2/tasks/${created.body.id}/events`);
    const completion = events.body.find((e: any) => e.type === 'completion');
    expect(completion.body.output.links[0]).toEqual({
      title: 'Merge request',
      url: `${scaffolder.gitlab.baseUrl}/data-products/acme/orders/-/merge_requests/1`,
    });
    const registry = await request(scaffolder.server)
      .get('/api/akili/v1/tenants/acme/products/orders')
      .set('Authorization', mockCredentials.user.header('user:default/ann'));
    expect(registry.body.revision).toBe(1);

    // GitLab's merge-request webhook: the control plane comments with the consumer impact.
    const hook = await request(scaffolder.server)
      .post('/api/akili/v1/webhooks/gitlab')
      .set('X-Gitlab-Token', 'review-secret')
      .send(scaffolder.gitlab.mergeRequests.mergeRequestEvent(1, mr.iid));
    expect(hook.status).toBe(202);
    for (
      let i = 0;
      i < 200 && !scaffolder.gitlab.mergeRequests.notesOf(1, mr.iid).length;
      i++
    ) {
      await new Promise(resolve => setTimeout(resolve, 25));
    }
    const [note] = scaffolder.gitlab.mergeRequests.notesOf(1, mr.iid);
    expect(note.body).toContain(
      '### Consumer impact of `dataproduct:acme/orders`',
    );
    expect(note.body).toContain('**No consumer impact**');
    expect(note.body).toContain('`spec.outputPorts[order_lines]`');

    // The same change again: GitLab's refusal (the branch and its merge request exist) is named.
    const again = await scaffolder.as('user:default/ann').post('/v2/tasks', {
      templateRef: 'template:default/akili-edit-product',
      values: values(),
    });
    const second = await scaffolder.finished(again.body.id);
    expect(second.status).toBe('failed');
    expect(second.log).toMatch(/branch already exists .*merge_requests\/1/);
    expect(scaffolder.gitlab.mergeRequests.of(1)).toHaveLength(1);
  });
});
