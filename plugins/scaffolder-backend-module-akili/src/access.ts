import {
  AKILI_SHARED_NAMESPACE,
  akiliProductSubmitPermission,
  akiliTenantsGranting,
  isValidTenantName,
  parseAkiliAccess,
} from '@akili/plugin-akili-common';
import {
  AuthService,
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';

/**
 * What a user may do with the scaffolder, from the roles in their token.
 *
 * @remarks
 *
 * Running a template creates or changes a data product of a tenant, the right the role model
 * calls `akili.product.submit` (developers and operators). Operators of a tenant also see its
 * tasks. Platform admins may do both in every tenant.
 */
export type ScaffolderAccess = {
  userEntityRef: string;
  platformAdmin: boolean;
  /** Tenants whose templates the user may run (developer or operator). */
  runnerTenants: ReadonlySet<string>;
  /** Tenants whose tasks the user sees (operator). */
  operatedTenants: ReadonlySet<string>;
};

/** Reads a user's scaffolder access from their ownership entity refs. */
export function scaffolderAccessOf(
  userEntityRef: string,
  ownershipEntityRefs: readonly string[],
): ScaffolderAccess {
  const access = parseAkiliAccess(ownershipEntityRefs);
  return {
    userEntityRef,
    platformAdmin: access.platformAdmin,
    runnerTenants: new Set(
      akiliTenantsGranting(access, akiliProductSubmitPermission.name),
    ),
    operatedTenants: new Set(
      [...access.tenantRoles]
        .filter(([, roles]) => roles.has('operator'))
        .map(([tenant]) => tenant),
    ),
  };
}

/**
 * The scaffolder access of a user's credentials; `NotAllowedError` for any other principal (a
 * plugin or an external caller never runs a template or reads a task on a user's behalf here).
 */
export async function resolveScaffolderAccess(
  credentials: BackstageCredentials,
  deps: { auth: AuthService; userInfo: UserInfoService },
): Promise<ScaffolderAccess> {
  if (!deps.auth.isPrincipal(credentials, 'user')) {
    throw new NotAllowedError('Scaffolder tasks run and are read by users');
  }
  const info = await deps.userInfo.getUserInfo(credentials);
  return scaffolderAccessOf(info.userEntityRef, info.ownershipEntityRefs);
}

/** Whether the user may run templates in `tenant`. */
export function mayRunIn(access: ScaffolderAccess, tenant: string): boolean {
  return access.platformAdmin || access.runnerTenants.has(tenant);
}

/**
 * The tenant a new task (or dry run) acts in: the template parameter `tenant`, which must name a
 * tenant the user develops or operates. A template of a tenant's namespace runs in that tenant
 * only (its namespace is the default when the parameter is missing). Platform admins may leave it
 * out for a shared template (a task of no tenant). Messages name only what was asked, so they do
 * not tell whether a tenant exists.
 */
export function requireTaskTenant(
  access: ScaffolderAccess,
  values: unknown,
  templateNamespace?: string,
): string | undefined {
  const templateTenant = isTenant(templateNamespace)
    ? templateNamespace
    : undefined;
  const tenant =
    (values && typeof values === 'object'
      ? (values as Record<string, unknown>).tenant
      : undefined) ?? templateTenant;
  if (templateTenant !== undefined && tenant !== templateTenant) {
    throw new NotAllowedError(
      `A template of tenant '${templateTenant}' runs only in tenant '${templateTenant}'`,
    );
  }
  if (tenant === undefined) {
    if (access.platformAdmin) {
      return undefined;
    }
    throw new InputError(
      "A template runs in one tenant: the parameter 'tenant' must name a tenant where you are a developer or operator",
    );
  }
  if (!isTenant(tenant)) {
    throw new InputError("The parameter 'tenant' must be a tenant name");
  }
  if (!mayRunIn(access, tenant)) {
    throw new NotAllowedError(
      `You may run templates only in tenants where you are a developer or operator, not in '${tenant}'`,
    );
  }
  return tenant;
}

/** A tenant name, and not the shared namespace. */
function isTenant(value: unknown): value is string {
  return isValidTenantName(value) && value !== AKILI_SHARED_NAMESPACE;
}

/** The tenant recorded in a task: its `tenant` parameter, when that is a tenant name. */
export function tenantOfTaskParameters(
  parameters: unknown,
): string | undefined {
  const tenant =
    parameters && typeof parameters === 'object'
      ? (parameters as Record<string, unknown>).tenant
      : undefined;
  return isTenant(tenant) ? tenant : undefined;
}

/** A task as far as access to it goes. */
export type TaskAccessFacts = {
  createdBy?: string;
  tenant?: string;
};

/** Whether the user sees a task (its parameters, logs, events) and may cancel it. */
export function maySeeTask(
  access: ScaffolderAccess,
  task: TaskAccessFacts,
): boolean {
  return (
    access.platformAdmin ||
    (task.createdBy !== undefined && task.createdBy === access.userEntityRef) ||
    (task.tenant !== undefined && access.operatedTenants.has(task.tenant))
  );
}

/**
 * Whether the user may retry a task: they see it and may run templates in its tenant (the steps
 * run again as them); a task of no tenant only by its creator or an admin.
 */
export function mayRetryTask(
  access: ScaffolderAccess,
  task: TaskAccessFacts,
): boolean {
  if (!maySeeTask(access, task)) {
    return false;
  }
  if (task.tenant !== undefined) {
    return mayRunIn(access, task.tenant);
  }
  return access.platformAdmin || task.createdBy === access.userEntityRef;
}
