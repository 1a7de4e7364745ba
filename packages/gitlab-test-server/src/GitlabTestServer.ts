import http from 'node:http';
import { AddressInfo } from 'node:net';
import { GitlabMergeRequests, readJson } from './mergeRequests';
import { GitHttpBackend, TestTokenAccess } from './gitHttp';
import { GitlabProjectAdmin } from './projectAdmin';
import { createProject } from './projectCreation';

/** A project of the test GitLab: its full path, default branch and files per branch. */
export interface TestProject {
  id: number;
  pathWithNamespace: string;
  defaultBranch: string;
  archived?: boolean;
  files: Record<string, Record<string, string>>; // branch -> path -> content
  /**
   * Paths the project had before it was moved or renamed: GitLab's API still finds it by them
   * (redirect routes), answering with its current path.
   */
  formerPaths?: string[];
  /** Full paths of groups this project is shared with (GitLab's "share project with group"). */
  sharedWithGroups?: string[];
  /** When set, the project's repository endpoints answer 500, as a GitLab in trouble does. */
  repositoryError?: boolean;
  /**
   * When set, creating a pipeline answers 403, as GitLab does for a token whose user may not run
   * pipelines of the project.
   */
  pipelinesForbidden?: boolean;
}

/** GitLab's pipeline statuses. */
export type TestPipelineStatus =
  | 'created'
  | 'waiting_for_resource'
  | 'preparing'
  | 'pending'
  | 'running'
  | 'success'
  | 'failed'
  | 'canceling'
  | 'canceled'
  | 'skipped'
  | 'manual'
  | 'scheduled';

/** A pipeline created through `POST /projects/:id/pipeline`. */
export interface TestPipeline {
  id: number;
  iid: number;
  projectId: number;
  ref: string;
  status: TestPipelineStatus;
  /** The variables it was created with, by key. */
  variables: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

const FINAL_PIPELINE_STATUSES: readonly TestPipelineStatus[] = [
  'success',
  'failed',
  'canceled',
  'skipped',
];

/** What a push changed, for {@link GitlabTestServer.pushEvent}. */
export interface TestPush {
  /** The pushed branch; defaults to the project's default branch. */
  branch?: string;
  added?: string[];
  modified?: string[];
  removed?: string[];
}

/**
 * An HTTP server answering the GitLab REST v4 endpoints the manifest source calls, with
 * GitLab's field names, status codes, error bodies and offset pagination headers:
 * `GET /groups/:id/projects` (with `include_subgroups`, `archived` and `with_shared`),
 * `GET /projects/:id` (by id, URL-encoded full path or a former path),
 * `GET /groups/:id` and `GET /namespaces/:id` (the groups holding projects and those added with
 * {@link GitlabTestServer.addGroup}), `GET /projects/:id/repository/tree`,
 * `GET /projects/:id/repository/files/:path/raw`, `POST /projects/:id/pipeline` and
 * `GET /projects/:id/pipelines/:pipeline_id` ({@link GitlabTestServer.setPipelineStatus} moves a
 * pipeline on), `POST /projects` (an empty project with its bare repository), `DELETE /projects/:id`
 * and `GET`/`POST /projects/:id/variables` (`./projectAdmin.ts`), `GET /user`, `GET /version` and
 * `GET /-/readiness` (no token).
 * Git smart HTTP answers at each project's `http_url_to_repo` ({@link GitlabTestServer.git}).
 * {@link GitlabTestServer.pushEvent} builds the body GitLab posts to a push webhook.
 */
export class GitlabTestServer {
  readonly projects = new Map<number, TestProject>();
  /** Branches, commits, merge requests and their notes (`./mergeRequests.ts`). */
  readonly mergeRequests = new GitlabMergeRequests(this);
  /** CI/CD variables and project deletion (`./projectAdmin.ts`). */
  readonly projectAdmin = new GitlabProjectAdmin({
    projects: this.projects,
    removeRepository: path => this.gitBackend?.removeRepository(path),
  });
  /** Pipelines created through the API, by id. */
  readonly pipelines = new Map<number, TestPipeline>();
  private nextPipelineId = 1000;
  /** Requests seen, as `METHOD path?query`. */
  readonly requests: string[] = [];
  private server?: http.Server;
  private port?: number;
  /** Answers waiting out `delayMs`; dropped on stop so none runs after the test. */
  private readonly pending = new Set<NodeJS.Timeout>();
  /** Delay before answering, to simulate a slow GitLab. */
  delayMs = 0;

  /**
   * The tokens the server accepts (the REST API takes any of them; git over HTTP checks their
   * access), starting with `token` reaching every group. A test adds or changes one to be
   * refused as GitLab would refuse it.
   */
  readonly tokens = new Map<string, TestTokenAccess>();
  private gitBackend?: GitHttpBackend;

  constructor(readonly token = 'test-token') {
    this.tokens.set(token, {});
  }

  /**
   * Git over smart HTTP at each project's `http_url_to_repo` (`git http-backend` over bare
   * repositories in a temporary directory). A project added with files gets its repository,
   * one commit per branch, at its first git request; a push updates the project's files, so the
   * repository endpoints answer what was pushed.
   */
  get git(): GitHttpBackend {
    this.gitBackend ??= new GitHttpBackend({
      findProject: path => this.projectByPath(path),
      tokenAccess: token => this.tokens.get(token),
      missingRepository: path => {
        const project = this.projectByPath(path)!;
        this.git.createRepository(path, project.defaultBranch, project.files);
      },
      pushed: path => {
        const project = this.projectByPath(path)!;
        project.files = this.git.readBranches(path);
        // GitLab takes the first pushed branch as the default of an empty project.
        if (!project.files[project.defaultBranch]) {
          project.defaultBranch =
            Object.keys(project.files)[0] ?? project.defaultBranch;
        }
      },
    });
    return this.gitBackend;
  }

  private projectByPath(path: string) {
    const lower = path.toLowerCase();
    return (
      [...this.projects.values()].find(
        p => p.pathWithNamespace.toLowerCase() === lower,
      ) ??
      [...this.projects.values()].find(p =>
        (p.formerPaths ?? []).some(f => f.toLowerCase() === lower),
      )
    );
  }

  get baseUrl() {
    if (this.port === undefined) {
      throw new Error('GitlabTestServer is not started');
    }
    return `http://127.0.0.1:${this.port}`;
  }

  get host() {
    return this.baseUrl.replace('http://', '');
  }

  integrationConfig() {
    return {
      host: this.host,
      baseUrl: this.baseUrl,
      apiBaseUrl: `${this.baseUrl}/api/v4`,
      token: this.token,
    };
  }

  addProject(project: TestProject) {
    this.projects.set(project.id, project);
  }

  /** Full paths of groups added with {@link GitlabTestServer.addGroup}. */
  private readonly extraGroups = new Set<string>();

  /** Adds an (empty) group, and its parents, as GitLab would have them. */
  addGroup(fullPath: string) {
    this.extraGroups.add(fullPath);
  }

  /** Every group, by lowercase full path; ids follow the sorted paths (stable while no group is added). */
  private groups(): Map<string, { id: number; fullPath: string }> {
    const paths = new Map<string, string>();
    const add = (fullPath: string) => {
      const segments = fullPath.split('/');
      for (let i = 1; i <= segments.length; i++) {
        const path = segments.slice(0, i).join('/');
        if (!paths.has(path.toLowerCase())) {
          paths.set(path.toLowerCase(), path);
        }
      }
    };
    for (const path of this.extraGroups) {
      add(path);
    }
    for (const p of this.projects.values()) {
      add(p.pathWithNamespace.split('/').slice(0, -1).join('/'));
    }
    return new Map(
      [...paths.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, fullPath], i) => [key, { id: 9000 + i, fullPath }]),
    );
  }

  /** A group as `GET /groups/:id` describes it. */
  private groupJson(group: { id: number; fullPath: string }) {
    const segments = group.fullPath.split('/');
    const parent = this.groups().get(
      segments.slice(0, -1).join('/').toLowerCase(),
    );
    return {
      id: group.id,
      name: segments[segments.length - 1],
      path: segments[segments.length - 1],
      full_path: group.fullPath,
      full_name: segments.join(' / '),
      parent_id: parent?.id ?? null,
      visibility: 'private',
      web_url: `${this.baseUrl}/groups/${group.fullPath}`,
    };
  }

  /**
   * Moves a pipeline to `status`, as its jobs would (`running` sets `started_at`, a final status
   * `finished_at`).
   */
  setPipelineStatus(pipelineId: number, status: TestPipelineStatus) {
    const pipeline = this.pipelines.get(pipelineId);
    if (!pipeline) {
      throw new Error(`GitlabTestServer has no pipeline ${pipelineId}`);
    }
    const now = new Date().toISOString();
    pipeline.status = status;
    pipeline.updatedAt = now;
    if (status === 'running' && !pipeline.startedAt) {
      pipeline.startedAt = now;
    }
    if (FINAL_PIPELINE_STATUSES.includes(status)) {
      pipeline.finishedAt = now;
    }
  }

  /**
   * The body GitLab posts to a webhook for a push to one of the projects (a "Push Hook", object
   * kind `push`), with one commit holding the given changes. The project fields are what GitLab
   * sends; a test may change them to forge a payload.
   */
  pushEvent(projectId: number, push: TestPush = {}) {
    const project = this.projects.get(projectId);
    if (!project) {
      throw new Error(`GitlabTestServer has no project ${projectId}`);
    }
    const name = project.pathWithNamespace.split('/').pop()!;
    const webUrl = `${this.baseUrl}/${project.pathWithNamespace}`;
    const sha = (n: number) => String(n).padStart(40, '0');
    return {
      object_kind: 'push',
      event_name: 'push',
      before: sha(1),
      after: sha(2),
      ref: `refs/heads/${push.branch ?? project.defaultBranch}`,
      ref_protected: true,
      checkout_sha: sha(2),
      user_id: 4,
      user_name: 'Test User',
      user_username: 'test.user',
      project_id: project.id,
      project: {
        id: project.id,
        name,
        web_url: webUrl,
        // GitLab sends the display name of the project's group here, not its path.
        namespace: project.pathWithNamespace.split('/').slice(-2, -1)[0] ?? '',
        path_with_namespace: project.pathWithNamespace,
        default_branch: project.defaultBranch,
        git_http_url: `${webUrl}.git`,
        http_url: `${webUrl}.git`,
      },
      commits: [
        {
          id: sha(2),
          message: 'test push',
          timestamp: new Date(0).toISOString(),
          url: `${webUrl}/-/commit/${sha(2)}`,
          author: { name: 'Test User', email: 'test@example.com' },
          added: push.added ?? [],
          modified: push.modified ?? [],
          removed: push.removed ?? [],
        },
      ],
      total_commits_count: 1,
      repository: {
        name,
        url: `${webUrl}.git`,
        homepage: webUrl,
      },
    };
  }

  /** Starts listening on 127.0.0.1, on `port` (a stopped server's, to bring it back) or any. */
  async start(port = 0) {
    this.server = http.createServer((req, res) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        this.handle(req, res);
      }, this.delayMs);
      this.pending.add(timer);
    });
    await new Promise<void>(resolve =>
      this.server!.listen(port, '127.0.0.1', resolve),
    );
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop() {
    for (const timer of this.pending) {
      clearTimeout(timer);
    }
    this.pending.clear();
    this.server?.closeAllConnections();
    await new Promise<void>(resolve => this.server?.close(() => resolve()));
    // The repositories go; a restarted server builds them again from the projects' files.
    this.gitBackend?.dispose();
    this.gitBackend = undefined;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    const json = (
      status: number,
      body: unknown,
      headers: Record<string, string> = {},
    ) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    // GET /-/readiness: GitLab's health check, without a token
    if (url.pathname === '/-/readiness') {
      json(200, { status: 'ok' });
      return;
    }
    if (GitHttpBackend.isGitPath(url.pathname)) {
      this.git.handle(req, res, url);
      return;
    }
    const token =
      req.headers['private-token'] ??
      req.headers.authorization?.replace(/^Bearer /, '');
    const access =
      typeof token === 'string' ? this.tokens.get(token) : undefined;
    if (!access) {
      json(401, { message: '401 Unauthorized' });
      return;
    }
    if (req.method === 'POST' && url.pathname === '/api/v4/projects') {
      readJson(req)
        .then(body => {
          const created = createProject(body, {
            groups: this.groups(),
            projects: this.projects,
            access,
          });
          if (created.project) {
            this.addProject(created.project);
            this.git.createRepository(
              created.project.pathWithNamespace,
              created.project.defaultBranch,
            );
            json(201, this.projectJson(created.project));
            return;
          }
          json(created.status, created.body);
        })
        .catch(() => json(400, { error: 'The request body is not JSON' }));
      return;
    }
    if (
      this.mergeRequests.handle(req, url, json) ||
      this.projectAdmin.handle(req, url, json)
    ) {
      return;
    }
    const creatingPipeline =
      req.method === 'POST' &&
      /^\/api\/v4\/projects\/[^/]+\/pipeline$/.test(url.pathname);
    if (req.method !== 'GET' && !creatingPipeline) {
      json(405, { error: '405 Method Not Allowed' });
      return;
    }
    if (creatingPipeline) {
      readJson(req)
        .then(body => this.createPipeline(url, body, json))
        .catch(() => json(400, { error: 'The request body is not JSON' }));
      return;
    }
    const parts = url.pathname.split('/').filter(Boolean); // api v4 ...
    if (parts[0] !== 'api' || parts[1] !== 'v4') {
      json(404, { error: '404 Not Found' });
      return;
    }
    const rest = parts.slice(2).map(decodeURIComponent);

    // GET /version: the instance's version (any valid token), as health checks read it
    if (rest.length === 1 && rest[0] === 'version') {
      json(200, { version: '17.5.1-ee', revision: 'a1b2c3d4e5f', kas: {} });
      return;
    }

    // GET /user: the token's user
    if (rest[0] === 'user' && rest.length === 1) {
      json(200, {
        id: 1,
        username: 'akili-portal',
        name: 'Akili Portal',
        state: 'active',
      });
      return;
    }

    // GET /groups/:id/projects
    if (rest[0] === 'groups' && rest[2] === 'projects' && rest.length === 3) {
      const group = rest[1];
      const subgroups = url.searchParams.get('include_subgroups') === 'true';
      const withShared = url.searchParams.get('with_shared') !== 'false';
      const inGroup = (ns: string) =>
        ns === group || (subgroups && ns.startsWith(`${group}/`));
      const all = [...this.projects.values()].filter(
        p =>
          inGroup(p.pathWithNamespace.split('/').slice(0, -1).join('/')) ||
          (withShared && (p.sharedWithGroups ?? []).some(inGroup)),
      );
      if (all.length === 0 && !this.groups().has(group.toLowerCase())) {
        json(404, { message: '404 Group Not Found' });
        return;
      }
      const search = url.searchParams.get('search')?.toLowerCase();
      const visible = all.filter(
        p =>
          !(url.searchParams.get('archived') === 'false' && p.archived) &&
          (!search ||
            p.pathWithNamespace
              .split('/')
              .pop()!
              .toLowerCase()
              .includes(search)),
      );
      this.page(
        url,
        res,
        visible.map(p => this.projectJson(p)),
      );
      return;
    }

    // GET /groups/:id and GET /namespaces/:id (by numeric id or URL-encoded full path)
    if (
      (rest[0] === 'groups' || rest[0] === 'namespaces') &&
      rest.length === 2
    ) {
      const groups = [...this.groups().values()];
      const group = /^\d+$/.test(rest[1])
        ? groups.find(g => g.id === Number(rest[1]))
        : this.groups().get(rest[1].toLowerCase());
      if (!group) {
        json(404, {
          message:
            rest[0] === 'groups'
              ? '404 Group Not Found'
              : '404 Namespace Not Found',
        });
        return;
      }
      json(
        200,
        rest[0] === 'groups'
          ? this.groupJson(group)
          : { ...this.groupJson(group), kind: 'group' },
      );
      return;
    }

    if (rest[0] === 'projects') {
      // By numeric id, by URL-encoded full path or by a former path (GitLab follows redirect
      // routes of moved projects).
      const project = /^\d+$/.test(rest[1])
        ? this.projects.get(Number(rest[1]))
        : [...this.projects.values()].find(
            p => p.pathWithNamespace === rest[1],
          ) ??
          [...this.projects.values()].find(p =>
            (p.formerPaths ?? []).includes(rest[1]),
          );
      if (!project) {
        json(404, { message: '404 Project Not Found' });
        return;
      }
      // GET /projects/:id
      if (rest.length === 2) {
        json(200, this.projectJson(project));
        return;
      }
      // GET /projects/:id/pipelines/:pipeline_id
      if (rest[2] === 'pipelines' && rest.length === 4) {
        const pipeline = this.pipelines.get(Number(rest[3]));
        if (!pipeline || pipeline.projectId !== project.id) {
          json(404, { message: '404 Not found' });
          return;
        }
        json(200, this.pipelineJson(pipeline));
        return;
      }
      if (rest[2] === 'repository' && project.repositoryError) {
        json(500, { message: '500 Internal Server Error' });
        return;
      }
      const ref = url.searchParams.get('ref') ?? project.defaultBranch;
      const files = project.files[ref];
      // GET /projects/:id/repository/tree
      if (rest[2] === 'repository' && rest[3] === 'tree') {
        if (!files) {
          json(404, { message: '404 Tree Not Found' });
          return;
        }
        const dirs = new Set<string>();
        for (const p of Object.keys(files)) {
          const segs = p.split('/');
          for (let i = 1; i < segs.length; i++)
            dirs.add(segs.slice(0, i).join('/'));
        }
        const items = [
          ...[...dirs].map(d => ({
            id: `t-${d}`,
            name: d.split('/').pop(),
            type: 'tree',
            path: d,
            mode: '040000',
          })),
          ...Object.keys(files).map(p => ({
            id: `b-${p}`,
            name: p.split('/').pop(),
            type: 'blob',
            path: p,
            mode: '100644',
          })),
        ].sort((a, b) => a.path.localeCompare(b.path));
        this.page(
          url,
          res,
          url.searchParams.get('recursive') === 'true'
            ? items
            : items.filter(i => !i.path.includes('/')),
        );
        return;
      }
      // GET /projects/:id/repository/files/:path/raw
      if (
        rest[2] === 'repository' &&
        rest[3] === 'files' &&
        rest[5] === 'raw'
      ) {
        const content = files?.[rest[4]];
        if (content === undefined) {
          json(404, { message: '404 File Not Found' });
          return;
        }
        res.writeHead(200, {
          'content-type': 'text/plain; charset=utf-8',
          'content-length': Buffer.byteLength(content),
        });
        res.end(content);
        return;
      }
    }
    json(404, { error: '404 Not Found' });
  }

  /**
   * `POST /projects/:id/pipeline`: `ref` in the query or the body, `variables` as
   * `[{ key, value, variable_type }]`; 201 with the pipeline (`created`), 400 for a missing ref or
   * a branch the project lacks, 403 when {@link TestProject.pipelinesForbidden}.
   */
  private createPipeline(
    url: URL,
    body: any,
    json: (status: number, body: unknown) => void,
  ) {
    const id = decodeURIComponent(url.pathname.split('/')[4]);
    const project = /^\d+$/.test(id)
      ? this.projects.get(Number(id))
      : [...this.projects.values()].find(p => p.pathWithNamespace === id);
    if (!project) {
      json(404, { message: '404 Project Not Found' });
      return;
    }
    if (project.pipelinesForbidden) {
      json(403, { message: '403 Forbidden' });
      return;
    }
    const ref = url.searchParams.get('ref') ?? body?.ref;
    if (!ref) {
      json(400, { error: 'ref is missing' });
      return;
    }
    if (!project.files[ref]) {
      json(400, { message: { base: ['Reference not found'] } });
      return;
    }
    const variables: Record<string, string> = {};
    for (const variable of body?.variables ?? []) {
      if (
        typeof variable?.key !== 'string' ||
        typeof variable?.value !== 'string' ||
        !['env_var', 'file', undefined].includes(variable.variable_type)
      ) {
        json(400, { error: 'variables is invalid' });
        return;
      }
      variables[variable.key] = variable.value;
    }
    const now = new Date().toISOString();
    const pipelineId = this.nextPipelineId++;
    const pipeline: TestPipeline = {
      id: pipelineId,
      iid:
        [...this.pipelines.values()].filter(p => p.projectId === project.id)
          .length + 1,
      projectId: project.id,
      ref,
      status: 'created',
      variables,
      createdAt: now,
      updatedAt: now,
      startedAt: null,
      finishedAt: null,
    };
    this.pipelines.set(pipelineId, pipeline);
    json(201, this.pipelineJson(pipeline));
  }

  /** A pipeline as GitLab's REST API describes it (`GET /projects/:id/pipelines/:id`). */
  private pipelineJson(p: TestPipeline) {
    const project = this.projects.get(p.projectId)!;
    const sha = String(p.id).padStart(40, '0');
    return {
      id: p.id,
      iid: p.iid,
      project_id: p.projectId,
      sha,
      ref: p.ref,
      status: p.status,
      source: 'api',
      before_sha: '0'.repeat(40),
      tag: false,
      yaml_errors: null,
      user: { id: 1, username: 'akili-portal', name: 'Akili Portal' },
      created_at: p.createdAt,
      updated_at: p.updatedAt,
      started_at: p.startedAt,
      finished_at: p.finishedAt,
      committed_at: null,
      duration: null,
      queued_duration: null,
      coverage: null,
      web_url: `${this.baseUrl}/${project.pathWithNamespace}/-/pipelines/${p.id}`,
    };
  }

  /** A project as GitLab's REST API describes it (the fields the portal reads, and a few more). */
  private projectJson(p: TestProject) {
    const namespace = p.pathWithNamespace.split('/').slice(0, -1).join('/');
    return {
      id: p.id,
      name: p.pathWithNamespace.split('/').pop(),
      path: p.pathWithNamespace.split('/').pop(),
      path_with_namespace: p.pathWithNamespace,
      namespace: {
        name: namespace.split('/').pop(),
        path: namespace.split('/').pop(),
        kind: 'group',
        full_path: namespace,
      },
      web_url: `${this.baseUrl}/${p.pathWithNamespace}`,
      http_url_to_repo: `${this.baseUrl}/${p.pathWithNamespace}.git`,
      default_branch: p.defaultBranch,
      archived: Boolean(p.archived),
      empty_repo: Object.keys(p.files[p.defaultBranch] ?? {}).length === 0,
    };
  }

  /** GitLab offset pagination: `page`/`per_page` in, `x-*` and `Link` headers out. */
  private page(url: URL, res: http.ServerResponse, items: unknown[]) {
    const perPage = Math.min(
      Number(url.searchParams.get('per_page') ?? 20),
      100,
    );
    const page = Number(url.searchParams.get('page') ?? 1);
    const totalPages = Math.max(1, Math.ceil(items.length / perPage));
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-page': String(page),
      'x-per-page': String(perPage),
      'x-total': String(items.length),
      'x-total-pages': String(totalPages),
      'x-next-page': page < totalPages ? String(page + 1) : '',
      'x-prev-page': page > 1 ? String(page - 1) : '',
    };
    if (page < totalPages) {
      const next = new URL(url.toString().replace('http://x', this.baseUrl));
      next.searchParams.set('page', String(page + 1));
      headers.link = `<${next}>; rel="next"`;
    }
    res.writeHead(200, headers);
    res.end(JSON.stringify(slice));
  }
}
