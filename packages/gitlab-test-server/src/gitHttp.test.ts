import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { GitlabTestServer } from './GitlabTestServer';

const run = promisify(execFile);

/** The git CLI, never asking for credentials nor reading the machine's configuration. */
async function git(args: string[], cwd?: string) {
  try {
    const { stdout } = await run('git', args, {
      cwd,
      env: {
        PATH: process.env.PATH,
        HOME: os.tmpdir(),
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_TERMINAL_PROMPT: '0',
        GIT_AUTHOR_NAME: 'Ann',
        GIT_AUTHOR_EMAIL: 'ann@example.test',
        GIT_COMMITTER_NAME: 'Ann',
        GIT_COMMITTER_EMAIL: 'ann@example.test',
      },
    });
    return { ok: true, output: stdout };
  } catch (error: any) {
    return { ok: false, output: String(error.stderr ?? error.message) };
  }
}

describe('GitlabTestServer git over smart HTTP', () => {
  const gitlab = new GitlabTestServer();
  let work: string;

  beforeAll(async () => {
    await gitlab.start();
    gitlab.addGroup('data-products/acme');
    gitlab.addGroup('data-products/globex');
    gitlab.addProject({
      id: 7,
      pathWithNamespace: 'data-products/globex/fleet',
      defaultBranch: 'main',
      files: { main: { 'README.md': 'globex fleet\n', 'a/b.txt': 'b\n' } },
    });
    gitlab.tokens.set('acme-token', { groups: ['data-products/acme'] });
    gitlab.tokens.set('reporter-token', { push: false });
  });

  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'git-http-test-'));
  });

  afterEach(() => {
    fs.rmSync(work, { recursive: true, force: true });
  });

  afterAll(async () => {
    await gitlab.stop();
  });

  const api = (url: string, init: RequestInit = {}) =>
    fetch(`${gitlab.baseUrl}/api/v4${url}`, {
      ...init,
      headers: {
        'private-token': gitlab.token,
        'content-type': 'application/json',
      },
    });

  const remote = (project: string, token: string) =>
    `${gitlab.baseUrl.replace('//', `//oauth2:${token}@`)}/${project}.git`;

  it('creates an empty project with POST /projects and receives a push to it', async () => {
    const group = await (await api('/groups/data-products%2Facme')).json();
    const created = await api('/projects', {
      method: 'POST',
      body: JSON.stringify({
        namespace_id: group.id,
        name: 'orders',
        path: 'orders',
        visibility: 'private',
      }),
    });
    expect(created.status).toBe(201);
    const project = await created.json();
    expect(project).toMatchObject({
      path_with_namespace: 'data-products/acme/orders',
      http_url_to_repo: `${gitlab.baseUrl}/data-products/acme/orders.git`,
      empty_repo: true,
    });

    const again = await api('/projects', {
      method: 'POST',
      body: JSON.stringify({ namespace_id: group.id, path: 'orders' }),
    });
    expect(again.status).toBe(400);
    expect((await again.json()).message.path).toEqual([
      'has already been taken',
    ]);

    const src = path.join(work, 'src');
    fs.mkdirSync(path.join(src, 'tests'), { recursive: true });
    fs.writeFileSync(path.join(src, 'dataproduct.yaml'), 'name: orders\n');
    fs.writeFileSync(
      path.join(src, 'tests', 'test_a.py'),
      'def test(): pass\n',
    );
    expect(await git(['init', '-q', '-b', 'main'], src)).toMatchObject({
      ok: true,
    });
    await git(['add', '-A'], src);
    await git(['commit', '-q', '-m', 'initial commit'], src);
    const pushed = await git(
      ['push', remote('data-products/acme/orders', 'acme-token'), 'main'],
      src,
    );
    expect(pushed).toMatchObject({ ok: true });

    // The REST API answers from what was pushed.
    const raw = await api(
      `/projects/${project.id}/repository/files/tests%2Ftest_a.py/raw?ref=main`,
    );
    expect(await raw.text()).toBe('def test(): pass\n');
    const tree = await (
      await api(`/projects/${project.id}/repository/tree?recursive=true`)
    ).json();
    expect(tree.map((i: any) => i.path)).toEqual([
      'dataproduct.yaml',
      'tests',
      'tests/test_a.py',
    ]);
    expect(
      (await (await api(`/projects/${project.id}`)).json()).empty_repo,
    ).toBe(false);

    const clone = path.join(work, 'clone');
    expect(
      await git([
        'clone',
        '-q',
        remote('data-products/acme/orders', gitlab.token),
        clone,
      ]),
    ).toMatchObject({ ok: true });
    expect(fs.readFileSync(path.join(clone, 'dataproduct.yaml'), 'utf8')).toBe(
      'name: orders\n',
    );
  });

  it('rebuilds the repositories from the projects’ files after a restart', async () => {
    const server = new GitlabTestServer();
    await server.start();
    server.addProject({
      id: 1,
      pathWithNamespace: 'g/p',
      defaultBranch: 'main',
      files: { main: { 'x.txt': 'x\n' } },
    });
    const url = `${server.baseUrl.replace(
      '//',
      `//oauth2:${server.token}@`,
    )}/g/p.git`;
    expect(await git(['ls-remote', url])).toMatchObject({ ok: true });
    const root = server.git.root;
    const { port } = new URL(server.baseUrl);
    await server.stop();
    expect(fs.existsSync(root)).toBe(false);
    await server.start(Number(port));
    const clone = path.join(work, 'p');
    expect(await git(['clone', '-q', url, clone])).toMatchObject({ ok: true });
    expect(fs.readFileSync(path.join(clone, 'x.txt'), 'utf8')).toBe('x\n');
    await server.stop();
  });

  it('serves a project added with files as a repository with a commit per branch', async () => {
    const clone = path.join(work, 'fleet');
    expect(
      await git([
        'clone',
        '-q',
        remote('data-products/globex/fleet', gitlab.token),
        clone,
      ]),
    ).toMatchObject({ ok: true });
    expect(fs.readFileSync(path.join(clone, 'a', 'b.txt'), 'utf8')).toBe('b\n');
    expect((await git(['branch', '--show-current'], clone)).output.trim()).toBe(
      'main',
    );
  });

  it('answers as GitLab: 401 without or with a wrong token, 404 outside the token’s groups, 403 to a push without push access', async () => {
    const refs = (project: string, authorization?: string) =>
      fetch(
        `${gitlab.baseUrl}/${project}.git/info/refs?service=git-upload-pack`,
        { headers: authorization ? { authorization } : {} },
      );
    const basic = (token: string) =>
      `Basic ${Buffer.from(`oauth2:${token}`).toString('base64')}`;

    const anonymous = await refs('data-products/globex/fleet');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe(
      'Basic realm="GitLab"',
    );
    expect(
      (await refs('data-products/globex/fleet', basic('nope'))).status,
    ).toBe(401);
    const hidden = await refs(
      'data-products/globex/fleet',
      basic('acme-token'),
    );
    expect(hidden.status).toBe(404);
    expect(await hidden.text()).toContain('could not be found');
    expect(
      (await refs('data-products/globex/nothing', basic(gitlab.token))).status,
    ).toBe(404);

    const clone = path.join(work, 'fleet');
    expect(
      await git([
        'clone',
        '-q',
        remote('data-products/globex/fleet', 'nope'),
        clone,
      ]),
    ).toMatchObject({
      ok: false,
      output: expect.stringContaining('Authentication failed'),
    });

    // A reporter reads but may not push.
    expect(
      await git([
        'clone',
        '-q',
        remote('data-products/globex/fleet', 'reporter-token'),
        clone,
      ]),
    ).toMatchObject({ ok: true });
    fs.writeFileSync(path.join(clone, 'new.txt'), 'x\n');
    await git(['add', '-A'], clone);
    await git(['commit', '-q', '-m', 'change'], clone);
    const refused = await git(['push', 'origin', 'main'], clone);
    expect(refused).toMatchObject({
      ok: false,
      output: expect.stringContaining('403'),
    });
    expect(gitlab.projects.get(7)!.files.main['new.txt']).toBeUndefined();
  });
});
