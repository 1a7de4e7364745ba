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
  requireTestDatabaseIds,
  testManifestYaml,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import { akiliPlugin } from '../plugin';
import { IMPACT_NOTE_MARKER } from './impactNote';
import { consumerEntity } from '../products/__testUtils__/consumerEntity';

jest.setTimeout(60_000);

const SECRET = 'webhook-secret';

const directory: Record<string, string[]> = {
  'user:default/dev': ['user:default/dev', 'group:akili/acme.developer'],
};

/** The manifest of `tenant`'s `name` with an output port `orders` (columns `id`, `amount`). */
function manifest(
  tenant: string,
  name: string,
  options: { version?: string; columns?: string[] } = {},
) {
  return testManifestYaml(tenant, name, {
    port: 'orders',
    columns: ['id', 'amount'],
    ...options,
  });
}

async function eventually<T>(fn: () => T | undefined | false): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = fn();
    if (value) {
      return value;
    }
    await new Promise(resolve => setTimeout(resolve, 25));
  }
  throw new Error('timed out waiting');
}

describe.each(requireTestDatabaseIds())(
  'the merge-request review webhook on %s',
  databaseId => {
    const databases = TestDatabases.create({ ids: [databaseId] });
    const gitlab = new GitlabTestServer('platform-token');
    let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
    const project = (id: number, path: string, text: string) =>
      gitlab.addProject({
        id,
        pathWithNamespace: path,
        defaultBranch: 'main',
        files: { main: { 'dataproduct.yaml': text, 'README.md': '#\n' } },
      });

    /** Pushes `text` as the manifest of `branch` (created from main) through GitLab's API. */
    async function push(projectId: number, branch: string, text: string) {
      const api = `${gitlab.baseUrl}/api/v4/projects/${projectId}`;
      const headers = {
        'private-token': 'platform-token',
        'content-type': 'application/json',
      };
      const exists = await fetch(`${api}/repository/branches/${branch}`, {
        headers,
      });
      if (exists.status === 404) {
        await fetch(`${api}/repository/branches`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ branch, ref: 'main' }),
        });
      }
      const commit = await fetch(`${api}/repository/commits`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          branch,
          commit_message: 'change the manifest',
          actions: [
            { action: 'update', file_path: 'dataproduct.yaml', content: text },
          ],
        }),
      });
      expect(commit.status).toBe(201);
    }

    /** Opens a merge request of `branch` into main; its iid. */
    async function open(projectId: number, branch: string): Promise<number> {
      const res = await fetch(
        `${gitlab.baseUrl}/api/v4/projects/${projectId}/merge_requests`,
        {
          method: 'POST',
          headers: {
            'private-token': 'platform-token',
            'content-type': 'application/json',
          },
          body: JSON.stringify({
            source_branch: branch,
            target_branch: 'main',
            title: `Change ${branch}`,
          }),
        },
      );
      expect(res.status).toBe(201);
      return (await res.json()).iid;
    }

    const hook = (body: object, token: string | null = SECRET) => {
      const req = request(server)
        .post('/api/akili/v1/webhooks/gitlab')
        .set('X-Gitlab-Event', 'Merge Request Hook');
      return (token === null ? req : req.set('X-Gitlab-Token', token)).send(
        body,
      );
    };
    const notes = (projectId: number, iid: number) =>
      gitlab.mergeRequests.notesOf(projectId, iid);

    beforeAll(async () => {
      await gitlab.start();
      project(1, 'data-products/acme/orders', manifest('acme', 'orders'));
      project(2, 'elsewhere/acme/orders', manifest('acme', 'orders'));
      project(3, 'data-products/nobody/orders', manifest('nobody', 'orders'));
      project(4, 'data-products/acme/broken', manifest('acme', 'broken'));
      const knex = await databases.init(databaseId);
      ({ server } = await startTestBackend({
        features: [
          akiliPlugin,
          userInfoFromDirectory(directory),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              integrations: { gitlab: [gitlab.integrationConfig()] },
              akili: {
                tenancy: { gitlab: { rootGroup: 'data-products' } },
                deployments: { gitlabTimeoutMs: 2000 },
                reviews: { gitlab: { webhookSecret: SECRET } },
                tenants: {
                  seed: [
                    { name: 'acme', title: 'ACME' },
                    { name: 'globex', title: 'Globex' },
                  ],
                },
              },
            },
          }),
          catalogServiceMock.factory({
            entities: [
              consumerEntity('acme', 'revenue', 'orders', 'orders', 'finance'),
              consumerEntity('acme', 'kpis', 'acme/other', 'orders', 'bi'),
              // Another tenant's consumer: never named in acme's merge request.
              consumerEntity('globex', 'spy', 'acme/orders', 'orders', 'ops'),
            ],
          }),
        ],
      }));
      for (const name of ['orders', 'broken']) {
        const res = await request(server)
          .post('/api/akili/v1/tenants/acme/products')
          .set('Authorization', mockCredentials.user.header('user:default/dev'))
          .set('Content-Type', 'application/yaml')
          .send(manifest('acme', name));
        if (res.status !== 201) {
          throw new Error(`registering acme/${name}: ${res.status}`);
        }
      }
    });

    afterAll(async () => {
      await gitlab.stop();
    });

    it('posts the breaking changes with the downstream products and owners, then updates the same note on a later push', async () => {
      await push(
        1,
        'drop-amount',
        manifest('acme', 'orders', { columns: ['id'] }),
      );
      const iid = await open(1, 'drop-amount');
      const res = await hook(gitlab.mergeRequests.mergeRequestEvent(1, iid));
      expect(res.status).toBe(202);

      const [note] = await eventually(
        () => notes(1, iid).length > 0 && notes(1, iid),
      );
      expect(note.body.startsWith(IMPACT_NOTE_MARKER)).toBe(true);
      expect(note.body).toContain(
        '### Consumer impact of `dataproduct:acme/orders`',
      );
      expect(note.body).toContain(
        '**1 breaking change**, affecting 1 downstream product',
      );
      expect(note.body).toContain('`spec.outputPorts[orders].schema[amount]`');
      expect(note.body).toContain(
        '- `dataproduct:acme/revenue` (revenue (acme)), owner `group:acme/finance`, reads `orders`',
      );
      expect(note.body).toContain(
        'Registering it needs a new major `spec.version`',
      );
      expect(note.body).not.toContain('globex');
      expect(note.body).not.toContain('kpis');

      // A later push: the same note, updated.
      await push(
        1,
        'drop-amount',
        manifest('acme', 'orders', {
          columns: ['id', 'amount', 'currency'],
          version: '1.1.0',
        }),
      );
      expect(
        (await hook(gitlab.mergeRequests.mergeRequestEvent(1, iid, 'update')))
          .status,
      ).toBe(202);
      await eventually(() =>
        notes(1, iid)[0].body.includes('No consumer impact'),
      );
      expect(notes(1, iid)).toHaveLength(1);
      expect(notes(1, iid)[0].body).toContain(
        '**No consumer impact**: 2 changes, none breaking',
      );
      expect(notes(1, iid)[0].body).toContain(
        '`spec.outputPorts[orders].schema[currency]`',
      );
    });

    it('finds its own note among others, and leaves a note someone else wrote with the marker alone', async () => {
      await push(1, 'two', manifest('acme', 'orders', { columns: ['id'] }));
      const iid = await open(1, 'two');
      gitlab.mergeRequests.addNote(
        1,
        iid,
        `${IMPACT_NOTE_MARKER}\nforged`,
        'mallory',
      );
      gitlab.mergeRequests.addNote(1, iid, 'LGTM', 'reviewer');
      await hook(gitlab.mergeRequests.mergeRequestEvent(1, iid));
      await eventually(() => notes(1, iid).length === 3);
      await hook(gitlab.mergeRequests.mergeRequestEvent(1, iid, 'update'));
      await hook(gitlab.mergeRequests.mergeRequestEvent(1, iid, 'update'));
      await eventually(
        () =>
          gitlab.requests.filter(r =>
            r.startsWith(`PUT /api/v4/projects/1/merge_requests/${iid}/notes/`),
          ).length === 2,
      );
      const all = notes(1, iid);
      expect(all).toHaveLength(3);
      expect(all[0].body).toBe(`${IMPACT_NOTE_MARKER}\nforged`);
      expect(all[2].author.username).toBe('akili-portal');
      expect(all[2].body).toContain('breaking');
    });

    it('says so when the manifest on the branch is not valid', async () => {
      await push(
        4,
        'bad',
        'apiVersion: akili.io/v1alpha1\nkind: DataProduct\nmetadata: {name: broken}\nspec: [1\n',
      );
      const iid = await open(4, 'bad');
      await hook(gitlab.mergeRequests.mergeRequestEvent(4, iid));
      const [note] = await eventually(
        () => notes(4, iid).length > 0 && notes(4, iid),
      );
      expect(note.body).toMatch(
        /`dataproduct\.yaml` on `bad` \([0-9a-f]{8}\) is \*\*not a valid data product manifest\*\*/,
      );
      expect(note.body).toMatch(/\(line \d+\)/);
    });

    it('reads no more of a huge manifest than the size limit, and says it is too large', async () => {
      // 3 MiB of comments: GitLab serves it whole; the review reads just over 1 MiB of it.
      const padding = `# ${'x'.repeat(1022)}\n`.repeat(3 * 1024);
      await push(4, 'huge', `${padding}${manifest('acme', 'broken')}`);
      const iid = await open(4, 'huge');
      await hook(gitlab.mergeRequests.mergeRequestEvent(4, iid));
      const [note] = await eventually(
        () => notes(4, iid).length > 0 && notes(4, iid),
      );
      expect(note.body).toMatch(/\*\*not a valid data product manifest\*\*/);
      // Read whole, the parser would name the full 3 MiB; capped, one byte over the limit.
      expect(note.body).toMatch(
        /at least 1048577 bytes, larger than the limit of 1048576 bytes/,
      );
    });

    it('ignores a project outside the root group and one of an unknown tenant', async () => {
      for (const id of [2, 3]) {
        await push(
          id,
          'change',
          manifest('acme', 'orders', { columns: ['id'] }),
        );
        const iid = await open(id, 'change');
        const before = gitlab.requests.length;
        expect(
          (await hook(gitlab.mergeRequests.mergeRequestEvent(id, iid))).status,
        ).toBe(202);
        // The project is looked up (where it lives decides), nothing more.
        await eventually(() =>
          gitlab.requests.slice(before).includes(`GET /api/v4/projects/${id}`),
        );
        await new Promise(resolve => setTimeout(resolve, 200));
        expect(notes(id, iid)).toEqual([]);
        expect(gitlab.requests.slice(before)).toEqual([
          `GET /api/v4/projects/${id}`,
        ]);
      }
    });

    it('refuses a missing or wrong secret with 401, and a body that is not a merge request event with 400', async () => {
      const before = gitlab.requests.length;
      const event = gitlab.mergeRequests.mergeRequestEvent(1, 1);
      for (const token of [null, 'wrong', `${SECRET}x`, '']) {
        const res = await hook(event, token);
        expect(res.status).toBe(401);
        expect(res.body.error.message).toContain(
          'X-Gitlab-Token is missing or wrong',
        );
      }
      expect(
        (await hook({ object_kind: 'merge_request', project: {} })).status,
      ).toBe(400);
      const pushEvent = await hook({ object_kind: 'push' });
      expect(pushEvent.status).toBe(200);
      expect(pushEvent.body).toEqual({ ignored: 'object_kind push' });
      expect(gitlab.requests.length).toBe(before);
    });

    it('answers at once when GitLab is slow, and logs instead of posting when it fails', async () => {
      await push(1, 'slow', manifest('acme', 'orders', { columns: ['id'] }));
      const iid = await open(1, 'slow');
      gitlab.delayMs = 1500;
      try {
        const started = Date.now();
        const res = await hook(gitlab.mergeRequests.mergeRequestEvent(1, iid));
        expect(res.status).toBe(202);
        expect(Date.now() - started).toBeLessThan(1000);
        gitlab.mergeRequests.failing = true;
        await eventually(() =>
          gitlab.requests.includes(
            `GET /api/v4/projects/1/merge_requests/${iid}/notes?sort=desc&order_by=created_at&per_page=100&page=1`,
          ),
        );
      } finally {
        gitlab.delayMs = 0;
      }
      await new Promise(resolve => setTimeout(resolve, 200));
      gitlab.mergeRequests.failing = false;
      expect(notes(1, iid)).toEqual([]);
    });
  },
);
