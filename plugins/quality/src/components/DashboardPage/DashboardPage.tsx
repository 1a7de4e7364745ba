import { useState } from 'react';
import {
  EmptyState,
  InfoCard,
  Progress,
  Table,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import {
  QualityStatusBadge,
  SeverityChip,
  TenantPicker,
} from '@akili/plugin-akili-react';
import { TenantGate } from '@akili/plugin-akili-react/components';
import {
  QualityProductScore,
  QualityResult,
  QualityTenantDashboard,
} from '@akili/plugin-quality-common';
import { Box, Grid, Typography, makeStyles } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { Link } from '@backstage/core-components';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { qualityApiRef } from '../../api';
import { isForbidden } from '../../lib/errors';
import { formatMinutes, formatObserved, formatScore } from '../../lib/format';
import { incidentsRouteRef } from '../../routes';
import {
  Ago,
  IncidentStateChip,
  OutcomeChip,
  freshnessText,
} from '../common/bits';
import { TrendChart, TrendDays, TrendPeriodToggle } from '../common/charts';
import { IncidentLink, ProductLink } from '../common/links';
import { QualityErrorPanel } from '../common/QualityErrorPanel';
import { useQualityTenant } from '../common/useQualityTenant';

const useStyles = makeStyles(theme => ({
  root: {
    padding: theme.spacing(3),
  },
  tenant: {
    minWidth: 200,
    marginBottom: theme.spacing(2),
  },
  number: {
    fontSize: 40,
    fontWeight: 700,
    lineHeight: 1.1,
  },
}));

const Stat = (props: { label: string; value: string; hint?: string }) => {
  const classes = useStyles();
  return (
    <Box>
      <Typography
        className={classes.number}
        component="p"
        aria-label={props.label}
      >
        {props.value}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        {props.label}
      </Typography>
      {props.hint && (
        <Typography variant="caption" color="textSecondary">
          {props.hint}
        </Typography>
      )}
    </Box>
  );
};

const WORST = 10;
const OPEN_INCIDENTS = 10;

/** The tenant's newest open incidents, linked to their pages. */
const OpenIncidentsList = (props: { tenant: string }) => {
  const { tenant } = props;
  const api = useApi(qualityApiRef);
  const incidents = useAsyncRetry(
    () =>
      api.listTenantIncidents(tenant, { state: 'open', limit: OPEN_INCIDENTS }),
    [api, tenant],
  );
  if (incidents.loading) return <Progress />;
  if (incidents.error || !incidents.value) {
    return (
      <QualityErrorPanel
        error={incidents.error}
        what={`the open incidents of ${tenant}`}
        onRetry={incidents.retry}
      />
    );
  }
  if (incidents.value.items.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No open incidents.
      </Typography>
    );
  }
  return (
    <Box component="ul" pl={2} m={0} aria-label="Open incidents list">
      {incidents.value.items.map(incident => (
        <li key={incident.id}>
          <Box display="flex" alignItems="center" gridGap={8} py={0.5}>
            <IncidentStateChip state={incident.state} />
            <IncidentLink tenant={tenant} id={incident.id}>
              {incident.title}
            </IncidentLink>
            <Typography variant="caption" color="textSecondary">
              opened <Ago at={incident.openedAt} />
            </Typography>
          </Box>
        </li>
      ))}
    </Box>
  );
};

/** The dashboard's sections, for one tenant's answer. */
export const Dashboard = (props: {
  dashboard: QualityTenantDashboard;
  days: TrendDays;
  onDays: (days: TrendDays) => void;
}) => {
  const { dashboard, days, onDays } = props;
  const tenant = dashboard.tenant;
  const incidentsRoute = useRouteRef(incidentsRouteRef);
  if (dashboard.products.length === 0) {
    return (
      <EmptyState
        missing="data"
        title={`No data products of ${tenant} have quality rules yet`}
        description="Products show here once their contract has quality rules (spec.quality) and checks report results."
      />
    );
  }
  const worst = dashboard.products.slice(0, WORST);
  const { incidents } = dashboard;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={4}>
        <InfoCard title="Incidents">
          <Box display="flex" gridGap={32} flexWrap="wrap">
            <Stat label="Open incidents" value={String(incidents.open)} />
            <Stat
              label="Mean time to acknowledge"
              value={formatMinutes(incidents.meanMinutesToAcknowledge)}
              hint={`last ${incidents.days} days`}
            />
            <Stat
              label="Mean time to resolve"
              value={formatMinutes(incidents.meanMinutesToResolve)}
              hint={`last ${incidents.days} days`}
            />
          </Box>
          <Box mt={2}>
            <OpenIncidentsList tenant={tenant} />
          </Box>
          {incidentsRoute && (
            <Box mt={2}>
              <Link
                to={`${incidentsRoute()}?tenant=${encodeURIComponent(tenant)}`}
              >
                Open the incident queue
              </Link>
            </Box>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={8}>
        <InfoCard
          title="Tenant trend"
          action={<TrendPeriodToggle days={days} onDays={onDays} />}
        >
          <TrendChart
            days={dashboard.trend}
            label={`Daily quality score of ${tenant} over ${days} days`}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} xl={6}>
        <Table<QualityProductScore>
          title="Worst products"
          options={{ paging: false, search: false, padding: 'dense' }}
          data={worst}
          columns={[
            {
              title: 'Product',
              cellStyle: { whiteSpace: 'nowrap' },
              render: p => (
                <ProductLink
                  product={p.product}
                  tenant={tenant}
                  tab="quality"
                />
              ),
            },
            {
              title: 'Status',
              render: p => <QualityStatusBadge status={p.status} />,
            },
            { title: 'Score', render: p => formatScore(p.score) },
            {
              title: 'Coverage',
              render: p =>
                p.coverage === null ? '—' : `${Math.round(p.coverage * 100)}%`,
            },
            {
              title: 'Open incidents',
              field: 'openIncidents',
              headerStyle: { whiteSpace: 'nowrap' },
            },
          ]}
        />
      </Grid>
      <Grid item xs={12} xl={6}>
        <InfoCard title="Stale products">
          {dashboard.staleProducts.length === 0 ? (
            <Typography variant="body2" color="textSecondary">
              Every product with a freshness SLO is fresh.
            </Typography>
          ) : (
            <Box component="ul" pl={2} m={0} aria-label="Stale products">
              {dashboard.staleProducts.map(s => (
                <li key={s.product}>
                  <ProductLink
                    product={s.product}
                    tenant={tenant}
                    tab="quality"
                  />
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    component="p"
                  >
                    {freshnessText(s.freshness)}
                  </Typography>
                </li>
              ))}
            </Box>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        {dashboard.failingRules.length === 0 ? (
          <InfoCard title="Failing rules">
            <Typography variant="body2" color="textSecondary">
              No error or warning rule is failing.
            </Typography>
          </InfoCard>
        ) : (
          <Table<QualityResult & { product: string }>
            title="Failing rules"
            options={{ paging: false, search: false, padding: 'dense' }}
            data={dashboard.failingRules}
            columns={[
              {
                title: 'Product',
                cellStyle: { whiteSpace: 'nowrap' },
                render: r => (
                  <ProductLink
                    product={r.product}
                    tenant={tenant}
                    tab="quality"
                  />
                ),
              },
              {
                title: 'Rule',
                field: 'rule',
                cellStyle: { whiteSpace: 'nowrap' },
              },
              {
                title: 'Severity',
                render: r => <SeverityChip severity={r.severity} />,
              },
              {
                title: 'Outcome',
                render: r => <OutcomeChip outcome={r.outcome} />,
              },
              {
                title: 'Observed',
                render: r =>
                  `${formatObserved(r.observedValue)}${
                    r.threshold ? ` (expected ${r.threshold})` : ''
                  }`,
              },
              {
                title: 'When',
                cellStyle: { whiteSpace: 'nowrap' },
                render: r => <Ago at={r.observedAt} />,
              },
            ]}
          />
        )}
      </Grid>
    </Grid>
  );
};

const TenantDashboard = (props: { tenant: string }) => {
  const { tenant } = props;
  const api = useApi(qualityApiRef);
  const [days, setDays] = useState<TrendDays>(30);
  const dashboard = useAsyncRetry(
    () => api.getDashboard(tenant, days),
    [api, tenant, days],
  );
  if (dashboard.loading && !dashboard.value) return <Progress />;
  if (isForbidden(dashboard.error)) {
    return (
      <Alert severity="info">
        Only developers and operators of {tenant} (and platform admins) can see
        its quality dashboard. The Quality tab of each data product shows its
        quality to every member.
      </Alert>
    );
  }
  if (dashboard.error || !dashboard.value) {
    return (
      <QualityErrorPanel
        error={dashboard.error}
        what={`the quality dashboard of ${tenant}`}
        onRetry={dashboard.retry}
      />
    );
  }
  return <Dashboard dashboard={dashboard.value} days={days} onDays={setDays} />;
};

/**
 * The tenant quality dashboard at `/quality`: worst products, failing rules, stale products,
 * the tenant's trend and incident response times. The tenant lives in the query string.
 */
export const DashboardPage = () => {
  const classes = useStyles();
  const { identity, tenant, setSearchParams } = useQualityTenant();
  const tenants = identity.tenants;

  const body = (
    <TenantGate
      tenants={identity}
      tenant={tenant}
      emptyTitle="No tenant whose quality dashboard you may see"
      emptyDescription="The dashboard is for a tenant's developers and operators. The Quality tab of each data product shows its quality to every member."
    >
      {current => (
        <>
          <TenantPicker
            id="quality-dashboard-tenant"
            className={classes.tenant}
            tenants={tenants.map(t => t.name)}
            value={current}
            onChange={next =>
              setSearchParams(new URLSearchParams({ tenant: next }), {
                replace: true,
              })
            }
          />
          <TenantDashboard key={current} tenant={current} />
        </>
      )}
    </TenantGate>
  );
  return (
    <div className={classes.root}>
      <Typography variant="body1" paragraph>
        How the data products of a tenant measure up to their contracts: the
        worst products, failing rules, stale data, the trend and how fast
        incidents are handled.
      </Typography>
      {body}
    </div>
  );
};
