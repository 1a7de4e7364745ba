import {
  AkiliTenantPermission,
  createAkiliTenantPermission,
} from '@akili/plugin-akili-common';

/**
 * The permissions of the lake plugin (`@akili/plugin-lake-backend` registers and enforces them,
 * with the tenant of the product or agreement, through the tenancy path of
 * `@akili/plugin-akili-node`), each declared with the tenant roles that grant it. Whether a
 * preview shows columns classified `pii` or `confidential` is the query API's
 * `akili.query.unmask`, so files and SQL mask alike.
 */

/**
 * List and preview the files of a tenant's data products (masked as the query API masks).
 *
 * @public
 */
export const akiliLakeReadPermission = createAkiliTenantPermission({
  name: 'akili.lake.read',
  attributes: { action: 'read' },
  grantedTo: ['consumer', 'developer', 'operator'],
});

/**
 * Download whole files of a tenant's data products through short-lived presigned URLs
 * (audited). A file cannot be masked, so only the roles that see unmasked columns hold it.
 *
 * @public
 */
export const akiliLakeDownloadPermission = createAkiliTenantPermission({
  name: 'akili.lake.download',
  attributes: { action: 'read' },
  grantedTo: ['developer', 'operator'],
});

/**
 * See what a tenant stores: objects, bytes and growth per product against its storage quota.
 *
 * @public
 */
export const akiliLakeUsageReadPermission = createAkiliTenantPermission({
  name: 'akili.lake.usage.read',
  attributes: { action: 'read' },
  grantedTo: ['operator'],
});

/**
 * See the access agreements a tenant is party to (as provider or consumer).
 *
 * @public
 */
export const akiliAccessReadPermission = createAkiliTenantPermission({
  name: 'akili.access.read',
  attributes: { action: 'read' },
  grantedTo: ['consumer', 'developer', 'operator'],
});

/**
 * Ask, for one's own tenant, for access to another tenant's output port; withdraw the request.
 *
 * @public
 */
export const akiliAccessRequestPermission = createAkiliTenantPermission({
  name: 'akili.access.request',
  attributes: { action: 'create' },
  grantedTo: ['consumer', 'developer', 'operator'],
});

/**
 * Approve, reject or revoke access to the tenant's own output ports by other tenants.
 *
 * @public
 */
export const akiliAccessDecidePermission = createAkiliTenantPermission({
  name: 'akili.access.decide',
  attributes: { action: 'update' },
  grantedTo: ['developer', 'operator'],
});

/**
 * The lake plugin's permissions, for its registration with the permissions registry, the
 * permission policy and API tokens.
 *
 * @public
 */
export const lakePermissions: AkiliTenantPermission[] = [
  akiliLakeReadPermission,
  akiliLakeDownloadPermission,
  akiliLakeUsageReadPermission,
  akiliAccessReadPermission,
  akiliAccessRequestPermission,
  akiliAccessDecidePermission,
];
