import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { TenantScopedDatabase } from '@akili/plugin-akili-node';
import { requireTestDatabaseIds } from '@akili/plugin-akili-node/testUtils';
import { Request } from 'express';
import { displayNameFromRequest } from './displayName';
import { MemberTracker } from './MemberTracker';
import { TenantStore } from './TenantStore';

jest.setTimeout(60_000);

/** A request carrying a (here unsigned) Backstage user token with these claims. */
const withToken = (claims: object) =>
  ({
    headers: {
      authorization: `Bearer ${[{ alg: 'ES256' }, claims]
        .map(part => Buffer.from(JSON.stringify(part)).toString('base64url'))
        .concat('signature')
        .join('.')}`,
    },
  } as unknown as Request);

describe('displayNameFromRequest', () => {
  it('reads the name claim of the bearer token, cleaned and bounded', () => {
    const sub = 'user:default/u-0123456789abcdef0123456789abcdef01234567';
    expect(displayNameFromRequest(withToken({ sub, name: ' Jane Doe ' }))).toBe(
      'Jane Doe',
    );
    expect(
      displayNameFromRequest(withToken({ sub, name: 'x'.repeat(300) })),
    ).toHaveLength(200);
    expect(displayNameFromRequest(withToken({ sub }))).toBeUndefined();
    expect(displayNameFromRequest(withToken({ sub, name: 7 }))).toBeUndefined();
    for (const authorization of [
      undefined,
      'Bearer',
      'Bearer not-a-jwt',
      'Basic abc.def.ghi',
      'Bearer a.%%%.c',
    ]) {
      expect(
        displayNameFromRequest({ headers: { authorization } } as Request),
      ).toBeUndefined();
    }
  });
});

describe.each(requireTestDatabaseIds())('members seen by name on %s', id => {
  const databases = TestDatabases.create({ ids: [id] });

  it('keeps the name people see next to the ref, and a nameless sighting keeps it', async () => {
    const knex = await databases.init(id);
    await knex.migrate.latest({
      directory: resolvePackagePath(
        '@akili/plugin-akili-backend',
        'migrations',
      ),
    });
    const store = TenantStore.fromDatabase(TenantScopedDatabase.create(knex));
    await store.create({ name: 'acme', title: 'ACME' }, { actor: 'system' });
    let now = 1_700_000_000_000;
    const tracker = new MemberTracker({
      store,
      logger: mockServices.logger.mock(),
      now: () => now,
    });
    const jane = {
      userEntityRef: 'user:default/u-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      tenants: { acme: ['operator' as const] },
    };
    await tracker.seen(jane, 'Jane Doe');
    now += 1;
    // A request without a bearer token (a cookie) has no name: the known one stays.
    await tracker.seen(jane, undefined);
    expect(await store.listMembers('acme')).toEqual([
      expect.objectContaining({
        userEntityRef: jane.userEntityRef,
        displayName: 'Jane Doe',
        roles: ['operator'],
      }),
    ]);
    // A renamed person: same ref, the new name at once.
    now += 1;
    await tracker.seen(jane, 'Jane Smith');
    expect((await store.listMembers('acme'))[0].displayName).toBe('Jane Smith');
  });
});
