import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import { AuthResolverContext } from '@backstage/plugin-auth-node';
import { createAkiliGuestProviderFactory } from './guest';

const registry = {
  statuses: jest.fn(
    async (tenants: string[]) =>
      new Map(tenants.map(tenant => [tenant, 'active' as const])),
  ),
};

function guestProvider(
  providerConfig: object,
  groups: string[] = ['akili-acme-developer'],
) {
  // An unsigned JWT of the claims: the provider reads its expiry to answer.
  const issueToken = jest.fn(async (params: any) => ({
    token: [
      '{"alg":"none"}',
      JSON.stringify({ ...params.claims, exp: 4102444800 }),
    ]
      .map(part => Buffer.from(part).toString('base64url'))
      .concat('')
      .join('.'),
  }));
  const provider = createAkiliGuestProviderFactory({
    guest: {
      userEntityRef: 'user:default/guest',
      username: 'guest',
      displayName: 'Guest',
      groups,
    },
    config: {
      groupPattern: 'akili-{tenant}-{role}',
      platformAdminGroup: 'akili-platform-admins',
    },
    registry,
    logger: mockServices.logger.mock(),
  })({
    providerId: 'guest',
    config: new ConfigReader(providerConfig),
    resolverContext: { issueToken } as unknown as AuthResolverContext,
  } as any);
  const refresh = async () => {
    const res = { status: jest.fn(() => res), json: jest.fn() } as any;
    await provider.refresh!({} as any, res);
    return res.json.mock.calls[0][0];
  };
  return { refresh, issueToken };
}

describe('the Akili guest provider', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('refuses outside development unless dangerouslyAllowOutsideDevelopment is set', async () => {
    process.env.NODE_ENV = 'production';
    for (const config of [{}, { dangerouslyAllowOutsideDevelopment: false }]) {
      const { refresh, issueToken } = guestProvider(config);
      await expect(refresh()).rejects.toThrow(NotAllowedError);
      await expect(refresh()).rejects.toThrow(
        "The guest provider cannot be used outside of a development environment unless 'auth.providers.guest.dangerouslyAllowOutsideDevelopment' is enabled",
      );
      expect(issueToken).not.toHaveBeenCalled();
    }
    const allowed = guestProvider({ dangerouslyAllowOutsideDevelopment: true });
    await expect(allowed.refresh()).resolves.toMatchObject({
      backstageIdentity: {
        identity: { userEntityRef: 'user:default/guest' },
      },
    });
  });

  it('signs in during development with the configured groups mapped to tenant roles', async () => {
    process.env.NODE_ENV = 'development';
    const { refresh, issueToken } = guestProvider({});
    const response = await refresh();
    expect(response.profile).toEqual({ displayName: 'Guest' });
    expect(issueToken).toHaveBeenCalledWith({
      claims: {
        sub: 'user:default/guest',
        ent: ['user:default/guest', 'group:akili/acme.developer'],
        name: 'Guest',
      },
    });
  });

  it('refuses a guest without an Akili group', async () => {
    process.env.NODE_ENV = 'development';
    const { refresh } = guestProvider({}, []);
    await expect(refresh()).rejects.toThrow(
      "Sign-in refused: user 'guest' is not a member of any Akili tenant",
    );
  });
});
