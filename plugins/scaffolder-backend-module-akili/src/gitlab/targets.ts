import { InputError, NotAllowedError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';

/**
 * What a GitLab action of a template step reads or writes, as GitLab will see it.
 *
 * - `namespace`: the group a new project is created in (`publish:gitlab`'s owner);
 * - `group`: a group path created or used level by level (`gitlab:group:ensureExists`);
 * - `project`: an existing project, by full path or numeric id.
 */
export type GitlabTarget =
  | { kind: 'namespace'; host: string; path: string }
  | { kind: 'group'; host: string; path: string }
  | { kind: 'project'; host: string; ref: string | number };

/**
 * The GitLab actions a template may use, and how each names its target. Every other action of
 * `@backstage/plugin-scaffolder-backend-module-gitlab` (group access and migration, access and
 * deploy tokens, user info) is not registered at all.
 */
export const TENANT_BOUND_GITLAB_ACTIONS = [
  'publish:gitlab',
  'publish:gitlab:merge-request',
  'gitlab:repo:push',
  'gitlab:group:ensureExists',
  'gitlab:projectVariable:create',
  'gitlab:pipeline:trigger',
  'gitlab:issues:create',
  'gitlab:issue:edit',
] as const;

/** Id of a GitLab action that templates may use. */
export type TenantBoundGitlabActionId =
  (typeof TENANT_BOUND_GITLAB_ACTIONS)[number];

/** A repoUrl as the GitLab actions read it (`host?owner=group&repo=name`, or `project=`). */
export function parseRepoUrl(repoUrl: unknown) {
  if (typeof repoUrl !== 'string') {
    throw new InputError('repoUrl must be a string');
  }
  let url: URL;
  try {
    url = new URL(`https://${repoUrl}`);
  } catch {
    throw new InputError(`Invalid repoUrl '${repoUrl}'`);
  }
  const param = (name: string) => url.searchParams.get(name) ?? undefined;
  return {
    host: url.host,
    owner: param('owner'),
    repo: param('repo'),
    project: param('project'),
  };
}

/**
 * The project path `owner/repo`, or `undefined` when either part is missing. The parts are
 * taken as GitLab receives them: the tenant check refuses malformed paths, so slashes around
 * them are not trimmed away here.
 */
function ownerRepo(owner?: string, repo?: string): string | undefined {
  return owner !== undefined && repo !== undefined
    ? `${owner}/${repo}`
    : undefined;
}

/** A project reference: a digit-only string is a numeric id, as GitLab and the actions read it. */
function projectRef(value: unknown): string | number | undefined {
  if (typeof value === 'number') {
    return value;
  }
  if (typeof value === 'string' && value !== '') {
    return /^\d+$/.test(value) ? Number(value) : value;
  }
  return undefined;
}

function requireRef(
  ref: string | number | undefined,
  actionId: string,
): string | number {
  if (ref === undefined) {
    throw new InputError(
      `${actionId} needs a GitLab project: projectId, or a repoUrl with owner and repo`,
    );
  }
  return ref;
}

/** `gitlab:group:ensureExists` path items: names split at `/`, or `{ name, slug }`. */
function groupPath(items: unknown): string {
  if (!Array.isArray(items) || items.length === 0) {
    throw new InputError('gitlab:group:ensureExists needs a path');
  }
  return items
    .map(item =>
      typeof item === 'string'
        ? item
        : String((item as { slug?: unknown } | null)?.slug),
    )
    .join('/');
}

const PRIVATE = 'private';

/**
 * The GitLab targets of a step of one of {@link TENANT_BOUND_GITLAB_ACTIONS}, from its input as
 * the step resolved it (template expressions already rendered). Inputs that would open a
 * tenant's project to people outside the tenant, or read above it, are refused here: a
 * visibility other than private, a named user added as owner, an epic (looked up in the root
 * group).
 */
export function gitlabTargetsOf(
  actionId: TenantBoundGitlabActionId,
  input: JsonObject,
): GitlabTarget[] {
  const { host, owner, repo, project } = parseRepoUrl(input.repoUrl);
  if (input.epicId !== undefined) {
    // The actions look epics up in the top-level group, which holds every tenant.
    throw new NotAllowedError(
      'epicId is not allowed: epics live in the group above all tenants',
    );
  }
  switch (actionId) {
    case 'publish:gitlab': {
      const settings = (input.settings ?? {}) as JsonObject;
      for (const visibility of [input.repoVisibility, settings.visibility]) {
        if (visibility !== undefined && visibility !== PRIVATE) {
          throw new NotAllowedError(
            `A tenant's projects are private: repoVisibility '${visibility}' is not allowed`,
          );
        }
      }
      if (input.ownerUsername !== undefined) {
        throw new NotAllowedError(
          "ownerUsername is not allowed: a tenant's project members come from the tenant's group",
        );
      }
      if (owner === undefined || repo === undefined || repo.includes('/')) {
        throw new InputError(
          `publish:gitlab needs a repoUrl with owner and a repo name, got '${input.repoUrl}'`,
        );
      }
      return [{ kind: 'namespace', host, path: owner }];
    }
    case 'publish:gitlab:merge-request':
    case 'gitlab:repo:push':
      return [
        {
          kind: 'project',
          host,
          ref: requireRef(
            projectRef(project) ?? ownerRepo(owner, repo),
            actionId,
          ),
        },
      ];
    case 'gitlab:group:ensureExists':
      return [{ kind: 'group', host, path: groupPath(input.path) }];
    case 'gitlab:projectVariable:create':
    case 'gitlab:pipeline:trigger':
    case 'gitlab:issue:edit':
      return [
        {
          kind: 'project',
          host,
          ref: requireRef(projectRef(input.projectId), actionId),
        },
      ];
    case 'gitlab:issues:create':
      return [
        {
          kind: 'project',
          host,
          ref: requireRef(
            projectRef(input.projectId) ??
              projectRef(project) ??
              ownerRepo(owner, repo),
            actionId,
          ),
        },
      ];
    default: {
      const unknown: never = actionId;
      throw new NotAllowedError(`Action ${unknown} is not allowed`);
    }
  }
}
