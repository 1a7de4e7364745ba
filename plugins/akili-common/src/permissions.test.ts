import {
  AKILI_ROLE_GRANTS,
  akiliPermissions,
  akiliTenantAdminPermission,
  akiliTenantsGranting,
  parseAkiliAccess,
} from './permissions';

describe('akiliPermissions', () => {
  it('has unique akili.* names and basic permissions only', () => {
    const names = akiliPermissions.map(p => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toHaveLength(9);
    for (const p of akiliPermissions) {
      expect(p.name).toMatch(/^akili\.[a-z]+\.[a-z]+$/);
      expect(p.type).toBe('basic');
    }
  });
});

describe('AKILI_ROLE_GRANTS', () => {
  it('grants consumers quality reads and queries only', () => {
    expect([...AKILI_ROLE_GRANTS.consumer].sort()).toEqual([
      'akili.quality.read',
      'akili.query.execute',
    ]);
  });

  it('nests consumer in developer in operator; terminate is operator-only', () => {
    for (const name of AKILI_ROLE_GRANTS.consumer) {
      expect(AKILI_ROLE_GRANTS.developer).toContain(name);
    }
    for (const name of AKILI_ROLE_GRANTS.developer) {
      expect(AKILI_ROLE_GRANTS.operator).toContain(name);
    }
    expect(AKILI_ROLE_GRANTS.developer).not.toContain('akili.runs.terminate');
    expect(AKILI_ROLE_GRANTS.operator).toContain('akili.runs.terminate');
    expect(AKILI_ROLE_GRANTS.developer).toEqual(
      expect.arrayContaining([
        'akili.runs.read',
        'akili.runs.launch',
        'akili.product.submit',
        'akili.product.deploy',
        'akili.quality.ingest',
      ]),
    );
  });

  it('grants tenant admin to no role and only names known permissions', () => {
    const known = new Set(akiliPermissions.map(p => p.name));
    for (const names of Object.values(AKILI_ROLE_GRANTS)) {
      expect(names).not.toContain(akiliTenantAdminPermission.name);
      for (const name of names) {
        expect(known.has(name)).toBe(true);
      }
    }
  });
});

describe('parseAkiliAccess', () => {
  it('reads tenant roles and the platform admin ref', () => {
    const access = parseAkiliAccess([
      'user:default/ann',
      'group:akili/acme.developer',
      'Group:Akili/acme.consumer',
      'group:akili/globex-eu.operator',
      'GROUP:akili/platform-admin',
    ]);
    expect(access.platformAdmin).toBe(true);
    expect(
      Object.fromEntries(
        [...access.tenantRoles].map(([t, r]) => [t, [...r].sort()]),
      ),
    ).toEqual({
      acme: ['consumer', 'developer'],
      'globex-eu': ['operator'],
    });
  });

  it('ignores malformed refs, unknown roles and the shared namespace', () => {
    const access = parseAkiliAccess([
      'group:default/acme.developer',
      'group:akili/acme.owner',
      'group:akili/.developer',
      'group:akili/acme',
      'group:akili/Bad_Tenant.developer',
      'group:akili/default.operator',
      'group:akili/platform-admins',
      'group:akili/Platform-Admin',
      'group:akili/ACME.developer',
      'group:akili/acme.Developer',
      'group:akili/acme/x.developer',
    ]);
    expect(access.platformAdmin).toBe(false);
    expect(access.tenantRoles.size).toBe(0);
  });
});

describe('akiliTenantsGranting', () => {
  it('lists the tenants whose roles grant the permission', () => {
    const access = parseAkiliAccess([
      'group:akili/acme.consumer',
      'group:akili/globex.operator',
      'group:akili/initech.developer',
    ]);
    expect(akiliTenantsGranting(access, 'akili.query.execute')).toEqual([
      'acme',
      'globex',
      'initech',
    ]);
    expect(akiliTenantsGranting(access, 'akili.runs.launch')).toEqual([
      'globex',
      'initech',
    ]);
    expect(akiliTenantsGranting(access, 'akili.runs.terminate')).toEqual([
      'globex',
    ]);
    expect(akiliTenantsGranting(access, 'akili.tenant.admin')).toEqual([]);
  });
});
