import {
  AKILI_SHARED_NAMESPACE,
  AkiliAccess,
  AkiliRole,
  AkiliTenantPermission,
  akiliPermissions,
  akiliTenantsGranting,
} from '@akili/plugin-akili-common';
import { dagsterPermissions } from '@akili/plugin-dagster-common';
import { argocdPermissions } from '@akili/plugin-argocd-common';
import { lakePermissions } from '@akili/plugin-lake-common';
import { platformHealthPermissions } from '@akili/plugin-platform-health-common';
import { qualityPermissions } from '@akili/plugin-quality-common';
import { starrocksPermissions } from '@akili/plugin-starrocks-common';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  RESOURCE_TYPE_CATALOG_ENTITY,
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogEntityValidatePermission,
  catalogIngestionManagePermission,
  catalogIngestionReadPermission,
  catalogLocationAnalyzePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
  catalogLocationReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  kubernetesClustersReadPermission,
  kubernetesProxyPermission,
  kubernetesResourcesReadPermission,
} from '@backstage/plugin-kubernetes-common';
import {
  AuthorizeResult,
  isResourcePermission,
  Permission,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { scaffolderPermissions } from '@backstage/plugin-scaffolder-common/alpha';
import { decideScaffolderPermission } from './scaffolder';

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/**
 * What a decision sees: the permission asked for, the caller's Akili access (from their
 * ownership refs) and the caller as the permission backend passed them.
 *
 * @public
 */
export type PolicyContext = {
  access: AkiliAccess;
  user: PolicyQueryUser;
};

/**
 * Decides one permission for a signed-in user.
 *
 * @public
 */
export type PermissionDecider = (
  permission: Permission,
  context: PolicyContext,
) => PolicyDecision | Promise<PolicyDecision>;

/**
 * One row of the decision table: the permission as its plugin declares it (name, basic or
 * resource, resource type) and who gets it.
 *
 * @public
 */
export type PolicyTableEntry = {
  /** The permission as declared by its plugin; a request must match its shape. */
  permission: Permission;
  /** Who gets it, in a few words, for the README table and for reviews. */
  rule: string;
  decide: PermissionDecider;
};

// --- Building blocks ----------------------------------------------------------------------------

const platformAdminOnly: PermissionDecider = (_, { access }) =>
  access.platformAdmin ? ALLOW : DENY;

/** ALLOW for platform admins and for holders of one of `roles` in any of their tenants. */
function anyTenantRole(roles: readonly AkiliRole[]): PermissionDecider {
  return (_, { access }) => {
    if (access.platformAdmin) {
      return ALLOW;
    }
    for (const tenantRoles of access.tenantRoles.values()) {
      if (roles.some(r => tenantRoles.has(r))) {
        return ALLOW;
      }
    }
    return DENY;
  };
}

const ALL_ROLES: readonly AkiliRole[] = ['consumer', 'developer', 'operator'];

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

/**
 * Reading catalog entities: the user's tenants, and the shared namespace except its Location
 * entities, as a condition the catalog applies inside its own queries. A shared Location is
 * plumbing whose target names where it was read from: the catalog puts the Location of a
 * registered location in the shared namespace whoever registered it, so a tenant's repository
 * URL would show to every tenant.
 */
const catalogEntityRead: PermissionDecider = (permission, { access }) => {
  if (access.platformAdmin) {
    return ALLOW;
  }
  if (!isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY)) {
    return DENY;
  }
  const inNamespace = (namespace: string) =>
    catalogConditions.hasMetadata({ key: 'namespace', value: namespace });
  return createCatalogConditionalDecision(permission, {
    anyOf: [
      {
        allOf: [
          inNamespace(AKILI_SHARED_NAMESPACE),
          { not: catalogConditions.isEntityKind({ kinds: ['Location'] }) },
        ],
      },
      ...[...access.tenantRoles.keys()].sort().map(inNamespace),
    ],
  });
};

/** Changing catalog entities (delete, refresh): entities of the tenants the user operates. */
const catalogEntityOperate: PermissionDecider = (permission, { access }) => {
  if (access.platformAdmin) {
    return ALLOW;
  }
  if (!isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY)) {
    return DENY;
  }
  const [first, ...rest] = [...access.tenantRoles.entries()]
    .filter(([, roles]) => roles.has('operator'))
    .map(([tenant]) => tenant)
    .sort();
  return first ? inNamespaces(permission, [first, ...rest]) : DENY;
};

/**
 * An Akili permission (declared with the tenant roles that grant it): ALLOW when a role in any
 * of the user's tenants grants it; the Akili backends then check the tenant they are asked
 * about (`TenancyService.authorize` of `@akili/plugin-akili-node`).
 */
function akiliRoleGrant(declared: AkiliTenantPermission): PermissionDecider {
  return (_, { access }) => {
    if (access.platformAdmin) {
      return ALLOW;
    }
    return akiliTenantsGranting(access, declared).length ? ALLOW : DENY;
  };
}

/** The rows of Akili permissions: each decided by the roles its declaration names. */
function akiliRows(
  permissions: readonly AkiliTenantPermission[],
): PolicyTableEntry[] {
  return permissions.map(permission => ({
    permission,
    rule:
      permission.grantedTo.length > 0
        ? `${permission.grantedTo.join(
            ', ',
          )} in any of the user’s tenants (the backend checks the tenant)`
        : 'platform admins only',
    decide: akiliRoleGrant(permission),
  }));
}

/** Scaffolder permissions: `src/scaffolder.ts` (with `@akili/plugin-scaffolder-backend-module-akili`). */
const scaffolderDecider: PermissionDecider = (permission, { access, user }) =>
  decideScaffolderPermission(permission, access, user);

// --- The table ----------------------------------------------------------------------------------

function rows(
  permissions: readonly Permission[],
  rule: string,
  decide: PermissionDecider,
): PolicyTableEntry[] {
  return permissions.map(permission => ({ permission, rule, decide }));
}

/**
 * Every permission the Akili policy knows, with its decision. A permission that is not in this
 * table is denied (and logged once), for platform admins too: a newly installed plugin's
 * permissions are decided here before anyone gets them.
 *
 * @remarks
 *
 * Platform admins are allowed every permission in the table except where the row says
 * otherwise. The test `policyCoverage.test.ts` of `packages/backend` starts the production
 * backend's plugins and fails for any permission they register that has no row here.
 *
 * @public
 */
export const AKILI_POLICY_TABLE: readonly PolicyTableEntry[] = [
  // Catalog (@backstage/plugin-catalog-common).
  ...rows(
    [catalogEntityReadPermission],
    'shared namespace `default` + the user’s tenants (condition in the catalog’s queries)',
    catalogEntityRead,
  ),
  ...rows(
    [catalogEntityDeletePermission, catalogEntityRefreshPermission],
    'operators: entities of the tenants they operate (condition)',
    catalogEntityOperate,
  ),
  ...rows(
    [catalogEntityValidatePermission],
    'developers and operators of any tenant (placeholders read only inside their tenants: catalog-backend-module-akili-guard)',
    anyTenantRole(['developer', 'operator']),
  ),
  ...rows(
    [
      catalogEntityCreatePermission,
      catalogLocationReadPermission,
      catalogLocationCreatePermission,
      catalogLocationAnalyzePermission,
      catalogLocationDeletePermission,
      catalogIngestionReadPermission,
      catalogIngestionManagePermission,
    ],
    'platform admins only (locations are not bound to a tenant; their targets name other tenants’ repositories)',
    platformAdminOnly,
  ),

  // Scaffolder (@backstage/plugin-scaffolder-common).
  ...rows(
    scaffolderPermissions,
    'developers and operators run templates, steps only inside their tenant; tasks for their creator and the tenant’s operators (src/scaffolder.ts)',
    scaffolderDecider,
  ),

  // Kubernetes (@backstage/plugin-kubernetes-common).
  ...rows(
    [kubernetesProxyPermission],
    'platform admins only (the proxy reaches any namespace with the portal’s service account)',
    platformAdminOnly,
  ),
  ...rows(
    [kubernetesResourcesReadPermission, kubernetesClustersReadPermission],
    'any tenant role (workloads only of the caller’s tenant’s entities, from its namespaces: kubernetes-backend-module-akili)',
    anyTenantRole(ALL_ROLES),
  ),

  // Akili plugins: each declares its permissions with the roles that grant them (role model of
  // @akili/plugin-akili-common); `akili.tenant.admin` is granted by no role.
  ...akiliRows(akiliPermissions), // control plane (@akili/plugin-akili-common)
  ...akiliRows(dagsterPermissions), // runs (@akili/plugin-dagster-common)
  ...akiliRows(starrocksPermissions), // query (@akili/plugin-starrocks-common)
  ...akiliRows(qualityPermissions), // quality (@akili/plugin-quality-common)
  ...akiliRows(argocdPermissions), // deployments (@akili/plugin-argocd-common)
  ...akiliRows(platformHealthPermissions), // platform health (@akili/plugin-platform-health-common)
  ...akiliRows(lakePermissions), // lake files and access agreements (@akili/plugin-lake-common)
];

/**
 * Whether a requested permission has the shape the table declares for its name (basic or
 * resource, and the same resource type), so a look-alike of another type is not decided by a
 * row meant for something else.
 */
export function matchesDeclared(
  requested: Permission,
  declared: Permission,
): boolean {
  if (requested.name !== declared.name || requested.type !== declared.type) {
    return false;
  }
  if (requested.type === 'resource' && declared.type === 'resource') {
    return requested.resourceType === declared.resourceType;
  }
  return true;
}
