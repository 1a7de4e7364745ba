import {
  AkiliTenantPermission,
  createAkiliTenantPermission,
} from '@akili/plugin-akili-common';

/**
 * Run read-only SQL over the tables of a tenant's data products (the query API; the SQL guard
 * decides which tables and statements).
 *
 * @public
 */
export const akiliQueryRunPermission = createAkiliTenantPermission({
  name: 'akili.query.run',
  attributes: { action: 'read' },
  grantedTo: ['consumer', 'developer', 'operator'],
});

/**
 * The permissions of the query plugin (`@akili/plugin-starrocks-backend` registers and enforces
 * them).
 *
 * @public
 */
export const starrocksPermissions: AkiliTenantPermission[] = [
  akiliQueryRunPermission,
];
