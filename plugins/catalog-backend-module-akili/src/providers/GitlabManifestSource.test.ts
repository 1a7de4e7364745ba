import { mockServices } from '@backstage/backend-test-utils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { EntityProviderMutation } from '@backstage/plugin-catalog-node';
import { GitlabTestServer } from '@akili/gitlab-test-server';
import { testManifestYaml } from '../__testUtils__/manifests';
import { DataProductEntityProvider } from './DataProductEntityProvider';
import { GitlabManifestSource } from './GitlabManifestSource';
import { handleGitlabPush } from './gitlabPush';

// The first validation compiles the manifest schemas, which is slow on a busy machine.
jest.setTimeout(90_000);

describe('GitlabManifestSource', () => {
  const gitlab = new GitlabTestServer();

  beforeAll(async () => {
    await gitlab.start();
    // 120 files in one project: the tree listing needs two pages.
    const filler = Object.fromEntries(
      Array.from({ length: 120 }, (_, i) => [`models/m${i}.sql`, 'select 1']),
    );
    gitlab.addProject({
      id: 1,
      pathWithNamespace: 'data/acme-orders',
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
      pathWithNamespace: 'data/sub/acme-revenue',
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
      pathWithNamespace: 'data/old',
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
  });
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

  it('reads manifests of every unarchived project of the group and its subgroups', async () => {
    const files = await source().listFiles();
    expect(files.map(f => f.target).sort()).toEqual([
      `${gitlab.baseUrl}/data/acme-orders/-/blob/main/dataproduct.yaml`,
      `${gitlab.baseUrl}/data/sub/acme-revenue/-/blob/trunk/product/dataproduct.yaml`,
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

  it('applies a push event as a delta to the provider', async () => {
    const mutations: EntityProviderMutation[] = [];
    const src = source();
    const provider = new DataProductEntityProvider(
      'gl',
      src,
      mockServices.logger.mock(),
    );
    await provider.connect({
      applyMutation: async m => void mutations.push(m),
      refresh: async () => {},
    });
    await provider.refresh();

    gitlab.projects.get(1)!.files.main['dataproduct.yaml'] = testManifestYaml(
      'acme',
      'orders',
      { title: 'Orders v2' },
    );
    delete gitlab.projects.get(2)!.files.trunk['product/dataproduct.yaml'];
    const push = (
      projectId: number,
      pathWithNamespace: string,
      ref: string,
      commits: object[],
    ) => ({
      object_kind: 'push',
      ref,
      project: {
        id: projectId,
        path_with_namespace: pathWithNamespace,
        web_url: `${gitlab.baseUrl}/${pathWithNamespace}`,
        default_branch: projectId === 2 ? 'trunk' : 'main',
      },
      commits,
    });

    // A push to another branch, or outside the group, changes nothing.
    expect(
      await handleGitlabPush(
        push(1, 'data/acme-orders', 'refs/heads/dev', [
          { modified: ['dataproduct.yaml'] },
        ]),
        src,
        provider,
      ),
    ).toBe(false);
    expect(
      await handleGitlabPush(
        push(4, 'other/globex', 'refs/heads/main', [
          { modified: ['dataproduct.yaml'] },
        ]),
        src,
        provider,
      ),
    ).toBe(false);
    expect(mutations).toHaveLength(1);

    await handleGitlabPush(
      push(1, 'data/acme-orders', 'refs/heads/main', [
        { modified: ['dataproduct.yaml', 'models/m1.sql'] },
      ]),
      src,
      provider,
    );
    await handleGitlabPush(
      push(2, 'data/sub/acme-revenue', 'refs/heads/trunk', [
        { removed: ['product/dataproduct.yaml'] },
      ]),
      src,
      provider,
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
});
