import { tenantOfGitlabPath } from '@akili/plugin-akili-common';
import { Config } from '@backstage/config';

/**
 * One segment of a GitLab group or project path as GitLab accepts it: letters, digits, `_`, `-`
 * and `.`, not starting with a special character. Anything else (empty, `.`, `..`, encoded
 * slashes, spaces) is refused before it reaches GitLab, so no path can mean one thing to the
 * tenant check and another to GitLab.
 */
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * The segments of a GitLab group or project path (`a/b/c`), or `undefined` when it is not a
 * well-formed path: leading or trailing slashes, empty segments, `..` anywhere.
 */
export function gitlabPathSegments(path: string): string[] | undefined {
  if (!path) {
    return undefined;
  }
  const segments = path.split('/');
  if (segments.some(s => !SEGMENT.test(s) || s.includes('..'))) {
    return undefined;
  }
  return segments;
}

function lower(path: string): string {
  return path.toLocaleLowerCase('en-US');
}

/** Whether `path` is `group` or lies below it (GitLab paths compare case-insensitively). */
export function isInGitlabGroup(path: string, group: string): boolean {
  const p = lower(path);
  const g = lower(group);
  return p === g || p.startsWith(`${g}/`);
}

/**
 * Where tenants live in GitLab for the scaffolder (contract C4): tenant `acme` owns
 * `<rootGroup>/acme`; `sharedGroups` hold what every tenant may read (templates).
 */
export class GitlabTenancy {
  /** The root group, or `undefined` when not configured (no GitLab target is then allowed). */
  readonly rootGroup: string | undefined;
  readonly sharedGroups: readonly string[];

  constructor(options: { rootGroup?: string; sharedGroups?: string[] }) {
    const root = options.rootGroup?.replace(/^\/+|\/+$/g, '');
    if (root !== undefined && !gitlabPathSegments(root)) {
      throw new Error(
        `akili.tenancy.gitlab.rootGroup '${options.rootGroup}' is not a GitLab group path`,
      );
    }
    const shared = (options.sharedGroups ?? []).map(g =>
      g.replace(/^\/+|\/+$/g, ''),
    );
    for (const group of shared) {
      if (!gitlabPathSegments(group)) {
        throw new Error(
          `akili.tenancy.gitlab.sharedGroups: '${group}' is not a GitLab group path`,
        );
      }
      // A shared group must hold no tenant's data: not a tenant group, nothing inside one, and
      // not the root or a group above it (which would hold every tenant).
      if (
        root !== undefined &&
        (tenantOfGitlabPath(root, group) !== undefined ||
          isInGitlabGroup(root, group))
      ) {
        throw new Error(
          `akili.tenancy.gitlab.sharedGroups: '${group}' holds tenant groups of '${root}'; shared groups must lie outside the tenants`,
        );
      }
    }
    this.rootGroup = root;
    this.sharedGroups = shared;
  }

  /** Reads `akili.tenancy.gitlab`. */
  static fromConfig(config: Config): GitlabTenancy {
    const gitlab = config.getOptionalConfig('akili.tenancy.gitlab');
    return new GitlabTenancy({
      rootGroup: gitlab?.getOptionalString('rootGroup'),
      sharedGroups: gitlab?.getOptionalStringArray('sharedGroups'),
    });
  }

  /**
   * The tenant a well-formed GitLab group or project path belongs to (the first group below
   * the root), or `undefined`: outside the root, directly in it, malformed, or no root set.
   */
  tenantOf(path: string): string | undefined {
    if (this.rootGroup === undefined || !gitlabPathSegments(path)) {
      return undefined;
    }
    return tenantOfGitlabPath(this.rootGroup, path);
  }

  /** Whether a well-formed path lies inside one of the shared groups. */
  isShared(path: string): boolean {
    return (
      gitlabPathSegments(path) !== undefined &&
      this.sharedGroups.some(group => isInGitlabGroup(path, group))
    );
  }
}
