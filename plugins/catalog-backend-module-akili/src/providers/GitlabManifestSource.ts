import {
  getGitLabRequestOptions,
  GitLabIntegrationConfig,
} from '@backstage/integration';
import {
  MAX_MANIFEST_BYTES,
  tenantOfGitlabPath,
} from '@akili/plugin-akili-common';
import {
  ManifestChanges,
  ManifestFile,
  ManifestScan,
  ManifestSource,
  MANIFEST_FILE_PATTERN,
  UnreadablePlace,
} from './types';
import { isTenantPlaceName } from '../tenancy';
import { mapLimited } from './mapLimited';

/** The GitLab project fields this source reads (GitLab REST v4 names). */
interface GitlabProject {
  id: number;
  path_with_namespace: string;
  web_url: string;
  default_branch?: string | null;
  archived?: boolean;
  empty_repo?: boolean;
}

interface GitlabTreeItem {
  name: string;
  path: string;
  type: 'blob' | 'tree' | 'commit';
}

/** The parts of a GitLab push hook body this source reads; none of it is trusted. */
interface GitlabPushPayload {
  object_kind?: unknown;
  ref?: unknown;
  project_id?: unknown;
  project?: { id?: unknown; path_with_namespace?: unknown };
  commits?: unknown;
}

/** A GitLab error answer, with its HTTP status. */
class GitlabRequestError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'GitlabRequestError';
  }
}

export interface GitlabManifestSourceOptions {
  integration: GitLabIntegrationConfig;
  /**
   * Group full path, e.g. `data-products`; subgroups are included. Each first subgroup is a
   * tenant's group (`data-products/acme`): a project's tenant is the one of its path.
   */
  group: string;
  /** Branch to read; defaults to each project's default branch. */
  branch?: string;
  /** Per-request timeout; a GitLab that does not answer fails the scan within it. */
  timeoutMs?: number;
  /** Files fetched at once. */
  concurrency?: number;
}

/** The topic `@backstage/plugin-events-backend-module-gitlab` publishes push hooks under. */
export const GITLAB_PUSH_TOPIC = 'gitlab.push';

/**
 * Finds manifests in the projects of a GitLab group through the REST v4 API, with the
 * token of Backstage's GitLab integration for that host. A project belongs to the tenant of its
 * first subgroup below the group (`tenantOfGitlabPath`), whatever its files say; projects
 * outside a tenant's subgroup (directly in the group, or only shared with it) are not read.
 */
export class GitlabManifestSource implements ManifestSource {
  readonly eventTopics = [GITLAB_PUSH_TOPIC];
  private readonly apiBase: string;
  private readonly timeoutMs: number;
  private readonly concurrency: number;

  constructor(private readonly options: GitlabManifestSourceOptions) {
    this.apiBase = options.integration.apiBaseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.concurrency = options.concurrency ?? 8;
  }

  describe() {
    return `gitlab ${this.options.integration.host}/${this.options.group}`;
  }

  /**
   * The tenant of a project by its full path: the first subgroup below this source's group;
   * undefined outside the group or directly in it.
   */
  tenantOfProject(pathWithNamespace: string): string | undefined {
    const namespace = pathWithNamespace.split('/').slice(0, -1).join('/');
    const tenant = tenantOfGitlabPath(this.options.group, namespace);
    return isTenantPlaceName(tenant) ? tenant : undefined;
  }

  async listFiles(): Promise<ManifestScan> {
    // Only the group's own projects: a project merely shared with the group lives elsewhere.
    const projects = await this.getAll<GitlabProject>(
      `/groups/${encodeURIComponent(
        this.options.group,
      )}/projects?include_subgroups=true&with_shared=false&archived=false&per_page=100`,
    );
    const wanted: Array<{
      project: GitlabProject;
      tenant: string;
      branch: string;
      path: string;
    }> = [];
    const unreadable: UnreadablePlace[] = [];
    for (const project of projects) {
      const tenant = this.tenantOfProject(project.path_with_namespace);
      const branch = this.options.branch ?? project.default_branch;
      if (!tenant || project.archived || project.empty_repo || !branch) {
        continue;
      }
      let tree: GitlabTreeItem[];
      try {
        tree = await this.getAll<GitlabTreeItem>(
          `/projects/${
            project.id
          }/repository/tree?recursive=true&per_page=100&ref=${encodeURIComponent(
            branch,
          )}`,
        );
      } catch (error) {
        if (error instanceof GitlabRequestError && error.status === 404) {
          continue; // no such branch: no manifests
        }
        // One project that cannot be listed keeps its products; the others go on.
        unreadable.push({
          targetPrefix: `${project.web_url}/-/blob/`,
          reason: (error as Error).message,
        });
        continue;
      }
      for (const item of tree) {
        if (item.type === 'blob' && MANIFEST_FILE_PATTERN.test(item.name)) {
          wanted.push({ project, tenant, branch, path: item.path });
        }
      }
    }
    const files = await mapLimited(wanted, this.concurrency, w =>
      this.readFile(w.project, w.tenant, w.branch, w.path),
    );
    return { files, unreadable };
  }

  /**
   * The changes a `gitlab.push` event announces. The payload only names the project (its id,
   * else its path): the project itself, its path, tenant, web address and default branch are
   * read from GitLab, and files are read from that project. A push is applied only when the
   * project is inside this source's group and a tenant's subgroup, the payload's path (if any)
   * is the project's, and it is a push to the configured branch (the project's default branch
   * when none is configured).
   */
  async readEvent(
    topic: string,
    payload: unknown,
  ): Promise<ManifestChanges | string> {
    const push = (payload ?? {}) as GitlabPushPayload;
    if (topic !== GITLAB_PUSH_TOPIC || push.object_kind !== 'push') {
      return 'not a push event';
    }
    const claimedPath =
      typeof push.project?.path_with_namespace === 'string'
        ? push.project.path_with_namespace
        : undefined;
    const rawId = push.project_id ?? push.project?.id;
    const id =
      typeof rawId === 'number' && Number.isSafeInteger(rawId) && rawId > 0
        ? String(rawId)
        : undefined;
    if (!id && !claimedPath) {
      return 'the push names no project';
    }
    let project: GitlabProject;
    try {
      const res = await this.request(
        `/projects/${id ?? encodeURIComponent(claimedPath!)}`,
      );
      project = (await res.json()) as GitlabProject;
    } catch (error) {
      if (error instanceof GitlabRequestError && error.status === 404) {
        return 'GitLab does not know the project the push names';
      }
      throw error;
    }
    if (
      claimedPath !== undefined &&
      claimedPath.toLocaleLowerCase('en-US') !==
        project.path_with_namespace.toLocaleLowerCase('en-US')
    ) {
      return `the push names path ${claimedPath}, but project ${project.id} is ${project.path_with_namespace}`;
    }
    const tenant = this.tenantOfProject(project.path_with_namespace);
    if (!tenant) {
      return `project ${project.path_with_namespace} is not inside a tenant's subgroup of ${this.options.group}`;
    }
    if (project.archived) {
      return `project ${project.path_with_namespace} is archived`;
    }
    const branch = this.options.branch ?? project.default_branch;
    if (!branch || push.ref !== `refs/heads/${branch}`) {
      return `push to ${String(push.ref)}, not to branch ${branch ?? '(none)'}`;
    }
    const changed = new Set<string>();
    const removed = new Set<string>();
    const strings = (v: unknown) =>
      Array.isArray(v)
        ? v.filter((p): p is string => typeof p === 'string')
        : [];
    const commits = Array.isArray(push.commits) ? push.commits : [];
    for (const commit of commits as Array<Record<string, unknown>>) {
      for (const p of [
        ...strings(commit?.added),
        ...strings(commit?.modified),
      ]) {
        changed.add(p);
        removed.delete(p);
      }
      for (const p of strings(commit?.removed)) {
        removed.add(p);
        changed.delete(p);
      }
    }
    const isManifest = (p: string) =>
      MANIFEST_FILE_PATTERN.test(p.split('/').pop() ?? '');
    const files = await mapLimited(
      [...changed].filter(isManifest),
      this.concurrency,
      p => this.readFile(project, tenant, branch, p),
    );
    return {
      tenant,
      changed: files,
      removedTargets: [...removed]
        .filter(isManifest)
        .map(p => this.fileTarget(project, branch, p)),
    };
  }

  /** The catalog target of a file, also used for files that were removed. */
  private fileTarget(
    project: Pick<GitlabProject, 'web_url'>,
    branch: string,
    path: string,
  ) {
    return `${project.web_url}/-/blob/${branch}/${path}`;
  }

  private async readFile(
    project: Pick<GitlabProject, 'id' | 'web_url'>,
    tenant: string,
    branch: string,
    path: string,
  ): Promise<ManifestFile> {
    const base = {
      target: this.fileTarget(project, branch, path),
      locationType: 'url' as const,
      fileName: path.split('/').pop()!,
      tenant,
    };
    try {
      const res = await this.request(
        `/projects/${project.id}/repository/files/${encodeURIComponent(
          path,
        )}/raw?ref=${encodeURIComponent(branch)}`,
      );
      const length = Number(res.headers.get('content-length') ?? 0);
      if (length > MAX_MANIFEST_BYTES) {
        await res.body?.cancel();
        return {
          ...base,
          readError: `file is ${length} bytes, larger than the ${MAX_MANIFEST_BYTES}-byte limit for manifests`,
        };
      }
      const text = await res.text();
      if (Buffer.byteLength(text) > MAX_MANIFEST_BYTES) {
        return {
          ...base,
          readError: `file is larger than the ${MAX_MANIFEST_BYTES}-byte limit for manifests`,
        };
      }
      return { ...base, text };
    } catch (error) {
      return { ...base, readError: (error as Error).message };
    }
  }

  /** Follows GitLab's offset pagination (`x-next-page`). */
  private async getAll<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    let page = '1';
    for (let guard = 0; page && guard < 10_000; guard++) {
      const sep = path.includes('?') ? '&' : '?';
      const res = await this.request(`${path}${sep}page=${page}`);
      items.push(...((await res.json()) as T[]));
      page = res.headers.get('x-next-page') ?? '';
    }
    return items;
  }

  private async request(path: string): Promise<Response> {
    const url = `${this.apiBase}${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        headers: getGitLabRequestOptions(this.options.integration).headers,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const reason =
        (error as Error).name === 'TimeoutError'
          ? `no answer within ${this.timeoutMs} ms`
          : (error as Error).message;
      throw new GitlabRequestError(
        `GitLab ${this.options.integration.host} is unreachable (${reason}): GET ${path}`,
      );
    }
    if (!res.ok) {
      let detail = '';
      try {
        const body = (await res.json()) as {
          message?: unknown;
          error?: unknown;
        };
        detail = String(body.message ?? body.error ?? '');
      } catch {
        // not JSON
      }
      throw new GitlabRequestError(
        `GitLab answered ${res.status}${
          detail ? ` (${detail})` : ''
        }: GET ${path}`,
        res.status,
      );
    }
    return res;
  }
}
