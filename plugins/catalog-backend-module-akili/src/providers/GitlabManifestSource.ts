import {
  getGitLabRequestOptions,
  GitLabIntegrationConfig,
} from '@backstage/integration';
import { MAX_MANIFEST_BYTES } from '@akili/plugin-akili-common';
import { ManifestFile, ManifestSource, MANIFEST_FILE_PATTERN } from './types';

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

export interface GitlabManifestSourceOptions {
  integration: GitLabIntegrationConfig;
  /** Group full path, e.g. `data-products` or `acme/data`; subgroups are included. */
  group: string;
  /** Branch to read; defaults to each project's default branch. */
  branch?: string;
  /** Per-request timeout; a GitLab that does not answer fails the scan within it. */
  timeoutMs?: number;
  /** Files fetched at once. */
  concurrency?: number;
}

/**
 * Finds manifests in the projects of a GitLab group through the REST v4 API, with the
 * token of Backstage's GitLab integration for that host.
 */
export class GitlabManifestSource implements ManifestSource {
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

  /** Whether a project (by full path) belongs to this source's group. */
  coversProject(pathWithNamespace: string) {
    return (
      pathWithNamespace === this.options.group ||
      pathWithNamespace.startsWith(`${this.options.group}/`)
    );
  }

  async listFiles(): Promise<ManifestFile[]> {
    const projects = await this.getAll<GitlabProject>(
      `/groups/${encodeURIComponent(
        this.options.group,
      )}/projects?include_subgroups=true&archived=false&per_page=100`,
    );
    const wanted: Array<{
      project: GitlabProject;
      branch: string;
      path: string;
    }> = [];
    for (const project of projects) {
      const branch = this.options.branch ?? project.default_branch;
      if (project.archived || project.empty_repo || !branch) continue;
      const tree = await this.getAll<GitlabTreeItem>(
        `/projects/${
          project.id
        }/repository/tree?recursive=true&per_page=100&ref=${encodeURIComponent(
          branch,
        )}`,
      );
      for (const item of tree) {
        if (item.type === 'blob' && MANIFEST_FILE_PATTERN.test(item.name)) {
          wanted.push({ project, branch, path: item.path });
        }
      }
    }
    return this.mapLimited(wanted, w =>
      this.readFile(w.project, w.branch, w.path),
    );
  }

  /** Reads given files of one project (for push events). */
  async readFiles(
    project: Pick<GitlabProject, 'id' | 'web_url'>,
    branch: string,
    paths: string[],
  ): Promise<ManifestFile[]> {
    return this.mapLimited(
      paths.filter(p => MANIFEST_FILE_PATTERN.test(p.split('/').pop() ?? '')),
      p => this.readFile(project, branch, p),
    );
  }

  /** The catalog target of a file, also used for files that were removed. */
  fileTarget(
    project: Pick<GitlabProject, 'web_url'>,
    branch: string,
    path: string,
  ) {
    return `${project.web_url}/-/blob/${branch}/${path}`;
  }

  private async readFile(
    project: Pick<GitlabProject, 'id' | 'web_url'>,
    branch: string,
    path: string,
  ): Promise<ManifestFile> {
    const base = {
      target: this.fileTarget(project, branch, path),
      locationType: 'url' as const,
      fileName: path.split('/').pop()!,
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
      throw new Error(
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
      throw new Error(
        `GitLab answered ${res.status}${
          detail ? ` (${detail})` : ''
        }: GET ${path}`,
      );
    }
    return res;
  }

  private async mapLimited<I, O>(
    items: I[],
    fn: (item: I) => Promise<O>,
  ): Promise<O[]> {
    const out: O[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(this.concurrency, items.length) }, worker),
    );
    return out;
  }
}
