import { GitlabTestServer } from '@akili/gitlab-test-server';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { GitlabTargetChecker } from './GitlabTargetChecker';
import { GitlabTenancy } from './GitlabTenancy';

describe('GitlabTargetChecker', () => {
  const gitlab = new GitlabTestServer();
  let checker: GitlabTargetChecker;
  const acmeOnly = (tenant: string) => tenant === 'acme';
  const scope = "tenant 'acme'";

  beforeAll(async () => {
    await gitlab.start();
    gitlab.addProject({
      id: 1,
      pathWithNamespace: 'data-products/acme/orders',
      defaultBranch: 'main',
      files: {},
    });
    gitlab.addProject({
      id: 2,
      pathWithNamespace: 'data-products/globex/fleet',
      defaultBranch: 'main',
      files: {},
      // Moved out of acme: GitLab still finds it by its old path.
      formerPaths: ['data-products/acme/fleet'],
    });
    checker = new GitlabTargetChecker({
      tenancy: new GitlabTenancy({ rootGroup: 'data-products' }),
      integrations: ScmIntegrations.fromConfig(
        new ConfigReader({
          integrations: { gitlab: [gitlab.integrationConfig()] },
        }),
      ),
    });
  });
  afterAll(() => gitlab.stop());
  beforeEach(() => {
    gitlab.requests.length = 0;
  });

  it('allows a project of the tenant, by path or id, as GitLab resolves it', async () => {
    for (const target of [
      { kind: 'project', host: gitlab.host, ref: 'data-products/acme/orders' },
      { kind: 'project', host: gitlab.host, ref: 1 },
      { kind: 'namespace', host: gitlab.host, path: 'data-products/acme' },
    ] as const) {
      await expect(
        checker.check(target, acmeOnly, scope),
      ).resolves.toBeUndefined();
    }
    expect(gitlab.requests).toEqual([
      'GET /api/v4/projects/data-products%2Facme%2Forders',
      'GET /api/v4/projects/1',
      'GET /api/v4/namespaces/data-products%2Facme',
    ]);
  });

  it('refuses a path outside the tenant without asking GitLab', async () => {
    for (const path of [
      'data-products/globex/fleet',
      'data-products',
      'elsewhere/acme/orders',
      'data-products/acme/../globex/fleet',
    ]) {
      await expect(
        checker.check(
          { kind: 'project', host: gitlab.host, ref: path },
          acmeOnly,
          scope,
        ),
      ).rejects.toThrow(`'${path}' is not inside the GitLab group of ${scope}`);
    }
    expect(gitlab.requests).toEqual([]);
  });

  it('refuses a project id of another tenant like a missing one', async () => {
    const message = (id: number) =>
      `GitLab project ${id} is not inside the GitLab group of ${scope} (below 'data-products')`;
    await expect(
      checker.check(
        { kind: 'project', host: gitlab.host, ref: 2 },
        acmeOnly,
        scope,
      ),
    ).rejects.toThrow(message(2));
    await expect(
      checker.check(
        { kind: 'project', host: gitlab.host, ref: 99 },
        acmeOnly,
        scope,
      ),
    ).rejects.toThrow(message(99));
  });

  it('refuses a path of the tenant that GitLab resolves into another tenant', async () => {
    await expect(
      checker.check(
        { kind: 'project', host: gitlab.host, ref: 'data-products/acme/fleet' },
        acmeOnly,
        scope,
      ),
    ).rejects.toThrow('is not inside the GitLab group');
  });

  it('checks every existing level of a group path, and allows new ones', async () => {
    await checker.check(
      { kind: 'group', host: gitlab.host, path: 'data-products/acme/new/sub' },
      acmeOnly,
      scope,
    );
    expect(gitlab.requests).toEqual([
      'GET /api/v4/groups/data-products%2Facme',
      'GET /api/v4/groups/data-products%2Facme%2Fnew',
    ]);
  });

  it('refuses hosts that are not configured GitLab integrations', async () => {
    await expect(
      checker.check(
        { kind: 'project', host: 'gitlab.evil', ref: 'data-products/acme/x' },
        acmeOnly,
        scope,
      ),
    ).rejects.toThrow("GitLab host 'gitlab.evil' is not a configured");
  });

  it('fails closed when GitLab does not answer', async () => {
    const down = new GitlabTargetChecker({
      tenancy: new GitlabTenancy({ rootGroup: 'data-products' }),
      integrations: ScmIntegrations.fromConfig(
        new ConfigReader({
          integrations: {
            gitlab: [
              {
                ...gitlab.integrationConfig(),
                apiBaseUrl: 'http://127.0.0.1:1/api/v4',
              },
            ],
          },
        }),
      ),
    });
    await expect(
      down.check(
        { kind: 'project', host: gitlab.host, ref: 1 },
        acmeOnly,
        scope,
      ),
    ).rejects.toThrow('did not answer the tenant check');
  });
});
