import {
  GitLabIntegrationConfig,
  ScmIntegrations,
} from '@backstage/integration';
import { NotAllowedError, ServiceUnavailableError } from '@backstage/errors';
import { gitlabApiCall } from './gitlabApi';
import { GitlabTenancy, gitlabPathSegments } from './GitlabTenancy';
import { GitlabTarget } from './targets';

type Lookup = { found: false } | { found: true; fullPath: string };

/**
 * Checks that the GitLab targets of a step lie in an allowed tenant's group (contract C4: the
 * tenant of a path is its first group below the root), as written and as GitLab resolves them.
 *
 * @remarks
 *
 * A path is first checked as written, without asking GitLab: a path outside the allowed tenants
 * never reaches GitLab. GitLab then gives the canonical path of what exists (a numeric project
 * id, a project, group or namespace path that GitLab would follow to where it was moved), and
 * that path must be in the same tenant. A numeric id GitLab does not know is refused with the same
 * message as one of another tenant.
 */
export class GitlabTargetChecker {
  readonly #tenancy: GitlabTenancy;
  readonly #integrations: ScmIntegrations;
  readonly #fetch: typeof fetch;

  constructor(options: {
    tenancy: GitlabTenancy;
    integrations: ScmIntegrations;
    fetch?: typeof fetch;
  }) {
    this.#tenancy = options.tenancy;
    this.#integrations = options.integrations;
    this.#fetch = options.fetch ?? fetch;
  }

  /**
   * Resolves when `target` lies in a tenant for which `allowed` holds; throws
   * `NotAllowedError` otherwise. `scope` names the allowed tenants for the message.
   */
  async check(
    target: GitlabTarget,
    allowed: (tenant: string) => boolean,
    scope: string,
  ): Promise<void> {
    const integration = this.#integrations.gitlab.byHost(target.host)?.config;
    if (!integration) {
      throw new NotAllowedError(
        `GitLab host '${target.host}' is not a configured GitLab integration`,
      );
    }
    const refuse = (what: string) =>
      new NotAllowedError(
        `${what} is not inside the GitLab group of ${scope} (below '${
          this.#tenancy.rootGroup ??
          'akili.tenancy.gitlab.rootGroup, which is not set'
        }')`,
      );

    if (target.kind === 'project' && typeof target.ref === 'number') {
      const project = await this.#lookup(integration, 'projects', target.ref);
      const tenant = project.found
        ? this.#tenancy.tenantOf(project.fullPath)
        : undefined;
      if (!tenant || !allowed(tenant)) {
        throw refuse(`GitLab project ${target.ref}`);
      }
      return;
    }

    const path = target.kind === 'project' ? String(target.ref) : target.path;
    const tenant = this.#tenancy.tenantOf(path);
    if (!tenant || !allowed(tenant)) {
      throw refuse(`'${path}'`);
    }
    const sameTenant = (lookup: Lookup) =>
      !lookup.found || this.#tenancy.tenantOf(lookup.fullPath) === tenant;

    if (target.kind === 'project') {
      if (!sameTenant(await this.#lookup(integration, 'projects', path))) {
        throw refuse(`'${path}'`);
      }
      return;
    }
    if (target.kind === 'namespace') {
      if (!sameTenant(await this.#lookup(integration, 'namespaces', path))) {
        throw refuse(`'${path}'`);
      }
      return;
    }
    // A group path is created level by level below the deepest existing group: every existing
    // level below the root must resolve into the tenant.
    const segments = gitlabPathSegments(path)!;
    const rootDepth = gitlabPathSegments(this.#tenancy.rootGroup!)!.length;
    for (let depth = rootDepth + 1; depth <= segments.length; depth++) {
      const level = await this.#lookup(
        integration,
        'groups',
        segments.slice(0, depth).join('/'),
      );
      if (!level.found) {
        return;
      }
      if (!sameTenant(level)) {
        throw refuse(`'${path}'`);
      }
    }
  }

  async #lookup(
    integration: GitLabIntegrationConfig,
    kind: 'projects' | 'groups' | 'namespaces',
    id: string | number,
  ): Promise<Lookup> {
    const response = await gitlabApiCall(
      integration,
      `/${kind}/${encodeURIComponent(String(id))}`,
      { purpose: "the tenant check of a step's target", fetch: this.#fetch },
    );
    if (response.status === 404) {
      await response.body?.cancel();
      return { found: false };
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new ServiceUnavailableError(
        `GitLab at '${integration.host}' answered ${response.status} to the tenant check of a step's target`,
      );
    }
    const body = (await response.json()) as {
      path_with_namespace?: unknown;
      full_path?: unknown;
    };
    const fullPath =
      kind === 'projects' ? body.path_with_namespace : body.full_path;
    if (typeof fullPath !== 'string') {
      throw new ServiceUnavailableError(
        `GitLab at '${integration.host}' answered the tenant check of a step's target without a path`,
      );
    }
    return { found: true, fullPath };
  }
}
