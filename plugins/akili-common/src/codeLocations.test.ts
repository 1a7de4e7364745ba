import {
  describeTenantCodeLocations,
  isCodeLocationOfTenant,
} from './codeLocations';

describe('isCodeLocationOfTenant', () => {
  it('gives a tenant its own name and the names that start with it and an underscore', () => {
    for (const location of [
      'acme',
      'acme_orders',
      'acme_orders_daily',
      'acme_x-y',
    ]) {
      expect(isCodeLocationOfTenant(location, 'acme')).toBe(true);
    }
  });

  it('lets no tenant whose name is a prefix of another claim the other’s locations, either way', () => {
    // Dashes may be inside tenant names; the underscore may not.
    expect(isCodeLocationOfTenant('acme-evil_orders', 'acme')).toBe(false);
    expect(isCodeLocationOfTenant('acme-evil', 'acme')).toBe(false);
    expect(isCodeLocationOfTenant('acme_orders', 'acme-evil')).toBe(false);
    expect(isCodeLocationOfTenant('acme-evil_orders', 'acme-evil')).toBe(true);
    // Today's dash convention is not a tenant's: `acme-orders` could be acme's or acme-orders'.
    expect(isCodeLocationOfTenant('acme-orders', 'acme')).toBe(false);
    expect(isCodeLocationOfTenant('acme-orders', 'acme-orders')).toBe(true);
  });

  it('refuses empty, near-miss and differently cased names', () => {
    for (const location of [
      '',
      'acme_',
      'acmeorders',
      'ACME_orders',
      'xacme_orders',
      ' acme_orders',
    ]) {
      expect(isCodeLocationOfTenant(location, 'acme')).toBe(false);
    }
    expect(isCodeLocationOfTenant(undefined, 'acme')).toBe(false);
    expect(isCodeLocationOfTenant(null, 'acme')).toBe(false);
    // A "tenant" with the separator in it is never valid, so it owns nothing.
    expect(isCodeLocationOfTenant('a_b_c', 'a_b')).toBe(false);
  });

  it('says the rule in words', () => {
    expect(describeTenantCodeLocations('acme')).toBe(
      'acme or a name that starts with acme_',
    );
  });
});
