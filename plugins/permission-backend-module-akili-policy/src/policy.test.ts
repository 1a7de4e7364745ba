import {
  akiliPermissions,
  akiliProductSubmitPermission,
  akiliTenantAdminPermission,
  akiliTenantsGranting,
  parseAkiliAccess,
} from '@akili/plugin-akili-common';
import { dagsterPermissions } from '@akili/plugin-dagster-common';
import { qualityPermissions } from '@akili/plugin-quality-common';
import { lakePermissions } from '@akili/plugin-lake-common';
import { starrocksPermissions } from '@akili/plugin-starrocks-common';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
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
  catalogPermissions,
} from '@backstage/plugin-catalog-common/alpha';
import {
  kubernetesClustersReadPermission,
  kubernetesPermissions,
  kubernetesProxyPermission,
  kubernetesResourcesReadPermission,
} from '@backstage/plugin-kubernetes-common';
import {
  AuthorizeResult,
  createPermission,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { scaffolderPermissions } from '@backstage/plugin-scaffolder-common/alpha';
import { AkiliPermissionPolicy } from './policy';
import { decideScaffolderPermission } from './scaffolder';
import { AKILI_POLICY_TABLE } from './table';

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

function newPolicy(refs: string[] = []) {
  const logger = mockServices.logger.mock();
  const policy = new AkiliPermissionPolicy({
    userInfo: mockServices.userInfo({ ownershipEntityRefs: refs }),
    logger,
  });
  return { policy, logger };
}

async function decide(
  refs: string[] | undefined,
  permission: Permission,
): Promise<PolicyDecision> {
  const { policy } = newPolicy(refs);
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
    if (c.allOf) {
      // The shared namespace, without its Location entities.
      expect(c.allOf).toEqual([
        expect.objectContaining({
          params: { key: 'namespace', value: 'default' },
        }),
        {
          not: expect.objectContaining({
            rule: 'IS_ENTITY_KIND',
            params: { kinds: ['Location'] },
          }),
        },
      ]);
      return 'default without Locations';
    }
    expect(c).toMatchObject({
      rule: 'HAS_METADATA',
      resourceType: 'catalog-entity',
      params: { key: 'namespace' },
    });
    return c.params.value;
  });
}

describe('AkiliPermissionPolicy', () => {
  describe('the decision table', () => {
    it('has a row for every permission the installed plugins declare', () => {
      const names = new Set(AKILI_POLICY_TABLE.map(e => e.permission.name));
      for (const permission of [
        ...catalogPermissions,
        ...scaffolderPermissions,
        ...kubernetesPermissions,
        ...akiliPermissions,
        ...dagsterPermissions,
        ...starrocksPermissions,
        ...qualityPermissions,
        ...lakePermissions,
      ]) {
        expect(names).toContain(permission.name);
      }
    });

    it('refuses a table that decides one permission twice', () => {
      expect(
        () =>
          new AkiliPermissionPolicy({
            userInfo: mockServices.userInfo(),
            logger: mockServices.logger.mock(),
            table: [AKILI_POLICY_TABLE[0], AKILI_POLICY_TABLE[0]],
          }),
      ).toThrow(/twice/);
    });
  });

  describe('unknown permissions', () => {
    const unknown = createPermission({
      name: 'notifications.read',
      attributes: { action: 'read' },
    });

    it('denies them to everyone, platform admins included', async () => {
      for (const refs of Object.values(USERS)) {
        expect(summary(await decide(refs, unknown))).toBe('DENY');
      }
      expect(
        summary(
          await decide(
            USERS.admin,
            createPermission({ name: 'akili.secrets.read', attributes: {} }),
          ),
        ),
      ).toBe('DENY');
    });

    it('logs each unknown name once, with a constant message', async () => {
      const { policy, logger } = newPolicy(USERS.admin);
      const user = {
        credentials: mockCredentials.user('user:default/root'),
        info: { userEntityRef: 'user:default/root', ownershipEntityRefs: [] },
      };
      await policy.handle({ permission: unknown }, user);
      await policy.handle({ permission: unknown }, user);
      await policy.handle({ permission: unknown }, undefined);
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn).toHaveBeenCalledWith(
        'Permission unknown to the Akili policy, denied',
        expect.objectContaining({ permission: 'notifications.read' }),
      );

      const other = createPermission({ name: 'signals.x', attributes: {} });
      await policy.handle({ permission: other }, user);
      expect(logger.warn).toHaveBeenCalledTimes(2);
      expect(logger.warn).toHaveBeenLastCalledWith(
        'Permission unknown to the Akili policy, denied',
        expect.objectContaining({ permission: 'signals.x' }),
      );
    });

    it('stops logging after many distinct names (callers choose them)', async () => {
      const { policy, logger } = newPolicy(USERS.admin);
      const user = {
        credentials: mockCredentials.user('user:default/root'),
        info: { userEntityRef: 'user:default/root', ownershipEntityRefs: [] },
      };
      for (let i = 0; i < 2000; i++) {
        await policy.handle(
          {
            permission: createPermission({ name: `x.${i}`, attributes: {} }),
          },
          user,
        );
      }
      expect(logger.warn.mock.calls.length).toBeLessThanOrEqual(502);
      expect(logger.warn).toHaveBeenLastCalledWith(
        expect.stringMatching(/no longer logging/),
        expect.anything(),
      );
    });

    it('denies a known name asked with another shape', async () => {
      // catalog.entity.read as a basic permission, or on another resource type.
      const basic = createPermission({
        name: catalogEntityReadPermission.name,
        attributes: { action: 'read' },
      });
      const otherType = createPermission({
        name: kubernetesResourcesReadPermission.name,
        attributes: { action: 'read' },
        resourceType: 'catalog-entity',
      });
      for (const refs of [USERS.admin, USERS.acmeOperator]) {
        expect(summary(await decide(refs, basic))).toBe('DENY');
        expect(summary(await decide(refs, otherType))).toBe('DENY');
      }
    });
  });

  describe('catalog entity reads', () => {
    it.each([
      ['admin', USERS.admin, 'ALLOW'],
      [
        'acme operator',
        USERS.acmeOperator,
        ['default without Locations', 'acme'],
      ],
      [
        'acme developer',
        USERS.acmeDeveloper,
        ['default without Locations', 'acme', 'globex'],
      ],
      [
        'acme consumer',
        USERS.acmeConsumer,
        ['default without Locations', 'acme'],
      ],
      ['user without tenant', USERS.noTenant, ['default without Locations']],
    ])('%s', async (_, refs, expected) => {
      expect(summary(await decide(refs, catalogEntityReadPermission))).toEqual(
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
      catalogLocationReadPermission,
      catalogLocationCreatePermission,
      catalogLocationAnalyzePermission,
      catalogLocationDeletePermission,
      catalogEntityCreatePermission,
      catalogIngestionReadPermission,
      catalogIngestionManagePermission,
    ];

    it('allows everything to admins', async () => {
      for (const permission of catalogPermissions) {
        expect(summary(await decide(USERS.admin, permission))).toBe('ALLOW');
      }
    });

    it.each([
      ['acme operator', USERS.acmeOperator, 'ALLOW'],
      ['acme developer', USERS.acmeDeveloper, 'ALLOW'],
      ['acme consumer', USERS.acmeConsumer, 'DENY'],
      ['user without tenant', USERS.noTenant, 'DENY'],
    ])(
      '%s: locations never, validation as developer or operator',
      async (_, refs, validate) => {
        for (const permission of adminOnly) {
          expect(summary(await decide(refs, permission))).toBe('DENY');
        }
        expect(
          summary(await decide(refs, catalogEntityValidatePermission)),
        ).toBe(validate);
      },
    );
  });

  describe('scaffolder', () => {
    it.each(Object.entries(USERS))(
      'decides %s as the scaffolder rules (src/scaffolder.ts) do',
      async (_, refs) => {
        const user = {
          credentials: mockCredentials.user(refs[0]),
          info: { userEntityRef: refs[0], ownershipEntityRefs: refs },
        };
        for (const permission of scaffolderPermissions) {
          expect(await decide(refs, permission)).toEqual(
            await decideScaffolderPermission(
              permission,
              parseAkiliAccess(refs),
              user,
            ),
          );
        }
      },
    );
  });

  describe('kubernetes', () => {
    it.each([
      ['admin', USERS.admin, 'ALLOW', 'ALLOW'],
      ['acme operator', USERS.acmeOperator, 'DENY', 'ALLOW'],
      ['acme developer', USERS.acmeDeveloper, 'DENY', 'ALLOW'],
      ['acme consumer', USERS.acmeConsumer, 'DENY', 'ALLOW'],
      ['user without tenant', USERS.noTenant, 'DENY', 'DENY'],
    ])('%s', async (_, refs, proxy, read) => {
      expect(summary(await decide(refs, kubernetesProxyPermission))).toBe(
        proxy,
      );
      for (const permission of [
        kubernetesResourcesReadPermission,
        kubernetesClustersReadPermission,
      ]) {
        expect(summary(await decide(refs, permission))).toBe(read);
      }
    });
  });

  describe('Akili permissions (control plane, runs, query and quality)', () => {
    const AKILI = [
      ...akiliPermissions,
      ...dagsterPermissions,
      ...starrocksPermissions,
      ...qualityPermissions,
    ];
    const allowed = async (refs: string[]) => {
      const names: string[] = [];
      for (const p of AKILI) {
        if ((await decide(refs, p)).result === AuthorizeResult.ALLOW) {
          names.push(p.name);
        }
      }
      return names.sort();
    };

    it('allows all of them to admins, including tenant admin', async () => {
      expect(await allowed(USERS.admin)).toEqual(AKILI.map(p => p.name).sort());
    });

    it.each([
      [
        'acme operator',
        USERS.acmeOperator,
        [
          'akili.product.deploy',
          'akili.product.read',
          'akili.product.submit',
          'akili.quality.incidents.manage',
          'akili.quality.incidents.read',
          'akili.quality.read',
          'akili.quality.report',
          'akili.query.audit.read',
          'akili.query.run',
          'akili.query.unmask',
          'akili.runs.launch',
          'akili.runs.operate',
          'akili.runs.read',
          'akili.runs.terminate',
          'akili.tenant.operate',
          'akili.tenant.read',
        ],
      ],
      [
        'acme developer (and globex consumer)',
        USERS.acmeDeveloper,
        [
          'akili.product.deploy',
          'akili.product.read',
          'akili.product.submit',
          'akili.quality.incidents.read',
          'akili.quality.read',
          'akili.quality.report',
          'akili.query.run',
          'akili.query.unmask',
          'akili.runs.launch',
          'akili.runs.read',
          'akili.tenant.read',
        ],
      ],
      [
        'acme consumer',
        USERS.acmeConsumer,
        [
          'akili.product.read',
          'akili.quality.read',
          'akili.query.run',
          'akili.tenant.read',
        ],
      ],
      ['user without tenant', USERS.noTenant, []],
    ])('gives %s what the declared roles grant', async (_, refs, expected) => {
      expect(await allowed(refs)).toEqual(expected);
      // The role model says the same.
      expect(expected).toEqual(
        AKILI.filter(
          p => akiliTenantsGranting(parseAkiliAccess(refs), p).length > 0,
        )
          .map(p => p.name)
          .sort(),
      );
    });

    it('keeps tenant admin to platform admins', async () => {
      for (const refs of [USERS.acmeOperator, USERS.acmeDeveloper]) {
        expect(summary(await decide(refs, akiliTenantAdminPermission))).toBe(
          'DENY',
        );
      }
    });
  });

  it('denies everything to a request without a user', async () => {
    for (const entry of AKILI_POLICY_TABLE) {
      expect(summary(await decide(undefined, entry.permission))).toBe('DENY');
    }
  });

  it('reads roles through the user info service once per credentials', async () => {
    const userInfo = mockServices.userInfo.mock({
      getUserInfo: async () => ({
        userEntityRef: 'user:default/ann',
        ownershipEntityRefs: USERS.acmeDeveloper,
      }),
    });
    const policy = new AkiliPermissionPolicy({
      userInfo,
      logger: mockServices.logger.mock(),
    });
    const user = {
      credentials: mockCredentials.user('user:default/ann'),
      info: { userEntityRef: 'user:default/ann', ownershipEntityRefs: [] },
    };
    await policy.handle({ permission: akiliProductSubmitPermission }, user);
    const decision = await policy.handle(
      { permission: akiliProductSubmitPermission },
      user,
    );
    expect(decision.result).toBe(AuthorizeResult.ALLOW);
    expect(userInfo.getUserInfo).toHaveBeenCalledTimes(1);
  });
});
