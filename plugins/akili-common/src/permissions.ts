import {
  AkiliAccess,
  akiliRolesGrant,
  AkiliTenantPermission,
  createAkiliTenantPermission,
} from './roles';

/**
 * The permissions of the Akili control plane (`@akili/plugin-akili-backend`), which registers
 * them. Other Akili plugins declare theirs in their own `-common` package (runs:
 * `@akili/plugin-dagster-common`) with `createAkiliTenantPermission`.
 */

/**
 * Read a tenant's data products through the control plane (export as ODPS/ODCS).
 *
 * @public
 */
export const akiliProductReadPermission = createAkiliTenantPermission({
  name: 'akili.product.read',
  attributes: { action: 'read' },
  grantedTo: ['consumer', 'developer', 'operator'],
});

/**
 * Submit (register or update) a data product manifest of a tenant.
 *
 * @public
 */
export const akiliProductSubmitPermission = createAkiliTenantPermission({
  name: 'akili.product.submit',
  attributes: { action: 'create' },
  grantedTo: ['developer', 'operator'],
});

/**
 * Deploy a submitted data product of a tenant.
 *
 * @public
 */
export const akiliProductDeployPermission = createAkiliTenantPermission({
  name: 'akili.product.deploy',
  attributes: { action: 'update' },
  grantedTo: ['developer', 'operator'],
});

/**
 * See a tenant: its title, status, quotas and identity provider groups.
 *
 * @public
 */
export const akiliTenantReadPermission = createAkiliTenantPermission({
  name: 'akili.tenant.read',
  attributes: { action: 'read' },
  grantedTo: ['consumer', 'developer', 'operator'],
});

/**
 * Operate a tenant: its members seen, audit trail, event backlog and dead letters, and retrying
 * a dead letter.
 *
 * @public
 */
export const akiliTenantOperatePermission = createAkiliTenantPermission({
  name: 'akili.tenant.operate',
  attributes: { action: 'update' },
  grantedTo: ['operator'],
});

/**
 * Administer tenants (create, configure, suspend, resume). Platform admins only: no tenant role
 * grants it.
 *
 * @public
 */
export const akiliTenantAdminPermission = createAkiliTenantPermission({
  name: 'akili.tenant.admin',
  attributes: { action: 'update' },
  grantedTo: [],
});

/**
 * The permissions of the Akili control plane, for its registration with the permissions
 * registry and for the permission policy.
 *
 * @public
 */
export const akiliPermissions: AkiliTenantPermission[] = [
  akiliProductReadPermission,
  akiliProductSubmitPermission,
  akiliProductDeployPermission,
  akiliTenantReadPermission,
  akiliTenantOperatePermission,
  akiliTenantAdminPermission,
];

/**
 * The tenants in which the user's roles grant `permission`, sorted. Platform admin status is not
 * considered here; callers decide what it grants.
 *
 * @remarks
 *
 * Pass the declared permission (it carries the roles that grant it). A permission name is
 * looked up among {@link akiliPermissions} only, and grants nothing when it is not one of them:
 * that form is deprecated and goes once the policy passes declared permissions.
 *
 * @public
 */
export function akiliTenantsGranting(
  access: AkiliAccess,
  permission: AkiliTenantPermission | string,
): string[] {
  const declared =
    typeof permission === 'string'
      ? akiliPermissions.find(p => p.name === permission)
      : permission;
  if (!declared) {
    return [];
  }
  const tenants: string[] = [];
  for (const [tenant, roles] of access.tenantRoles) {
    if (akiliRolesGrant(roles, declared)) {
      tenants.push(tenant);
    }
  }
  return tenants.sort();
}
