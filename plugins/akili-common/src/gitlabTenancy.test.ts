import { gitlabGroupOfTenant, tenantOfGitlabPath } from './gitlabTenancy';

describe('GitLab tenancy', () => {
  it('names the tenant group below the root', () => {
    expect(gitlabGroupOfTenant('data-products/', 'acme')).toBe(
      'data-products/acme',
    );
  });

  it('reads the tenant of a project from the first group below the root', () => {
    expect(
      tenantOfGitlabPath('data-products', 'data-products/acme/orders'),
    ).toBe('acme');
    expect(tenantOfGitlabPath('data-products', 'Data-Products/ACME/x/y')).toBe(
      'acme',
    );
    expect(tenantOfGitlabPath('data-products', 'data-products/acme')).toBe(
      'acme',
    );
  });

  it('gives no tenant outside the root, directly in it, or for bad names', () => {
    expect(tenantOfGitlabPath('data-products', 'other/acme/orders')).toBe(
      undefined,
    );
    expect(
      tenantOfGitlabPath('data-products', 'data-products-evil/acme/orders'),
    ).toBe(undefined);
    expect(tenantOfGitlabPath('data-products', 'data-products')).toBe(
      undefined,
    );
    expect(tenantOfGitlabPath('data-products', 'data-products/a_b/x')).toBe(
      undefined,
    );
    expect(tenantOfGitlabPath('', 'acme/orders')).toBe(undefined);
  });

  it('gives no tenant below the shared or the role groups namespace', () => {
    for (const reserved of ['default', 'akili', 'Default']) {
      expect(
        tenantOfGitlabPath('data-products', `data-products/${reserved}/orders`),
      ).toBe(undefined);
    }
  });
});
