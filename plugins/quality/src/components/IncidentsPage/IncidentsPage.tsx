import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  EmptyState,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  SeverityChip,
  TenantPicker,
  useQueryParamState,
} from '@akili/plugin-akili-react';
import { TenantGate } from '@akili/plugin-akili-react/components';
import {
  INCIDENT_STATES,
  IncidentState,
  QualityIncident,
} from '@akili/plugin-quality-common';
import {
  Box,
  Button,
  FormControl,
  InputLabel,
  MenuItem,
  Select,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { qualityApiRef } from '../../api';
import { isForbidden } from '../../lib/errors';
import { INCIDENT_STATE_LABELS, formatActor } from '../../lib/format';
import { Ago, IncidentStateChip } from '../common/bits';
import { IncidentLink, ProductLink } from '../common/links';
import { QualityErrorPanel } from '../common/QualityErrorPanel';
import { useQualityTenant } from '../common/useQualityTenant';

const useStyles = makeStyles(theme => ({
  root: {
    padding: theme.spacing(3),
  },
  bar: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    alignItems: 'flex-end',
    marginBottom: theme.spacing(2),
  },
  select: {
    minWidth: 180,
  },
}));

/** The state filter: `open` (every state but resolved), one state, or all. */
export type StateFilter = 'open' | 'all' | IncidentState;

/** How the state select shows a filter value. */
const stateFilterLabel = (state: StateFilter) => {
  if (state === 'open') return 'Open (not resolved)';
  if (state === 'all') return 'All';
  return INCIDENT_STATE_LABELS[state];
};

export function parseStateFilter(value: string | null): StateFilter {
  if (value === 'all' || value === 'open') return value;
  return (INCIDENT_STATES as readonly string[]).includes(value ?? '')
    ? (value as IncidentState)
    : 'open';
}

const PAGE = 50;
/** The most incidents the route answers at once. */
const MAX_LIMIT = 200;

/** The incidents of one tenant, filtered, with "load more". */
const TenantIncidents = (props: {
  tenant: string;
  state: StateFilter;
  product?: string;
}) => {
  const { tenant, state, product } = props;
  const api = useApi(qualityApiRef);
  const [items, setItems] = useState<QualityIncident[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();
  const [attempt, setAttempt] = useState(0);
  // How many pages are shown ("Load more" clicked), so a reopened URL shows as many incidents;
  // read when the list loads, not a reason to load it again. A filter change drops it.
  const [pages, setPages] = useQueryParamState('pages', '1', { replace: true });
  const pagesRef = useRef(pages);
  pagesRef.current = pages;

  const load = useCallback(
    async (after?: string) => {
      setLoading(true);
      setError(undefined);
      try {
        const pageCount = after
          ? 1
          : Math.max(1, Number(pagesRef.current) || 1);
        const page = await api.listTenantIncidents(tenant, {
          state,
          product,
          limit: Math.min(MAX_LIMIT, PAGE * pageCount),
          cursor: after,
        });
        setItems(previous =>
          after ? [...previous, ...page.items] : page.items,
        );
        setCursor(page.nextCursor);
      } catch (e) {
        setError(e);
      } finally {
        setLoading(false);
      }
    },
    [api, tenant, state, product],
  );
  useEffect(() => {
    setItems([]);
    load();
  }, [load, attempt]);

  if (loading && items.length === 0) return <Progress />;
  if (isForbidden(error)) {
    return (
      <Alert severity="info">
        Only developers and operators of {tenant} (and platform admins) can see
        its incidents.
      </Alert>
    );
  }
  if (error && items.length === 0) {
    return (
      <QualityErrorPanel
        error={error}
        what={`the incidents of ${tenant}`}
        onRetry={() => setAttempt(a => a + 1)}
      />
    );
  }
  if (items.length === 0) {
    const queueEmpty = state === 'open' && !product;
    let title = 'No incidents yet';
    if (queueEmpty) {
      title = 'No open incidents';
    } else if (state !== 'all' || product) {
      title = 'No incidents match these filters';
    }
    return (
      <EmptyState
        missing="data"
        title={title}
        description={
          queueEmpty
            ? `Nothing needs attention in ${tenant}: a failing rule, a breached freshness SLO or a failed run opens an incident here.`
            : 'Try another state or product.'
        }
      />
    );
  }
  const columns: TableColumn<QualityIncident>[] = [
    {
      title: 'State',
      field: 'state',
      render: i => <IncidentStateChip state={i.state} />,
    },
    {
      title: 'Incident',
      field: 'title',
      // The title says what broke: it gets the room, names and times beside it do not wrap.
      cellStyle: { minWidth: 200 },
      render: i => (
        <IncidentLink tenant={tenant} id={i.id}>
          {i.title}
        </IncidentLink>
      ),
    },
    {
      title: 'Product',
      field: 'product',
      cellStyle: { whiteSpace: 'nowrap' },
      render: i => (
        <ProductLink product={i.product} tenant={tenant} tab="quality" />
      ),
    },
    {
      title: 'Severity',
      field: 'severity',
      render: i => <SeverityChip severity={i.severity} />,
    },
    { title: 'Assignee', render: i => formatActor(i.assignee) },
    {
      title: 'Opened',
      cellStyle: { whiteSpace: 'nowrap' },
      render: i => <Ago at={i.openedAt} />,
    },
    {
      title: 'Failures',
      field: 'failures',
      render: i => (
        <>
          {i.failures} (last <Ago at={i.lastFailureAt} />)
        </>
      ),
    },
  ];
  return (
    <>
      <Table<QualityIncident>
        title={`Incidents of ${tenant}`}
        options={{ paging: false, search: false, padding: 'dense' }}
        columns={columns}
        data={items}
      />
      {error ? (
        <Box mt={1}>
          <QualityErrorPanel error={error} what="more incidents" />
        </Box>
      ) : null}
      {cursor && (
        <Box mt={1}>
          <Button
            variant="outlined"
            disabled={loading}
            onClick={() => {
              setPages(String(Math.ceil(items.length / PAGE) + 1));
              load(cursor);
            }}
          >
            {loading ? 'Loading…' : 'Load more'}
          </Button>
        </Box>
      )}
    </>
  );
};

/**
 * The operators' incident queue at `/incidents`: the incidents of one of the user's tenants,
 * by state and product. Tenant, state and product live in the query string.
 */
export const IncidentsPage = () => {
  const classes = useStyles();
  const { identity, tenant, searchParams, setSearchParams } =
    useQualityTenant();
  const tenants = identity.tenants;
  const state = parseStateFilter(searchParams.get('state'));
  const product = searchParams.get('product') || undefined;
  const [productText, setProductText] = useState(product ?? '');
  useEffect(() => setProductText(product ?? ''), [product]);

  const update = useMemo(
    () =>
      (next: { tenant?: string; state?: StateFilter; product?: string }) => {
        const params = new URLSearchParams();
        if (next.tenant) params.set('tenant', next.tenant);
        if (next.state && next.state !== 'open')
          params.set('state', next.state);
        if (next.product) params.set('product', next.product);
        // A filter chosen is one step of Back.
        setSearchParams(params);
      },
    [setSearchParams],
  );

  const body = (
    <TenantGate
      tenants={identity}
      tenant={tenant}
      emptyTitle="No tenant whose incidents you may see"
      emptyDescription="Incidents belong to the data products of a tenant; its developers and operators see them. Ask a platform admin to add you to a tenant's group."
    >
      {current => {
        const commitProduct = () => {
          if ((product ?? '') !== productText.trim()) {
            update({
              tenant: current,
              state,
              product: productText.trim() || undefined,
            });
          }
        };
        return (
          <>
            <Box className={classes.bar}>
              <TenantPicker
                id="quality-incidents-tenant"
                className={classes.select}
                tenants={tenants.map(t => t.name)}
                value={current}
                onChange={next => update({ tenant: next, state })}
              />
              <FormControl className={classes.select}>
                <InputLabel id="quality-incidents-state-label">
                  State
                </InputLabel>
                <Select
                  labelId="quality-incidents-state-label"
                  id="quality-incidents-state"
                  value={state}
                  onChange={e =>
                    update({
                      tenant: current,
                      state: e.target.value as StateFilter,
                      product,
                    })
                  }
                  SelectDisplayProps={
                    {
                      // The name holds the shown value too (WCAG 2.5.3, label in name).
                      'aria-label': `State filter: ${stateFilterLabel(state)}`,
                    } as React.HTMLAttributes<HTMLDivElement>
                  }
                >
                  <MenuItem value="open">{stateFilterLabel('open')}</MenuItem>
                  {INCIDENT_STATES.map(s => (
                    <MenuItem key={s} value={s}>
                      {INCIDENT_STATE_LABELS[s]}
                    </MenuItem>
                  ))}
                  <MenuItem value="all">{stateFilterLabel('all')}</MenuItem>
                </Select>
              </FormControl>
              <TextField
                id="quality-incidents-product"
                className={classes.select}
                label="Product"
                placeholder="Any product"
                value={productText}
                onChange={e => setProductText(e.target.value)}
                onBlur={commitProduct}
                onKeyDown={e => {
                  if (e.key === 'Enter') commitProduct();
                }}
                helperText="Press Enter to apply"
              />
            </Box>
            <TenantIncidents
              key={`${current}|${state}|${product ?? ''}`}
              tenant={current}
              state={state}
              product={product}
            />
          </>
        );
      }}
    </TenantGate>
  );

  return (
    <div className={classes.root}>
      <Typography variant="body1" paragraph>
        Quality incidents of a tenant's data products: a failing rule, a
        breached freshness SLO or a failed run opens one per cause. Acknowledge,
        assign and resolve them here.
      </Typography>
      {body}
    </div>
  );
};
