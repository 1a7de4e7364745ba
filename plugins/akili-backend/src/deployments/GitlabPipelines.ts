import { CustomErrorBase } from '@backstage/errors';
import { Config } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { DeploymentStatus } from '@akili/plugin-akili-common';

/** How long one GitLab call may take, body included. */
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * GitLab is not configured for deployments (no GitLab integration, or no
 * `akili.tenancy.gitlab.rootGroup`): 503, naming what to set.
 */
export class GitlabNotConfiguredError extends CustomErrorBase {
  name = 'GitlabNotConfiguredError';
  readonly statusCode = 503;
}

/** GitLab did not answer in time, refused the connection or answered 5xx: 503. */
export class GitlabUnavailableError extends CustomErrorBase {
  name = 'GitlabUnavailableError';
  readonly statusCode = 503;
}

/** GitLab answered with a refusal (401, 403, 404, 400): 502, the upstream refused. */
export class GitlabRefusedError extends CustomErrorBase {
  name = 'GitlabRefusedError';
  readonly statusCode = 502;
  constructor(
    message: string,
    /** GitLab's HTTP status. */
    readonly gitlabStatus: number,
  ) {
    super(message);
  }
}

/** A pipeline as GitLab's REST API describes it (the fields read here). */
export interface GitlabPipeline {
  id: number;
  project_id: number;
  status: string;
  /** A branch, or a tag when `tag` is true. */
  ref: string;
  tag?: boolean;
  sha?: string;
  web_url: string;
  finished_at?: string | null;
}

/** Where deployments reach GitLab: its API, the platform's token and the tenants' root group. */
export interface GitlabDeployConfig {
  apiBaseUrl: string;
  token: string;
  /** `akili.tenancy.gitlab.rootGroup`: tenant `acme`'s product `orders` is `<root>/acme/orders`. */
  rootGroup: string;
  timeoutMs: number;
}

/**
 * Reads where deployments go: the GitLab integration of `akili.deployments.gitlabHost` (or the
 * only one configured) and `akili.tenancy.gitlab.rootGroup`; when either is
 * missing, the reason instead: the deploy route then answers 503 with it.
 */
export function readGitlabDeployConfig(
  config: Config,
): GitlabDeployConfig | string {
  const rootGroup = config
    .getOptionalString('akili.tenancy.gitlab.rootGroup')
    ?.replace(/^\/+|\/+$/g, '');
  if (!rootGroup) {
    return 'akili.tenancy.gitlab.rootGroup is not set';
  }
  // ScmIntegrations adds gitlab.com by default: "the only one" means the only one configured.
  const configured = config.getOptionalConfigArray('integrations.gitlab') ?? [];
  const host =
    config.getOptionalString('akili.deployments.gitlabHost') ??
    (configured.length === 1 ? configured[0].getString('host') : undefined);
  if (!host) {
    return 'no single GitLab integration (integrations.gitlab); set akili.deployments.gitlabHost';
  }
  const integration = ScmIntegrations.fromConfig(config).gitlab.byHost(host);
  if (!integration) {
    return `no GitLab integration (integrations.gitlab) for host '${host}'`;
  }
  const { apiBaseUrl, token } = integration.config;
  if (!token) {
    return `the GitLab integration of ${integration.config.host} has no token`;
  }
  return {
    apiBaseUrl: apiBaseUrl.replace(/\/+$/, ''),
    token,
    rootGroup,
    timeoutMs:
      config.getOptionalNumber('akili.deployments.gitlabTimeoutMs') ??
      DEFAULT_TIMEOUT_MS,
  };
}

/** GitLab's pipeline statuses, folded into the deployment's. */
export function deploymentStatusOf(pipelineStatus: string): DeploymentStatus {
  switch (pipelineStatus) {
    case 'running':
      return 'running';
    case 'success':
      return 'success';
    case 'failed':
      return 'failed';
    case 'canceled':
    case 'canceling':
    case 'skipped':
      return 'canceled';
    // created, waiting_for_resource, preparing, pending, scheduled, manual
    default:
      return 'pending';
  }
}

/**
 * The few GitLab REST v4 calls of a deployment, with the platform's token: read a project,
 * create a pipeline on a ref with variables, read a pipeline. Refusals are
 * {@link GitlabRefusedError} (502), a GitLab down or slow {@link GitlabUnavailableError} (503).
 */
export class GitlabPipelines {
  constructor(readonly config: GitlabDeployConfig) {}

  /** `GET /projects/:id` by full path. */
  async project(path: string): Promise<{
    id: number;
    path_with_namespace: string;
    default_branch?: string | null;
    web_url: string;
  }> {
    return this.#call('GET', `/projects/${encodeURIComponent(path)}`, path);
  }

  /** `POST /projects/:id/pipeline?ref=` with the variables as `env_var`s. */
  async createPipeline(
    projectId: number,
    projectPath: string,
    ref: string,
    variables: Record<string, string>,
  ): Promise<GitlabPipeline> {
    return this.#call(
      'POST',
      `/projects/${projectId}/pipeline?ref=${encodeURIComponent(ref)}`,
      projectPath,
      {
        variables: Object.entries(variables).map(([key, value]) => ({
          key,
          value,
          variable_type: 'env_var',
        })),
      },
    );
  }

  /**
   * `GET /projects/:id/pipelines/:pipeline_id`; `project` is the project's id or, where only its
   * path was kept (a deployment followed again after a restart), its full path.
   */
  async pipeline(
    project: number | string,
    projectPath: string,
    pipelineId: number,
  ): Promise<GitlabPipeline> {
    const id =
      typeof project === 'number' ? project : encodeURIComponent(project);
    return this.#call(
      'GET',
      `/projects/${id}/pipelines/${pipelineId}`,
      projectPath,
    );
  }

  async #call<T>(
    method: 'GET' | 'POST',
    path: string,
    project: string,
    body?: unknown,
  ): Promise<T> {
    const { value } = await gitlabJson<T>(
      this.config,
      { method, path, project, body },
      `check that the GitLab project ${project} exists and that the portal's GitLab token may run its pipelines (Developer role, api scope)`,
    );
    return value;
  }
}

/**
 * A GitLab call whose answer is JSON: a refusal (4xx) is a {@link GitlabRefusedError} with
 * GitLab's message and `hint` (what to check); the value comes with the headers (pagination).
 */
export async function gitlabJson<T>(
  config: Pick<GitlabDeployConfig, 'apiBaseUrl' | 'token' | 'timeoutMs'>,
  request: Parameters<typeof gitlabRequest>[1],
  hint: string,
): Promise<{ value: T; headers: Headers }> {
  const { method, path } = request;
  const response = await gitlabRequest(config, request);
  if (!response.ok) {
    throw new GitlabRefusedError(
      `GitLab refused ${method} ${path} with ${
        response.status
      } (${gitlabMessage(response.text)}): ${hint}`,
      response.status,
    );
  }
  return {
    value: parseGitlabJson<T>(config, method, path, response.text),
    headers: response.headers,
  };
}

/** The most of one GitLab answer read by default (pages of JSON are far smaller). */
export const GITLAB_MAX_ANSWER_BYTES = 8 * 1024 * 1024;

/** The body's first `maxBytes` bytes as text; the rest is not downloaded. */
async function readAtMost(response: Response, maxBytes: number) {
  if (!response.body) {
    return '';
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < maxBytes) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  if (size >= maxBytes) {
    await reader.cancel();
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, maxBytes));
}

/** A GitLab answer other than 5xx: its status and text. */
export interface GitlabResponse {
  status: number;
  ok: boolean;
  text: string;
  headers: Headers;
}

/**
 * One GitLab REST v4 call with the platform's token, its body read within the timeout (a GitLab
 * that sends headers and stalls must not hang). A 5xx, a timeout or a refused connection is a
 * {@link GitlabUnavailableError}; any other answer is returned for the caller to judge.
 */
export async function gitlabRequest(
  config: Pick<GitlabDeployConfig, 'apiBaseUrl' | 'token' | 'timeoutMs'>,
  request: {
    method: 'GET' | 'POST' | 'PUT';
    /** Below the API base URL, e.g. `/projects/1`. */
    path: string;
    /** The project, for messages. */
    project: string;
    body?: unknown;
    /**
     * At most this many bytes of the answer are read (default {@link GITLAB_MAX_ANSWER_BYTES}):
     * a file on a branch is whatever a developer pushed, and must not fill the backend's memory.
     */
    maxBytes?: number;
  },
): Promise<GitlabResponse> {
  const { method, path, project, body } = request;
  const url = `${config.apiBaseUrl}${path}`;
  const seconds = config.timeoutMs / 1000;
  try {
    const signal = AbortSignal.timeout(config.timeoutMs);
    const response = await fetch(url, {
      method,
      signal,
      headers: {
        'private-token': config.token,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await readAtMost(
      response,
      request.maxBytes ?? GITLAB_MAX_ANSWER_BYTES,
    );
    if (response.status >= 500) {
      throw new GitlabUnavailableError(
        `GitLab answered ${response.status} for ${method} ${path} (project ${project}); try again later or check GitLab's status`,
      );
    }
    return {
      status: response.status,
      ok: response.ok,
      text,
      headers: response.headers,
    };
  } catch (error) {
    if (error instanceof GitlabUnavailableError) {
      throw error;
    }
    throw new GitlabUnavailableError(
      `GitLab at ${
        config.apiBaseUrl
      } did not answer ${method} ${path} within ${seconds} s (${
        (error as Error).name
      }: ${(error as Error).message}); try again when GitLab is reachable`,
    );
  }
}

/** GitLab's JSON answer; anything else reads as a GitLab in trouble. */
function parseGitlabJson<T>(
  config: Pick<GitlabDeployConfig, 'apiBaseUrl'>,
  method: string,
  path: string,
  text: string,
): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new GitlabUnavailableError(
      `GitLab at ${
        config.apiBaseUrl
      } answered ${method} ${path} with something other than JSON (${
        (error as Error).message
      })`,
    );
  }
}

/** GitLab's error body: `{"message": ...}` or `{"error": ...}`, else the text's start. */
export function gitlabMessage(text: string): string {
  try {
    const body = JSON.parse(text);
    const message = body?.message ?? body?.error;
    if (message !== undefined) {
      return typeof message === 'string' ? message : JSON.stringify(message);
    }
  } catch {
    // not JSON
  }
  return text.slice(0, 200);
}
