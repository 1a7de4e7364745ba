import { useCallback, useMemo, useState } from 'react';
import { EmptyState, Link, Progress } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { DEFAULT_NAMESPACE } from '@backstage/catalog-model';
import { Box, Button, Typography, makeStyles } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import PlayArrowIcon from '@material-ui/icons/PlayArrow';
import useAsync from 'react-use/esm/useAsync';
import {
  describeTenantCodeLocations,
  isCodeLocationOfTenant,
  type RunDetail,
} from '@akili/plugin-dagster-common';
import { dagsterRunsApiRef } from '../../api';
import { useRunList } from '../../hooks/useRunList';
import {
  RUN_PAGE_SIZE,
  RunFilters,
  filtersToQuery,
  parseStatuses,
  parseTimeRange,
  shortRunId,
} from '../../lib/runs';
import { runRouteRef } from '../../routes';
import { DependencyNotice } from '@akili/plugin-akili-react/components';
import { useQueryParamState } from '@akili/plugin-akili-react';
import { DagsterErrorPanel } from '../common/DagsterErrorPanel';
import { RunFiltersBar } from '../common/RunFiltersBar';
import { RunsChart } from '../common/RunsChart';
import { RunsTable } from '../common/RunsTable';
import { LaunchRunDialog } from './LaunchRunDialog';

const useStyles = makeStyles(theme => ({
  toolbar: {
    display: 'flex',
    alignItems: 'flex-start',
    justifyContent: 'space-between',
    gap: theme.spacing(2),
  },
}));

/**
 * The Runs tab of a data product: its Dagster runs, newest first, kept current while any is in
 * flight, with a chart of the recent ones and, for those allowed to, a "Launch run" button.
 */
export const RunsContent = () => {
  const classes = useStyles();
  const api = useApi(dagsterRunsApiRef);
  const runLink = useRouteRef(runRouteRef);
  const { entity } = useEntity();
  const namespace = entity.metadata.namespace ?? DEFAULT_NAMESPACE;
  const name = entity.metadata.name;
  const productTitle = entity.metadata.title ?? name;
  // The filters live in the URL (`?status=FAILURE,CANCELED&range=24h`): a filtered list can be
  // shared and reopened, Back undoes a filter.
  const [status, setStatus] = useQueryParamState('status');
  const [range, setRange] = useQueryParamState('range', 'all');
  // How many pages are shown ("Load more" clicked), so a reopened URL shows as many runs.
  const [pages, setPages] = useQueryParamState('pages', '1', { replace: true });
  const filters = useMemo<RunFilters>(
    () => ({ statuses: parseStatuses(status), range: parseTimeRange(range) }),
    [status, range],
  );
  // The bar changes one filter at a time.
  const setFilters = useCallback(
    (next: RunFilters) => {
      if (next.range !== filters.range) {
        setRange(next.range, { reset: ['pages'] });
      } else {
        setStatus(next.statuses.join(','), { reset: ['pages'] });
      }
    },
    [filters.range, setRange, setStatus],
  );
  const [launching, setLaunching] = useState(false);
  const [launched, setLaunched] = useState<RunDetail>();

  const loadPage = useCallback(
    (page: { cursor?: string; limit: number }) =>
      api.listProductRuns(namespace, name, {
        ...filtersToQuery(filters, Date.now()),
        ...page,
      }),
    [api, namespace, name, filters],
  );
  const runs = useRunList(loadPage, { pages: Number(pages) || 1 });
  const loadMore = useCallback(() => {
    setPages(String(Math.ceil(runs.items.length / RUN_PAGE_SIZE) + 1));
    runs.loadMore();
  }, [runs, setPages]);
  // Without an answer the buttons stay hidden; the backend enforces the same rule.
  const permissions = useAsync(
    () => api.getRunPermissions(namespace),
    [api, namespace],
  );
  const canLaunch = permissions.value?.launch === true;
  const target = runs.head?.target;
  const filtered = filters.statuses.length > 0 || filters.range !== 'all';
  // The backend refuses to launch in a code location of another tenant; say why up front.
  const foreignLocation =
    target?.codeLocation &&
    !isCodeLocationOfTenant(target.codeLocation, target.tenant)
      ? target.codeLocation
      : undefined;

  const launchButton =
    canLaunch && target && !foreignLocation ? (
      <Button
        variant="contained"
        color="primary"
        startIcon={<PlayArrowIcon />}
        onClick={() => setLaunching(true)}
      >
        Launch run
      </Button>
    ) : null;

  let body: JSX.Element;
  if (runs.loading && runs.items.length === 0) {
    body = <Progress />;
  } else if (runs.error) {
    body = (
      <DagsterErrorPanel
        error={runs.error}
        what={`the runs of ${productTitle}`}
        forbidden={`You are not allowed to see the runs of ${productTitle}. Members of the tenant ${namespace} can.`}
        notFound={`The runs service does not know ${productTitle}, or you may not see it. It may not have been deployed to Dagster yet.`}
        onRetry={runs.reload}
      />
    );
  } else if (runs.items.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title={filtered ? 'No runs match these filters' : 'No runs yet'}
        description={
          filtered
            ? 'Try another status or a longer time range.'
            : `${productTitle} has not run in Dagster yet. Runs appear here once its schedule or sensor starts one${
                canLaunch ? ', or when you launch one' : ''
              }.`
        }
        action={launchButton ?? undefined}
      />
    );
  } else {
    body = (
      <>
        <RunsChart runs={runs.items} />
        <RunsTable
          label={`Runs of ${productTitle}`}
          runs={runs.items}
          hasMore={!!runs.nextCursor}
          loadingMore={runs.loadingMore}
          laterError={runs.laterError}
          onLoadMore={loadMore}
        />
      </>
    );
  }

  return (
    <>
      <DependencyNotice dependencies={['dagster']} />
      <Box className={classes.toolbar}>
        <RunFiltersBar
          idPrefix="dagster-product-runs"
          filters={filters}
          onChange={setFilters}
        />
        {runs.items.length > 0 && launchButton}
      </Box>
      {target && foreignLocation && (
        <Box mb={2}>
          <Alert severity="warning">
            The manifest of {productTitle} names Dagster code location{' '}
            <code>{foreignLocation}</code>, which is not one of tenant{' '}
            {target.tenant}'s ({describeTenantCodeLocations(target.tenant)}).
            Its runs cannot be launched from the portal until{' '}
            <code>spec.transformation.dagster.codeLocation</code> names one.
          </Alert>
        </Box>
      )}
      {launched && (
        <Box mb={2}>
          <Alert severity="success" onClose={() => setLaunched(undefined)}>
            Launched run {shortRunId(launched.runId)} of {launched.jobName}.{' '}
            {runLink && (
              <Link to={runLink({ runId: launched.runId })}>
                Follow its logs
              </Link>
            )}
          </Alert>
        </Box>
      )}
      {target && runs.inFlight && (
        <Typography
          variant="caption"
          color="textSecondary"
          component="p"
          role="status"
        >
          Runs in flight: refreshing every 5 seconds.
        </Typography>
      )}
      {body}
      {launching && target && (
        <LaunchRunDialog
          target={target}
          onLaunch={request => api.launchRun(namespace, name, request)}
          onLaunched={run => {
            // Shown at once; being in flight, it keeps the list refreshing from here on.
            setLaunched(run);
            runs.prepend(run);
          }}
          onClose={() => setLaunching(false)}
        />
      )}
    </>
  );
};
