import { ConfigReader } from '@backstage/config';
import { isSameSource, SourceTenancy } from './sources';

describe('SourceTenancy', () => {
  const tenancy = SourceTenancy.fromConfig(
    new ConfigReader({
      integrations: {
        gitlab: [
          { host: 'gitlab.example.com', token: 't' },
          {
            host: 'git.corp.example',
            baseUrl: 'https://git.corp.example/gitlab',
            apiBaseUrl: 'https://git.corp.example/gitlab/api/v4',
            token: 't',
          },
        ],
      },
      akili: { tenancy: { gitlab: { rootGroup: 'data-products' } } },
    }),
  );
  const scope = (url: string) => tenancy.scopeOf({ type: 'url', target: url });
  const acme = { kind: 'tenant', host: 'gitlab.example.com', tenant: 'acme' };

  it.each([
    'https://gitlab.example.com/data-products/acme/orders/-/blob/main/catalog-info.yaml',
    'https://gitlab.example.com/data-products/acme/sub/orders/-/blob/main/a/b.yaml',
    'https://gitlab.example.com/data-products/acme/orders/blob/main/x.txt',
    'https://gitlab.example.com/data-products/acme/orders/-/tree/main/docs',
    'https://GITLAB.example.com/Data-Products/ACME/orders/-/blob/main/x.txt',
    // Dot segments are resolved the same way by the URL reader.
    'https://gitlab.example.com/data-products/globex/../acme/orders/-/blob/main/x.txt',
  ])('puts %s in tenant acme', url => {
    expect(scope(url)).toEqual(acme);
  });

  it('tells tenants with a common prefix apart', () => {
    expect(
      scope(
        'https://gitlab.example.com/data-products/acme-evil/x/-/blob/main/f',
      ),
    ).toEqual({ ...acme, tenant: 'acme-evil' });
  });

  it('honours a GitLab under a relative path', () => {
    expect(
      scope(
        'https://git.corp.example/gitlab/data-products/acme/orders/-/blob/main/f',
      ),
    ).toEqual({ kind: 'tenant', host: 'git.corp.example', tenant: 'acme' });
    expect(
      scope('https://git.corp.example/data-products/acme/orders/-/blob/main/f'),
    ).toEqual({ kind: 'unknown' });
  });

  it('calls projects outside the root group platform', () => {
    expect(
      scope('https://gitlab.example.com/platform/catalog/-/blob/main/all.yaml'),
    ).toEqual({ kind: 'platform', host: 'gitlab.example.com' });
  });

  it.each([
    // another host, no integration
    'https://github.com/data-products/acme/orders/blob/main/x.txt',
    // the API, a project id: no tenant to tell
    'https://gitlab.example.com/api/v4/projects/12/repository/files/x/raw?ref=main',
    'https://gitlab.example.com/api/v4/projects/12/-/blob/main/x',
    // encoded separators
    'https://gitlab.example.com/data-products%2Facme/orders/-/blob/main/x.txt',
    'https://gitlab.example.com/data-products/acme%2F..%2Fglobex/orders/-/blob/main/x',
    // a project directly in the root group, or the tenant group itself
    'https://gitlab.example.com/data-products/acme/-/blob/main/x.txt',
    // not a tenant name
    'https://gitlab.example.com/data-products/ACME_X/orders/-/blob/main/x.txt',
    // credentials in the URL, other schemes, no file
    'https://user:pw@gitlab.example.com/data-products/acme/orders/-/blob/main/x',
    'ftp://gitlab.example.com/data-products/acme/orders/-/blob/main/x',
    'https://gitlab.example.com/data-products/acme/orders',
    'not a url',
  ])('knows no tenant of %s', url => {
    expect(scope(url)).toEqual({ kind: 'unknown' });
  });

  it('knows no tenant without a root group', () => {
    const none = SourceTenancy.fromConfig(
      new ConfigReader({
        integrations: { gitlab: [{ host: 'gitlab.example.com' }] },
      }),
    );
    expect(
      none.scopeOf({
        type: 'url',
        target:
          'https://gitlab.example.com/data-products/acme/orders/-/blob/main/x',
      }),
    ).toEqual({ kind: 'unknown' });
  });

  it('puts a product of the control plane’s registry in the tenant of its registry row', () => {
    const withBackend = SourceTenancy.fromConfig(
      new ConfigReader({
        backend: { baseUrl: 'http://localhost:7007' },
        integrations: { gitlab: [{ host: 'gitlab.example.com', token: 't' }] },
        akili: { tenancy: { gitlab: { rootGroup: 'data-products' } } },
      }),
    );
    const of = (url: string) =>
      withBackend.scopeOf({ type: 'url', target: url });
    expect(
      of('http://localhost:7007/api/akili/v1/tenants/acme/products/orders'),
    ).toEqual({ kind: 'tenant', host: 'localhost:7007', tenant: 'acme' });
    for (const url of [
      // Another host, another route, a query, a path that is not a product.
      'http://evil.example:7007/api/akili/v1/tenants/acme/products/orders',
      'http://localhost:7007/api/akili/v1/tenants/acme/products',
      'http://localhost:7007/api/akili/v1/tenants/acme/products/orders?x=1',
      'http://localhost:7007/api/akili/v1/tenants/acme/products/orders/versions',
      'http://localhost:7007/api/akili/v1/tenants/ACME/products/orders',
    ]) {
      expect(of(url)).toEqual({ kind: 'unknown' });
    }
    // Without the backend's base URL, nothing is the registry.
    expect(
      scope('http://localhost:7007/api/akili/v1/tenants/acme/products/orders'),
    ).toEqual({ kind: 'unknown' });
  });

  it('compares sources', () => {
    expect(isSameSource(acme as any, { ...acme } as any)).toBe(true);
    expect(
      isSameSource(acme as any, { ...acme, tenant: 'globex' } as any),
    ).toBe(false);
    expect(isSameSource({ kind: 'unknown' }, { kind: 'unknown' })).toBe(false);
    expect(isSameSource({ kind: 'local' }, { kind: 'local' })).toBe(false);
  });
});
