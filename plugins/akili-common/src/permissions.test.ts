import {
  akiliPermissions,
  akiliProductReadPermission,
  akiliTenantAdminPermission,
  akiliTenantOperatePermission,
  akiliTenantsGranting,
} from './permissions';
import {
  AKILI_ROLES,
  akiliRolesGrant,
  akiliTenantRoleRecord,
  createAkiliTenantPermission,
  parseAkiliAccess,
} from './roles';

describe('akiliPermissions', () => {
  it('has unique akili.* names, basic permissions, each with the roles that grant it', () => {
    const names = akiliPermissions.map(p => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const p of akiliPermissions) {
      expect(p.name).toMatch(/^akili\.[a-z]+\.[a-z]+$/);
      expect(p.type).toBe('basic');
      for (const role of p.grantedTo) {
        expect(AKILI_ROLES).toContain(role);
      }
    }
    // The control plane's own: runs are the Dagster plugin's, queries and quality their plugins'.
    expect(names.filter(n => !/^akili\.(product|tenant)\./.test(n))).toEqual(
      [],
    );
  });

  it('grants tenant administration to no role, operating a tenant to operators only', () => {
    expect(akiliTenantAdminPermission.grantedTo).toEqual([]);
    expect(akiliTenantOperatePermission.grantedTo).toEqual(['operator']);
    expect(akiliProductReadPermission.grantedTo).toEqual(AKILI_ROLES);
  });
});

describe('createAkiliTenantPermission', () => {
  it('declares a permission of another plugin with its roles, without touching this package', () => {
    const lakeRead = createAkiliTenantPermission({
      name: 'akili.lake.read',
      attributes: { action: 'read' },
      grantedTo: ['operator', 'consumer'],
    });
    expect(lakeRead).toEqual({
      type: 'basic',
      name: 'akili.lake.read',
      attributes: { action: 'read' },
      grantedTo: ['consumer', 'operator'],
    });
    expect(akiliRolesGrant(['developer'], lakeRead)).toBe(false);
    expect(akiliRolesGrant(['developer', 'consumer'], lakeRead)).toBe(true);
    const access = parseAkiliAccess([
      'group:akili/acme.consumer',
      'group:akili/globex.developer',
    ]);
    expect(akiliTenantsGranting(access, lakeRead)).toEqual(['acme']);
  });

  it('refuses a role the model does not know', () => {
    expect(() =>
      createAkiliTenantPermission({
        name: 'akili.x.y',
        attributes: {},
        grantedTo: ['owner' as any],
      }),
    ).toThrow(
      'Permission akili.x.y is granted to unknown role(s) owner; roles are consumer, developer, operator',
    );
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
  const access = parseAkiliAccess([
    'group:akili/acme.consumer',
    'group:akili/globex.operator',
    'group:akili/initech.developer',
  ]);

  it('lists the tenants whose roles grant the permission', () => {
    expect(akiliTenantsGranting(access, akiliProductReadPermission)).toEqual([
      'acme',
      'globex',
      'initech',
    ]);
    expect(akiliTenantsGranting(access, akiliTenantOperatePermission)).toEqual([
      'globex',
    ]);
    expect(akiliTenantsGranting(access, akiliTenantAdminPermission)).toEqual(
      [],
    );
  });

  it('still reads a name of the control plane (deprecated), and grants nothing for another', () => {
    expect(akiliTenantsGranting(access, 'akili.tenant.operate')).toEqual([
      'globex',
    ]);
    expect(akiliTenantsGranting(access, 'akili.runs.read')).toEqual([]);
  });
});

describe('akiliTenantRoleRecord', () => {
  it('gives tenants sorted and roles in model order', () => {
    expect(
      akiliTenantRoleRecord(
        parseAkiliAccess([
          'group:akili/globex.operator',
          'group:akili/globex.consumer',
          'group:akili/acme.developer',
        ]),
      ),
    ).toEqual({ acme: ['developer'], globex: ['consumer', 'operator'] });
  });
});
