import {
  AkiliTenantPermission,
  createAkiliTenantPermission,
} from '@akili/plugin-akili-common';

/**
 * See the health of the platform's dependencies (PostgreSQL, Redpanda, Dagster, StarRocks, Ceph
 * S3, Authentik, GitLab, ArgoCD, Kubernetes): status, latency, last error and 24 h history.
 *
 * @remarks
 *
 * Platform data, not tenant data: operators of any tenant hold it (they handle incidents and need
 * to know whether the platform underneath is the cause), and platform admins. Consumers and
 * developers do not: the page names internal systems and their errors.
 *
 * @public
 */
export const akiliPlatformHealthReadPermission = createAkiliTenantPermission({
  name: 'akili.platform.health.read',
  attributes: { action: 'read' },
  grantedTo: ['operator'],
});

/**
 * The platform health plugin's permissions, for its registration with the permissions registry
 * and the permission policy.
 *
 * @public
 */
export const platformHealthPermissions: AkiliTenantPermission[] = [
  akiliPlatformHealthReadPermission,
];
