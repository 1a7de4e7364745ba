import { isTenantNamespace } from './roles';

/**
 * Tenants in GitLab: each tenant owns one subgroup of a root group (`<rootGroup>/<tenant>`), and
 * a project belongs to the tenant of the first group below the root, whatever its files say.
 */

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

/**
 * The GitLab group of a tenant below a root group: `data-products` + `acme` gives
 * `data-products/acme`.
 *
 * @public
 */
export function gitlabGroupOfTenant(rootGroup: string, tenant: string): string {
  return `${trimSlashes(rootGroup)}/${tenant}`;
}

/**
 * The tenant a GitLab project or group path belongs to: the first path segment below
 * `rootGroup`, when it can be a tenant ({@link isTenantNamespace}); `undefined` for paths outside
 * the root group, directly in it, or below a segment that is no tenant (`default` and `akili`
 * included). GitLab paths compare
 * case-insensitively, so does this.
 *
 * @public
 */
export function tenantOfGitlabPath(
  rootGroup: string,
  path: string,
): string | undefined {
  const root = trimSlashes(rootGroup).toLocaleLowerCase('en-US');
  const full = trimSlashes(path).toLocaleLowerCase('en-US');
  if (!root || !full.startsWith(`${root}/`)) {
    return undefined;
  }
  // `<root>/<tenant>` is the tenant's own group; anything deeper is inside it.
  const [tenant] = full.slice(root.length + 1).split('/');
  return isTenantNamespace(tenant) ? tenant : undefined;
}
