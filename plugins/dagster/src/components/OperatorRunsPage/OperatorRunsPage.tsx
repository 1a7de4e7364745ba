import { useCallback, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { EmptyState, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { DATA_PRODUCT_KIND } from '@akili/plugin-akili-common';
import {
  chooseTenant,
  TenantPicker,
  useQueryParamState,
  useUserTenants,
} from '@akili/plugin-akili-react';
import {
  DependencyNotice,
  TenantGate,
} from '@akili/plugin-akili-react/components';
import {
  Box,
  FormControl,
  InputLabel,
  MenuItem,
  Select,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import useAsync from 'react-use/esm/useAsync';
import { dagsterRunsApiRef } from '../../api';
import { useRunList } from '../../hooks/useRunList';
import { isForbidden } from '../../lib/errors';
import {
  RUN_PAGE_SIZE,
  RunFilters,
  filtersToQuery,
  parseStatuses,
  parseTimeRange,
} from '../../lib/runs';
import { DagsterErrorPanel } from '../common/DagsterErrorPanel';
import { RunFiltersBar } from '../common/RunFiltersBar';
import { RunsTable } from '../common/RunsTable';
import { RunAuditCard } from './RunAuditCard';

const useStyles = makeStyles(theme => ({
  root: {
    padding: theme.spacing(3),
  },
  select: {
    minWidth: 200,
  },
  tenant: {
    minWidth: 200,
    marginBottom: theme.spacing(2),
  },
}));

/** The filters of the page as they are kept in the URL, so a filtered view can be shared. */
function filtersFromSearchParams(params: URLSearchParams): RunFilters {
  return {
    statuses: parseStatuses(params.get('status')),
    range: parseTimeRange(params.get('range')),
    product: params.get('product') || undefined,
    job: params.get('job') || undefined,
  };
}

function filtersToSearchParams(
  tenant: string | undefined,
  filters: RunFilters,
): URLSearchParams {
  const params = new URLSearchParams();
  const set = (name: string, value: string | undefined) => {
    if (value) {
      params.set(name, value);
    }
  };
  set('tenant', tenant);
  set('status', filters.statuses.join(','));
  set('range', filters.range === 'all' ? undefined : filters.range);
  set('product', filters.product);
  set('job', filters.job);
  return params;
}

/** The tenant's runs with filters; a 403 means the caller is no operator of the tenant. */
const TenantRuns = (props: {
  tenant: string;
  filters: RunFilters;
  onChange: (filters: RunFilters) => void;
}) => {
  const { tenant, filters, onChange } = props;
  const classes = useStyles();
  const api = useApi(dagsterRunsApiRef);
  const catalogApi = useApi(catalogApiRef);
  const [job, setJob] = useState(filters.job ?? '');
  useEffect(() => setJob(filters.job ?? ''), [filters.job]);

  // The filters as one value, so that an unchanged URL does not read the runs again.
  const key = JSON.stringify(filters);
  const loadPage = useCallback(
    (page: { cursor?: string; limit: number }) =>
      api.listTenantRuns(tenant, {
        ...filtersToQuery(JSON.parse(key) as RunFilters, Date.now()),
        ...page,
      }),
    [api, tenant, key],
  );
  // How many pages are shown ("Load more" clicked), so a reopened URL shows as many runs; a
  // filter change drops it (the filters are written anew).
  const [pages, setPages] = useQueryParamState('pages', '1', { replace: true });
  const runs = useRunList(loadPage, { pages: Number(pages) || 1 });
  const loadMore = useCallback(() => {
    setPages(String(Math.ceil(runs.items.length / RUN_PAGE_SIZE) + 1));
    runs.loadMore();
  }, [runs, setPages]);

  // The product filter offers the tenant's data products from the catalog.
  const products = useAsync(async () => {
    const response = await catalogApi.getEntities({
      filter: { kind: DATA_PRODUCT_KIND, 'metadata.namespace': tenant },
      fields: ['metadata.name', 'metadata.namespace', 'metadata.title'],
    });
    return response.items
      .map(e => ({
        ref: `dataproduct:${tenant}/${e.metadata.name}`,
        title: e.metadata.title ?? e.metadata.name,
      }))
      .sort((a, b) => a.title.localeCompare(b.title));
  }, [catalogApi, tenant]);
  const productOptions = [...(products.value ?? [])];
  // A product from a shared link may be gone from the catalog; keep it selectable.
  if (filters.product && !productOptions.some(p => p.ref === filters.product)) {
    productOptions.unshift({ ref: filters.product, title: filters.product });
  }

  const commitJob = () => {
    if ((filters.job ?? '') !== job.trim()) {
      onChange({ ...filters, job: job.trim() || undefined });
    }
  };

  let body: JSX.Element;
  if (runs.loading && runs.items.length === 0) {
    body = <Progress />;
  } else if (isForbidden(runs.error)) {
    body = (
      <Alert severity="info">
        Only operators of {tenant} and platform admins can see all runs of the
        tenant. The Runs tab of each data product shows its runs to every
        member.
      </Alert>
    );
  } else if (runs.error) {
    body = (
      <DagsterErrorPanel
        error={runs.error}
        what={`the runs of ${tenant}`}
        onRetry={runs.reload}
      />
    );
  } else if (runs.items.length === 0) {
    const filtered =
      filters.statuses.length > 0 ||
      filters.range !== 'all' ||
      !!filters.product ||
      !!filters.job;
    body = (
      <EmptyState
        missing="data"
        title={filtered ? 'No runs match these filters' : 'No runs yet'}
        description={
          filtered
            ? 'Try other filters or a longer time range.'
            : `No data product of ${tenant} has run in Dagster yet: launch one from the Runs tab of a data product, or wait for its schedule or sensor.`
        }
      />
    );
  } else {
    body = (
      <RunsTable
        label={`Runs of ${tenant}`}
        runs={runs.items}
        showProduct
        hasMore={!!runs.nextCursor}
        loadingMore={runs.loadingMore}
        laterError={runs.laterError}
        onLoadMore={loadMore}
      />
    );
  }

  return (
    <>
      <RunFiltersBar
        idPrefix="dagster-tenant-runs"
        filters={filters}
        onChange={onChange}
      >
        <FormControl className={classes.select}>
          <InputLabel id="dagster-tenant-runs-product-label" shrink>
            Product
          </InputLabel>
          <Select
            labelId="dagster-tenant-runs-product-label"
            id="dagster-tenant-runs-product"
            value={filters.product ?? ''}
            displayEmpty
            onChange={e =>
              onChange({
                ...filters,
                product: (e.target.value as string) || undefined,
              })
            }
          >
            <MenuItem value="">Any product</MenuItem>
            {productOptions.map(p => (
              <MenuItem key={p.ref} value={p.ref}>
                {p.title}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <TextField
          id="dagster-tenant-runs-job"
          className={classes.select}
          label="Job"
          placeholder="Any job"
          value={job}
          onChange={e => setJob(e.target.value)}
          onBlur={commitJob}
          onKeyDown={e => {
            if (e.key === 'Enter') {
              commitJob();
            }
          }}
          helperText="Press Enter to apply"
        />
      </RunFiltersBar>
      {body}
    </>
  );
};

/**
 * The operators' Runs page at `/runs`: all runs of one of the user's tenants, across its data
 * products. Tenant and filters live in the query string.
 */
export const OperatorRunsPage = () => {
  const classes = useStyles();
  const api = useApi(dagsterRunsApiRef);
  const [searchParams, setSearchParams] = useSearchParams();
  // Platform admins operate every tenant: their picker lists all, not only their memberships.
  const identity = useUserTenants(api);

  const search = searchParams.toString();
  const filters = useMemo(
    () => filtersFromSearchParams(new URLSearchParams(search)),
    [search],
  );
  const tenants = identity.tenants;
  const asked = searchParams.get('tenant');
  // Only the user's tenants: a link to another falls back to the first tenant the user
  // operates, else their first tenant.
  const tenant = chooseTenant(tenants, asked);

  // Each filter chosen is one step of Back.
  const update = (nextTenant: string | undefined, next: RunFilters) =>
    setSearchParams(filtersToSearchParams(nextTenant, next));

  const body = (
    <TenantGate
      tenants={identity}
      tenant={tenant}
      emptyTitle="You are not a member of any tenant"
      emptyDescription="Runs belong to the data products of a tenant. Ask a platform admin to add you to a tenant's group."
    >
      {current => (
        <>
          <TenantPicker
            id="dagster-runs-tenant"
            className={classes.tenant}
            tenants={tenants.map(t => t.name)}
            value={current}
            // Product and job belong to the tenant; status and time range carry over.
            onChange={next =>
              update(next, { ...filters, product: undefined, job: undefined })
            }
          />
          <TenantRuns
            key={current}
            tenant={current}
            filters={filters}
            onChange={next => update(current, next)}
          />
          <Box mt={3}>
            <RunAuditCard key={current} tenant={current} />
          </Box>
        </>
      )}
    </TenantGate>
  );

  return (
    <div className={classes.root}>
      <DependencyNotice dependencies={['dagster']} />
      <Typography variant="body1" paragraph>
        Every Dagster run of a tenant's data products, newest first. For
        operators of the tenant and platform admins.
      </Typography>
      {body}
    </div>
  );
};
