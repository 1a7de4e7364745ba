import {
  Entity,
  DEFAULT_NAMESPACE,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  allColumns,
  getDataProductSpec,
  getOwnerRef,
  hasPiiColumns,
} from './dataProduct';

/** The entity fields the marketplace needs; everything else stays on the server. */
export const MARKETPLACE_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.description',
  'metadata.tags',
  'spec.type',
  'spec.lifecycle',
  'spec.owner',
  'spec.domain',
  'spec.outputPorts',
  'relations',
];

/** One data product as a marketplace card shows it. */
export interface DataProductSummary {
  /** Full entity ref, `dataproduct:acme/orders`. */
  ref: string;
  name: string;
  /** The tenant. */
  namespace: string;
  title: string;
  description?: string;
  tags: string[];
  type?: string;
  lifecycle?: string;
  domain?: string;
  /** Full owner ref, `group:acme/sales`. */
  owner?: string;
  outputPortCount: number;
  columnNames: string[];
  hasPii: boolean;
}

/** The marketplace filters; each one is a single value, absent meaning "any". */
export interface MarketplaceFilters {
  /** Free text: every word must appear in a name, title, description, tag or column. */
  q?: string;
  tenant?: string;
  domain?: string;
  type?: string;
  owner?: string;
  tag?: string;
}

/** The query-string keys of the filters, so a filtered list is a link to share. */
export const FILTER_KEYS: Array<keyof MarketplaceFilters> = [
  'q',
  'tenant',
  'domain',
  'type',
  'owner',
  'tag',
];

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

/** Reduces a DataProduct entity to what the marketplace shows and searches. */
export function summarizeDataProduct(entity: Entity): DataProductSummary {
  const spec = getDataProductSpec(entity);
  const namespace = entity.metadata.namespace ?? DEFAULT_NAMESPACE;
  return {
    ref: stringifyEntityRef({
      kind: entity.kind,
      namespace,
      name: entity.metadata.name,
    }),
    name: entity.metadata.name,
    namespace,
    title: str(entity.metadata.title) ?? entity.metadata.name,
    description: str(entity.metadata.description),
    tags: Array.isArray(entity.metadata.tags) ? entity.metadata.tags : [],
    type: str(spec.type),
    lifecycle: str(spec.lifecycle),
    domain: str(spec.domain),
    owner: getOwnerRef(entity),
    outputPortCount: spec.outputPorts.length,
    columnNames: allColumns(spec)
      .map(c => c.name)
      .filter(Boolean),
    hasPii: hasPiiColumns(spec),
  };
}

/** Whether every whitespace-separated word of `query` occurs in a searchable field. */
export function matchesSearch(
  product: DataProductSummary,
  query: string | undefined,
): boolean {
  const words = (query ?? '').toLocaleLowerCase('en-US').split(/\s+/);
  const haystack = [
    product.name,
    product.title,
    product.description ?? '',
    ...product.tags,
    ...product.columnNames,
  ]
    .join('\n')
    .toLocaleLowerCase('en-US');
  return words.filter(Boolean).every(word => haystack.includes(word));
}

/** The products that pass all filters, sorted by title. */
export function filterDataProducts(
  products: DataProductSummary[],
  filters: MarketplaceFilters,
): DataProductSummary[] {
  return products
    .filter(
      p =>
        (!filters.tenant || p.namespace === filters.tenant) &&
        (!filters.domain || p.domain === filters.domain) &&
        (!filters.type || p.type === filters.type) &&
        (!filters.owner || p.owner === filters.owner) &&
        (!filters.tag || p.tags.includes(filters.tag)) &&
        matchesSearch(p, filters.q),
    )
    .sort((a, b) => a.title.localeCompare(b.title));
}

/** The values each filter can take, from the products at hand, sorted. */
export interface FilterOptions {
  tenant: string[];
  domain: string[];
  type: string[];
  owner: string[];
  tag: string[];
}

/** Collects the distinct values of each filter. */
export function filterOptions(products: DataProductSummary[]): FilterOptions {
  const distinct = (values: Array<string | undefined>) =>
    [...new Set(values.filter((v): v is string => !!v))].sort();
  return {
    tenant: distinct(products.map(p => p.namespace)),
    domain: distinct(products.map(p => p.domain)),
    type: distinct(products.map(p => p.type)),
    owner: distinct(products.map(p => p.owner)),
    tag: distinct(products.flatMap(p => p.tags)),
  };
}

/** Reads the filters from a query string. */
export function filtersFromSearchParams(
  params: URLSearchParams,
): MarketplaceFilters {
  const filters: MarketplaceFilters = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) {
      filters[key] = value;
    }
  }
  return filters;
}

/** Writes the filters to a query string, leaving out empty ones. */
export function filtersToSearchParams(
  filters: MarketplaceFilters,
): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value) {
      params.set(key, value);
    }
  }
  return params;
}

/** Whether any filter is set. */
export function hasActiveFilters(filters: MarketplaceFilters): boolean {
  return FILTER_KEYS.some(key => !!filters[key]);
}

/**
 * An owner ref as a short label: the kind `group` and the namespace `default` are implied,
 * so `group:default/sales` is `sales` and `group:acme/sales` is `acme/sales`.
 */
export function formatOwner(ref: string | undefined): string {
  if (!ref) {
    return 'unknown';
  }
  return ref.replace(/^group:/i, '').replace(/^default\//, '');
}
