import {
  clickstreamEntity,
  ordersDailyEntity,
  ordersEntity,
} from '../__testUtils__/fixtures';
import {
  filterDataProducts,
  filterOptions,
  filtersFromSearchParams,
  filtersToSearchParams,
  formatOwner,
  hasActiveFilters,
  matchesSearch,
  summarizeDataProduct,
} from './marketplace';

const products = [ordersEntity, ordersDailyEntity, clickstreamEntity].map(
  summarizeDataProduct,
);
const names = (list: { name: string }[]) => list.map(p => p.name);

describe('summarizeDataProduct', () => {
  it('keeps what a card shows', () => {
    expect(summarizeDataProduct(ordersEntity)).toEqual({
      ref: 'dataproduct:acme/orders',
      name: 'orders',
      namespace: 'acme',
      title: 'Shop orders',
      description: 'Every order of the web shop, cleaned and deduplicated.',
      tags: ['orders', 'revenue'],
      type: 'source-aligned',
      lifecycle: 'production',
      domain: 'sales',
      owner: 'group:acme/sales-analytics',
      outputPortCount: 1,
      columnNames: ['order_id', 'customer_email', 'total_amount'],
      hasPii: true,
    });
  });

  it('uses the name when there is no title', () => {
    const summary = summarizeDataProduct({
      ...clickstreamEntity,
      metadata: { ...clickstreamEntity.metadata, title: undefined },
    });
    expect(summary.title).toBe('clickstream');
  });
});

describe('matchesSearch', () => {
  it('finds words in names, descriptions, tags and columns', () => {
    const orders = products[0];
    expect(matchesSearch(orders, 'deduplicated')).toBe(true);
    expect(matchesSearch(orders, 'REVENUE')).toBe(true);
    expect(matchesSearch(orders, 'customer_email')).toBe(true);
    expect(matchesSearch(orders, 'shop orders')).toBe(true);
    expect(matchesSearch(orders, 'orders clickstream')).toBe(false);
    expect(matchesSearch(orders, '  ')).toBe(true);
  });
});

describe('filterDataProducts', () => {
  it('returns everything sorted by title without filters', () => {
    expect(names(filterDataProducts(products, {}))).toEqual([
      'orders-daily',
      'orders',
      'clickstream',
    ]);
  });

  it('narrows by each filter', () => {
    expect(names(filterDataProducts(products, { tenant: 'globex' }))).toEqual([
      'clickstream',
    ]);
    expect(names(filterDataProducts(products, { domain: 'sales' }))).toEqual([
      'orders-daily',
      'orders',
    ]);
    expect(names(filterDataProducts(products, { type: 'aggregate' }))).toEqual([
      'orders-daily',
    ]);
    expect(
      names(
        filterDataProducts(products, { owner: 'group:globex/web' }),
      ),
    ).toEqual(['clickstream']);
    expect(names(filterDataProducts(products, { tag: 'kpi' }))).toEqual([
      'orders-daily',
    ]);
  });

  it('combines filters and search', () => {
    expect(
      names(filterDataProducts(products, { tenant: 'acme', q: 'revenue' })),
    ).toEqual(['orders-daily', 'orders']);
    expect(
      names(filterDataProducts(products, { tenant: 'globex', q: 'revenue' })),
    ).toEqual([]);
  });
});

describe('filter options and the query string', () => {
  it('collects distinct sorted values', () => {
    expect(filterOptions(products)).toEqual({
      tenant: ['acme', 'globex'],
      domain: ['marketing', 'sales'],
      type: ['aggregate', 'source-aligned'],
      owner: ['group:acme/sales-analytics', 'group:globex/web'],
      tag: ['kpi', 'orders', 'revenue', 'streaming', 'web'],
    });
  });

  it('round-trips filters through the query string, dropping empty ones', () => {
    const params = filtersToSearchParams({
      q: 'orders',
      tenant: 'acme',
      tag: '',
    });
    expect(params.toString()).toBe('q=orders&tenant=acme');
    expect(filtersFromSearchParams(params)).toEqual({
      q: 'orders',
      tenant: 'acme',
    });
    expect(
      filtersFromSearchParams(new URLSearchParams('owner=x&other=y')),
    ).toEqual({ owner: 'x' });
  });

  it('knows when filters are active', () => {
    expect(hasActiveFilters({})).toBe(false);
    expect(hasActiveFilters({ q: '' })).toBe(false);
    expect(hasActiveFilters({ type: 'aggregate' })).toBe(true);
  });

  it('shortens group owners', () => {
    expect(formatOwner('group:default/acme-sales')).toBe('acme-sales');
    expect(formatOwner('group:acme/sales')).toBe('acme/sales');
    expect(formatOwner('user:default/lena')).toBe('user:default/lena');
    expect(formatOwner(undefined)).toBe('unknown');
  });
});
