import {
  AkiliTenantPermission,
  createAkiliTenantPermission,
} from '@akili/plugin-akili-common';

/**
 * The permissions of the quality plugin (`@akili/plugin-quality-backend` registers and enforces
 * them), each declared with the tenant roles that grant it.
 */

/**
 * Read the quality of a tenant's data products: scores, rules and their results, freshness,
 * trends and the number of open incidents.
 *
 * @public
 */
export const akiliQualityReadPermission = createAkiliTenantPermission({
  name: 'akili.quality.read',
  attributes: { action: 'read' },
  grantedTo: ['consumer', 'developer', 'operator'],
});

/**
 * Report check results of a tenant's data products (pipelines and contract-testing tools, with
 * a tenant-scoped API token).
 *
 * @public
 */
export const akiliQualityReportPermission = createAkiliTenantPermission({
  name: 'akili.quality.report',
  attributes: { action: 'create' },
  grantedTo: ['developer', 'operator'],
});

/**
 * See a tenant's incidents, their timelines, and the tenant's quality dashboard.
 *
 * @public
 */
export const akiliQualityIncidentsReadPermission = createAkiliTenantPermission({
  name: 'akili.quality.incidents.read',
  attributes: { action: 'read' },
  grantedTo: ['developer', 'operator'],
});

/**
 * Work a tenant's incidents: acknowledge, assign, comment, resolve.
 *
 * @public
 */
export const akiliQualityIncidentsManagePermission =
  createAkiliTenantPermission({
    name: 'akili.quality.incidents.manage',
    attributes: { action: 'update' },
    grantedTo: ['operator'],
  });

/**
 * The quality plugin's permissions, for its registration with the permissions registry, the
 * permission policy and API tokens.
 *
 * @public
 */
export const qualityPermissions: AkiliTenantPermission[] = [
  akiliQualityReadPermission,
  akiliQualityReportPermission,
  akiliQualityIncidentsReadPermission,
  akiliQualityIncidentsManagePermission,
];
