import { parseAkiliAccess } from '@akili/plugin-akili-common';
import { CatalogReadGuard } from './readGuard';
import { CatalogRequestContext, Requester } from './requestContext';
import { SourceTenancy } from './sources';

const tenancy = new SourceTenancy({
  rootGroup: 'data-products',
  gitlabHosts: [{ host: 'gitlab.example.com', relativePath: '' }],
});
const url = (path: string) => ({
  type: 'url',
  target: `https://gitlab.example.com/${path}/-/blob/main/f.yaml`,
});
const ACME = url('data-products/acme/orders');
const ACME_OTHER = url('data-products/acme/billing');
const GLOBEX = url('data-products/globex/fleet');
const PLATFORM = url('platform/catalog');
const PLATFORM_OTHER = url('platform/templates');
const LOCAL = { type: 'file', target: '/srv/examples/all.yaml' };
const LOCAL_OTHER = { type: 'file', target: '/srv/examples/org.yaml' };

/** A guard whose request context answers the given requester (or none: processing). */
function guardFor(requester?: Requester) {
  const context = {
    current: () => (requester ? Promise.resolve(requester) : undefined),
  } as unknown as CatalogRequestContext;
  return new CatalogReadGuard(tenancy, context);
}
const user = (...refs: string[]): Requester => ({
  type: 'user',
  userEntityRef: 'user:default/u',
  access: parseAkiliAccess(refs),
});

describe('CatalogReadGuard', () => {
  describe('in processing', () => {
    const guard = guardFor();
    it.each([
      ['acme to acme', ACME_OTHER, ACME, undefined],
      ['an entity re-reading its own file', GLOBEX, GLOBEX, undefined],
      ['platform to platform', PLATFORM_OTHER, PLATFORM, undefined],
      ['acme to globex', GLOBEX, ACME, 'outside-source'],
      ['acme to platform', PLATFORM, ACME, 'outside-source'],
      ['platform to acme', ACME, PLATFORM, 'outside-source'],
      ['acme to a local file', LOCAL, ACME, 'outside-source'],
    ])('%s', async (_, target, base, expected) => {
      expect(await guard.check(target, base, { allowLocal: true })).toBe(
        expected,
      );
    });

    it('reads local files from local files only where allowed (Locations)', async () => {
      expect(
        await guard.check(LOCAL_OTHER, LOCAL, { allowLocal: true }),
      ).toBeUndefined();
      expect(await guard.check(LOCAL_OTHER, LOCAL, { allowLocal: false })).toBe(
        'outside-source',
      );
    });
  });

  describe('in a request', () => {
    it('reads for a developer or operator within their tenant only', async () => {
      for (const role of ['developer', 'operator']) {
        const guard = guardFor(user(`group:akili/acme.${role}`));
        expect(
          await guard.check(ACME_OTHER, ACME, { allowLocal: true }),
        ).toBeUndefined();
        expect(await guard.check(GLOBEX, GLOBEX, { allowLocal: true })).toBe(
          'outside-user-tenants',
        );
        expect(await guard.check(GLOBEX, ACME, { allowLocal: true })).toBe(
          'outside-user-tenants',
        );
        // A base the user chose in another tenant does not help either.
        expect(await guard.check(ACME, GLOBEX, { allowLocal: true })).toBe(
          'outside-source',
        );
        expect(await guard.check(LOCAL, LOCAL, { allowLocal: true })).toBe(
          'outside-user-tenants',
        );
        expect(
          await guard.check(PLATFORM, PLATFORM, { allowLocal: true }),
        ).toBe('outside-user-tenants');
      }
    });

    it('reads nothing for a consumer, a user without tenant or a non-user', async () => {
      for (const requester of [
        user('group:akili/acme.consumer'),
        user(),
        { type: 'other' } as const,
      ]) {
        const guard = guardFor(requester);
        expect(
          await guard.check(ACME_OTHER, ACME, { allowLocal: true }),
        ).toBeDefined();
      }
    });

    it('holds platform admins to the processing rule', async () => {
      const guard = guardFor(user('group:akili/platform-admin'));
      expect(
        await guard.check(GLOBEX, GLOBEX, { allowLocal: true }),
      ).toBeUndefined();
      expect(await guard.check(GLOBEX, ACME, { allowLocal: true })).toBe(
        'outside-source',
      );
    });
  });
});
