import {
  AkiliTenantPermission,
  createAkiliTenantPermission,
} from '@akili/plugin-akili-common';

/**
 * The permissions of the runs plugin (`@akili/plugin-dagster-backend` registers and enforces
 * them), each declared with the tenant roles that grant it.
 */

/**
 * Read the runs (Dagster executions) of a tenant's data products, their steps and logs.
 *
 * @public
 */
export const akiliRunsReadPermission = createAkiliTenantPermission({
  name: 'akili.runs.read',
  attributes: { action: 'read' },
  grantedTo: ['developer', 'operator'],
});

/**
 * Launch or re-execute a run of a tenant's data product.
 *
 * @public
 */
export const akiliRunsLaunchPermission = createAkiliTenantPermission({
  name: 'akili.runs.launch',
  attributes: { action: 'create' },
  grantedTo: ['developer', 'operator'],
});

/**
 * Terminate a running run of a tenant's data product.
 *
 * @public
 */
export const akiliRunsTerminatePermission = createAkiliTenantPermission({
  name: 'akili.runs.terminate',
  attributes: { action: 'update' },
  grantedTo: ['operator'],
});

/**
 * Operate a tenant's runs: see every run of the tenant (not only a product's) and its run control
 * audit trail.
 *
 * @public
 */
export const akiliRunsOperatePermission = createAkiliTenantPermission({
  name: 'akili.runs.operate',
  attributes: { action: 'read' },
  grantedTo: ['operator'],
});

/**
 * The runs plugin's permissions, for its registration with the permissions registry and for the
 * permission policy.
 *
 * @public
 */
export const dagsterPermissions: AkiliTenantPermission[] = [
  akiliRunsReadPermission,
  akiliRunsLaunchPermission,
  akiliRunsTerminatePermission,
  akiliRunsOperatePermission,
];
