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
 * See columns classified `pii` or `confidential` (ODCS `restricted`) unmasked in query results,
 * previews and the schema browser. `sensitive-pii` is masked for every role: it never leaves the
 * platform through the query API.
 *
 * @public
 */
export const akiliQueryUnmaskPermission = createAkiliTenantPermission({
  name: 'akili.query.unmask',
  attributes: { action: 'read' },
  grantedTo: ['developer', 'operator'],
});

/**
 * Read the tenant's query audit trail (who ran what, on which products, with what outcome).
 *
 * @public
 */
export const akiliQueryAuditReadPermission = createAkiliTenantPermission({
  name: 'akili.query.audit.read',
  attributes: { action: 'read' },
  grantedTo: ['operator'],
});

/**
 * The permissions of the query plugin (`@akili/plugin-starrocks-backend` registers and enforces
 * them).
 *
 * @public
 */
export const starrocksPermissions: AkiliTenantPermission[] = [
  akiliQueryRunPermission,
  akiliQueryUnmaskPermission,
  akiliQueryAuditReadPermission,
];
