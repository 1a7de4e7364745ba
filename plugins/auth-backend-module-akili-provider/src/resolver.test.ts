import { mockServices } from '@backstage/backend-test-utils';
import {
  AuthenticationError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { AuthResolverContext } from '@backstage/plugin-auth-node';
import { createAkiliSignInResolver } from './resolver';
import { userEntityRefFromSubject } from './subject';

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
          fullProfile: {
            userinfo: { sub: 'sub-of-jane', ...userinfo },
            tokenset: {},
          },
          session: {} as any,
        } as any,
      },
      ctx,
    );
  return { logger, issueToken, signIn };
}

const JANE = userEntityRefFromSubject('sub-of-jane')!;

describe('createAkiliSignInResolver', () => {
  it('issues a token for the subject with the Akili ownership refs and the display name', async () => {
    const { signIn, issueToken } = setup();
    await expect(
      signIn({
        preferred_username: 'Jane.Doe',
        name: 'Jane Doe',
        email: 'other@example.com',
        email_verified: false,
        groups: ['akili-acme-developer'],
      }),
    ).resolves.toEqual({ token: `token-for-${JANE}` });
    expect(issueToken).toHaveBeenCalledWith({
      claims: {
        sub: JANE,
        ent: [JANE, 'group:akili/acme.developer'],
        name: 'Jane Doe',
      },
    });
  });

  it('gives people whose usernames sanitize alike different refs and their own tenants', async () => {
    const { signIn, issueToken } = setup();
    // Under the former username-based naming all three were user:default/jane-doe.
    const people = [
      {
        sub: 's-1',
        preferred_username: 'Jane Doe',
        groups: ['akili-acme-operator'],
      },
      {
        sub: 's-2',
        preferred_username: 'jane-doe',
        groups: ['akili-acme-consumer'],
      },
      {
        sub: 's-3',
        preferred_username: 'JANE@DOE',
        groups: ['akili-platform-admins'],
      },
    ];
    for (const person of people) {
      await signIn(person);
    }
    const claims = issueToken.mock.calls.map(([params]) => params.claims);
    expect(new Set(claims.map(c => c.sub)).size).toBe(3);
    expect(claims.map(c => c.ent.slice(1))).toEqual([
      ['group:akili/acme.operator'],
      ['group:akili/acme.consumer'],
      ['group:akili/platform-admin'],
    ]);
    expect(claims.map(c => c.name)).toEqual([
      'Jane Doe',
      'jane-doe',
      'JANE@DOE',
    ]);
  });

  it('keeps the ref of a person whose username and name change', async () => {
    const { signIn, issueToken } = setup();
    await signIn({
      preferred_username: 'jane',
      groups: ['akili-acme-developer'],
    });
    await signIn({
      preferred_username: 'jane.smith',
      name: 'Jane Smith',
      groups: ['akili-acme-developer'],
    });
    expect(issueToken.mock.calls.map(([p]) => p.claims.sub)).toEqual([
      JANE,
      JANE,
    ]);
  });

  it('asks the registry about the tenants the groups name and drops inactive ones', async () => {
    const { signIn, issueToken, logger } = setup();
    await signIn({
      preferred_username: 'jane',
      groups: ['akili-acme-developer', 'akili-globex-operator'],
    });
    expect(registry.statuses).toHaveBeenLastCalledWith(['acme', 'globex']);
    expect(issueToken.mock.calls[0][0].claims.ent).toEqual([
      JANE,
      'group:akili/acme.developer',
    ]);
    expect(logger.warn).toHaveBeenCalledWith('Ignored Akili group at sign-in', {
      user: JANE,
      username: 'jane',
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
      user: JANE,
      username: 'jane',
      group: 'akili-ACME-operator',
      reason: 'malformed-tenant',
    });
  });

  it('refuses without a usable subject, whatever the username or email', async () => {
    const { signIn, issueToken } = setup();
    for (const sub of [undefined, '', '  ', 42, 'x'.repeat(256)]) {
      await expect(
        signIn(
          { sub, preferred_username: 'jane', groups: ['akili-acme-developer'] },
          'jane@example.com',
        ),
      ).rejects.toThrow(
        new AuthenticationError(
          'Sign-in refused: the identity provider sent no usable subject (sub) claim',
        ),
      );
    }
    expect(issueToken).not.toHaveBeenCalled();
  });

  it('names a person without name or username by their ref', async () => {
    const { signIn, issueToken } = setup();
    await expect(signIn({ groups: ['staff'] })).rejects.toThrow(
      `Sign-in refused: user '${JANE}' is not a member of any Akili tenant`,
    );
    await signIn({ name: ' \u0007 ', groups: ['akili-acme-developer'] });
    expect(issueToken.mock.calls[0][0].claims.name).toBe(JANE);
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
