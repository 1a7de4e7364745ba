import { mockServices } from '@backstage/backend-test-utils';
import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import { AuthResolverContext } from '@backstage/plugin-auth-node';
import { createAkiliSignInResolver } from './resolver';

const config = {
  groupPattern: 'akili-{tenant}-{role}',
  platformAdminGroup: 'akili-platform-admins',
  suspendedTenants: [],
};

function setup() {
  const logger = mockServices.logger.mock();
  const issueToken = jest.fn(async (params: any) => ({
    token: `token-for-${params.claims.sub}`,
  }));
  const ctx = { issueToken } as unknown as AuthResolverContext;
  const resolver = createAkiliSignInResolver(config, logger);
  const signIn = (userinfo: Record<string, unknown>, email?: string) =>
    resolver(
      {
        profile: { email },
        result: {
          fullProfile: { userinfo: { sub: 'x', ...userinfo }, tokenset: {} },
          session: {} as any,
        } as any,
      },
      ctx,
    );
  return { logger, issueToken, signIn };
}

describe('createAkiliSignInResolver', () => {
  it('issues a token with the Akili ownership refs', async () => {
    const { signIn, issueToken } = setup();
    await expect(
      signIn({
        preferred_username: 'Jane.Doe',
        email: 'other@example.com',
        email_verified: false,
        groups: ['akili-acme-developer'],
      }),
    ).resolves.toEqual({ token: 'token-for-user:default/jane.doe' });
    expect(issueToken).toHaveBeenCalledWith({
      claims: {
        sub: 'user:default/jane.doe',
        ent: ['user:default/jane.doe', 'group:akili/acme.developer'],
      },
    });
  });

  it('logs ignored groups', async () => {
    const { signIn, logger } = setup();
    await signIn({
      preferred_username: 'jane',
      groups: ['akili-acme-developer', 'akili-ACME-operator'],
    });
    expect(logger.warn).toHaveBeenCalledWith('Ignored Akili group at sign-in', {
      user: 'jane',
      group: 'akili-ACME-operator',
      reason: 'malformed-tenant',
    });
  });

  it('refuses without a usable preferred_username, even with an email', async () => {
    const { signIn, issueToken } = setup();
    for (const preferred_username of [undefined, '', '@@']) {
      await expect(
        signIn(
          { preferred_username, groups: ['akili-acme-developer'] },
          'jane@example.com',
        ),
      ).rejects.toThrow(AuthenticationError);
    }
    expect(issueToken).not.toHaveBeenCalled();
  });

  it('refuses without groups claim or Akili group', async () => {
    const { signIn, issueToken } = setup();
    await expect(signIn({ preferred_username: 'jane' })).rejects.toThrow(
      AuthenticationError,
    );
    await expect(
      signIn({ preferred_username: 'jane', groups: ['staff'] }),
    ).rejects.toThrow(
      new NotAllowedError(
        "Sign-in refused: user 'jane' is not a member of any Akili tenant",
      ),
    );
    expect(issueToken).not.toHaveBeenCalled();
  });
});
