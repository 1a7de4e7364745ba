import { hasTenantAccess, parseTenancy, tenantRoles } from './parseTenancy';
import { assertValidTenantName, isValidTenantName } from './tenantName';

describe('parseTenancy', () => {
  it('reads tenant roles and platform admin from Akili group refs', () => {
    expect(
      parseTenancy([
        'user:default/jane',
        'group:akili/acme.developer',
        'group:akili/acme.consumer',
        'group:akili/globex.operator',
        'group:akili/platform-admin',
      ]),
    ).toEqual({
      tenants: {
        acme: ['developer', 'consumer'],
        globex: ['operator'],
      },
      platformAdmin: true,
    });
  });

  it('returns no tenants for a user without Akili groups', () => {
    expect(parseTenancy(['user:default/jane', 'group:default/team-a'])).toEqual(
      { tenants: {}, platformAdmin: false },
    );
    expect(parseTenancy([])).toEqual({ tenants: {}, platformAdmin: false });
  });

  it('compares kind and namespace case-insensitively', () => {
    expect(
      parseTenancy([
        'Group:Akili/acme.developer',
        'GROUP:AKILI/platform-admin',
      ]),
    ).toEqual({ tenants: { acme: ['developer'] }, platformAdmin: true });
  });

  it('deduplicates roles and orders them canonically', () => {
    expect(
      parseTenancy([
        'group:akili/acme.consumer',
        'group:akili/acme.developer',
        'group:AKILI/acme.consumer',
        'group:akili/acme.operator',
      ]).tenants,
    ).toEqual({ acme: ['developer', 'operator', 'consumer'] });
  });

  it.each([
    ['another kind', 'user:akili/acme.developer'],
    ['another namespace', 'group:default/acme.developer'],
    ['an unknown role', 'group:akili/acme.owner'],
    ['no role', 'group:akili/acme'],
    ['an empty tenant', 'group:akili/.developer'],
    ['an uppercase tenant', 'group:akili/Acme.developer'],
    ['an uppercase role', 'group:akili/acme.Developer'],
    ['a leading dash', 'group:akili/-acme.developer'],
    ['a trailing dash', 'group:akili/acme-.developer'],
    ['an underscore', 'group:akili/ac_me.developer'],
    ['a dotted tenant', 'group:akili/acme.eu.developer'],
    ['a tenant with a quote', "group:akili/acme'--.developer"],
    ['no namespace', 'group:acme.developer'],
    ['no kind', 'akili/acme.developer'],
    ['extra segments', 'group:akili/x/acme.developer'],
    ['a lookalike admin', 'group:akili/platform-admins'],
    ['an admin of another namespace', 'group:default/platform-admin'],
  ])('silently ignores %s', (_case, ref) => {
    expect(parseTenancy([ref])).toEqual({ tenants: {}, platformAdmin: false });
  });

  it('keeps valid refs next to malformed ones', () => {
    expect(
      parseTenancy([
        'group:akili/ACME.developer',
        'group:akili/acme-eu.operator',
        'group:akili/a1.consumer',
        7 as unknown as string,
      ]).tenants,
    ).toEqual({ 'acme-eu': ['operator'], a1: ['consumer'] });
  });

  it('accepts a tenant named like an Object.prototype member', () => {
    const tenancy = parseTenancy(['group:akili/constructor.consumer']);
    expect(tenantRoles(tenancy, 'constructor')).toEqual(['consumer']);
  });
});

describe('hasTenantAccess', () => {
  const member = parseTenancy([
    'group:akili/acme.developer',
    'group:akili/globex.consumer',
  ]);
  const admin = parseTenancy(['group:akili/platform-admin']);

  it('grants members any role or one of the needed roles', () => {
    expect(hasTenantAccess(member, 'acme')).toBe(true);
    expect(hasTenantAccess(member, 'acme', [])).toBe(true);
    expect(hasTenantAccess(member, 'acme', ['operator', 'developer'])).toBe(
      true,
    );
    expect(hasTenantAccess(member, 'globex', ['developer'])).toBe(false);
  });

  it('denies non-members, including prototype-named tenants', () => {
    expect(hasTenantAccess(member, 'initech')).toBe(false);
    expect(hasTenantAccess(member, 'constructor')).toBe(false);
    expect(hasTenantAccess(member, 'toString', ['consumer'])).toBe(false);
    expect(tenantRoles(member, 'constructor')).toBeUndefined();
  });

  it('grants platform admins every tenant and role', () => {
    expect(hasTenantAccess(admin, 'initech', ['operator'])).toBe(true);
  });
});

describe('tenant names', () => {
  it.each(['a', 'acme', 'acme-eu', 'a1', '0', 'a'.repeat(63)])(
    'accepts %p',
    name => {
      expect(isValidTenantName(name)).toBe(true);
      expect(assertValidTenantName(name)).toBe(name);
    },
  );

  it.each(['', 'Acme', '-a', 'a-', 'a_b', 'a.b', 'a b', 'a'.repeat(64)])(
    'rejects %p with an InputError',
    name => {
      expect(isValidTenantName(name)).toBe(false);
      expect(() => assertValidTenantName(name)).toThrow(
        expect.objectContaining({ name: 'InputError' }),
      );
    },
  );

  it('rejects non-strings', () => {
    expect(isValidTenantName(undefined)).toBe(false);
    expect(() => assertValidTenantName(42)).toThrow(/Invalid tenant name/);
  });
});
