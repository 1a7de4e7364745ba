import { gitlabTargetsOf } from './targets';

const HOST = 'gitlab.test:8443';

describe('gitlabTargetsOf', () => {
  it('takes the namespace of publish:gitlab and refuses what opens a project to others', () => {
    expect(
      gitlabTargetsOf('publish:gitlab', {
        repoUrl: `${HOST}?owner=data-products%2Facme&repo=orders`,
      }),
    ).toEqual([{ kind: 'namespace', host: HOST, path: 'data-products/acme' }]);
    expect(() =>
      gitlabTargetsOf('publish:gitlab', {
        repoUrl: `${HOST}?owner=data-products/acme&repo=orders`,
        repoVisibility: 'internal',
      }),
    ).toThrow("repoVisibility 'internal' is not allowed");
    expect(() =>
      gitlabTargetsOf('publish:gitlab', {
        repoUrl: `${HOST}?owner=data-products/acme&repo=orders`,
        settings: { visibility: 'public' },
      }),
    ).toThrow('is not allowed');
    expect(() =>
      gitlabTargetsOf('publish:gitlab', {
        repoUrl: `${HOST}?owner=data-products/acme&repo=orders`,
        ownerUsername: 'someone-of-globex',
      }),
    ).toThrow('ownerUsername is not allowed');
    expect(() =>
      gitlabTargetsOf('publish:gitlab', {
        repoUrl: `${HOST}?owner=data-products/acme&repo=a/../../globex/x`,
      }),
    ).toThrow('needs a repoUrl with owner and a repo name');
  });

  it('takes the project of merge requests and pushes: `project` first, else owner/repo', () => {
    expect(
      gitlabTargetsOf('publish:gitlab:merge-request', {
        repoUrl: `${HOST}?owner=data-products/acme&repo=orders`,
      }),
    ).toEqual([
      { kind: 'project', host: HOST, ref: 'data-products/acme/orders' },
    ]);
    expect(
      gitlabTargetsOf('gitlab:repo:push', {
        repoUrl: `${HOST}?owner=data-products/acme&repo=orders&project=42`,
      }),
    ).toEqual([{ kind: 'project', host: HOST, ref: 42 }]);
  });

  it('takes project ids (numbers, digit strings, paths) and group paths', () => {
    const repoUrl = `${HOST}?owner=x&repo=y`;
    expect(
      gitlabTargetsOf('gitlab:projectVariable:create', {
        repoUrl,
        projectId: '17',
      }),
    ).toEqual([{ kind: 'project', host: HOST, ref: 17 }]);
    expect(
      gitlabTargetsOf('gitlab:pipeline:trigger', { repoUrl, projectId: 17 }),
    ).toEqual([{ kind: 'project', host: HOST, ref: 17 }]);
    expect(
      gitlabTargetsOf('gitlab:issues:create', {
        repoUrl,
        projectId: 'data-products/acme/orders',
      }),
    ).toEqual([
      { kind: 'project', host: HOST, ref: 'data-products/acme/orders' },
    ]);
    expect(gitlabTargetsOf('gitlab:issues:create', { repoUrl })).toEqual([
      { kind: 'project', host: HOST, ref: 'x/y' },
    ]);
    expect(
      gitlabTargetsOf('gitlab:group:ensureExists', {
        repoUrl,
        path: ['data-products/acme', { name: 'Sales', slug: 'sales' }],
      }),
    ).toEqual([
      { kind: 'group', host: HOST, path: 'data-products/acme/sales' },
    ]);
    expect(() =>
      gitlabTargetsOf('gitlab:issue:edit', { repoUrl: HOST, issueIid: 1 }),
    ).toThrow('needs a GitLab project');
    expect(() =>
      gitlabTargetsOf('gitlab:issues:create', {
        repoUrl,
        projectId: 1,
        epicId: 7,
      }),
    ).toThrow('epicId is not allowed');
  });
});
