import { ConfigReader } from '@backstage/config';
import { readAkiliGuestConfig, readAkiliSignInConfig } from './config';

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

describe('readAkiliGuestConfig', () => {
  const read = (guest?: object) =>
    readAkiliGuestConfig(
      new ConfigReader(guest ? { akili: { signIn: { guest } } } : {}),
    );

  it('applies the defaults: user:default/guest without groups', () => {
    expect(read()).toEqual({
      userEntityRef: 'user:default/guest',
      username: 'guest',
      displayName: 'Guest',
      groups: [],
    });
  });

  it('reads the ref, display name and groups', () => {
    expect(
      read({
        userEntityRef: 'User:default/demo',
        displayName: 'Demo developer',
        groups: ['akili-acme-developer'],
      }),
    ).toEqual({
      userEntityRef: 'user:default/demo',
      username: 'demo',
      displayName: 'Demo developer',
      groups: ['akili-acme-developer'],
    });
  });

  it('rejects a ref that is not a user and groups that are not strings', () => {
    expect(() => read({ userEntityRef: 'group:default/guest' })).toThrow(
      "akili.signIn.guest.userEntityRef must be a user entity ref, got 'group:default/guest'",
    );
    expect(() => read({ userEntityRef: 'user:a/b/c' })).toThrow(
      'akili.signIn.guest.userEntityRef is not a valid entity ref',
    );
    expect(() => read({ groups: 'akili-acme-developer' })).toThrow(/groups/);
  });
});
