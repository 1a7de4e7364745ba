import { mockServices } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { EntityProviderMutation } from '@backstage/plugin-catalog-node';
import { GitlabTestServer } from '@akili/gitlab-test-server';
import { testManifestYaml } from '../__testUtils__/manifests';
import {
  ANNOTATION_MANIFEST_ERRORS,
  ANNOTATION_MANIFEST_SOURCE,
} from './annotations';
import { DataProductEntityProvider } from './DataProductEntityProvider';
import {
  GITLAB_PUSH_TOPIC,
  GitlabManifestSource,
} from './GitlabManifestSource';

// The first validation compiles the manifest schemas, which is slow on a busy machine.
jest.setTimeout(90_000);

const refsOf = (entities: { entity: Entity }[]) =>
  entities.map(e => stringifyEntityRef(e.entity)).sort();

describe('GitlabManifestSource', () => {
  const gitlab = new GitlabTestServer();

  beforeEach(async () => {
    gitlab.projects.clear();
    gitlab.requests.length = 0;
    // 120 files in one project: the tree listing needs two pages.
    const filler = Object.fromEntries(
      Array.from({ length: 120 }, (_, i) => [`models/m${i}.sql`, 'select 1']),
    );
    gitlab.addProject({
      id: 1,
      pathWithNamespace: 'data/acme/orders',
      defaultBranch: 'main',
      files: {
        main: {
          'dataproduct.yaml': testManifestYaml('acme', 'orders'),
          ...filler,
        },
        dev: {
          'dataproduct.yaml': testManifestYaml('acme', 'orders', {
            title: 'dev',
          }),
        },
      },
    });
    gitlab.addProject({
      id: 2,
      pathWithNamespace: 'data/acme/sub/revenue',
      defaultBranch: 'trunk',
      files: {
        trunk: {
          'product/dataproduct.yaml': testManifestYaml('acme', 'revenue', {
            inputs: [{ product: 'orders', port: 'main' }],
          }),
        },
      },
    });
    gitlab.addProject({
      id: 3,
      pathWithNamespace: 'data/acme/old',
      defaultBranch: 'main',
      archived: true,
      files: { main: { 'dataproduct.yaml': testManifestYaml('acme', 'old') } },
    });
    gitlab.addProject({
      id: 4,
      pathWithNamespace: 'other/globex',
      defaultBranch: 'main',
      files: { main: { 'dataproduct.yaml': testManifestYaml('globex', 'x') } },
    });
    gitlab.addProject({
      id: 5,
      pathWithNamespace: 'data/globex/fleet',
      defaultBranch: 'main',
      files: {
        main: { 'dataproduct.yaml': testManifestYaml('globex', 'fleet') },
      },
    });
    // Directly in the group: no tenant's subgroup, so no tenant.
    gitlab.addProject({
      id: 6,
      pathWithNamespace: 'data/loose',
      defaultBranch: 'main',
      files: {
        main: { 'dataproduct.yaml': testManifestYaml('acme', 'loose') },
      },
    });
    // A subgroup named like the shared namespace is no tenant's.
    gitlab.addProject({
      id: 9,
      pathWithNamespace: 'data/default/shared',
      defaultBranch: 'main',
      files: {
        main: { 'dataproduct.yaml': testManifestYaml('default', 'shared') },
      },
    });
    // Someone's own project, shared with acme's group: it lives outside the group.
    gitlab.addProject({
      id: 7,
      pathWithNamespace: 'alice/side-project',
      defaultBranch: 'main',
      sharedWithGroups: ['data/acme'],
      files: {
        main: { 'dataproduct.yaml': testManifestYaml('acme', 'side') },
      },
    });
  });
  beforeAll(() => gitlab.start());
  afterAll(() => gitlab.stop());

  const source = (
    overrides: Partial<
      ConstructorParameters<typeof GitlabManifestSource>[0]
    > = {},
  ) =>
    new GitlabManifestSource({
      integration: gitlab.integrationConfig(),
      group: 'data',
      ...overrides,
    });

  async function connected(src = source()) {
    const mutations: EntityProviderMutation[] = [];
    const logger = mockServices.logger.mock();
    logger.child.mockReturnValue(logger);
    const provider = new DataProductEntityProvider({
      id: 'gl',
      source: src,
      logger,
    });
    await provider.connect({
      applyMutation: async m => void mutations.push(m),
      refresh: async () => {},
    });
    await provider.refresh();
    return { provider, mutations, logger };
  }

  it("reads manifests of the unarchived projects of the tenants' subgroups, each as its subgroup's tenant", async () => {
    const { files, unreadable } = await source().listFiles();
    expect(unreadable).toEqual([]);
    expect(files.map(f => `${f.tenant} ${f.target}`).sort()).toEqual([
      `acme ${gitlab.baseUrl}/data/acme/orders/-/blob/main/dataproduct.yaml`,
      `acme ${gitlab.baseUrl}/data/acme/sub/revenue/-/blob/trunk/product/dataproduct.yaml`,
      `globex ${gitlab.baseUrl}/data/globex/fleet/-/blob/main/dataproduct.yaml`,
    ]);
    expect(
      files.every(f => f.text?.includes('apiVersion: akili.io/v1alpha1')),
    ).toBe(true);
    // The tree of project 1 was paged, as GitLab pages it.
    expect(
      gitlab.requests.filter(r =>
        r.startsWith('GET /api/v4/projects/1/repository/tree'),
      ).length,
    ).toBe(2);
    // Neither the project directly in the group, nor the one shared with it, nor the one in
    // subgroup `default` was read.
    expect(gitlab.requests.filter(r => /projects\/(6|7|9)\//.test(r))).toEqual(
      [],
    );
  });

  it("refuses a project's manifest that claims another tenant, keeping that tenant's product", async () => {
    gitlab.addProject({
      id: 8,
      pathWithNamespace: 'data/acme/liar',
      defaultBranch: 'main',
      files: {
        main: {
          'dataproduct.yaml': testManifestYaml('globex', 'fleet', {
            title: 'Forged',
          }),
        },
      },
    });
    const { mutations, provider } = await connected();
    const entities = (mutations[0] as any).entities as { entity: Entity }[];
    const fleet = entities.find(
      e => stringifyEntityRef(e.entity) === 'dataproduct:globex/fleet',
    )!.entity;
    expect(fleet.metadata.title).toBe('Product fleet');
    expect(provider.getLastRun()?.invalidFiles[0].problems[0].message).toBe(
      `${gitlab.baseUrl}/data/acme/liar/-/blob/main/dataproduct.yaml claims namespace 'globex', but its source is tenant 'acme': a manifest's namespace must be the tenant of the place it comes from`,
    );
  });

  it('keeps the products of a project GitLab fails to list, and goes on with the others', async () => {
    const { provider, mutations } = await connected();
    gitlab.projects.get(1)!.repositoryError = true;
    delete gitlab.projects.get(5)!.files.main['dataproduct.yaml'];
    const summary = await provider.refresh();
    expect(summary.unreadablePlaces).toBe(1);
    expect(refsOf((mutations[1] as any).entities)).toEqual([
      'dataproduct:acme/orders',
      'dataproduct:acme/revenue',
    ]);
  });

  it('fails with a clear message on a bad token, an unknown group or a slow GitLab', async () => {
    await expect(
      source({
        integration: { ...gitlab.integrationConfig(), token: 'wrong' },
      }).listFiles(),
    ).rejects.toThrow('GitLab answered 401 (401 Unauthorized)');
    await expect(source({ group: 'nope' }).listFiles()).rejects.toThrow(
      'GitLab answered 404 (404 Group Not Found)',
    );
    gitlab.delayMs = 500;
    try {
      await expect(source({ timeoutMs: 100 }).listFiles()).rejects.toThrow(
        /unreachable \(no answer within 100 ms\)/,
      );
    } finally {
      gitlab.delayMs = 0;
    }
  });

  it('applies a push to the default branch as a delta, read from the project', async () => {
    const { provider, mutations } = await connected();
    gitlab.projects.get(1)!.files.main['dataproduct.yaml'] = testManifestYaml(
      'acme',
      'orders',
      { title: 'Orders v2' },
    );
    delete gitlab.projects.get(2)!.files.trunk['product/dataproduct.yaml'];

    await provider.onEvent(
      GITLAB_PUSH_TOPIC,
      gitlab.pushEvent(1, { modified: ['dataproduct.yaml', 'models/m1.sql'] }),
    );
    await provider.onEvent(
      GITLAB_PUSH_TOPIC,
      gitlab.pushEvent(2, { removed: ['product/dataproduct.yaml'] }),
    );
    const [changed, removed] = mutations.slice(1);
    if (changed.type !== 'delta' || removed.type !== 'delta')
      throw new Error('expected deltas');
    expect(changed.added.map(a => a.entity.metadata.title)).toEqual([
      'Orders v2',
    ]);
    expect(changed.removed).toEqual([]);
    expect(removed.added).toEqual([]);
    expect(
      removed.removed.map(r =>
        'entityRef' in r ? r.entityRef : stringifyEntityRef(r.entity),
      ),
    ).toEqual(['dataproduct:acme/revenue']);
  });

  it('applies a push only for the configured branch (the default branch when unset)', async () => {
    const onDefault = await connected();
    await onDefault.provider.onEvent(
      GITLAB_PUSH_TOPIC,
      gitlab.pushEvent(1, { branch: 'dev', modified: ['dataproduct.yaml'] }),
    );
    expect(onDefault.mutations).toHaveLength(1);

    const onDev = await connected(source({ branch: 'dev' }));
    expect(
      (onDev.mutations[0] as any).entities.map(
        (e: any) => e.entity.metadata.title,
      ),
    ).toEqual(['dev']); // only project 1 has a dev branch
    // A push to the project's default branch is not the configured branch.
    await onDev.provider.onEvent(
      GITLAB_PUSH_TOPIC,
      gitlab.pushEvent(1, { modified: ['dataproduct.yaml'] }),
    );
    expect(onDev.mutations).toHaveLength(1);
    gitlab.projects.get(1)!.files.dev['dataproduct.yaml'] = testManifestYaml(
      'acme',
      'orders',
      { title: 'dev v2' },
    );
    await onDev.provider.onEvent(
      GITLAB_PUSH_TOPIC,
      gitlab.pushEvent(1, { branch: 'dev', modified: ['dataproduct.yaml'] }),
    );
    const delta = onDev.mutations[1];
    if (delta.type !== 'delta') throw new Error('expected a delta');
    expect(delta.added.map(a => a.entity.metadata.title)).toEqual(['dev v2']);
  });

  it('changes nothing for a push naming a project outside the group or its tenant subgroups, or a forged path', async () => {
    const { provider, mutations, logger } = await connected();
    // Files that would change products if they were read.
    gitlab.projects.get(4)!.files.main['dataproduct.yaml'] = testManifestYaml(
      'globex',
      'fleet',
      { title: 'Forged' },
    );
    gitlab.projects.get(1)!.files.main['dataproduct.yaml'] = testManifestYaml(
      'globex',
      'fleet',
      { title: 'Forged' },
    );
    const forgedPath = {
      ...gitlab.pushEvent(1, { modified: ['dataproduct.yaml'] }),
    };
    forgedPath.project = {
      ...forgedPath.project,
      path_with_namespace: 'data/globex/fleet',
      web_url: `${gitlab.baseUrl}/data/globex/fleet`,
    };
    for (const payload of [
      gitlab.pushEvent(4, { modified: ['dataproduct.yaml'] }), // outside the group
      gitlab.pushEvent(6, { modified: ['dataproduct.yaml'] }), // in no tenant subgroup
      gitlab.pushEvent(7, { modified: ['dataproduct.yaml'] }), // shared with acme only
      gitlab.pushEvent(3, { modified: ['dataproduct.yaml'] }), // archived
      forgedPath, // project 1 (acme) claiming globex's path
      { ...gitlab.pushEvent(1), project_id: 999, project: undefined }, // unknown project
      { object_kind: 'tag_push', project_id: 1 },
    ]) {
      await provider.onEvent(GITLAB_PUSH_TOPIC, payload);
    }
    expect(mutations).toHaveLength(1);
    expect(
      gitlab.requests.filter(r => r.includes('/repository/files/')),
    ).toHaveLength(3); // the first scan only
    expect(logger.info).toHaveBeenCalledWith(
      'Ignored an event for data products',
      expect.objectContaining({
        reason: `the push names path data/globex/fleet, but project 1 is data/acme/orders`,
      }),
    );
  });

  it("reads a push's files from the project GitLab knows by its id, not from the payload's addresses", async () => {
    const { provider, mutations } = await connected();
    gitlab.projects.get(1)!.files.main['dataproduct.yaml'] = testManifestYaml(
      'acme',
      'orders',
      { title: 'Orders v3' },
    );
    const payload = gitlab.pushEvent(1, {
      modified: ['dataproduct.yaml'],
      // Another tenant's product file: the removal can only name files of project 1.
      removed: ['../../globex/fleet/-/blob/main/dataproduct.yaml'],
    });
    // Addresses in the payload are not used.
    payload.project.web_url = `${gitlab.baseUrl}/data/globex/fleet`;
    await provider.onEvent(GITLAB_PUSH_TOPIC, payload);
    const delta = mutations[1];
    if (delta.type !== 'delta') throw new Error('expected a delta');
    expect(delta.removed).toEqual([]);
    expect(
      delta.added.map(
        a => a.entity.metadata.annotations?.[ANNOTATION_MANIFEST_SOURCE],
      ),
    ).toEqual([
      `${gitlab.baseUrl}/data/acme/orders/-/blob/main/dataproduct.yaml`,
    ]);
    expect(
      delta.added[0].entity.metadata.annotations?.[ANNOTATION_MANIFEST_ERRORS],
    ).toBe(undefined);
    expect(
      gitlab.requests.filter(r => r.includes('/repository/files/')).pop(),
    ).toBe(
      'GET /api/v4/projects/1/repository/files/dataproduct.yaml/raw?ref=main',
    );
  });
});
