import { mockServices } from '@backstage/backend-test-utils';
import {
  AuthenticationError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { AuthResolverContext } from '@backstage/plugin-auth-node';
import { createAkiliSignInResolver } from './resolver';

const config = {
  groupPattern: 'akili-{tenant}-{role}',
  platformAdminGroup: 'akili-platform-admins',
};

/** The registry knows acme (active) and globex (suspended). */
const registry = {
  statuses: jest.fn(async (tenants: string[]) => {
    const known = new Map([
      ['acme', 'active' as const],
      ['globex', 'suspended' as const],
    ]);
    return new Map(
      tenants.flatMap(t => (known.has(t) ? [[t, known.get(t)!] as const] : [])),
    );
  }),
};

function setup() {
  const logger = mockServices.logger.mock();
  const issueToken = jest.fn(async (params: any) => ({
    token: `token-for-${params.claims.sub}`,
  }));
  const ctx = { issueToken } as unknown as AuthResolverContext;
  const resolver = createAkiliSignInResolver(config, registry, logger);
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

  it('asks the registry about the tenants the groups name and drops inactive ones', async () => {
    const { signIn, issueToken, logger } = setup();
    await signIn({
      preferred_username: 'jane',
      groups: ['akili-acme-developer', 'akili-globex-operator'],
    });
    expect(registry.statuses).toHaveBeenLastCalledWith(['acme', 'globex']);
    expect(issueToken.mock.calls[0][0].claims.ent).toEqual([
      'user:default/jane',
      'group:akili/acme.developer',
    ]);
    expect(logger.warn).toHaveBeenCalledWith('Ignored Akili group at sign-in', {
      user: 'jane',
      group: 'akili-globex-operator',
      reason: 'suspended-tenant',
    });
  });

  it('refuses when the registry cannot be asked', async () => {
    const { signIn, issueToken } = setup();
    registry.statuses.mockRejectedValueOnce(
      new ServiceUnavailableError(
        'Sign-in refused: the Akili tenant registry could not be asked',
      ),
    );
    await expect(
      signIn({ preferred_username: 'jane', groups: ['akili-acme-developer'] }),
    ).rejects.toThrow(ServiceUnavailableError);
    expect(issueToken).not.toHaveBeenCalled();
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
