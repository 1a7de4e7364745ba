import {
  AkiliAccess,
  akiliProductSubmitPermission,
  akiliTenantsGranting,
} from '@akili/plugin-akili-common';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  Permission,
  PermissionCondition,
  PermissionCriteria,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  createScaffolderActionConditionalDecision,
  createScaffolderTaskConditionalDecision,
  scaffolderActionConditions,
  scaffolderTaskConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';
import {
  actionExecutePermission,
  RESOURCE_TYPE_SCAFFOLDER_ACTION,
  RESOURCE_TYPE_SCAFFOLDER_TASK,
  taskCancelPermission,
  taskCreatePermission,
  taskReadPermission,
  templateDryRunPermission,
  templateManagementPermission,
  templateParameterReadPermission,
  templateStepReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/**
 * The template actions a developer or operator's template steps may use, whatever their input.
 * Every other action (the scaffolder's `debug:wait`, `catalog:register`, `notification:send`,
 * the actions registry's `catalog:*` and `scaffolder:*` actions, any action a module adds later)
 * is refused until it is decided here.
 *
 * @remarks
 *
 * - `debug:log`, `dry-run:extract` (the last step of every dry run), `fs:*`: the task's own
 *   workspace only;
 * - `fetch:*`: they read through the scaffolder's URL reader, which
 *   `@akili/plugin-scaffolder-backend-module-akili` limits to GitLab groups shared by all tenants;
 *   relative URLs of file-based templates and dry runs are copied from disk;
 * - `akili:fetch:*`: the same, registered by `@akili/plugin-scaffolder-backend-module-akili`,
 *   which may also read the task's own tenant's projects (checked before each read);
 * - `akili:manifest:create`: writes a new product's manifest from the form's values into the
 *   workspace (its namespace is checked by the `akili:manifest:validate` step after it);
 * - `akili:manifest:edit`: changes a manifest file of the workspace; the product it names must be
 *   of the task's tenant (checked by the module);
 * - `akili:manifest:validate`: reads the workspace; the manifest's namespace must be the task's
 *   tenant (checked by the module);
 * - `akili:product:register`: submits the manifest to the registry of the task's tenant (checked
 *   by the module) as the task's user, so the control plane's own authorization applies too;
 * - `akili:product:deploy`: deploys a product of the task's tenant (checked by the module) through
 *   the control plane as the task's user (which starts the tenant's own project's pipeline);
 * - `akili:portal:info`: gives the portal's base URL from config (no input, nothing written);
 * - `catalog:fetch`: reads with the user's credentials, so the catalog's tenant filter applies;
 * - the GitLab actions: registered by `@akili/plugin-scaffolder-backend-module-akili`, which
 *   checks each step's targets against the task's tenant before GitLab is called.
 *
 * @public
 */
export const AKILI_SCAFFOLDER_ACTIONS: readonly string[] = [
  'debug:log',
  'dry-run:extract',
  'fs:delete',
  'fs:rename',
  'fs:readdir',
  'fetch:plain',
  'fetch:plain:file',
  'fetch:template',
  'fetch:template:file',
  'akili:fetch:plain',
  'akili:fetch:plain:file',
  'akili:fetch:template',
  'akili:fetch:template:file',
  'akili:manifest:create',
  'akili:manifest:edit',
  'akili:manifest:validate',
  'akili:product:register',
  'akili:product:deploy',
  'akili:portal:info',
  'catalog:fetch',
  'publish:gitlab',
  'publish:gitlab:merge-request',
  'gitlab:repo:push',
  'gitlab:group:ensureExists',
  'gitlab:projectVariable:create',
  'gitlab:pipeline:trigger',
  'gitlab:issues:create',
  'gitlab:issue:edit',
];

/** Tenants whose templates the user may run: those where their roles grant product submission. */
function runnerTenants(access: AkiliAccess): string[] {
  return akiliTenantsGranting(access, akiliProductSubmitPermission.name);
}

function userEntityRefOf(user: PolicyQueryUser): string | undefined {
  const principal = user.credentials.principal as {
    type?: string;
    userEntityRef?: string;
  };
  return principal.type === 'user' ? principal.userEntityRef : undefined;
}

type ActionCondition = PermissionCriteria<
  PermissionCondition<typeof RESOURCE_TYPE_SCAFFOLDER_ACTION>
>;

/**
 * Which steps may run, as a condition the scaffolder evaluates on each step's input after its
 * template expressions are rendered (`${{ parameters.x }}` is already the user's value).
 */
function actionExecute(
  permission: Permission,
  access: AkiliAccess,
): PolicyDecision {
  if (!isResourcePermission(permission, RESOURCE_TYPE_SCAFFOLDER_ACTION)) {
    return DENY;
  }
  const tenants = runnerTenants(access);
  if (!access.platformAdmin && tenants.length === 0) {
    return DENY;
  }
  const { hasActionId, hasStringProperty } = scaffolderActionConditions;
  const allowed: ActionCondition[] = AKILI_SCAFFOLDER_ACTIONS.map(actionId =>
    hasActionId({ actionId }),
  );
  if (access.platformAdmin) {
    // Admins register locations anyway, and write entities of any namespace.
    allowed.push(
      hasActionId({ actionId: 'catalog:register' }),
      hasActionId({ actionId: 'catalog:write' }),
    );
  } else {
    // catalog:write writes an entity file into the workspace: only of the user's tenants.
    const [first, ...rest] = tenants.map(value =>
      hasStringProperty({ key: 'entity.metadata.namespace', value }),
    );
    allowed.push({
      allOf: [
        hasActionId({ actionId: 'catalog:write' }),
        { anyOf: [first, ...rest] },
      ],
    });
  }
  const [head, ...tail] = allowed;
  return createScaffolderActionConditionalDecision(permission, {
    anyOf: [head, ...tail],
  });
}

/**
 * Reading and cancelling tasks. Operators get ALLOW: the scaffolder's only task rule matches
 * creators, so the tenant check lives in the task routes of
 * `@akili/plugin-scaffolder-backend-module-akili` (creator, operators of the task's tenant and
 * platform admins; the same 404 as a missing task for anyone else). Everyone else sees only the
 * tasks they created.
 */
function taskAccess(
  permission: Permission,
  access: AkiliAccess,
  user: PolicyQueryUser,
): PolicyDecision {
  if (!isResourcePermission(permission, RESOURCE_TYPE_SCAFFOLDER_TASK)) {
    return DENY;
  }
  if (access.platformAdmin) {
    return ALLOW;
  }
  if ([...access.tenantRoles.values()].some(roles => roles.has('operator'))) {
    return ALLOW;
  }
  const userEntityRef = userEntityRefOf(user);
  if (!userEntityRef) {
    return DENY;
  }
  return createScaffolderTaskConditionalDecision(
    permission,
    scaffolderTaskConditions.isTaskOwner({ createdBy: [userEntityRef] }),
  );
}

/**
 * Decides every scaffolder permission (`scaffolder.*`) for a signed-in user.
 *
 * @remarks
 *
 * | permission | platform admin | developer / operator of a tenant | consumer, no tenant |
 * | --- | --- | --- | --- |
 * | `scaffolder.task.create`, `scaffolder.template.dry-run` | ALLOW | ALLOW | DENY |
 * | `scaffolder.template.parameter.read`, `.step.read` | ALLOW | ALLOW | DENY |
 * | `scaffolder.action.execute` | {@link AKILI_SCAFFOLDER_ACTIONS}, `catalog:write`, `catalog:register` | {@link AKILI_SCAFFOLDER_ACTIONS}, `catalog:write` of their tenants' namespaces | DENY |
 * | `scaffolder.task.read`, `scaffolder.task.cancel` | ALLOW | operators: ALLOW (the module keeps them in their tenant); developers: their own tasks | their own tasks |
 * | `scaffolder.template.management` | ALLOW | DENY | DENY |
 *
 * Which tenant a task acts in, and that its steps stay there, is checked by
 * `@akili/plugin-scaffolder-backend-module-akili`. Any other `scaffolder.*` permission is denied.
 *
 * @param permission - the permission asked for
 * @param access - the user's Akili access (`parseAkiliAccess` of their ownership refs)
 * @param user - the user as the permission backend passed them (their credentials)
 * @public
 */
export function decideScaffolderPermission(
  permission: Permission,
  access: AkiliAccess,
  user: PolicyQueryUser,
): PolicyDecision {
  const mayRun = access.platformAdmin || runnerTenants(access).length > 0;
  if (
    isPermission(permission, taskCreatePermission) ||
    isPermission(permission, templateDryRunPermission) ||
    isPermission(permission, templateParameterReadPermission) ||
    isPermission(permission, templateStepReadPermission)
  ) {
    return mayRun ? ALLOW : DENY;
  }
  if (isPermission(permission, actionExecutePermission)) {
    return actionExecute(permission, access);
  }
  if (
    isPermission(permission, taskReadPermission) ||
    isPermission(permission, taskCancelPermission)
  ) {
    return taskAccess(permission, access, user);
  }
  if (isPermission(permission, templateManagementPermission)) {
    return access.platformAdmin ? ALLOW : DENY;
  }
  return DENY;
}
