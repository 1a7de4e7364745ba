import {
  DEFAULT_AKILI_GROUP_PATTERN,
  formatAkiliGroupName,
  validateAkiliGroupPattern,
} from './groupNaming';

describe('group naming', () => {
  it('formats the group of a tenant role under the default and a custom pattern', () => {
    expect(
      formatAkiliGroupName(DEFAULT_AKILI_GROUP_PATTERN, 'acme', 'operator'),
    ).toBe('akili-acme-operator');
    expect(
      formatAkiliGroupName('{role}s of {tenant}', 'globex', 'consumer'),
    ).toBe('consumers of globex');
  });

  it('refuses a pattern without both placeholders exactly once', () => {
    expect(() => validateAkiliGroupPattern('akili-{tenant}')).toThrow(
      "Akili group pattern 'akili-{tenant}' must contain {role} exactly once, found 0",
    );
    expect(() => validateAkiliGroupPattern('{tenant}-{role}-{tenant}')).toThrow(
      'must contain {tenant} exactly once, found 2',
    );
  });
});
