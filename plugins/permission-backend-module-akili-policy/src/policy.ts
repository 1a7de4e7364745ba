import {
  AKILI_SHARED_NAMESPACE,
  AkiliAccess,
  akiliTenantAdminPermission,
  akiliTenantsGranting,
  parseAkiliAccess,
} from '@akili/plugin-akili-common';
import {
  BackstageCredentials,
  BackstageUserInfo,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  catalogEntityReadPermission,
  catalogEntityValidatePermission,
  catalogLocationReadPermission,
  RESOURCE_TYPE_CATALOG_ENTITY,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  Permission,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/** Catalog-wide permissions any tenant member holds (they reveal no tenant's entities). */
const TENANT_MEMBER_CATALOG_PERMISSIONS = [
  catalogEntityValidatePermission,
  catalogLocationReadPermission,
];

/**
 * The Akili tenant permission policy.
 *
 * @remarks
 *
 * Decisions, for a signed-in user whose ownership entity refs carry `group:akili/<tenant>.<role>`
 * roles and possibly `group:akili/platform-admin`:
 *
 * - platform admins: ALLOW everything;
 * - reading catalog entities (`catalog.entity.read` and any other read-type permission on
 *   catalog entities): CONDITIONAL, visible when in namespace `default` or one of the user's
 *   tenants, so the catalog enforces it in its own queries;
 * - other permissions on catalog entities (delete, refresh): CONDITIONAL on the namespaces the
 *   user operates; DENY without any operator role;
 * - `catalog.entity.validate` and `catalog.location.read`: ALLOW for tenant members; every
 *   other catalog-wide permission (location create/analyze/delete, entity create, ingestion)
 *   is for platform admins only, because a location is not bound to a tenant;
 * - Akili permissions (`akili.*`): ALLOW when a role in any of the user's tenants grants it
 *   (the Akili plugins check the specific tenant); `akili.tenant.admin` only for admins;
 * - any other permission (scaffolder, notifications, kubernetes, ...): ALLOW for tenant members.
 *
 * A user with no tenant role, and any request without a user (unauthenticated), is denied
 * everything except reading shared entities of namespace `default` (users only).
 *
 * @public
 */
export class AkiliPermissionPolicy implements PermissionPolicy {
  private readonly userInfo: UserInfoService;
  // The permission backend evaluates a batch with one credentials object: look it up once.
  private readonly infoCache = new WeakMap<
    BackstageCredentials,
    Promise<BackstageUserInfo>
  >();

  constructor(options: { userInfo: UserInfoService }) {
    this.userInfo = options.userInfo;
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!user) {
      return DENY;
    }
    const info = await this.getUserInfo(user.credentials);
    return decide(
      request.permission,
      parseAkiliAccess(info.ownershipEntityRefs),
    );
  }

  private getUserInfo(
    credentials: BackstageCredentials,
  ): Promise<BackstageUserInfo> {
    let info = this.infoCache.get(credentials);
    if (!info) {
      info = this.userInfo.getUserInfo(credentials);
      this.infoCache.set(credentials, info);
      // Do not keep a failed lookup for the rest of the batch's lifetime.
      info.catch(() => this.infoCache.delete(credentials));
    }
    return info;
  }
}

function decide(permission: Permission, access: AkiliAccess): PolicyDecision {
  if (access.platformAdmin) {
    return ALLOW;
  }
  const tenants = [...access.tenantRoles.keys()].sort();

  if (isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY)) {
    if (
      permission.attributes.action === 'read' ||
      isPermission(permission, catalogEntityReadPermission)
    ) {
      return inNamespaces(permission, [AKILI_SHARED_NAMESPACE, ...tenants]);
    }
    const [first, ...rest] = tenants.filter(t =>
      access.tenantRoles.get(t)?.has('operator'),
    );
    return first ? inNamespaces(permission, [first, ...rest]) : DENY;
  }

  if (tenants.length === 0) {
    return DENY;
  }

  if (permission.name.startsWith('catalog.')) {
    return TENANT_MEMBER_CATALOG_PERMISSIONS.some(p =>
      isPermission(permission, p),
    )
      ? ALLOW
      : DENY;
  }

  if (permission.name.startsWith('akili.')) {
    if (permission.name === akiliTenantAdminPermission.name) {
      return DENY;
    }
    return akiliTenantsGranting(access, permission.name).length ? ALLOW : DENY;
  }

  return ALLOW;
}

function inNamespaces(
  permission: ResourcePermission<typeof RESOURCE_TYPE_CATALOG_ENTITY>,
  [first, ...rest]: [string, ...string[]],
): PolicyDecision {
  const inNamespace = (namespace: string) =>
    catalogConditions.hasMetadata({ key: 'namespace', value: namespace });
  return createCatalogConditionalDecision(permission, {
    anyOf: [inNamespace(first), ...rest.map(inNamespace)],
  });
}
