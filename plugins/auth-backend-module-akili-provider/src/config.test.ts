import { ConfigReader } from '@backstage/config';
import { readAkiliSignInConfig } from './config';

describe('readAkiliSignInConfig', () => {
  it('applies the defaults', () => {
    expect(readAkiliSignInConfig(new ConfigReader({}))).toEqual({
      groupPattern: 'akili-{tenant}-{role}',
      platformAdminGroup: 'akili-platform-admins',
    });
  });

  it('reads akili.tenancy', () => {
    expect(
      readAkiliSignInConfig(
        new ConfigReader({
          akili: {
            tenancy: {
              groupPattern: 'ak/{tenant}/{role}',
              platformAdminGroup: 'ops',
            },
          },
        }),
      ),
    ).toEqual({
      groupPattern: 'ak/{tenant}/{role}',
      platformAdminGroup: 'ops',
    });
  });

  it('rejects a bad pattern, an empty admin group and wrong types', () => {
    const read = (tenancy: object) =>
      readAkiliSignInConfig(new ConfigReader({ akili: { tenancy } }));
    expect(() => read({ groupPattern: 'akili-{tenant}' })).toThrow(
      'must contain {role} exactly once',
    );
    expect(() => read({ platformAdminGroup: ' ' })).toThrow(
      'akili.tenancy.platformAdminGroup must not be empty',
    );
    expect(() => read({ groupPattern: 42 })).toThrow(/groupPattern/);
  });
});
