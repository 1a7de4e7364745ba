import { NAME_PATTERN } from './manifest/schema';
import {
  BasicPermission,
  createPermission,
} from '@backstage/plugin-permission-common';

/**
 * Read the runs (Dagster executions) of a tenant's data products.
 *
 * @public
 */
export const akiliRunsReadPermission = createPermission({
  name: 'akili.runs.read',
  attributes: { action: 'read' },
});

/**
 * Launch or re-execute a run of a tenant's data product.
 *
 * @public
 */
export const akiliRunsLaunchPermission = createPermission({
  name: 'akili.runs.launch',
  attributes: { action: 'create' },
});

/**
 * Terminate a running run of a tenant's data product.
 *
 * @public
 */
export const akiliRunsTerminatePermission = createPermission({
  name: 'akili.runs.terminate',
  attributes: { action: 'update' },
});

/**
 * Execute a read-only query over a tenant's data products.
 *
 * @public
 */
export const akiliQueryExecutePermission = createPermission({
  name: 'akili.query.execute',
  attributes: { action: 'read' },
});

/**
 * Read quality check results, scores and freshness of a tenant's data products.
 *
 * @public
 */
export const akiliQualityReadPermission = createPermission({
  name: 'akili.quality.read',
  attributes: { action: 'read' },
});

/**
 * Ingest quality check results for a tenant's data products.
 *
 * @public
 */
export const akiliQualityIngestPermission = createPermission({
  name: 'akili.quality.ingest',
  attributes: { action: 'create' },
});

/**
 * Submit (register or update) a data product manifest of a tenant.
 *
 * @public
 */
export const akiliProductSubmitPermission = createPermission({
  name: 'akili.product.submit',
  attributes: { action: 'create' },
});

/**
 * Deploy a submitted data product of a tenant.
 *
 * @public
 */
export const akiliProductDeployPermission = createPermission({
  name: 'akili.product.deploy',
  attributes: { action: 'update' },
});

/**
 * Administer tenants (create, configure, remove). Platform admins only.
 *
 * @public
 */
export const akiliTenantAdminPermission = createPermission({
  name: 'akili.tenant.admin',
  attributes: { action: 'update' },
});

/**
 * Every Akili permission, for registration with the permissions registry.
 *
 * @public
 */
export const akiliPermissions: BasicPermission[] = [
  akiliRunsReadPermission,
  akiliRunsLaunchPermission,
  akiliRunsTerminatePermission,
  akiliQueryExecutePermission,
  akiliQualityReadPermission,
  akiliQualityIngestPermission,
  akiliProductSubmitPermission,
  akiliProductDeployPermission,
  akiliTenantAdminPermission,
];

/**
 * A user's role within a tenant.
 *
 * @public
 */
export type AkiliRole = 'developer' | 'operator' | 'consumer';

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

const CONSUMER_GRANTS = [
  akiliQualityReadPermission.name,
  akiliQueryExecutePermission.name,
];

const DEVELOPER_GRANTS = [
  ...CONSUMER_GRANTS,
  akiliRunsReadPermission.name,
  akiliRunsLaunchPermission.name,
  akiliProductSubmitPermission.name,
  akiliProductDeployPermission.name,
  akiliQualityIngestPermission.name,
];

const OPERATOR_GRANTS = [
  ...DEVELOPER_GRANTS,
  akiliRunsTerminatePermission.name,
];

/**
 * The names of the Akili permissions each tenant role grants within its tenant.
 *
 * @remarks
 *
 * `akili.tenant.admin` is granted by no tenant role: only platform admins hold it.
 *
 * @public
 */
export const AKILI_ROLE_GRANTS: Readonly<Record<AkiliRole, readonly string[]>> =
  {
    consumer: CONSUMER_GRANTS,
    developer: DEVELOPER_GRANTS,
    operator: OPERATOR_GRANTS,
  };

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
 * Reads a user's platform-admin flag and tenant roles from their ownership entity refs.
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
 * The tenants in which the user's roles grant the named Akili permission, sorted.
 *
 * @remarks
 *
 * Platform admin status is not considered here; callers decide what it grants.
 *
 * @public
 */
export function akiliTenantsGranting(
  access: AkiliAccess,
  permissionName: string,
): string[] {
  const tenants: string[] = [];
  for (const [tenant, roles] of access.tenantRoles) {
    if ([...roles].some(r => AKILI_ROLE_GRANTS[r].includes(permissionName))) {
      tenants.push(tenant);
    }
  }
  return tenants.sort();
}
