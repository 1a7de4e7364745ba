import { parseEntityRef } from '@backstage/catalog-model';
import {
  AKILI_PLATFORM_ADMIN_REF,
  AKILI_SHARED_NAMESPACE,
  isValidTenantName,
} from '@akili/plugin-akili-common';

/** Catalog namespaces that are never a tenant: shared entities, and Akili's role groups. */
const RESERVED_NAMESPACES = new Set([
  AKILI_SHARED_NAMESPACE,
  parseEntityRef(AKILI_PLATFORM_ADMIN_REF).namespace,
]);

/**
 * Whether a folder or GitLab subgroup name can be a tenant's place: a valid tenant name that is
 * not a namespace every tenant reads (`default`) or Akili's role groups' (`akili`), so no file of
 * a source can put a product where all tenants, or only admins, see it.
 */
export function isTenantPlaceName(name: string | undefined): name is string {
  return isValidTenantName(name) && !RESERVED_NAMESPACES.has(name);
}
