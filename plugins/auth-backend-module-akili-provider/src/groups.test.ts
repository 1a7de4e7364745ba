import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import {
  groupsToAkiliIdentity,
  AkiliTenantStatus,
  tenantsNamedByGroups,
} from './groups';

const statuses = (entries: Record<string, AkiliTenantStatus>) =>
  new Map(Object.entries(entries));

const defaults = {
  userEntityRef: 'user:default/jane',
  username: 'jane',
  groupPattern: 'akili-{tenant}-{role}',
  platformAdminGroup: 'akili-platform-admins',
};

describe('groupsToAkiliIdentity', () => {
  it('maps a tenant developer', () => {
    const identity = groupsToAkiliIdentity(
      ['akili-acme-developer', 'staff'],
      defaults,
    );
    expect(identity.ownershipEntityRefs).toEqual([
      'user:default/jane',
      'group:akili/acme.developer',
    ]);
    expect(identity.userEntityRef).toBe('user:default/jane');
    expect(identity.memberships).toEqual([
      { tenant: 'acme', role: 'developer' },
    ]);
    expect(identity.platformAdmin).toBe(false);
    expect(identity.ignoredGroups).toEqual([]);
  });

  it('maps every role of several tenants, hyphenated tenants and duplicates once', () => {
    const identity = groupsToAkiliIdentity(
      [
        'akili-globex-consumer',
        'akili-acme-operator',
        'akili-acme-developer',
        'akili-acme-developer',
        'akili-acme-corp-consumer',
      ],
      defaults,
    );
    expect(identity.ownershipEntityRefs).toEqual([
      'user:default/jane',
      'group:akili/acme-corp.consumer',
      'group:akili/acme.developer',
      'group:akili/acme.operator',
      'group:akili/globex.consumer',
    ]);
  });

  it('maps a platform admin without tenant groups', () => {
    const identity = groupsToAkiliIdentity(['akili-platform-admins'], defaults);
    expect(identity.ownershipEntityRefs).toEqual([
      'user:default/jane',
      'group:akili/platform-admin',
    ]);
    expect(identity.platformAdmin).toBe(true);
  });

  it('maps a platform admin who is also a tenant member', () => {
    const identity = groupsToAkiliIdentity(
      ['akili-platform-admins', 'akili-acme-operator'],
      defaults,
    );
    expect(identity.ownershipEntityRefs).toEqual([
      'user:default/jane',
      'group:akili/acme.operator',
      'group:akili/platform-admin',
    ]);
  });

  it('uses a custom group pattern and admin group', () => {
    const identity = groupsToAkiliIdentity(
      ['tenant:acme/role:operator', 'akili-acme-developer', 'ops'],
      {
        ...defaults,
        groupPattern: 'tenant:{tenant}/role:{role}',
        platformAdminGroup: 'ops',
      },
    );
    expect(identity.ownershipEntityRefs).toEqual([
      'user:default/jane',
      'group:akili/acme.operator',
      'group:akili/platform-admin',
    ]);
  });

  it('treats regex characters in the pattern literally', () => {
    const options = { ...defaults, groupPattern: 'a.{tenant}+{role}' };
    expect(
      groupsToAkiliIdentity(['a.acme+developer'], options).memberships,
    ).toEqual([{ tenant: 'acme', role: 'developer' }]);
    expect(() => groupsToAkiliIdentity(['abacme+developer'], options)).toThrow(
      NotAllowedError,
    );
  });

  it('ignores unknown roles', () => {
    expect(() =>
      groupsToAkiliIdentity(
        ['akili-acme-owner', 'akili-acme-Developer'],
        defaults,
      ),
    ).toThrow("user 'jane' is not a member of any Akili tenant");
  });

  it('accepts every tenant name the catalog accepts as a namespace', () => {
    // The one tenant-name rule of @akili/plugin-akili-common: inner dashes may repeat.
    expect(
      groupsToAkiliIdentity(['akili-acme--x-operator'], defaults)
        .ownershipEntityRefs,
    ).toEqual(['user:default/jane', 'group:akili/acme--x.operator']);
  });

  it('ignores and reports malformed tenant names', () => {
    const identity = groupsToAkiliIdentity(
      [
        'akili-ACME-developer',
        'akili-acme_corp-developer',
        'akili--developer',
        'akili-acme--operator',
        `akili-${'a'.repeat(64)}-developer`,
        'akili-acme-consumer',
      ],
      defaults,
    );
    expect(identity.ownershipEntityRefs).toEqual([
      'user:default/jane',
      'group:akili/acme.consumer',
    ]);
    expect(identity.ignoredGroups).toEqual([
      { group: 'akili-ACME-developer', reason: 'malformed-tenant' },
      { group: 'akili-acme_corp-developer', reason: 'malformed-tenant' },
      { group: 'akili--developer', reason: 'malformed-tenant' },
      { group: 'akili-acme--operator', reason: 'malformed-tenant' },
      {
        group: `akili-${'a'.repeat(64)}-developer`,
        reason: 'malformed-tenant',
      },
    ]);
  });

  it('refuses when only malformed tenant groups remain', () => {
    expect(() =>
      groupsToAkiliIdentity(['akili-ACME-developer'], defaults),
    ).toThrow(NotAllowedError);
  });

  it('ignores non-string entries', () => {
    const identity = groupsToAkiliIdentity(
      [42, null, { name: 'akili-x-developer' }, 'akili-acme-developer'],
      defaults,
    );
    expect(identity.memberships).toEqual([
      { tenant: 'acme', role: 'developer' },
    ]);
  });

  it('refuses a user without groups claim', () => {
    for (const groups of [undefined, null, 'akili-acme-developer', {}]) {
      expect(() => groupsToAkiliIdentity(groups, defaults)).toThrow(
        AuthenticationError,
      );
    }
    expect(() => groupsToAkiliIdentity(undefined, defaults)).toThrow(
      "the identity provider sent no groups claim for user 'jane'",
    );
  });

  it('refuses a user with no Akili group', () => {
    for (const groups of [[], ['staff', 'akili-admins', 'akili-acme']]) {
      expect(() => groupsToAkiliIdentity(groups, defaults)).toThrow(
        new NotAllowedError(
          "Sign-in refused: user 'jane' is not a member of any Akili tenant",
        ),
      );
    }
  });

  it('drops suspended tenants and keeps the others', () => {
    const identity = groupsToAkiliIdentity(
      ['akili-acme-developer', 'akili-globex-operator'],
      {
        ...defaults,
        tenantStatuses: statuses({ acme: 'active', globex: 'suspended' }),
      },
    );
    expect(identity.ownershipEntityRefs).toEqual([
      'user:default/jane',
      'group:akili/acme.developer',
    ]);
    expect(identity.ignoredGroups).toEqual([
      { group: 'akili-globex-operator', reason: 'suspended-tenant' },
    ]);
  });

  it('refuses a user who is only a member of suspended or unknown tenants', () => {
    expect(() =>
      groupsToAkiliIdentity(['akili-globex-operator', 'akili-acme-consumer'], {
        ...defaults,
        tenantStatuses: statuses({ globex: 'suspended' }),
      }),
    ).toThrow(
      new NotAllowedError(
        "Sign-in refused: user 'jane' is only a member of Akili tenants that are suspended or unknown to the tenant registry (acme: unknown, globex: suspended)",
      ),
    );
  });

  it('drops tenants unknown to the registry', () => {
    const identity = groupsToAkiliIdentity(
      ['akili-acme-developer', 'akili-typo-developer'],
      { ...defaults, tenantStatuses: statuses({ acme: 'active' }) },
    );
    expect(identity.memberships).toEqual([
      { tenant: 'acme', role: 'developer' },
    ]);
    expect(identity.ignoredGroups).toEqual([
      { group: 'akili-typo-developer', reason: 'unknown-tenant' },
    ]);
  });

  it('lets a platform admin in when their tenants are suspended', () => {
    const identity = groupsToAkiliIdentity(
      ['akili-globex-operator', 'akili-platform-admins'],
      { ...defaults, tenantStatuses: statuses({ globex: 'suspended' }) },
    );
    expect(identity.ownershipEntityRefs).toEqual([
      'user:default/jane',
      'group:akili/platform-admin',
    ]);
  });

  it('rejects a pattern without both placeholders', () => {
    expect(() =>
      groupsToAkiliIdentity(['akili-acme'], {
        ...defaults,
        groupPattern: 'akili-{tenant}',
      }),
    ).toThrow('must contain {role} exactly once, found 0');
  });
});

describe('tenantsNamedByGroups', () => {
  it('lists the well-formed tenants the groups name, once each', () => {
    expect(
      tenantsNamedByGroups(
        [
          'akili-globex-operator',
          'akili-acme-developer',
          'akili-acme-consumer',
          'akili-BAD-developer',
          'staff',
          7,
        ],
        'akili-{tenant}-{role}',
      ),
    ).toEqual(['acme', 'globex']);
    expect(tenantsNamedByGroups(undefined, 'akili-{tenant}-{role}')).toEqual(
      [],
    );
  });
});
