import { GitlabTestServer } from '@akili/gitlab-test-server';
import { startScaffolder } from './__testUtils__/startScaffolder';

jest.setTimeout(60_000);

/** Users and the ownership refs of their tokens, as the Akili sign-in resolver issues them. */
const USERS: Record<string, string[]> = {
  'user:default/ann': ['user:default/ann', 'group:akili/acme.developer'],
  'user:default/abe': ['user:default/abe', 'group:akili/acme.developer'],
  'user:default/otto': ['user:default/otto', 'group:akili/acme.operator'],
  'user:default/gina': [
    'user:default/gina',
    'group:akili/globex.developer',
    'group:akili/globex.operator',
  ],
  'user:default/dora': [
    'user:default/dora',
    'group:akili/acme.developer',
    'group:akili/globex.developer',
  ],
  'user:default/carl': ['user:default/carl', 'group:akili/acme.consumer'],
  'user:default/nobody': ['user:default/nobody'],
  'user:default/root': ['user:default/root', 'group:akili/platform-admin'],
};

const template = (steps: object[]) => ({
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'dry-run', namespace: 'default' },
  spec: {
    type: 'service',
    parameters: [
      {
        properties: {
          tenant: { type: 'string' },
          target: { type: 'string' },
        },
      },
    ],
    steps,
  },
});

describe('the scaffolder inside the tenant (real scaffolder, permission backend and Akili policy)', () => {
  let gitlab: GitlabTestServer;
  let as: Awaited<ReturnType<typeof startScaffolder>>['as'];
  let finished: Awaited<ReturnType<typeof startScaffolder>>['finished'];

  const createTask = async (user: string, values: object) => {
    const res = await as(user).post('/v2/tasks', {
      templateRef: 'template:default/hello',
      values,
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  beforeAll(async () => {
    ({ gitlab, as, finished } = await startScaffolder({
      users: USERS,
      templates: testGitlab => [
        {
          apiVersion: 'scaffolder.backstage.io/v1beta3',
          kind: 'Template',
          metadata: {
            name: 'hello',
            namespace: 'default',
            annotations: {
              'backstage.io/managed-by-location':
                'url:https://example.test/t.yaml',
            },
          },
          spec: {
            type: 'service',
            parameters: [
              {
                properties: {
                  tenant: { type: 'string' },
                  group: { type: 'string' },
                  undecided: { type: 'boolean' },
                },
              },
            ],
            steps: [
              {
                id: 'log',
                action: 'debug:log',
                input: { message: 'Hello ${{ parameters.tenant }}' },
              },
              {
                id: 'undecided',
                if: '${{ parameters.undecided }}',
                action: 'debug:wait',
                input: { milliseconds: 1 },
              },
              {
                id: 'group',
                if: '${{ parameters.group }}',
                action: 'gitlab:group:ensureExists',
                input: {
                  repoUrl: `${testGitlab.host}?owner=x&repo=y`,
                  path: ['${{ parameters.group }}'],
                },
              },
            ],
          },
        },
        {
          apiVersion: 'scaffolder.backstage.io/v1beta3',
          kind: 'Template',
          metadata: {
            name: 'acme-only',
            namespace: 'acme',
            annotations: {
              'backstage.io/managed-by-location':
                'url:https://example.test/a.yaml',
            },
          },
          spec: {
            type: 'service',
            steps: [
              { id: 'log', action: 'debug:log', input: { message: 'hi' } },
            ],
          },
        },
      ],
    }));
    gitlab.addProject({
      id: 1,
      pathWithNamespace: 'data-products/acme/orders',
      defaultBranch: 'main',
      files: { main: { 'README.md': 'acme orders' } },
    });
    gitlab.addProject({
      id: 2,
      pathWithNamespace: 'data-products/globex/fleet',
      defaultBranch: 'main',
      files: { main: { 'secret.txt': 'globex secret' } },
    });
    gitlab.addGroup('data-products/acme/analytics');
  });

  afterAll(async () => {
    await gitlab.stop();
  });

  describe('who may run', () => {
    it('lets a developer create a task in their tenant', async () => {
      const taskId = await createTask('user:default/ann', { tenant: 'acme' });
      expect(await finished(taskId)).toMatchObject({ status: 'completed' });
    });

    it('refuses consumers and users of no tenant', async () => {
      for (const user of ['user:default/carl', 'user:default/nobody']) {
        const res = await as(user).post('/v2/tasks', {
          templateRef: 'template:default/hello',
          values: { tenant: 'acme' },
        });
        expect(res.status).toBe(403);
        const dry = await as(user).post('/v2/dry-run', {
          template: template([]),
          values: { tenant: 'acme' },
          directoryContents: [],
        });
        expect(dry.status).toBe(403);
      }
    });

    it('refuses a tenant the user does not develop, and a task of no tenant', async () => {
      const foreign = await as('user:default/ann').post('/v2/tasks', {
        templateRef: 'template:default/hello',
        values: { tenant: 'globex' },
      });
      expect(foreign.status).toBe(403);
      expect(foreign.body.error.message).toContain("not in 'globex'");
      const none = await as('user:default/ann').post('/v2/tasks', {
        templateRef: 'template:default/hello',
        values: {},
      });
      expect(none.status).toBe(400);
    });

    it('runs a template of a tenant’s namespace in that tenant only', async () => {
      const res = await as('user:default/dora').post('/v2/tasks', {
        templateRef: 'template:acme/acme-only',
        values: {},
      });
      expect(res.status).toBe(201);
      const task = await as('user:default/dora').get(
        `/v2/tasks/${res.body.id}`,
      );
      expect(task.body.spec.parameters).toEqual({ tenant: 'acme' });
      const other = await as('user:default/dora').post('/v2/tasks', {
        templateRef: 'template:acme/acme-only',
        values: { tenant: 'globex' },
      });
      expect(other.status).toBe(403);
    });
  });

  describe('steps stay inside the tenant', () => {
    it('refuses a dry run that fetches another tenant’s repository, before GitLab is asked', async () => {
      gitlab.requests.length = 0;
      const res = await as('user:default/ann').post('/v2/dry-run', {
        template: template([
          {
            id: 'fetch',
            action: 'fetch:plain',
            input: { url: '${{ parameters.target }}' },
          },
        ]),
        values: {
          tenant: 'acme',
          target: `${gitlab.baseUrl}/data-products/globex/fleet/-/tree/main`,
        },
        directoryContents: [],
      });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain(
        'reads only from GitLab groups shared by all tenants',
      );
      expect(gitlab.requests).toEqual([]);

      // Nor the tenant's own repository through the portal's token, nor a file of it.
      const own = await as('user:default/ann').post('/v2/dry-run', {
        template: template([
          {
            id: 'fetch',
            action: 'fetch:plain:file',
            input: {
              url: `${gitlab.baseUrl}/data-products/acme/orders/-/blob/main/README.md`,
              targetPath: 'x.txt',
            },
          },
        ]),
        values: { tenant: 'acme' },
        directoryContents: [],
      });
      expect(own.status).toBe(403);
      expect(gitlab.requests).toEqual([]);
    });

    it('reads the task’s own tenant with akili:fetch:*, and refuses another tenant before GitLab is asked', async () => {
      const fetchFile = (user: string, url: string) =>
        as(user).post('/v2/dry-run', {
          template: template([
            {
              id: 'fetch',
              action: 'akili:fetch:plain:file',
              input: { url: '${{ parameters.target }}', targetPath: 'x.txt' },
            },
          ]),
          values: { tenant: 'acme', target: url },
          directoryContents: [],
        });
      const own = await fetchFile(
        'user:default/ann',
        `${gitlab.baseUrl}/data-products/acme/orders/-/blob/main/README.md`,
      );
      expect(own.status).toBe(200);
      expect(own.body.directoryContents).toEqual([
        expect.objectContaining({
          path: 'x.txt',
          base64Content: Buffer.from('acme orders').toString('base64'),
        }),
      ]);

      gitlab.requests.length = 0;
      for (const url of [
        `${gitlab.baseUrl}/data-products/globex/fleet/-/blob/main/secret.txt`,
        `${gitlab.baseUrl}/data-products/acme/orders/-/blob/main/../../../../../globex/fleet/-/blob/main/secret.txt`,
        `${gitlab.baseUrl}/api/v4/projects/2/repository/files/secret.txt/raw?ref=main`,
        `${gitlab.baseUrl}/data-products/globex/fleet/blob/main/secret.txt`,
      ]) {
        const foreign = await fetchFile('user:default/ann', url);
        expect(foreign.status).toBe(403);
      }
      expect(gitlab.requests).toEqual([]);
    });

    it('keeps relative fetch URLs of a dry run working (the template’s own files)', async () => {
      const res = await as('user:default/ann').post('/v2/dry-run', {
        template: template([
          {
            id: 'fetch',
            action: 'fetch:plain',
            input: { url: './skeleton' },
          },
        ]),
        values: { tenant: 'acme' },
        directoryContents: [
          {
            path: 'skeleton/README.md',
            base64Content: Buffer.from('hello').toString('base64'),
          },
        ],
      });
      expect(res.status).toBe(200);
      expect(
        res.body.directoryContents.map((f: { path: string }) => f.path),
      ).toEqual(['README.md']);
    });

    it('evaluates action conditions on the rendered input (catalog:write namespace)', async () => {
      const write = (namespace: string) =>
        as('user:default/ann').post('/v2/dry-run', {
          template: template([
            {
              id: 'write',
              action: 'catalog:write',
              input: {
                entity: {
                  apiVersion: 'backstage.io/v1alpha1',
                  kind: 'Component',
                  metadata: {
                    name: 'orders',
                    namespace: '${{ parameters.target }}',
                  },
                  spec: {},
                },
              },
            },
          ]),
          values: { tenant: 'acme', target: namespace },
          directoryContents: [],
        });
      expect((await write('acme')).status).toBe(200);
      const foreign = await write('globex');
      expect(foreign.status).toBe(403);
      expect(foreign.body.error.message).toContain(
        'Unauthorized action: catalog:write',
      );
    });

    it('refuses actions nobody decided (deny by default)', async () => {
      const taskId = await createTask('user:default/ann', {
        tenant: 'acme',
        undecided: true,
      });
      const result = await finished(taskId);
      expect(result.status).toBe('failed');
      expect(result.log).toContain(
        'Unauthorized action: debug:wait. The action is not allowed.',
      );
    });

    it('runs a GitLab step inside the task’s tenant and refuses one outside, before GitLab is asked', async () => {
      const inside = await createTask('user:default/ann', {
        tenant: 'acme',
        group: 'data-products/acme/analytics',
      });
      expect(await finished(inside)).toMatchObject({ status: 'completed' });

      gitlab.requests.length = 0;
      const outside = await createTask('user:default/ann', {
        tenant: 'acme',
        group: 'data-products/globex/analytics',
      });
      const result = await finished(outside);
      expect(result.status).toBe('failed');
      expect(result.log).toContain(
        "'data-products/globex/analytics' is not inside the GitLab group of this task's tenant 'acme'",
      );
      expect(gitlab.requests.filter(r => /globex/i.test(r))).toEqual([]);

      // A developer of both tenants stays in the task's tenant too.
      const dora = await createTask('user:default/dora', {
        tenant: 'globex',
        group: 'data-products/acme/analytics',
      });
      expect((await finished(dora)).log).toContain(
        "'data-products/acme/analytics' is not inside the GitLab group of this task's tenant 'globex'",
      );
    });
  });

  describe('tasks are visible to their creator and the tenant’s operators', () => {
    let taskId: string;
    beforeAll(async () => {
      taskId = await createTask('user:default/ann', { tenant: 'acme' });
      await finished(taskId);
    });

    it('shows the task, its events and stream to the creator, acme’s operators and admins', async () => {
      for (const user of [
        'user:default/ann',
        'user:default/otto',
        'user:default/root',
      ]) {
        const task = await as(user).get(`/v2/tasks/${taskId}`);
        expect(task.status).toBe(200);
        expect(task.body.spec.parameters).toEqual({ tenant: 'acme' });
        expect((await as(user).get(`/v2/tasks/${taskId}/events`)).status).toBe(
          200,
        );
      }
    });

    it('answers 404 like a missing task to another acme developer and to globex’s operator', async () => {
      const missing = await as('user:default/gina').get(
        '/v2/tasks/00000000-0000-4000-8000-000000000000',
      );
      expect(missing.status).toBe(404);
      for (const user of ['user:default/abe', 'user:default/gina']) {
        for (const [method, path] of [
          ['get', ''],
          ['get', '/events'],
          ['get', '/eventstream'],
          ['post', '/cancel'],
          ['post', '/retry'],
          ['get', '/anything-later'],
        ] as const) {
          const res = await as(user)[method](`/v2/tasks/${taskId}${path}`);
          expect(res.status).toBe(404);
          expect(res.body.error).toEqual({
            name: 'NotFoundError',
            message: missing.body.error.message.replace(
              '00000000-0000-4000-8000-000000000000',
              taskId,
            ),
          });
          expect(res.text).not.toContain('acme');
        }
      }
    });

    it('is not fooled by other spellings of the task routes', async () => {
      for (const path of [
        `/V2/TASKS/${taskId}`,
        `/v2/tasks/${taskId}/`,
        `/v2/tasks/${taskId}/Events`,
        `/v2/tasks/${encodeURIComponent(taskId)}`,
        `/v2/tasks/${taskId}?after=0`,
        `/v2/tasks/./${taskId}`,
        `/v2//tasks/${taskId}`,
      ]) {
        const res = await as('user:default/gina').get(path);
        expect(res.status).toBe(404);
        expect(res.text).not.toContain('acme');
      }
    });

    it('lists only the caller’s own tasks (admins: all)', async () => {
      const ids = async (user: string, query = '') =>
        (await as(user).get(`/v2/tasks${query}`)).body.tasks.map(
          (t: { id: string }) => t.id,
        );
      expect(await ids('user:default/ann')).toContain(taskId);
      expect(await ids('user:default/root')).toContain(taskId);
      for (const user of ['user:default/gina', 'user:default/otto']) {
        expect(await ids(user)).not.toContain(taskId);
        expect(
          await ids(
            user,
            `?createdBy=${encodeURIComponent('user:default/ann')}`,
          ),
        ).not.toContain(taskId);
      }
    });

    it('lets the tenant’s operator retry and cancel', async () => {
      expect(
        (await as('user:default/otto').post(`/v2/tasks/${taskId}/cancel`))
          .status,
      ).toBe(200);
      expect(
        (await as('user:default/otto').post(`/v2/tasks/${taskId}/retry`))
          .status,
      ).toBe(201);
      await finished(taskId);
    });
  });
});
