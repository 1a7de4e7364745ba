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
 * See whether the platform's dependencies are up, degraded or down, and since when: the status
 * alone (`GET /api/platform-health/v1/status`), so that the pages that need a dependency can say
 * it is down instead of showing a generic error.
 *
 * @remarks
 *
 * Every tenant role holds it (consumer, developer, operator), and platform admins: it names the
 * dependencies and their status only, with no error text, latency or address. It is a
 * permission of its own rather than "any signed-in user" so that the permission policy still
 * decides it (deny by default) and a member of a suspended tenant only is refused.
 *
 * @public
 */
export const akiliPlatformHealthStatusReadPermission =
  createAkiliTenantPermission({
    name: 'akili.platform.health.status.read',
    attributes: { action: 'read' },
    grantedTo: ['consumer', 'developer', 'operator'],
  });

/**
 * The platform health plugin's permissions, for its registration with the permissions registry
 * and the permission policy.
 *
 * @public
 */
export const platformHealthPermissions: AkiliTenantPermission[] = [
  akiliPlatformHealthReadPermission,
  akiliPlatformHealthStatusReadPermission,
];
