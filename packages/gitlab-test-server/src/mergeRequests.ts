import { createHash } from 'node:crypto';
import http from 'node:http';
import type { TestProject } from './GitlabTestServer';

/** A merge request of the test GitLab. */
export interface TestMergeRequest {
  id: number;
  iid: number;
  projectId: number;
  sourceBranch: string;
  targetBranch: string;
  title: string;
  description: string | null;
  state: 'opened' | 'closed' | 'merged';
  labels: string[];
  createdAt: string;
  updatedAt: string;
}

/** A note (comment) on a merge request. */
export interface TestNote {
  id: number;
  body: string;
  author: { id: number; username: string; name: string };
  createdAt: string;
  updatedAt: string;
}

/** A commit made through `POST /projects/:id/repository/commits`. */
export interface TestCommit {
  id: string;
  projectId: number;
  branch: string;
  message: string;
  /** The actions as GitLab received them (`action`, `file_path`, ...). */
  actions: Array<Record<string, unknown>>;
}

/** What the merge-request routes need of the server they are mounted on. */
export interface MergeRequestHost {
  readonly projects: Map<number, TestProject>;
  readonly baseUrl: string;
}

type Json = (
  status: number,
  body: unknown,
  headers?: Record<string, string>,
) => void;

/** GitLab's `PUT /notes/:id` answer for a note someone else wrote. */
const FORBIDDEN = { message: '403 Forbidden' };

/**
 * Branches, commits with actions, merge requests and their notes, answered as GitLab's REST v4
 * does (the calls of `publish:gitlab:merge-request` and of a merge-request review):
 *
 * - `GET /projects/:id/repository/branches/:branch`, `POST /projects/:id/repository/branches`
 *   (`branch`, `ref`; 400 when it exists or the ref does not);
 * - `POST /projects/:id/repository/commits` (`branch`, `commit_message`, `actions` of `create`,
 *   `update`, `delete`, `move`, `chmod` with `encoding` `text` or `base64`; 400 as GitLab for a
 *   create of an existing file or an update of a missing one), which changes the branch's files;
 * - `GET /projects/:id/repository/files/:path?ref=` (the file with its content in base64 and its
 *   `content_sha256`; the raw file is the server's own route);
 * - `GET`/`POST /projects/:id/merge_requests` (`source_branch`, `target_branch`, `state` filters;
 *   409 for a second open merge request of a branch), `GET /projects/:id/merge_requests/:iid`;
 * - `GET`/`POST /projects/:id/merge_requests/:iid/notes` (newest first, paginated),
 *   `GET`/`PUT /projects/:id/merge_requests/:iid/notes/:note_id` (403 for another's note).
 */
export class GitlabMergeRequests {
  readonly mergeRequests: TestMergeRequest[] = [];
  readonly commits: TestCommit[] = [];
  /** Notes by merge request, `<projectId>!<iid>`. */
  readonly notes = new Map<string, TestNote[]>();
  /** The user of the server's token (`GET /user`), who writes every note made through the API. */
  readonly user = { id: 1, username: 'akili-portal', name: 'Akili Portal' };
  /** When set, every merge-request and note route answers 500. */
  failing = false;
  private nextId = 1;

  constructor(private readonly host: MergeRequestHost) {}

  /** The merge requests of a project. */
  of(projectId: number): TestMergeRequest[] {
    return this.mergeRequests.filter(mr => mr.projectId === projectId);
  }

  /** The notes of a merge request, oldest first. */
  notesOf(projectId: number, iid: number): TestNote[] {
    return this.notes.get(`${projectId}!${iid}`) ?? [];
  }

  /** Adds a note as another user (who is not the token's, so the API may not edit it). */
  addNote(projectId: number, iid: number, body: string, username = 'someone') {
    return this.#addNote(projectId, iid, body, {
      id: 77,
      username,
      name: username,
    });
  }

  /**
   * The body GitLab posts to a webhook for a merge request ("Merge Request Hook", object kind
   * `merge_request`), with `action` `open`, `update`, `reopen`, `close` or `merge`.
   */
  mergeRequestEvent(projectId: number, iid: number, action = 'open') {
    const project = this.host.projects.get(projectId);
    const mr = this.of(projectId).find(m => m.iid === iid);
    if (!project || !mr) {
      throw new Error(
        `GitlabTestServer has no merge request !${iid} in project ${projectId}`,
      );
    }
    const webUrl = `${this.host.baseUrl}/${project.pathWithNamespace}`;
    const segments = project.pathWithNamespace.split('/');
    const lastCommit = this.#head(project, mr.sourceBranch);
    const projectJson = {
      id: project.id,
      name: segments[segments.length - 1],
      web_url: webUrl,
      // GitLab sends the display name of the project's group here, not its path.
      namespace: segments[segments.length - 2] ?? '',
      path_with_namespace: project.pathWithNamespace,
      default_branch: project.defaultBranch,
      git_http_url: `${webUrl}.git`,
    };
    return {
      object_kind: 'merge_request',
      event_type: 'merge_request',
      user: { id: 4, name: 'Test User', username: 'test.user' },
      project: projectJson,
      object_attributes: {
        id: mr.id,
        iid: mr.iid,
        title: mr.title,
        description: mr.description,
        state: mr.state,
        action,
        source_branch: mr.sourceBranch,
        target_branch: mr.targetBranch,
        source_project_id: project.id,
        target_project_id: project.id,
        source: projectJson,
        target: projectJson,
        last_commit: { id: lastCommit },
        url: `${webUrl}/-/merge_requests/${mr.iid}`,
        created_at: mr.createdAt,
        updated_at: mr.updatedAt,
      },
      labels: mr.labels.map(title => ({ title })),
      repository: { name: projectJson.name, url: `${webUrl}.git` },
    };
  }

  /**
   * Answers the request when it is one of these routes (`true`), else leaves it to the server
   * (`false`). Called after the server checked the token.
   */
  handle(req: http.IncomingMessage, url: URL, json: Json): boolean {
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] !== 'api' || parts[1] !== 'v4') {
      return false;
    }
    const rest = parts.slice(2).map(decodeURIComponent);
    const method = req.method ?? 'GET';

    if (rest[0] !== 'projects' || rest.length < 3) {
      return false;
    }
    const route = this.#route(method, rest.slice(2));
    if (!route) {
      return false;
    }
    const project = this.#project(rest[1]);
    if (!project) {
      json(404, { message: '404 Project Not Found' });
      return true;
    }
    if (this.failing && rest[2] === 'merge_requests') {
      json(500, { message: '500 Internal Server Error' });
      return true;
    }
    const body = method === 'GET' ? Promise.resolve({}) : readJson(req);
    body
      .then(b => route(project, b as Record<string, any>, url, json))
      .catch(() => json(400, { error: 'The request body is not JSON' }));
    return true;
  }

  #route(
    method: string,
    path: string[],
  ):
    | ((
        project: TestProject,
        body: Record<string, any>,
        url: URL,
        json: Json,
      ) => void)
    | undefined {
    const [a, b, c, d, e] = path;
    if (a === 'repository' && b === 'branches') {
      if (method === 'GET' && path.length === 3) {
        return (p, _b, _u, json) => this.#getBranch(p, c, json);
      }
      if (method === 'POST' && path.length === 2) {
        return (p, body, _u, json) => this.#createBranch(p, body, json);
      }
    }
    if (a === 'repository' && b === 'commits' && path.length === 2) {
      return method === 'POST'
        ? (p, body, _u, json) => this.#commit(p, body, json)
        : undefined;
    }
    if (
      a === 'repository' &&
      b === 'files' &&
      path.length === 3 &&
      method === 'GET'
    ) {
      return (p, _b, u, json) => this.#file(p, c, u, json);
    }
    if (a !== 'merge_requests') {
      return undefined;
    }
    if (path.length === 1) {
      if (method === 'GET') return (p, _b, u, json) => this.#list(p, u, json);
      if (method === 'POST') {
        return (p, body, _u, json) => this.#createMergeRequest(p, body, json);
      }
      return undefined;
    }
    const iid = Number(b);
    if (path.length === 2 && method === 'GET') {
      return (p, _b, _u, json) => {
        const mr = this.of(p.id).find(m => m.iid === iid);
        if (mr) json(200, this.#mergeRequestJson(p, mr));
        else json(404, { message: '404 Not found' });
      };
    }
    if (c !== 'notes') {
      return undefined;
    }
    const withMergeRequest =
      (
        then: (
          p: TestProject,
          notes: TestNote[],
          body: Record<string, any>,
          u: URL,
          json: Json,
        ) => void,
      ) =>
      (p: TestProject, body: Record<string, any>, u: URL, json: Json) => {
        if (!this.of(p.id).some(m => m.iid === iid)) {
          json(404, { message: '404 Not found' });
          return;
        }
        then(p, this.notesOf(p.id, iid), body, u, json);
      };
    if (path.length === 3) {
      if (method === 'GET') {
        return withMergeRequest((_p, notes, _b, u, json) => {
          const newestFirst =
            sortOf(u) === 'asc' ? notes : [...notes].reverse();
          paginate(u, newestFirst.map(noteJson), json, this.host.baseUrl);
        });
      }
      if (method === 'POST') {
        return withMergeRequest((p, _n, body, _u, json) => {
          if (typeof body.body !== 'string' || body.body.trim() === '') {
            json(400, { message: { note: ["can't be blank"] } });
            return;
          }
          json(201, noteJson(this.#addNote(p.id, iid, body.body, this.user)));
        });
      }
      return undefined;
    }
    if (path.length === 4 && d !== undefined && e === undefined) {
      const noteId = Number(d);
      const find = (notes: TestNote[]) => notes.find(n => n.id === noteId);
      if (method === 'GET') {
        return withMergeRequest((_p, notes, _b, _u, json) => {
          const note = find(notes);
          if (note) json(200, noteJson(note));
          else json(404, { message: '404 Not found' });
        });
      }
      if (method === 'PUT') {
        return withMergeRequest((_p, notes, body, _u, json) => {
          const note = find(notes);
          if (!note) {
            json(404, { message: '404 Not found' });
          } else if (note.author.id !== this.user.id) {
            json(403, FORBIDDEN);
          } else if (typeof body.body !== 'string' || !body.body.trim()) {
            json(400, { message: { note: ["can't be blank"] } });
          } else {
            note.body = body.body;
            note.updatedAt = new Date().toISOString();
            json(200, noteJson(note));
          }
        });
      }
    }
    return undefined;
  }

  #project(idOrPath: string): TestProject | undefined {
    return /^\d+$/.test(idOrPath)
      ? this.host.projects.get(Number(idOrPath))
      : [...this.host.projects.values()].find(
          p => p.pathWithNamespace === idOrPath,
        );
  }

  /** The id of a branch's head: a hash of its files, so equal trees have equal heads. */
  #head(project: TestProject, branch: string): string {
    const last = [...this.commits]
      .reverse()
      .find(c => c.projectId === project.id && c.branch === branch);
    if (last) return last.id;
    return createHash('sha1')
      .update(JSON.stringify(project.files[branch] ?? {}))
      .digest('hex');
  }

  #branchJson(project: TestProject, name: string) {
    return {
      name,
      merged: false,
      protected: name === project.defaultBranch,
      default: name === project.defaultBranch,
      commit: { id: this.#head(project, name) },
      web_url: `${this.host.baseUrl}/${project.pathWithNamespace}/-/tree/${name}`,
    };
  }

  #getBranch(project: TestProject, name: string, json: Json) {
    if (!project.files[name]) {
      json(404, { message: '404 Branch Not Found' });
      return;
    }
    json(200, this.#branchJson(project, name));
  }

  #createBranch(project: TestProject, body: Record<string, any>, json: Json) {
    const { branch, ref } = body;
    if (typeof branch !== 'string' || !branch || typeof ref !== 'string') {
      json(400, { error: 'branch is missing, ref is missing' });
      return;
    }
    if (project.files[branch]) {
      json(400, { message: 'Branch already exists' });
      return;
    }
    if (!project.files[ref]) {
      json(400, { message: `Invalid reference name: ${ref}` });
      return;
    }
    project.files[branch] = { ...project.files[ref] };
    json(201, this.#branchJson(project, branch));
  }

  #commit(project: TestProject, body: Record<string, any>, json: Json) {
    const { branch, commit_message: message, actions } = body;
    if (
      typeof branch !== 'string' ||
      typeof message !== 'string' ||
      !Array.isArray(actions)
    ) {
      json(400, {
        error: 'branch, commit_message, actions are missing or invalid',
      });
      return;
    }
    const files = project.files[branch];
    if (!files) {
      json(400, {
        message: 'You can only create or edit files when you are on a branch',
      });
      return;
    }
    const next = { ...files };
    for (const action of actions) {
      const path = action?.file_path;
      if (typeof path !== 'string' || !path) {
        json(400, { error: 'actions[file_path] is missing' });
        return;
      }
      let content = '';
      if (typeof action.content === 'string') {
        content =
          action.encoding === 'base64'
            ? Buffer.from(action.content, 'base64').toString('utf8')
            : action.content;
      }
      switch (action.action) {
        case 'create':
          if (next[path] !== undefined) {
            json(400, { message: 'A file with this name already exists' });
            return;
          }
          next[path] = content;
          break;
        case 'update':
          if (next[path] === undefined) {
            json(400, { message: "A file with this name doesn't exist" });
            return;
          }
          next[path] = content;
          break;
        case 'delete':
          if (next[path] === undefined) {
            json(400, { message: "A file with this name doesn't exist" });
            return;
          }
          delete next[path];
          break;
        case 'move': {
          const from = action.previous_path;
          if (typeof from !== 'string' || next[from] === undefined) {
            json(400, { message: "A file with this name doesn't exist" });
            return;
          }
          next[path] =
            typeof action.content === 'string' ? content : next[from];
          delete next[from];
          break;
        }
        case 'chmod':
          break;
        default:
          json(400, { error: 'actions[action] does not have a valid value' });
          return;
      }
    }
    project.files[branch] = next;
    const id = createHash('sha1')
      .update(`${project.id}:${branch}:${this.commits.length}:${message}`)
      .digest('hex');
    this.commits.push({ id, projectId: project.id, branch, message, actions });
    json(201, {
      id,
      short_id: id.slice(0, 8),
      title: message.split('\n')[0],
      message,
      author_name: this.user.name,
      created_at: new Date().toISOString(),
      web_url: `${this.host.baseUrl}/${project.pathWithNamespace}/-/commit/${id}`,
    });
  }

  #file(project: TestProject, path: string, url: URL, json: Json) {
    const ref = url.searchParams.get('ref');
    if (!ref) {
      json(400, { error: 'ref is missing' });
      return;
    }
    const content = project.files[ref]?.[path];
    if (content === undefined) {
      json(404, { message: '404 File Not Found' });
      return;
    }
    const bytes = Buffer.from(content, 'utf8');
    json(200, {
      file_name: path.split('/').pop(),
      file_path: path,
      size: bytes.length,
      encoding: 'base64',
      content: bytes.toString('base64'),
      content_sha256: createHash('sha256').update(bytes).digest('hex'),
      ref,
      blob_id: createHash('sha1')
        .update(`blob ${bytes.length}\0`)
        .update(bytes)
        .digest('hex'),
      last_commit_id: this.#head(project, ref),
    });
  }

  #list(project: TestProject, url: URL, json: Json) {
    const source = url.searchParams.get('source_branch');
    const target = url.searchParams.get('target_branch');
    const state = url.searchParams.get('state');
    const items = this.of(project.id)
      .filter(
        mr =>
          (!source || mr.sourceBranch === source) &&
          (!target || mr.targetBranch === target) &&
          (!state || state === 'all' || mr.state === state),
      )
      .reverse()
      .map(mr => this.#mergeRequestJson(project, mr));
    paginate(url, items, json, this.host.baseUrl);
  }

  #createMergeRequest(
    project: TestProject,
    body: Record<string, any>,
    json: Json,
  ) {
    const { source_branch: source, target_branch: target, title } = body;
    if (
      typeof source !== 'string' ||
      typeof target !== 'string' ||
      typeof title !== 'string' ||
      !title
    ) {
      json(400, {
        error: 'source_branch, target_branch, title are missing or invalid',
      });
      return;
    }
    if (!project.files[source] || !project.files[target]) {
      json(400, {
        message: [
          `${!project.files[source] ? 'Source' : 'Target'} branch "${
            !project.files[source] ? source : target
          }" does not exist`,
        ],
      });
      return;
    }
    const open = this.of(project.id).find(
      mr =>
        mr.state === 'opened' &&
        mr.sourceBranch === source &&
        mr.targetBranch === target,
    );
    if (open) {
      json(409, {
        message: [
          `Another open merge request already exists for this source branch: !${open.iid}`,
        ],
      });
      return;
    }
    const now = new Date().toISOString();
    // GitLab takes labels as a comma-separated string or an array.
    let labels: string[] = [];
    if (typeof body.labels === 'string') {
      labels = body.labels.split(',').filter(Boolean);
    } else if (Array.isArray(body.labels)) {
      labels = body.labels.map(String);
    }
    const mr: TestMergeRequest = {
      id: 5000 + this.mergeRequests.length,
      iid: this.of(project.id).length + 1,
      projectId: project.id,
      sourceBranch: source,
      targetBranch: target,
      title,
      description:
        typeof body.description === 'string' ? body.description : null,
      state: 'opened',
      labels,
      createdAt: now,
      updatedAt: now,
    };
    this.mergeRequests.push(mr);
    json(201, this.#mergeRequestJson(project, mr));
  }

  #mergeRequestJson(project: TestProject, mr: TestMergeRequest) {
    return {
      id: mr.id,
      iid: mr.iid,
      project_id: project.id,
      title: mr.title,
      description: mr.description,
      state: mr.state,
      source_branch: mr.sourceBranch,
      target_branch: mr.targetBranch,
      source_project_id: project.id,
      target_project_id: project.id,
      labels: mr.labels,
      author: this.user,
      sha: this.#head(project, mr.sourceBranch),
      detailed_merge_status: 'mergeable',
      created_at: mr.createdAt,
      updated_at: mr.updatedAt,
      web_url: `${this.host.baseUrl}/${project.pathWithNamespace}/-/merge_requests/${mr.iid}`,
    };
  }

  #addNote(
    projectId: number,
    iid: number,
    body: string,
    author: TestNote['author'],
  ): TestNote {
    const now = new Date().toISOString();
    const note: TestNote = {
      id: this.nextId++,
      body,
      author,
      createdAt: now,
      updatedAt: now,
    };
    const key = `${projectId}!${iid}`;
    this.notes.set(key, [...(this.notes.get(key) ?? []), note]);
    return note;
  }
}

function sortOf(url: URL): 'asc' | 'desc' {
  return url.searchParams.get('sort') === 'asc' ? 'asc' : 'desc';
}

function noteJson(note: TestNote) {
  return {
    id: note.id,
    type: null,
    body: note.body,
    author: note.author,
    system: false,
    noteable_type: 'MergeRequest',
    created_at: note.createdAt,
    updated_at: note.updatedAt,
  };
}

/** GitLab offset pagination: `page`/`per_page` in, `x-*` and `Link` headers out. */
function paginate(url: URL, items: unknown[], json: Json, baseUrl: string) {
  const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 20), 100);
  const page = Number(url.searchParams.get('page') ?? 1);
  const totalPages = Math.max(1, Math.ceil(items.length / perPage));
  const headers: Record<string, string> = {
    'x-page': String(page),
    'x-per-page': String(perPage),
    'x-total': String(items.length),
    'x-total-pages': String(totalPages),
    'x-next-page': page < totalPages ? String(page + 1) : '',
  };
  if (page < totalPages) {
    const next = new URL(`${baseUrl}${url.pathname}${url.search}`);
    next.searchParams.set('page', String(page + 1));
    headers.link = `<${next}>; rel="next"`;
  }
  json(200, items.slice((page - 1) * perPage, page * perPage), headers);
}

/** The JSON body of a request (`{}` when empty). */
export function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('error', reject);
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text ? JSON.parse(text) : {});
      } catch (error) {
        reject(error);
      }
    });
  });
}
