import { useNavigate } from 'react-router-dom';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { Box, Typography, makeStyles } from '@material-ui/core';
import type { RunSummary } from '@akili/plugin-dagster-common';
import { useNow } from '../../hooks/useNow';
import {
  formatDuration,
  isInFlight,
  runDurationMs,
  shortRunId,
  statusColors,
  statusLabel,
} from '../../lib/runs';
import { runRouteRef } from '../../routes';

const useStyles = makeStyles(theme => ({
  root: {
    marginBottom: theme.spacing(2),
  },
  bar: {
    cursor: 'pointer',
    '&:hover, &:focus': {
      opacity: 0.75,
      outline: 'none',
    },
  },
  axis: {
    stroke: theme.palette.divider,
  },
}));

/** Runs in the chart at most: enough to see a trend, few enough for bars to be clickable. */
const MAX_BARS = 40;
const HEIGHT = 64;
const BAR_WIDTH = 10;
const GAP = 3;

/**
 * Duration and outcome of the recent runs at a glance: one bar per run, oldest left, its height
 * the duration (relative to the longest), its colour the status. Each bar names its run for
 * screen readers and links to the run page.
 */
export const RunsChart = (props: { runs: RunSummary[] }) => {
  const classes = useStyles();
  const runLink = useRouteRef(runRouteRef);
  const navigate = useNavigate();
  const runs = props.runs.slice(0, MAX_BARS).reverse();
  const now = useNow(runs.some(r => isInFlight(r.status)));
  if (runs.length === 0) {
    return null;
  }
  const durations = runs.map(run => runDurationMs(run, now) ?? 0);
  const longest = Math.max(1, ...durations);
  const width = runs.length * (BAR_WIDTH + GAP);
  const failed = runs.filter(r => r.status === 'FAILURE').length;
  const summary = `${
    runs.length
  } most recent runs, ${failed} failed; the longest took ${formatDuration(
    longest,
  )}.`;

  return (
    <Box className={classes.root}>
      <Typography variant="subtitle2" id="dagster-runs-chart-title">
        Recent runs
      </Typography>
      <svg
        role="group"
        aria-labelledby="dagster-runs-chart-title dagster-runs-chart-desc"
        width={width}
        height={HEIGHT + 2}
        viewBox={`0 0 ${width} ${HEIGHT + 2}`}
      >
        <desc id="dagster-runs-chart-desc">{summary}</desc>
        <line
          className={classes.axis}
          x1={0}
          x2={width}
          y1={HEIGHT + 1}
          y2={HEIGHT + 1}
        />
        {runs.map((run, index) => {
          // A run without a duration yet (queued) still gets a stub, so it is visible.
          const height = Math.max(
            3,
            Math.round((durations[index] / longest) * HEIGHT),
          );
          const label = `Run ${shortRunId(run.runId)}: ${statusLabel(
            run.status,
          )}, ${formatDuration(runDurationMs(run, now))}`;
          const open = () => runLink && navigate(runLink({ runId: run.runId }));
          return (
            <rect
              key={run.runId}
              className={classes.bar}
              data-testid="run-bar"
              data-status={run.status}
              x={index * (BAR_WIDTH + GAP)}
              y={HEIGHT + 1 - height}
              width={BAR_WIDTH}
              height={height}
              rx={2}
              fill={statusColors(run.status).background}
              tabIndex={0}
              role="link"
              aria-label={label}
              onClick={open}
              onKeyDown={e => {
                if (e.key === 'Enter') {
                  open();
                }
              }}
            >
              <title>{label}</title>
            </rect>
          );
        })}
      </svg>
    </Box>
  );
};
