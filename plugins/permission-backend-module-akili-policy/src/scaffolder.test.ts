import { parseAkiliAccess } from '@akili/plugin-akili-common';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  ConditionalPolicyDecision,
  createPermission,
  Permission,
  PermissionCondition,
  PermissionCriteria,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  actionExecutePermission,
  scaffolderPermissions,
  taskCancelPermission,
  taskCreatePermission,
  taskReadPermission,
  templateDryRunPermission,
  templateManagementPermission,
  templateParameterReadPermission,
  templateStepReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  AKILI_SCAFFOLDER_ACTIONS,
  decideScaffolderPermission,
} from './scaffolder';

const USERS = {
  admin: ['user:default/root', 'group:akili/platform-admin'],
  acmeOperator: ['user:default/otto', 'group:akili/acme.operator'],
  acmeDeveloper: [
    'user:default/ann',
    'group:akili/acme.developer',
    'group:akili/globex.consumer',
  ],
  acmeConsumer: ['user:default/carl', 'group:akili/acme.consumer'],
  noTenant: ['user:default/nobody'],
};
type User = keyof typeof USERS;

function decide(user: User, permission: Permission = taskCreatePermission) {
  const refs = USERS[user];
  return decideScaffolderPermission(permission, parseAkiliAccess(refs), {
    credentials: mockCredentials.user(refs[0]),
    info: { userEntityRef: refs[0], ownershipEntityRefs: refs },
  });
}

/**
 * Applies an action condition as the scaffolder's rules do (HAS_ACTION_ID, HAS_STRING_PROPERTY
 * with a value): enough to read the decisions here; the module's integration test runs them in
 * the real scaffolder.
 */
function allowsStep(
  decision: PolicyDecision,
  action: string,
  input: object = {},
): boolean {
  if (decision.result !== AuthorizeResult.CONDITIONAL) {
    return decision.result === AuthorizeResult.ALLOW;
  }
  const apply = (c: PermissionCriteria<PermissionCondition>): boolean => {
    if ('allOf' in c) return c.allOf.every(apply);
    if ('anyOf' in c) return c.anyOf.some(apply);
    if ('not' in c) return !apply(c.not);
    const params = c.params as {
      actionId?: string;
      key?: string;
      value?: string;
    };
    if (c.rule === 'HAS_ACTION_ID') return params.actionId === action;
    if (c.rule === 'HAS_STRING_PROPERTY') {
      const found = params
        .key!.split('.')
        .reduce<any>((value, key) => value?.[key], input);
      return found === params.value;
    }
    throw new Error(`unexpected rule ${c.rule}`);
  };
  return apply((decision as ConditionalPolicyDecision).conditions);
}

describe('decideScaffolderPermission', () => {
  it('lets developers and operators of a tenant, and admins, run and dry-run templates', () => {
    for (const permission of [
      taskCreatePermission,
      templateDryRunPermission,
      templateParameterReadPermission,
      templateStepReadPermission,
    ]) {
      expect(decide('admin', permission).result).toBe(AuthorizeResult.ALLOW);
      expect(decide('acmeOperator', permission).result).toBe(
        AuthorizeResult.ALLOW,
      );
      expect(decide('acmeDeveloper', permission).result).toBe(
        AuthorizeResult.ALLOW,
      );
      expect(decide('acmeConsumer', permission).result).toBe(
        AuthorizeResult.DENY,
      );
      expect(decide('noTenant', permission).result).toBe(AuthorizeResult.DENY);
    }
  });

  it('keeps template management for platform admins', () => {
    expect(decide('admin', templateManagementPermission).result).toBe(
      AuthorizeResult.ALLOW,
    );
    for (const user of [
      'acmeOperator',
      'acmeDeveloper',
      'acmeConsumer',
    ] as const) {
      expect(decide(user, templateManagementPermission).result).toBe(
        AuthorizeResult.DENY,
      );
    }
  });

  it('allows only decided actions, on their rendered input', () => {
    const developer = decide('acmeDeveloper', actionExecutePermission);
    expect(developer.result).toBe(AuthorizeResult.CONDITIONAL);
    for (const action of AKILI_SCAFFOLDER_ACTIONS) {
      expect(allowsStep(developer, action)).toBe(true);
    }
    // Deny by default: actions nobody decided, and ones that reach outside the tenant.
    for (const action of [
      'debug:wait',
      'catalog:register',
      'notification:send',
      'catalog:register-entity',
      'scaffolder:execute-template',
      'gitlab:group:access',
      'gitlab:projectAccessToken:create',
      'gitlab:user:info',
      'some:new:action',
    ]) {
      expect(allowsStep(developer, action)).toBe(false);
    }
    // catalog:write: an entity of the user's own tenant only, and it must say so.
    const entity = (namespace?: string) => ({
      entity: { metadata: { name: 'orders', namespace } },
    });
    expect(allowsStep(developer, 'catalog:write', entity('acme'))).toBe(true);
    expect(allowsStep(developer, 'catalog:write', entity('globex'))).toBe(
      false,
    );
    expect(allowsStep(developer, 'catalog:write', entity())).toBe(false);

    const admin = decide('admin', actionExecutePermission);
    expect(allowsStep(admin, 'catalog:register')).toBe(true);
    expect(allowsStep(admin, 'catalog:write', entity('globex'))).toBe(true);
    expect(allowsStep(admin, 'scaffolder:execute-template')).toBe(false);

    expect(decide('acmeConsumer', actionExecutePermission).result).toBe(
      AuthorizeResult.DENY,
    );
    expect(decide('noTenant', actionExecutePermission).result).toBe(
      AuthorizeResult.DENY,
    );
  });

  it('shows tasks to their creator; operators and admins go through the task routes', () => {
    for (const permission of [taskReadPermission, taskCancelPermission]) {
      expect(decide('admin', permission).result).toBe(AuthorizeResult.ALLOW);
      expect(decide('acmeOperator', permission).result).toBe(
        AuthorizeResult.ALLOW,
      );
      for (const user of [
        'acmeDeveloper',
        'acmeConsumer',
        'noTenant',
      ] as const) {
        expect(decide(user, permission)).toEqual({
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'scaffolder',
          resourceType: 'scaffolder-task',
          conditions: {
            rule: 'IS_TASK_OWNER',
            resourceType: 'scaffolder-task',
            params: { createdBy: [USERS[user][0]] },
          },
        });
      }
    }
  });

  it('decides every scaffolder permission and denies unknown ones', () => {
    for (const permission of scaffolderPermissions) {
      expect(decide('admin', permission).result).not.toBe(AuthorizeResult.DENY);
    }
    const unknown = createPermission({
      name: 'scaffolder.something.new',
      attributes: {},
    });
    expect(decide('admin', unknown).result).toBe(AuthorizeResult.DENY);
    // A permission with a known name but another shape is not the scaffolder's.
    const forged = createPermission({
      name: 'scaffolder.task.read',
      attributes: { action: 'read' },
    });
    expect(decide('acmeOperator', forged).result).toBe(AuthorizeResult.DENY);
  });
});
