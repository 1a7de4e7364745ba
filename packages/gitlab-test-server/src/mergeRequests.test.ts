import { GitlabTestServer } from './GitlabTestServer';
import { apiCaller } from './__testUtils__/apiCall';

describe('GitlabTestServer merge requests (GitLab REST v4 as PROTOCOLS.md §4 lists)', () => {
  const gitlab = new GitlabTestServer('t0ken');

  beforeAll(async () => {
    await gitlab.start();
    gitlab.addProject({
      id: 7,
      pathWithNamespace: 'data-products/acme/orders',
      defaultBranch: 'main',
      files: { main: { 'dataproduct.yaml': 'a: 1\n', 'README.md': '#\n' } },
    });
  });

  afterAll(() => gitlab.stop());

  const call = apiCaller(gitlab, 't0ken');
  const project = encodeURIComponent('data-products/acme/orders');

  it('creates a branch, commits actions to it, and answers files and branches as GitLab does', async () => {
    expect(
      (await call('GET', `/projects/${project}/repository/branches/edit`))
        .status,
    ).toBe(404);
    const branch = await call(
      'POST',
      `/projects/${project}/repository/branches`,
      {
        branch: 'edit',
        ref: 'main',
      },
    );
    expect(branch.status).toBe(201);
    expect(branch.body).toMatchObject({
      name: 'edit',
      commit: { id: expect.any(String) },
    });
    expect(
      (
        await call('POST', `/projects/7/repository/branches`, {
          branch: 'edit',
          ref: 'main',
        })
      ).body,
    ).toEqual({ message: 'Branch already exists' });

    // A create of an existing file is refused, and nothing of the commit is applied.
    const refused = await call('POST', '/projects/7/repository/commits', {
      branch: 'edit',
      commit_message: 'x',
      actions: [
        { action: 'update', file_path: 'dataproduct.yaml', content: 'b' },
        { action: 'create', file_path: 'README.md', content: 'c' },
      ],
    });
    expect(refused).toMatchObject({
      status: 400,
      body: { message: 'A file with this name already exists' },
    });
    const commit = await call('POST', '/projects/7/repository/commits', {
      branch: 'edit',
      commit_message: 'Change the manifest',
      actions: [
        {
          action: 'update',
          file_path: 'dataproduct.yaml',
          encoding: 'base64',
          content: Buffer.from('a: 2\n').toString('base64'),
        },
        { action: 'delete', file_path: 'README.md' },
      ],
    });
    expect(commit.status).toBe(201);
    expect(gitlab.projects.get(7)!.files.edit).toEqual({
      'dataproduct.yaml': 'a: 2\n',
    });
    expect(gitlab.projects.get(7)!.files.main['dataproduct.yaml']).toBe(
      'a: 1\n',
    );

    const file = await call(
      'GET',
      '/projects/7/repository/files/dataproduct.yaml?ref=edit',
    );
    expect(file.body).toMatchObject({
      file_path: 'dataproduct.yaml',
      encoding: 'base64',
      content: Buffer.from('a: 2\n').toString('base64'),
      last_commit_id: commit.body.id,
    });
  });

  it('opens one merge request per source branch, lists and reads it', async () => {
    const created = await call('POST', '/projects/7/merge_requests', {
      source_branch: 'edit',
      target_branch: 'main',
      title: 'Edit',
      labels: 'akili,data-product',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      iid: 1,
      state: 'opened',
      source_branch: 'edit',
      labels: ['akili', 'data-product'],
      web_url: `${gitlab.baseUrl}/data-products/acme/orders/-/merge_requests/1`,
    });
    const again = await call('POST', '/projects/7/merge_requests', {
      source_branch: 'edit',
      target_branch: 'main',
      title: 'Edit again',
    });
    expect(again).toMatchObject({
      status: 409,
      body: {
        message: [
          'Another open merge request already exists for this source branch: !1',
        ],
      },
    });
    expect(
      (await call('GET', '/projects/7/merge_requests?source_branch=edit')).body,
    ).toHaveLength(1);
    expect((await call('GET', '/projects/7/merge_requests/1')).body.title).toBe(
      'Edit',
    );
    expect((await call('GET', '/projects/7/merge_requests/9')).status).toBe(
      404,
    );
  });

  it('adds notes newest first with pagination, and lets the token edit only its own', async () => {
    gitlab.mergeRequests.addNote(7, 1, 'by someone else');
    const mine = await call('POST', '/projects/7/merge_requests/1/notes', {
      body: 'mine',
    });
    expect(mine.status).toBe(201);
    expect(mine.body.author.username).toBe('akili-portal');
    expect(
      (await call('POST', '/projects/7/merge_requests/1/notes', { body: ' ' }))
        .status,
    ).toBe(400);

    const page1 = await call(
      'GET',
      '/projects/7/merge_requests/1/notes?per_page=1',
    );
    expect(page1.body.map((n: any) => n.body)).toEqual(['mine']);
    expect(page1.headers.get('x-next-page')).toBe('2');
    expect(page1.headers.get('link')).toContain('page=2');
    const page2 = await call(
      'GET',
      '/projects/7/merge_requests/1/notes?per_page=1&page=2',
    );
    expect(page2.body.map((n: any) => n.body)).toEqual(['by someone else']);
    expect(page2.headers.get('x-next-page')).toBe('');

    const edited = await call(
      'PUT',
      `/projects/7/merge_requests/1/notes/${mine.body.id}`,
      {
        body: 'edited',
      },
    );
    expect(edited.body.body).toBe('edited');
    const other = gitlab.mergeRequests.notesOf(7, 1)[0];
    expect(
      (
        await call('PUT', `/projects/7/merge_requests/1/notes/${other.id}`, {
          body: 'x',
        })
      ).status,
    ).toBe(403);
  });

  it('refuses a wrong token and answers 500 while failing', async () => {
    const res = await fetch(
      `${gitlab.baseUrl}/api/v4/projects/7/merge_requests`,
      {
        headers: { 'private-token': 'nope' },
      },
    );
    expect(res.status).toBe(401);
    gitlab.mergeRequests.failing = true;
    try {
      expect(
        (await call('GET', '/projects/7/merge_requests/1/notes')).status,
      ).toBe(500);
    } finally {
      gitlab.mergeRequests.failing = false;
    }
  });
});
