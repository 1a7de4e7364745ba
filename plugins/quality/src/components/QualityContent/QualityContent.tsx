import { useState } from 'react';
import {
  EmptyState,
  InfoCard,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { DEFAULT_NAMESPACE } from '@backstage/catalog-model';
import { QualityStatusBadge, SeverityChip } from '@akili/plugin-akili-react';
import { DependencyNotice } from '@akili/plugin-akili-react/components';
import type {
  QualityIncident,
  QualityProductSummary,
  QualityResult,
  QualityRuleState,
} from '@akili/plugin-quality-common';
import { Box, Grid, Typography, makeStyles } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { qualityApiRef } from '../../api';
import { formatObserved, formatScore } from '../../lib/format';
import {
  DimensionBars,
  Sparkline,
  TrendChart,
  TrendDays,
  TrendPeriodToggle,
} from '../common/charts';
import {
  Ago,
  IncidentStateChip,
  NoResultsYet,
  OutcomeChip,
  freshnessText,
} from '../common/bits';
import { IncidentLink, ProductLink } from '../common/links';
import { QualityErrorPanel } from '../common/QualityErrorPanel';

const useStyles = makeStyles(theme => ({
  score: {
    fontSize: 56,
    fontWeight: 700,
    lineHeight: 1,
  },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    marginTop: theme.spacing(2),
  },
}));

/** Coverage in words: "7 of 9 rules ran". */
export function coverageText(summary: QualityProductSummary): string {
  const { rules, rulesWithResults } = summary.coverage;
  return `${rulesWithResults} of ${rules} rule${rules === 1 ? '' : 's'} ran`;
}

/** Score, status, coverage, freshness and open incidents of a product. */
export const ScoreOverview = (props: { summary: QualityProductSummary }) => {
  const { summary } = props;
  const classes = useStyles();
  const unknown = summary.coverage.rules - summary.coverage.rulesWithResults;
  return (
    <Box>
      <Box display="flex" alignItems="flex-end" gridGap={16}>
        <Typography
          className={classes.score}
          component="p"
          aria-label="Quality score"
        >
          {formatScore(summary.score)}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          / 100
        </Typography>
        <QualityStatusBadge status={summary.status} />
      </Box>
      <Box className={classes.facts}>
        <Typography variant="body2" color="textSecondary">
          Coverage
        </Typography>
        <Typography variant="body2">
          {coverageText(summary)}
          {unknown > 0 ? ` (${unknown} unknown)` : ''}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          Freshness
        </Typography>
        <Typography variant="body2">
          {freshnessText(summary.freshness)}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          Open incidents
        </Typography>
        <Typography variant="body2">{summary.openIncidents}</Typography>
      </Box>
    </Box>
  );
};

/** A rule's recent history as a sparkline, read when the row shows. */
const RuleHistory = (props: {
  namespace: string;
  name: string;
  rule: string;
}) => {
  const api = useApi(qualityApiRef);
  const { value, error, loading } = useAsync(
    () =>
      api.listResults(props.namespace, props.name, {
        rule: props.rule,
        limit: 30,
      }),
    [api, props.namespace, props.name, props.rule],
  );
  if (loading) return <Typography variant="caption">…</Typography>;
  if (error || !value) {
    return (
      <Typography variant="caption" color="textSecondary" title={String(error)}>
        history unavailable
      </Typography>
    );
  }
  return <Sparkline results={value.items} label={`History of ${props.rule}`} />;
};

const ObservedVsThreshold = (props: { result?: QualityResult }) => {
  const { result } = props;
  if (!result) return <>—</>;
  return (
    <>
      {formatObserved(result.observedValue)}
      {result.threshold ? (
        <Typography variant="caption" color="textSecondary" component="span">
          {' '}
          (expected {result.threshold})
        </Typography>
      ) : null}
    </>
  );
};

/** The contract's rules with their last result and history; unknown rules listed as unknown. */
const RulesTable = (props: {
  summary: QualityProductSummary;
  namespace: string;
  name: string;
}) => {
  const { summary, namespace, name } = props;
  const columns: TableColumn<QualityRuleState>[] = [
    {
      title: 'Rule',
      field: 'name',
      // The rule's name is one token: it never breaks; its description wraps below it.
      cellStyle: { minWidth: 240 },
      render: rule => (
        <>
          <Typography variant="body2" style={{ whiteSpace: 'nowrap' }}>
            {rule.name}
          </Typography>
          {rule.description && (
            <Typography variant="caption" color="textSecondary">
              {rule.description}
            </Typography>
          )}
        </>
      ),
    },
    { title: 'Dimension', field: 'dimension' },
    {
      title: 'Severity',
      field: 'severity',
      render: rule => <SeverityChip severity={rule.severity} />,
    },
    {
      title: 'Last result',
      field: 'status',
      headerStyle: { whiteSpace: 'nowrap' },
      render: rule => <OutcomeChip outcome={rule.status} />,
    },
    {
      title: 'Observed',
      render: rule =>
        rule.status === 'unknown' ? (
          <Typography variant="caption" color="textSecondary">
            never ran{rule.engine ? ` (checked by ${rule.engine})` : ''}
          </Typography>
        ) : (
          <ObservedVsThreshold result={rule.lastResult} />
        ),
    },
    {
      title: 'When',
      cellStyle: { whiteSpace: 'nowrap' },
      render: rule =>
        rule.lastResult ? <Ago at={rule.lastResult.observedAt} /> : '—',
    },
    {
      title: 'History',
      render: rule =>
        rule.status === 'unknown' ? (
          '—'
        ) : (
          <RuleHistory namespace={namespace} name={name} rule={rule.name} />
        ),
    },
  ];
  return (
    <Table<QualityRuleState>
      title={`Rules (${coverageText(summary)})`}
      options={{ paging: false, search: false, padding: 'dense' }}
      columns={columns}
      data={summary.rules}
    />
  );
};

/** The daily score over 30 or 90 days. */
const TrendCard = (props: { namespace: string; name: string }) => {
  const { namespace, name } = props;
  const api = useApi(qualityApiRef);
  const [days, setDays] = useState<TrendDays>(30);
  const trend = useAsyncRetry(
    () => api.getTrend(namespace, name, days),
    [api, namespace, name, days],
  );
  return (
    <InfoCard
      title="Trend"
      action={<TrendPeriodToggle days={days} onDays={setDays} />}
    >
      {trend.loading && <Progress />}
      {trend.error && (
        <QualityErrorPanel
          error={trend.error}
          what={`the trend of ${name}`}
          onRetry={trend.retry}
        />
      )}
      {trend.value && (
        <TrendChart
          days={trend.value.days}
          label={`Daily quality score of ${name} over ${days} days`}
        />
      )}
    </InfoCard>
  );
};

/** The product's open incidents, linked to their pages. */
const OpenIncidents = (props: { namespace: string; name: string }) => {
  const { namespace, name } = props;
  const api = useApi(qualityApiRef);
  const incidents = useAsyncRetry(
    () => api.listProductIncidents(namespace, name, 'open'),
    [api, namespace, name],
  );
  let body: JSX.Element;
  if (incidents.loading) {
    body = <Progress />;
  } else if (incidents.error) {
    body = (
      <QualityErrorPanel
        error={incidents.error}
        what={`the incidents of ${name}`}
        onRetry={incidents.retry}
      />
    );
  } else if (!incidents.value?.items.length) {
    body = (
      <Typography variant="body2" color="textSecondary">
        No open incidents.
      </Typography>
    );
  } else {
    body = (
      <Box component="ul" pl={2} m={0} aria-label="Open incidents">
        {incidents.value.items.map((incident: QualityIncident) => (
          <li key={incident.id}>
            <Box display="flex" alignItems="center" gridGap={8} py={0.5}>
              <IncidentStateChip state={incident.state} />
              <IncidentLink tenant={incident.tenant} id={incident.id}>
                {incident.title}
              </IncidentLink>
              <Typography variant="caption" color="textSecondary">
                opened <Ago at={incident.openedAt} />, {incident.failures}{' '}
                failure{incident.failures === 1 ? '' : 's'}
              </Typography>
            </Box>
          </li>
        ))}
      </Box>
    );
  }
  return <InfoCard title="Open incidents">{body}</InfoCard>;
};

const FAILING_UPSTREAM = new Set(['failing', 'stale']);

/** Upstream products (input ports), those whose quality fails first and called out. */
const Upstream = (props: {
  summary: QualityProductSummary;
  tenant: string;
}) => {
  const { summary, tenant } = props;
  if (summary.upstream.length === 0) return null;
  const failing = summary.upstream.filter(u => FAILING_UPSTREAM.has(u.status));
  return (
    <InfoCard title="Upstream products">
      {failing.length > 0 && (
        <Box mb={1}>
          <Alert severity="warning">
            {failing.length === 1
              ? 'An upstream product fails its quality checks'
              : `${failing.length} upstream products fail their quality checks`}
            : this product's data may be affected.
          </Alert>
        </Box>
      )}
      <Box component="ul" pl={2} m={0} aria-label="Upstream products">
        {[...summary.upstream]
          .sort(
            (a, b) =>
              Number(FAILING_UPSTREAM.has(b.status)) -
              Number(FAILING_UPSTREAM.has(a.status)),
          )
          .map(u => (
            <li key={u.product}>
              <Box display="flex" alignItems="center" gridGap={8} py={0.5}>
                <ProductLink
                  product={u.product}
                  tenant={tenant}
                  tab="quality"
                />
                <QualityStatusBadge status={u.status} score={u.score} />
              </Box>
            </li>
          ))}
      </Box>
    </InfoCard>
  );
};

/** Checks that reported but are not rules of the contract: shown, outside the score. */
const OutsideContract = (props: { results: QualityResult[] }) => {
  if (props.results.length === 0) return null;
  return (
    <Table<QualityResult>
      title="Checks outside the contract (not in the score)"
      options={{ paging: false, search: false, padding: 'dense' }}
      data={props.results}
      columns={[
        { title: 'Check', field: 'rule' },
        { title: 'Dimension', field: 'dimension' },
        {
          title: 'Last result',
          render: r => <OutcomeChip outcome={r.outcome} />,
        },
        { title: 'Observed', render: r => <ObservedVsThreshold result={r} /> },
        { title: 'When', render: r => <Ago at={r.observedAt} /> },
      ]}
    />
  );
};

/** The quality of the entity: score, dimensions, trend, rules, incidents. */
const QualitySummaryContent = () => {
  const { entity } = useEntity();
  const namespace = entity.metadata.namespace ?? DEFAULT_NAMESPACE;
  const name = entity.metadata.name;
  const api = useApi(qualityApiRef);
  const summary = useAsyncRetry(
    () => api.getSummary(namespace, name),
    [api, namespace, name],
  );

  if (summary.loading) return <Progress />;
  if (summary.error || !summary.value) {
    return (
      <QualityErrorPanel
        error={summary.error}
        what={`the quality of ${name}`}
        forbidden={`You are not allowed to see the quality of ${name}.`}
        onRetry={summary.retry}
      />
    );
  }
  const value = summary.value;
  if (value.rules.length === 0 && value.outsideContract.length === 0) {
    return (
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <EmptyState
            missing="field"
            title="This product's contract has no quality rules"
            description="Add rules under spec.quality of the manifest (or quality in the output port's ODCS contract): each becomes a rule here once a check reports it. Freshness is measured against spec.slos.freshness.maxDelay."
          />
        </Grid>
        <Grid item xs={12} md={6}>
          <InfoCard title="Freshness">
            <Typography variant="body2">
              {freshnessText(value.freshness)}
            </Typography>
          </InfoCard>
        </Grid>
      </Grid>
    );
  }
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={5}>
        <InfoCard title="Quality score">
          <ScoreOverview summary={value} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={7}>
        <InfoCard title="Dimensions">
          <DimensionBars dimensions={value.dimensions} />
        </InfoCard>
      </Grid>
      {value.coverage.rulesWithResults === 0 &&
        value.outsideContract.length === 0 && (
          <Grid item xs={12}>
            <NoResultsYet namespace={namespace} name={name} />
          </Grid>
        )}
      <Grid item xs={12}>
        <TrendCard namespace={namespace} name={name} />
      </Grid>
      <Grid item xs={12}>
        <RulesTable summary={value} namespace={namespace} name={name} />
      </Grid>
      {value.outsideContract.length > 0 && (
        <Grid item xs={12}>
          <OutsideContract results={value.outsideContract} />
        </Grid>
      )}
      <Grid item xs={12} md={value.upstream.length ? 6 : 12}>
        <OpenIncidents namespace={namespace} name={name} />
      </Grid>
      {value.upstream.length > 0 && (
        <Grid item xs={12} md={6}>
          <Upstream summary={value} tenant={namespace} />
        </Grid>
      )}
    </Grid>
  );
};

/**
 * The Quality tab of a DataProduct entity, under a notice when Dagster (where the checks run) is
 * down or degraded.
 */
export const QualityContent = () => (
  <>
    <DependencyNotice
      dependencies={['dagster']}
      consequence="quality checks may not run, and results and freshness may be stale"
    />
    <QualitySummaryContent />
  </>
);
