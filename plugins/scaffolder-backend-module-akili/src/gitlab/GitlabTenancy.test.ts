import { ConfigReader } from '@backstage/config';
import { GitlabTenancy, gitlabPathSegments } from './GitlabTenancy';

describe('GitlabTenancy', () => {
  const tenancy = new GitlabTenancy({
    rootGroup: 'data-products',
    sharedGroups: ['platform/templates'],
  });

  it('accepts only well-formed GitLab paths', () => {
    expect(gitlabPathSegments('data-products/acme/x.y_z')).toEqual([
      'data-products',
      'acme',
      'x.y_z',
    ]);
    for (const bad of [
      '',
      '/data-products/acme',
      'data-products/acme/',
      'data-products//acme',
      'data-products/acme/../globex',
      'data-products/acme/..',
      'data-products/./acme',
      'data-products/acme%2F..%2Fglobex',
      'data-products/ac me',
      'data-products/-acme',
    ]) {
      expect(gitlabPathSegments(bad)).toBeUndefined();
    }
  });

  it('reads the tenant of a path from the first group below the root', () => {
    expect(tenancy.tenantOf('data-products/acme')).toBe('acme');
    expect(tenancy.tenantOf('Data-Products/ACME/orders')).toBe('acme');
    expect(tenancy.tenantOf('data-products/acme/../globex/x')).toBeUndefined();
    expect(tenancy.tenantOf('data-products')).toBeUndefined();
    expect(tenancy.tenantOf('data-products-evil/acme')).toBeUndefined();
    expect(tenancy.tenantOf('platform/templates')).toBeUndefined();
    expect(new GitlabTenancy({}).tenantOf('data-products/acme')).toBe(
      undefined,
    );
  });

  it('knows the shared groups', () => {
    expect(tenancy.isShared('platform/templates/sql')).toBe(true);
    expect(tenancy.isShared('Platform/Templates')).toBe(true);
    expect(tenancy.isShared('platform/templates-evil/x')).toBe(false);
    expect(tenancy.isShared('platform')).toBe(false);
    expect(tenancy.isShared('data-products/acme/x')).toBe(false);
  });

  it('refuses shared groups that hold tenants, and malformed paths', () => {
    for (const shared of [
      'data-products/acme',
      'data-products/acme/templates',
      'data-products',
      'DATA-PRODUCTS',
      '',
      'platform/../data-products',
    ]) {
      expect(
        () =>
          new GitlabTenancy({
            rootGroup: 'data-products',
            sharedGroups: [shared],
          }),
      ).toThrow(/sharedGroups/);
    }
    expect(() => new GitlabTenancy({ rootGroup: 'a/../b' })).toThrow(
      /rootGroup/,
    );
  });

  it('reads akili.tenancy.gitlab', () => {
    const fromConfig = GitlabTenancy.fromConfig(
      new ConfigReader({
        akili: {
          tenancy: {
            gitlab: {
              rootGroup: '/data-products/',
              sharedGroups: ['platform'],
            },
          },
        },
      }),
    );
    expect(fromConfig.rootGroup).toBe('data-products');
    expect(fromConfig.sharedGroups).toEqual(['platform']);
    expect(GitlabTenancy.fromConfig(new ConfigReader({})).rootGroup).toBe(
      undefined,
    );
  });
});
