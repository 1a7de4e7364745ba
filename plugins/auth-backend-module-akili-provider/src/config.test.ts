import { ConfigReader } from '@backstage/config';
import { readAkiliSignInConfig } from './config';

describe('readAkiliSignInConfig', () => {
  it('applies the defaults', () => {
    expect(readAkiliSignInConfig(new ConfigReader({ clientId: 'x' }))).toEqual({
      groupPattern: 'akili-{tenant}-{role}',
      platformAdminGroup: 'akili-platform-admins',
      suspendedTenants: [],
    });
  });

  it('reads the akili block', () => {
    expect(
      readAkiliSignInConfig(
        new ConfigReader({
          akili: {
            groupPattern: 'ak/{tenant}/{role}',
            platformAdminGroup: 'ops',
            suspendedTenants: ['globex'],
          },
        }),
      ),
    ).toEqual({
      groupPattern: 'ak/{tenant}/{role}',
      platformAdminGroup: 'ops',
      suspendedTenants: ['globex'],
    });
  });

  it('rejects a bad pattern, an empty admin group and wrong types', () => {
    expect(() =>
      readAkiliSignInConfig(
        new ConfigReader({ akili: { groupPattern: 'akili-{tenant}' } }),
      ),
    ).toThrow('must contain {role} exactly once');
    expect(() =>
      readAkiliSignInConfig(
        new ConfigReader({ akili: { platformAdminGroup: ' ' } }),
      ),
    ).toThrow('platformAdminGroup must not be empty');
    expect(() =>
      readAkiliSignInConfig(
        new ConfigReader({ akili: { suspendedTenants: 'globex' } }),
      ),
    ).toThrow(/suspendedTenants/);
  });
});
