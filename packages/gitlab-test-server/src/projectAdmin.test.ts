import { GitlabTestServer } from './GitlabTestServer';
import { apiCaller } from './__testUtils__/apiCall';

describe('GitlabTestServer project variables and deletion (GitLab REST v4)', () => {
  const gitlab = new GitlabTestServer('t0ken');

  beforeAll(() => gitlab.start());
  afterAll(() => gitlab.stop());

  const api = apiCaller(gitlab, 't0ken');
  const call = async (method: string, path: string, body?: object) => {
    const { status, body: answer } = await api(method, path, body);
    return { status, body: answer };
  };

  it('creates variables with their defaults, refuses a taken key, and lists them', async () => {
    gitlab.addProject({
      id: 7,
      pathWithNamespace: 'data-products/acme/orders',
      defaultBranch: 'main',
      files: {},
    });
    const path = `/projects/${encodeURIComponent('data-products/acme/orders')}`;
    const created = await call('POST', `${path}/variables`, {
      key: 'AKILI_URL',
      value: 'https://portal.example',
    });
    expect(created).toEqual({
      status: 201,
      body: {
        variable_type: 'env_var',
        key: 'AKILI_URL',
        value: 'https://portal.example',
        hidden: false,
        protected: false,
        masked: false,
        raw: false,
        environment_scope: '*',
        description: null,
      },
    });
    expect(
      await call('POST', '/projects/7/variables', {
        key: 'AKILI_URL',
        value: 'x',
      }),
    ).toEqual({
      status: 400,
      body: { message: { key: ['(AKILI_URL) has already been taken'] } },
    });
    // Another environment scope may hold the same key.
    expect(
      (
        await call('POST', '/projects/7/variables', {
          key: 'AKILI_URL',
          value: 'x',
          environment_scope: 'production',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call('POST', '/projects/7/variables', {
          key: 'BAD-KEY',
          value: 'x',
        })
      ).body,
    ).toEqual({
      message: { key: ["can contain only letters, digits and '_'."] },
    });
    expect(
      (await call('POST', '/projects/7/variables', { value: 'x' })).body,
    ).toEqual({ error: 'key is missing' });
    const listed = await call('GET', '/projects/7/variables');
    expect(listed.body.map((v: { key: string }) => v.key)).toEqual([
      'AKILI_URL',
      'AKILI_URL',
    ]);
    expect((await call('GET', '/projects/8/variables')).status).toBe(404);
  });

  it('deletes a project with 202 Accepted, so its path can be created again', async () => {
    gitlab.addGroup('data-products/acme');
    const created = await call('POST', '/projects', {
      namespace_id: 'data-products/acme',
      path: 'gone',
    });
    expect(created.status).toBe(201);
    expect(await call('DELETE', `/projects/${created.body.id}`)).toEqual({
      status: 202,
      body: { message: '202 Accepted' },
    });
    expect(await call('GET', `/projects/${created.body.id}`)).toEqual({
      status: 404,
      body: { message: '404 Project Not Found' },
    });
    expect((await call('DELETE', `/projects/${created.body.id}`)).status).toBe(
      404,
    );
    const again = await call('POST', '/projects', {
      namespace_id: 'data-products/acme',
      path: 'gone',
    });
    expect(again.status).toBe(201);
  });
});
