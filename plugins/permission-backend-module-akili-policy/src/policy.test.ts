import {
  akiliPermissions,
  akiliProductDeployPermission,
  akiliProductSubmitPermission,
  akiliQualityIngestPermission,
  akiliQualityReadPermission,
  akiliQueryExecutePermission,
  akiliRunsLaunchPermission,
  akiliRunsReadPermission,
  akiliRunsTerminatePermission,
  akiliTenantAdminPermission,
} from '@akili/plugin-akili-common';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogEntityValidatePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
  catalogLocationReadPermission,
  catalogPermissions,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  createPermission,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { AkiliPermissionPolicy } from './policy';

const scaffolderExecute = createPermission({
  name: 'scaffolder.template.parameter.read',
  attributes: { action: 'read' },
  resourceType: 'scaffolder-template',
});
const notificationsRead = createPermission({
  name: 'notifications.read',
  attributes: { action: 'read' },
});
const kubernetesProxy = createPermission({
  name: 'kubernetes.proxy',
  attributes: {},
});
const otherPluginEntityRead = createPermission({
  name: 'kubernetes.resources.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});
const otherPermissions = [
  scaffolderExecute,
  notificationsRead,
  kubernetesProxy,
];

const USERS = {
  admin: ['user:default/root', 'group:akili/platform-admin'],
  acmeOperator: ['user:default/ops', 'group:akili/acme.operator'],
  acmeDeveloper: [
    'user:default/ann',
    'group:default/acme-sales-analytics',
    'group:akili/acme.developer',
    'group:akili/globex.consumer',
  ],
  acmeConsumer: ['user:default/carl', 'group:akili/acme.consumer'],
  noTenant: ['user:default/nobody', 'group:default/akili-platform'],
};

async function decide(
  refs: string[] | undefined,
  permission: Permission,
): Promise<PolicyDecision> {
  const policy = new AkiliPermissionPolicy({
    userInfo: mockServices.userInfo({
      ownershipEntityRefs: refs ?? [],
    }),
  });
  return policy.handle(
    { permission },
    refs
      ? {
          credentials: mockCredentials.user(refs[0]),
          info: { userEntityRef: refs[0], ownershipEntityRefs: refs },
        }
      : undefined,
  );
}

/** The namespaces a conditional catalog decision admits, or the definitive result. */
function summary(decision: PolicyDecision): string | string[] {
  if (decision.result !== AuthorizeResult.CONDITIONAL) {
    return AuthorizeResult[decision.result];
  }
  expect(decision.pluginId).toBe('catalog');
  expect(decision.resourceType).toBe('catalog-entity');
  const criteria = decision.conditions as { anyOf: any[] };
  return criteria.anyOf.map(c => {
    expect(c).toMatchObject({
      rule: 'HAS_METADATA',
      resourceType: 'catalog-entity',
      params: { key: 'namespace' },
    });
    return c.params.value;
  });
}

describe('AkiliPermissionPolicy', () => {
  describe('catalog entity reads', () => {
    it.each([
      ['admin', USERS.admin, 'ALLOW'],
      ['acme operator', USERS.acmeOperator, ['default', 'acme']],
      ['acme developer', USERS.acmeDeveloper, ['default', 'acme', 'globex']],
      ['acme consumer', USERS.acmeConsumer, ['default', 'acme']],
      ['user without tenant', USERS.noTenant, ['default']],
    ])('%s', async (_, refs, expected) => {
      expect(summary(await decide(refs, catalogEntityReadPermission))).toEqual(
        expected,
      );
      // Read-type permissions of other plugins on catalog entities follow the same rule.
      expect(summary(await decide(refs, otherPluginEntityRead))).toEqual(
        expected,
      );
    });
  });

  describe('catalog entity writes (delete, refresh)', () => {
    it.each([
      ['admin', USERS.admin, 'ALLOW'],
      ['acme operator', USERS.acmeOperator, ['acme']],
      ['acme developer', USERS.acmeDeveloper, 'DENY'],
      ['acme consumer', USERS.acmeConsumer, 'DENY'],
      ['user without tenant', USERS.noTenant, 'DENY'],
    ])('%s', async (_, refs, expected) => {
      for (const permission of [
        catalogEntityDeletePermission,
        catalogEntityRefreshPermission,
      ]) {
        expect(summary(await decide(refs, permission))).toEqual(expected);
      }
    });
  });

  describe('catalog-wide permissions', () => {
    const adminOnly = [
      catalogLocationCreatePermission,
      catalogLocationDeletePermission,
      catalogEntityCreatePermission,
    ];
    const memberOnly = [
      catalogLocationReadPermission,
      catalogEntityValidatePermission,
    ];

    it('allows everything to admins', async () => {
      for (const permission of catalogPermissions) {
        expect(summary(await decide(USERS.admin, permission))).toBe('ALLOW');
      }
    });

    it.each([
      ['acme operator', USERS.acmeOperator],
      ['acme developer', USERS.acmeDeveloper],
      ['acme consumer', USERS.acmeConsumer],
    ])('%s: reads yes, location/entity writes no', async (_, refs) => {
      for (const permission of adminOnly) {
        expect(summary(await decide(refs, permission))).toBe('DENY');
      }
      for (const permission of memberOnly) {
        expect(summary(await decide(refs, permission))).toBe('ALLOW');
      }
    });

    it('denies all of them to a user without tenant', async () => {
      for (const permission of [...adminOnly, ...memberOnly]) {
        expect(summary(await decide(USERS.noTenant, permission))).toBe('DENY');
      }
    });
  });

  describe('Akili permissions', () => {
    const allowed = (refs: string[]) =>
      Promise.all(
        akiliPermissions.map(async p =>
          (await decide(refs, p)).result === AuthorizeResult.ALLOW
            ? p.name
            : undefined,
        ),
      ).then(names => names.filter(Boolean).sort());

    it('allows all of them to admins, including tenant admin', async () => {
      expect(await allowed(USERS.admin)).toEqual(
        akiliPermissions.map(p => p.name).sort(),
      );
    });

    it('gives operators everything but tenant admin', async () => {
      expect(await allowed(USERS.acmeOperator)).toEqual(
        akiliPermissions
          .map(p => p.name)
          .filter(n => n !== akiliTenantAdminPermission.name)
          .sort(),
      );
    });

    it('gives developers everything but terminate and tenant admin', async () => {
      expect(await allowed(USERS.acmeDeveloper)).toEqual(
        [
          akiliRunsReadPermission,
          akiliRunsLaunchPermission,
          akiliQueryExecutePermission,
          akiliQualityReadPermission,
          akiliQualityIngestPermission,
          akiliProductSubmitPermission,
          akiliProductDeployPermission,
        ]
          .map(p => p.name)
          .sort(),
      );
      expect(
        summary(
          await decide(USERS.acmeDeveloper, akiliRunsTerminatePermission),
        ),
      ).toBe('DENY');
    });

    it('gives consumers quality reads and queries', async () => {
      expect(await allowed(USERS.acmeConsumer)).toEqual([
        'akili.quality.read',
        'akili.query.execute',
      ]);
    });

    it('gives a user without tenant nothing', async () => {
      expect(await allowed(USERS.noTenant)).toEqual([]);
    });

    it('denies an unknown akili permission to non-admins', async () => {
      const unknown = createPermission({
        name: 'akili.secrets.read',
        attributes: { action: 'read' },
      });
      expect(summary(await decide(USERS.acmeOperator, unknown))).toBe('DENY');
      expect(summary(await decide(USERS.admin, unknown))).toBe('ALLOW');
    });
  });

  describe('other plugins', () => {
    it.each([
      ['admin', USERS.admin, 'ALLOW'],
      ['acme operator', USERS.acmeOperator, 'ALLOW'],
      ['acme developer', USERS.acmeDeveloper, 'ALLOW'],
      ['acme consumer', USERS.acmeConsumer, 'ALLOW'],
      ['user without tenant', USERS.noTenant, 'DENY'],
    ])('%s', async (_, refs, expected) => {
      for (const permission of otherPermissions) {
        expect(summary(await decide(refs, permission))).toBe(expected);
      }
    });
  });

  it('denies everything to a request without a user', async () => {
    for (const permission of [
      catalogEntityReadPermission,
      akiliQualityReadPermission,
      notificationsRead,
    ]) {
      expect(summary(await decide(undefined, permission))).toBe('DENY');
    }
  });

  it('reads roles through the user info service once per credentials', async () => {
    const userInfo = mockServices.userInfo.mock({
      getUserInfo: async () => ({
        userEntityRef: 'user:default/ann',
        ownershipEntityRefs: USERS.acmeDeveloper,
      }),
    });
    const policy = new AkiliPermissionPolicy({ userInfo });
    const user = {
      credentials: mockCredentials.user('user:default/ann'),
      info: { userEntityRef: 'user:default/ann', ownershipEntityRefs: [] },
    };
    await policy.handle({ permission: akiliRunsReadPermission }, user);
    const decision = await policy.handle(
      { permission: akiliRunsLaunchPermission },
      user,
    );
    expect(decision.result).toBe(AuthorizeResult.ALLOW);
    expect(userInfo.getUserInfo).toHaveBeenCalledTimes(1);
  });
});
