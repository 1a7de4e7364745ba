import { ConfigReader } from '@backstage/config';
import { TenantNamespaces } from './TenantNamespaces';
import { assertNoCatalogClusters } from './module';

describe('TenantNamespaces', () => {
  it('gives each tenant exactly its pattern namespace (default akili-{tenant})', () => {
    const namespaces = TenantNamespaces.fromConfig(new ConfigReader({}));
    expect(namespaces.namespacesOf('acme')).toEqual(['akili-acme']);
    expect(namespaces.namespacesOf('acme-evil')).toEqual(['akili-acme-evil']);
    // Tenant names may contain dashes: acme's namespace is not a prefix rule.
    expect(namespaces.isNamespaceOf('akili-acme-evil', 'acme')).toBe(false);
    expect(namespaces.isNamespaceOf('akili-acme', 'acme-evil')).toBe(false);
    expect(namespaces.namespacesOf('Not A Tenant')).toEqual([]);
    expect(namespaces.namespacesOf('default')).toEqual(['akili-default']);
  });

  it('reads a pattern and explicit bindings', () => {
    const namespaces = TenantNamespaces.fromConfig(
      new ConfigReader({
        akili: {
          tenancy: {
            kubernetes: {
              namespacePattern: '{tenant}-prod',
              namespaces: { globex: ['globex-prod', 'globex-stage'] },
            },
          },
        },
      }),
    );
    expect(namespaces.namespacesOf('acme')).toEqual(['acme-prod']);
    expect(namespaces.namespacesOf('globex')).toEqual([
      'globex-prod',
      'globex-stage',
    ]);
  });

  it.each([
    ['akili-*', /exactly once/],
    ['{tenant}-{tenant}', /exactly once/],
    ['Akili_{tenant}', /Kubernetes namespace names/],
  ])('refuses the pattern %s', (pattern, message) => {
    expect(() => new TenantNamespaces({ pattern })).toThrow(message);
  });

  it('refuses binding a namespace to two tenants, or another tenant’s pattern namespace', () => {
    expect(
      () =>
        new TenantNamespaces({
          namespaces: { acme: ['shared'], globex: ['shared'] },
        }),
    ).toThrow("Namespace 'shared' cannot be bound to tenant 'globex'");
    expect(
      () => new TenantNamespaces({ namespaces: { acme: ['akili-globex'] } }),
    ).toThrow("it is tenant 'globex's");
    expect(
      () => new TenantNamespaces({ namespaces: { acme: ['akili-acme'] } }),
    ).not.toThrow();
  });
});

describe('assertNoCatalogClusters', () => {
  it('refuses clusters read from the catalog, which tenants write', () => {
    const config = (type: string) =>
      new ConfigReader({
        kubernetes: { clusterLocatorMethods: [{ type: 'config' }, { type }] },
      });
    expect(() => assertNoCatalogClusters(config('catalog'))).toThrow(
      /must not use type 'catalog'/,
    );
    expect(() => assertNoCatalogClusters(config('gke'))).not.toThrow();
  });
});
