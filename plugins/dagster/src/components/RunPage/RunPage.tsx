import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, Progress } from '@backstage/core-components';
import {
  useApi,
  useRouteRef,
  useRouteRefParams,
} from '@backstage/frontend-plugin-api';
import { Box, Grid, Typography, makeStyles } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import type { RunDetail } from '@akili/plugin-dagster-common';
import { dagsterRunsApiRef } from '../../api';
import { usePolling } from '../../hooks/usePolling';
import { RUN_LIST_REFRESH_MS, isInFlight } from '../../lib/runs';
import { runRouteRef, runsRouteRef } from '../../routes';
import { DependencyNotice } from '@akili/plugin-akili-react/components';
import { DagsterErrorPanel } from '../common/DagsterErrorPanel';
import { LogViewer } from './LogViewer';
import { RunActions } from './RunActions';
import { RunSummaryCard } from './RunSummaryCard';
import { StepsTable } from './StepsTable';

const useStyles = makeStyles(theme => ({
  root: {
    padding: theme.spacing(3),
  },
  heading: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
}));

type RunState = { run?: RunDetail; loading: boolean; error?: unknown };

/** One run, read again every few seconds while it is in flight. */
function useRun(runId: string) {
  const api = useApi(dagsterRunsApiRef);
  const [state, setState] = useState<RunState>({ loading: true });
  const generation = useRef(0);

  const load = useCallback(() => {
    const current = ++generation.current;
    setState(s => ({ ...s, loading: !s.run, error: undefined }));
    return api.getRun(runId).then(
      run => {
        if (current === generation.current) {
          setState({ run, loading: false });
        }
      },
      error => {
        if (current === generation.current) {
          // A failed refresh keeps the run shown; only a first load shows the error alone.
          setState(s => ({ ...s, loading: false, error }));
        }
      },
    );
  }, [api, runId]);

  useEffect(() => {
    setState({ loading: true });
    load();
  }, [load]);

  const inFlight = !!state.run && isInFlight(state.run.status);
  usePolling(load, RUN_LIST_REFRESH_MS, inFlight);

  const replace = useCallback((run: RunDetail) => {
    generation.current++;
    setState({ run, loading: false });
  }, []);

  return { ...state, inFlight, reload: load, replace };
}

/**
 * A run's page at `/runs/:runId`: what ran and how it went, its steps and its log, and for those
 * allowed to, re-execute and terminate.
 */
export const RunPage = () => {
  const classes = useStyles();
  const { runId } = useRouteRefParams(runRouteRef);
  const api = useApi(dagsterRunsApiRef);
  const runsLink = useRouteRef(runsRouteRef);
  const { run, loading, error, inFlight, reload, replace } = useRun(runId);
  const tenant = run?.tenant;
  // Without an answer the buttons stay hidden; the backend enforces the same rule.
  const permissions = useAsync(
    async () => (tenant ? api.getRunPermissions(tenant) : undefined),
    [api, tenant],
  );

  let body: JSX.Element;
  if (loading && !run) {
    body = <Progress />;
  } else if (!run) {
    body = (
      <DagsterErrorPanel
        error={error}
        what="this run"
        forbidden="You are not allowed to see this run."
        notFound={`No run ${runId}: it does not exist, or it belongs to a tenant you are not a member of.`}
        onRetry={reload}
      />
    );
  } else {
    body = (
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <RunSummaryCard run={run} />
        </Grid>
        <Grid item xs={12}>
          <Typography variant="h6" component="h2" gutterBottom>
            Steps
          </Typography>
          <StepsTable steps={run.steps} />
        </Grid>
        <Grid item xs={12}>
          <Typography variant="h6" component="h2" gutterBottom>
            Log
          </Typography>
          <LogViewer key={run.runId} runId={run.runId} inFlight={inFlight} />
        </Grid>
      </Grid>
    );
  }

  return (
    <div className={classes.root}>
      <DependencyNotice dependencies={['dagster']} />
      <Box className={classes.heading}>
        <Typography variant="h5" component="h1">
          {run
            ? `${run.jobName} · run ${run.runId.slice(0, 8)}`
            : `Run ${runId}`}
        </Typography>
        {run && (
          <RunActions
            key={run.runId}
            run={run}
            permissions={permissions.value}
            onChanged={replace}
          />
        )}
      </Box>
      {runsLink && (
        <Box mb={2}>
          <Link to={runsLink()}>All runs of your tenants</Link>
        </Box>
      )}
      {body}
    </div>
  );
};
