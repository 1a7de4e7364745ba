import { isTenantNamespace } from '@akili/plugin-akili-common';

/**
 * Whether a folder or GitLab subgroup name can be a tenant's place: a valid tenant name that is
 * not a namespace every tenant reads (`default`) or Akili's role groups' (`akili`), so no file of
 * a source can put a product where all tenants, or only admins, see it.
 */
export function isTenantPlaceName(name: string | undefined): name is string {
  return isTenantNamespace(name);
}
