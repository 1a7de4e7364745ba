import {
  BasicPermission,
  createPermission,
  PermissionAttributes,
} from '@backstage/plugin-permission-common';
import { NAME_PATTERN } from './manifest/patterns';

/**
 * The Akili role model, in one place: the roles a user holds per tenant, how they are read from
 * a user's ownership entity refs ({@link parseAkiliAccess}), and which roles grant each Akili
 * permission. Each plugin declares its permissions in its own `-common` package with
 * {@link createAkiliTenantPermission}, naming the roles that grant them; nothing here needs to
 * change for a new plugin.
 */

/**
 * A user's role within a tenant.
 *
 * @public
 */
export type AkiliRole = 'consumer' | 'developer' | 'operator';

/**
 * The tenant roles, from the least to the most privileged.
 *
 * @public
 */
export const AKILI_ROLES: readonly AkiliRole[] = [
  'consumer',
  'developer',
  'operator',
];

/**
 * A permission that Akili decides per tenant: a basic Backstage permission declared together
 * with the tenant roles that grant it. Platform admins hold every Akili permission in every
 * tenant; a permission with no granting role (`grantedTo: []`) is theirs alone.
 *
 * @remarks
 *
 * It is a `BasicPermission` (register it with the permissions registry and pass it to
 * `permissions.authorize` as it is); `grantedTo` travels with it so the authorization path in
 * `@akili/plugin-akili-node` and the permission policy read the same grant.
 *
 * @public
 */
export type AkiliTenantPermission = BasicPermission & {
  /** The tenant roles that grant the permission in their tenant, in {@link AKILI_ROLES} order. */
  readonly grantedTo: readonly AkiliRole[];
};

/**
 * Declares an Akili permission with the tenant roles that grant it, in the `-common` package of
 * the plugin that enforces it.
 *
 * @example
 *
 * ```ts
 * export const lakeFilesReadPermission = createAkiliTenantPermission({
 *   name: 'akili.lake.read',
 *   attributes: { action: 'read' },
 *   grantedTo: ['consumer', 'developer', 'operator'],
 * });
 * ```
 *
 * @public
 */
export function createAkiliTenantPermission(options: {
  name: string;
  attributes: PermissionAttributes;
  grantedTo: readonly AkiliRole[];
}): AkiliTenantPermission {
  const unknown = options.grantedTo.filter(role => !AKILI_ROLES.includes(role));
  if (unknown.length > 0) {
    throw new Error(
      `Permission ${options.name} is granted to unknown role(s) ${unknown.join(
        ', ',
      )}; roles are ${AKILI_ROLES.join(', ')}`,
    );
  }
  return Object.freeze({
    ...createPermission({
      name: options.name,
      attributes: options.attributes,
    }),
    grantedTo: Object.freeze(
      AKILI_ROLES.filter(role => options.grantedTo.includes(role)),
    ),
  });
}

/**
 * Whether any of `roles` grants `permission`.
 *
 * @public
 */
export function akiliRolesGrant(
  roles: Iterable<AkiliRole>,
  permission: AkiliTenantPermission,
): boolean {
  for (const role of roles) {
    if (permission.grantedTo.includes(role)) {
      return true;
    }
  }
  return false;
}

/**
 * The ownership entity ref that marks a platform admin across all tenants.
 *
 * @public
 */
export const AKILI_PLATFORM_ADMIN_REF = 'group:akili/platform-admin';

/**
 * The namespace of shared entities (domains, templates, users, groups); never a tenant.
 *
 * @public
 */
export const AKILI_SHARED_NAMESPACE = 'default';

const TENANT_NAME = new RegExp(NAME_PATTERN);
/** Longest tenant name: the catalog's limit for a namespace. */
const MAX_TENANT_NAME_LENGTH = 63;

/**
 * Whether a value is a well-formed tenant name: the name rule of manifests (lowercase letters,
 * digits and inner dashes), at most 63 characters, which is also a valid catalog namespace.
 *
 * @public
 */
export function isValidTenantName(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= MAX_TENANT_NAME_LENGTH &&
    TENANT_NAME.test(value)
  );
}

/**
 * The namespace of Akili's role groups (`group:akili/<tenant>.<role>`), visible to platform
 * admins only; never a tenant.
 *
 * @public
 */
export const AKILI_ROLES_NAMESPACE = 'akili';

/**
 * Whether a catalog namespace (or a folder or GitLab subgroup naming one) is a tenant's: a valid
 * tenant name other than the shared namespace (`default`, which every tenant reads) and the role
 * groups' (`akili`), so nothing can put a tenant's entity where all tenants, or only admins, see
 * it.
 *
 * @public
 */
export function isTenantNamespace(name: unknown): name is string {
  return (
    isValidTenantName(name) &&
    name !== AKILI_SHARED_NAMESPACE &&
    name !== AKILI_ROLES_NAMESPACE
  );
}

const ROLE_REF_PREFIX = 'group:akili/';
const PLATFORM_ADMIN_GROUP = 'platform-admin';

/**
 * What a user's ownership entity refs say about their Akili access.
 *
 * @public
 */
export type AkiliAccess = {
  /** Whether the user holds `group:akili/platform-admin`. */
  platformAdmin: boolean;
  /** The user's roles per tenant (catalog namespace); tenants without roles are absent. */
  tenantRoles: ReadonlyMap<string, ReadonlySet<AkiliRole>>;
};

/**
 * Reads a user's platform-admin flag and tenant roles from their ownership entity refs: the one
 * parser of Akili identities, shared by the authorization path of the backends and the
 * permission policy.
 *
 * @remarks
 *
 * Roles arrive as `group:akili/<tenant>.<role>`; refs that are not of that form, name an
 * unknown role or an invalid (non-lowercase) tenant, or name the shared namespace `default`, are
 * ignored. Kind and namespace compare case-insensitively; the group name must match exactly.
 *
 * @public
 */
export function parseAkiliAccess(
  ownershipEntityRefs: readonly string[],
): AkiliAccess {
  let platformAdmin = false;
  const tenantRoles = new Map<string, Set<AkiliRole>>();
  for (const ref of ownershipEntityRefs) {
    if (typeof ref !== 'string') {
      continue;
    }
    // Kind and namespace compare case-insensitively; the group name must be exact (lowercase).
    const slash = ref.indexOf('/');
    if (
      slash < 0 ||
      ref.slice(0, slash + 1).toLocaleLowerCase('en-US') !== ROLE_REF_PREFIX
    ) {
      continue;
    }
    const name = ref.slice(slash + 1);
    if (name === PLATFORM_ADMIN_GROUP) {
      platformAdmin = true;
      continue;
    }
    const dot = name.lastIndexOf('.');
    if (dot <= 0) {
      continue;
    }
    const tenant = name.slice(0, dot);
    const role = name.slice(dot + 1) as AkiliRole;
    if (
      !AKILI_ROLES.includes(role) ||
      !isValidTenantName(tenant) ||
      tenant === AKILI_SHARED_NAMESPACE
    ) {
      continue;
    }
    const roles = tenantRoles.get(tenant) ?? new Set<AkiliRole>();
    roles.add(role);
    tenantRoles.set(tenant, roles);
  }
  return { platformAdmin, tenantRoles };
}

/**
 * A user's roles per tenant as a plain record (tenants sorted, roles in {@link AKILI_ROLES}
 * order), e.g. `{ acme: ['developer'], globex: ['consumer', 'operator'] }`.
 *
 * @public
 */
export function akiliTenantRoleRecord(
  access: AkiliAccess,
): Record<string, AkiliRole[]> {
  const tenants: Record<string, AkiliRole[]> = {};
  for (const tenant of [...access.tenantRoles.keys()].sort()) {
    const held = access.tenantRoles.get(tenant)!;
    tenants[tenant] = AKILI_ROLES.filter(role => held.has(role));
  }
  return tenants;
}
