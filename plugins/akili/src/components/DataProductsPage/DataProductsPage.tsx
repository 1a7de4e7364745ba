import { useCallback, useMemo } from 'react';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import {
  catalogApiRef,
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { DATA_PRODUCT_KIND } from '@akili/plugin-akili-common';
import { useQualityScores } from '@akili/plugin-akili-react';
import { Box, Button, Grid, Typography, makeStyles } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useSearchParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  MARKETPLACE_FIELDS,
  MarketplaceFilters,
  filterDataProducts,
  filterOptions,
  filtersFromSearchParams,
  filtersToSearchParams,
  hasActiveFilters,
  summarizeDataProduct,
} from '../../lib/marketplace';
import { DataProductCard } from './DataProductCard';
import { DataProductFilters } from './DataProductFilters';
import {
  ProductQuality,
  QUALITY_FILTER_KEY,
  QualityFilter,
  matchesQualityFilter,
  parseQualityFilter,
} from './QualityFilter';

const useStyles = makeStyles(theme => ({
  root: {
    padding: theme.spacing(3),
  },
  intro: {
    marginBottom: theme.spacing(2),
  },
  count: {
    marginBottom: theme.spacing(1),
  },
}));

/**
 * The data product marketplace: every DataProduct the user may see, searchable and
 * filterable by tenant, domain, type, owner, tag and quality status. Filters live in the query
 * string. Quality comes from the quality backend, one call per tenant shown; when it fails the
 * page still lists the products and says quality is unavailable.
 */
export const DataProductsPage = () => {
  const classes = useStyles();
  const catalogApi = useApi(catalogApiRef);
  const entityRoute = useRouteRef(entityRouteRef);
  const [searchParams, setSearchParams] = useSearchParams();

  const { value, loading, error, retry } = useAsyncRetry(async () => {
    const response = await catalogApi.getEntities({
      filter: { kind: DATA_PRODUCT_KIND },
      fields: MARKETPLACE_FIELDS,
    });
    return response.items.map(summarizeDataProduct);
  }, [catalogApi]);

  const filters = useMemo(
    () => filtersFromSearchParams(searchParams),
    [searchParams],
  );
  const qualityFilter = parseQualityFilter(
    searchParams.get(QUALITY_FILTER_KEY),
  );
  const setAllFilters = useCallback(
    (next: MarketplaceFilters, quality: string | undefined) => {
      const params = filtersToSearchParams(next);
      if (quality) {
        params.set(QUALITY_FILTER_KEY, quality);
      }
      // Typing in the search field replaces the URL; a filter chosen is one step of Back.
      setSearchParams(params, {
        replace: (next.q ?? '') !== (filters.q ?? ''),
      });
    },
    [setSearchParams, filters.q],
  );
  const setFilters = useCallback(
    (next: MarketplaceFilters) => setAllFilters(next, qualityFilter),
    [setAllFilters, qualityFilter],
  );

  const products = useMemo(() => value ?? [], [value]);
  const options = useMemo(() => filterOptions(products), [products]);
  const tenants = useMemo(() => options.tenant, [options]);
  const quality = useQualityScores(tenants);
  const failedTenants = useMemo(
    () => new Set(quality.failed.map(f => f.tenant)),
    [quality.failed],
  );
  const qualityOf = useCallback(
    (product: { ref: string; namespace: string }): ProductQuality => {
      if (failedTenants.has(product.namespace)) return 'unavailable';
      if (quality.loading) return undefined;
      return (
        quality.scores.get(product.ref) ?? {
          product: product.ref,
          score: null,
          status: 'unknown',
          coverage: null,
          freshness: 'unknown',
          openIncidents: 0,
        }
      );
    },
    [quality, failedTenants],
  );
  const visible = useMemo(
    () =>
      filterDataProducts(products, filters).filter(
        p =>
          quality.loading || matchesQualityFilter(qualityOf(p), qualityFilter),
      ),
    [products, filters, quality.loading, qualityOf, qualityFilter],
  );
  const qualityUnavailable =
    tenants.length > 0 && failedTenants.size === tenants.length;

  let body: JSX.Element;
  if (loading) {
    body = <Progress />;
  } else if (error) {
    body = (
      <>
        <ResponseErrorPanel
          error={error}
          title="The data products could not be loaded"
        />
        <Button variant="outlined" onClick={retry}>
          Try again
        </Button>
      </>
    );
  } else if (products.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title="No data products yet"
        description="Data products appear here once their dataproduct.yaml manifest is registered in the catalog. Create one from the data product template, or submit a manifest through the Akili API or CLI."
      />
    );
  } else {
    body = (
      <>
        <DataProductFilters
          filters={filters}
          options={options}
          onChange={setFilters}
        >
          <QualityFilter
            value={qualityFilter}
            disabled={qualityUnavailable}
            onChange={status => setAllFilters(filters, status)}
          />
        </DataProductFilters>
        {quality.failed.length > 0 && (
          <Box mb={2}>
            <Alert severity="info">
              {qualityUnavailable
                ? 'Quality is unavailable right now: the products are listed without their quality status.'
                : `Quality is unavailable for ${quality.failed
                    .map(f => f.tenant)
                    .join(
                      ', ',
                    )}: those products are listed without their quality status.`}
            </Alert>
          </Box>
        )}
        <Typography
          variant="body2"
          color="textSecondary"
          className={classes.count}
          role="status"
        >
          {visible.length === products.length
            ? `${products.length} data product${
                products.length === 1 ? '' : 's'
              }`
            : `${visible.length} of ${products.length} data products`}
        </Typography>
        {visible.length === 0 ? (
          <EmptyState
            missing="data"
            title="No data products match"
            description="Try other words, or clear the filters to see every data product."
            action={
              hasActiveFilters(filters) || qualityFilter ? (
                <Button
                  variant="outlined"
                  onClick={() => setAllFilters({}, undefined)}
                >
                  Clear filters
                </Button>
              ) : undefined
            }
          />
        ) : (
          <Grid container spacing={2} component="section">
            {visible.map(product => (
              <Grid item xs={12} md={6} lg={4} key={product.ref}>
                <DataProductCard
                  product={product}
                  showQuality
                  quality={qualityOf(product)}
                  href={
                    entityRoute
                      ? entityRoute(entityRouteParams(product.ref))
                      : undefined
                  }
                />
              </Grid>
            ))}
          </Grid>
        )}
      </>
    );
  }

  return (
    <div className={classes.root}>
      <Typography variant="body1" className={classes.intro}>
        Discover the data products of your tenants: what they hold, who owns
        them and where to read them.
      </Typography>
      {body}
    </div>
  );
};
