import {
  AkiliTenantPermission,
  createAkiliTenantPermission,
} from '@akili/plugin-akili-common';

/**
 * The permissions of the ArgoCD plugin (`@akili/plugin-argocd-backend` registers and enforces
 * them, together with the product's tenant, through the tenancy path of
 * `@akili/plugin-akili-node`), each declared with the tenant roles that grant it.
 */

/**
 * See the deployment of a tenant's data products: their ArgoCD Application, its resources,
 * drift and sync history.
 *
 * @public
 */
export const akiliDeploymentReadPermission = createAkiliTenantPermission({
  name: 'akili.deployment.read',
  attributes: { action: 'read' },
  grantedTo: ['consumer', 'developer', 'operator'],
});

/**
 * Start a sync of a tenant's data product's ArgoCD Application (audited).
 *
 * @public
 */
export const akiliDeploymentSyncPermission = createAkiliTenantPermission({
  name: 'akili.deployment.sync',
  attributes: { action: 'update' },
  grantedTo: ['operator'],
});

/**
 * The ArgoCD plugin's permissions, for its registration with the permissions registry, the
 * permission policy and API tokens.
 *
 * @public
 */
export const argocdPermissions: AkiliTenantPermission[] = [
  akiliDeploymentReadPermission,
  akiliDeploymentSyncPermission,
];
