import { ScmIntegrations } from '@backstage/integration';
import { ServiceUnavailableError } from '@backstage/errors';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import { gitlabApiCall } from './gitlabApi';
import { parseRepoUrl } from './targets';

/** The project `publish:gitlab` creates, and how to reach GitLab about it. */
interface PublishTarget {
  integration: NonNullable<
    ReturnType<ScmIntegrations['gitlab']['byHost']>
  >['config'];
  namespace: string;
  path: string;
  oauthToken?: string;
}

interface FoundProject {
  id: number;
  emptyRepo: boolean;
  webUrl: string;
}

const PURPOSE = 'the look-up of the project a publish creates';

/** The step's error after a failed publish, with what was done about the project. */
class PublishFailedError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'PublishFailedError';
  }
}

/**
 * Runs `publish:gitlab` so that a failure after it created the project (GitLab refusing the
 * push, or going away during it) does not leave an empty project behind, which would make the
 * next run with the same name fail: the project is deleted again and the step's error says what
 * happened and what to do.
 *
 * @remarks
 *
 * The project is this run's when it did not exist before the step, exists after the failure and
 * holds nothing (`empty_repo`): a project someone else created meanwhile fails the official
 * action's own create (a GitLab API error, never cleaned up here), and one with commits is never
 * deleted.
 */
export async function publishRemovingFailedProject(
  ctx: ActionContext<JsonObject>,
  publish: (ctx: ActionContext<JsonObject>) => Promise<void>,
  integrations: ScmIntegrations,
): Promise<void> {
  const target = publishTarget(ctx.input, integrations);
  // Unknown (GitLab not answering) counts as existing: only what this run created is removed.
  const existed =
    !target ||
    (await findProject(target).then(
      found => found !== undefined,
      () => true,
    ));
  try {
    await publish(ctx);
  } catch (error) {
    if (!target || existed || isGitlabApiError(error)) {
      throw error;
    }
    const left = await findProject(target).catch(() => undefined);
    if (!left?.emptyRepo) {
      throw error;
    }
    const fullPath = `${target.namespace}/${target.path}`;
    const removal = await removeProject(target, left.id);
    if (removal.removed) {
      ctx.logger.warn(
        'Removed the empty GitLab project this run created, as publishing it failed',
        { project: fullPath },
      );
    } else {
      ctx.logger.warn(
        'Could not remove the empty GitLab project this run created',
        { project: fullPath, reason: removal.reason },
      );
    }
    throw new PublishFailedError(
      publishFailure(error, {
        fullPath,
        namespace: target.namespace,
        left,
        removal,
      }),
      error,
    );
  }
}

function publishTarget(
  input: JsonObject,
  integrations: ScmIntegrations,
): PublishTarget | undefined {
  let repoUrl: ReturnType<typeof parseRepoUrl>;
  try {
    repoUrl = parseRepoUrl(input.repoUrl);
  } catch {
    // The official action refuses such an input itself, before creating anything.
    return undefined;
  }
  const { owner: namespace, repo: path } = repoUrl;
  const integration = integrations.gitlab.byHost(repoUrl.host)?.config;
  if (!namespace || !path || !integration) {
    return undefined;
  }
  return {
    integration,
    namespace,
    path,
    oauthToken: typeof input.token === 'string' ? input.token : undefined,
  };
}

async function findProject(
  target: PublishTarget,
): Promise<FoundProject | undefined> {
  const response = await gitlabApiCall(
    target.integration,
    `/projects/${encodeURIComponent(`${target.namespace}/${target.path}`)}`,
    { purpose: PURPOSE, oauthToken: target.oauthToken },
  );
  if (response.status === 404) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ServiceUnavailableError(
      `GitLab at '${target.integration.host}' answered ${response.status} to ${PURPOSE}`,
    );
  }
  const body = (await response.json()) as {
    id: number;
    empty_repo?: boolean;
    web_url: string;
  };
  return {
    id: body.id,
    emptyRepo: body.empty_repo === true,
    webUrl: body.web_url,
  };
}

type Removal = { removed: true } | { removed: false; reason: string };

/** `DELETE /projects/:id`: GitLab answers 202 Accepted. */
async function removeProject(
  target: PublishTarget,
  id: number,
): Promise<Removal> {
  try {
    const response = await gitlabApiCall(
      target.integration,
      `/projects/${id}`,
      {
        purpose: PURPOSE,
        method: 'DELETE',
        oauthToken: target.oauthToken,
      },
    );
    const text = await response.text();
    if (response.ok) {
      return { removed: true };
    }
    // GitLab's messages mostly start with the status already ('403 Forbidden').
    const message = gitlabMessage(text).trim();
    return {
      removed: false,
      reason: `GitLab answered ${
        message.startsWith(String(response.status))
          ? message
          : `${response.status} ${message}`.trim()
      }`,
    };
  } catch (error) {
    return {
      removed: false,
      reason: error instanceof Error ? error.message : String(error),
    };
  }
}

/** GitLab's `message` or `error` of an error body, else the body. */
function gitlabMessage(text: string): string {
  try {
    const body = JSON.parse(text);
    return String(body.message ?? body.error ?? text);
  } catch {
    return text;
  }
}

/** A gitbeaker error of a REST call: the official action failed before or at the create. */
function isGitlabApiError(error: unknown): boolean {
  return error instanceof Error && error.name === 'GitbeakerRequestError';
}

/**
 * Why the push failed, in GitLab's own words, and its HTTP status when there is one. The git
 * helper of `@backstage/plugin-scaffolder-node` rethrows isomorphic-git's `HttpError` as
 * `<message> {data=<JSON of its data: statusCode, statusMessage, response>}`.
 */
function pushFailure(error: unknown): { reason: string; status?: number } {
  const message = error instanceof Error ? error.message : String(error);
  const match = /^([\s\S]*?) \{data=([\s\S]*)\}$/.exec(message);
  if (!match) {
    return { reason: message };
  }
  let data: { statusCode?: unknown; response?: unknown } = {};
  try {
    data = JSON.parse(match[2]) ?? {};
  } catch {
    return { reason: message };
  }
  const answer = typeof data.response === 'string' ? data.response.trim() : '';
  return {
    reason: answer ? `${match[1]}: ${answer}` : match[1],
    status: typeof data.statusCode === 'number' ? data.statusCode : undefined,
  };
}

function publishFailure(
  error: unknown,
  facts: {
    fullPath: string;
    namespace: string;
    left: FoundProject;
    removal: Removal;
  },
): string {
  const { reason, status } = pushFailure(error);
  const refused = status === 401 || status === 403;
  const what = refused
    ? `GitLab refused the push to ${facts.fullPath} (${reason})`
    : `Publishing to GitLab failed after the project ${facts.fullPath} was created (${reason})`;
  const todo = refused
    ? `ask a maintainer of the GitLab group ${facts.namespace} for push rights to its projects (Developer or above), then run the template again`
    : 'run the template again; if it keeps failing, tell the platform team what this message says';
  if (facts.removal.removed) {
    return `${what}: the project was removed again, so nothing is left and the name is free; ${todo}.`;
  }
  return `${what}, and removing the project again failed (${facts.removal.reason}): the empty project ${facts.left.webUrl} is left and must be removed (GitLab: Settings > General > Advanced > Delete project) before the template can run again with this name; ${todo}.`;
}
