import { useEffect, useState } from 'react';
import { EmptyState, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { PluginErrorPanel } from '@akili/plugin-akili-react/components';
import { errorMessage, Timestamp } from '@akili/plugin-akili-react';
import type {
  PlatformDependencyState,
  PlatformDependencyStatus,
} from '@akili/plugin-platform-health-common';
import {
  Box,
  Chip,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import { platformHealthApiRef } from '../../api';
import { formatLatency } from '../../lib/format';
import { HistoryStrip, STATUS_COLORS } from './HistoryStrip';

/** How often the page asks again when the backend does not say (it checks every 30 s). */
export const DEFAULT_REFRESH_MS = 30_000;
const HISTORY_HOURS = 24;

const useStyles = makeStyles(theme => ({
  root: { padding: theme.spacing(3) },
  error: {
    maxWidth: 420,
    wordBreak: 'break-word',
  },
  muted: { color: theme.palette.text.secondary },
}));

const STATUS_LABELS: Record<PlatformDependencyStatus, string> = {
  up: 'Up',
  degraded: 'Degraded',
  down: 'Down',
  'not-configured': 'Not configured',
  unknown: 'Not checked yet',
};

const StatusChip = ({ status }: { status: PlatformDependencyStatus }) => (
  <Chip
    size="small"
    label={STATUS_LABELS[status]}
    style={{
      backgroundColor: STATUS_COLORS[status],
      color: '#fff',
      fontWeight: 600,
    }}
  />
);

const Ago = ({ iso, now }: { iso: string; now: number }) => (
  <Timestamp value={iso} format="relative" now={now} />
);

/** The 24 h strip of one dependency, reloaded with the page. */
const HistoryCell = (props: {
  dependency: PlatformDependencyState;
  refresh: number;
  frequencyMs: number;
}) => {
  const api = useApi(platformHealthApiRef);
  const { dependency, refresh, frequencyMs } = props;
  const [history, setHistory] = useState<
    | { state: 'loading' }
    | { state: 'error'; error: unknown }
    | { state: 'ok'; checks: Parameters<typeof HistoryStrip>[0]['checks'] }
  >({ state: 'loading' });
  useEffect(() => {
    let cancelled = false;
    api.getHistory(dependency.id, HISTORY_HOURS).then(
      value => !cancelled && setHistory({ state: 'ok', checks: value.checks }),
      error => !cancelled && setHistory({ state: 'error', error }),
    );
    return () => {
      cancelled = true;
    };
  }, [api, dependency.id, refresh]);
  if (history.state === 'loading') {
    return <Progress />;
  }
  if (history.state === 'error') {
    return (
      <Typography variant="caption" color="error">
        History not available: {errorMessage(history.error)}
      </Typography>
    );
  }
  return (
    <HistoryStrip
      title={`${dependency.title} in the last ${HISTORY_HOURS} h`}
      checks={history.checks}
      hours={HISTORY_HOURS}
      frequencyMs={frequencyMs}
    />
  );
};

const DependencyRow = (props: {
  dependency: PlatformDependencyState;
  refresh: number;
  frequencyMs: number;
  now: number;
}) => {
  const classes = useStyles();
  const { dependency: d, refresh, frequencyMs, now } = props;
  const configured = d.status !== 'not-configured';
  return (
    <TableRow data-testid={`dependency-${d.id}`}>
      <TableCell>
        <Typography variant="subtitle2" component="span">
          {d.title}
        </Typography>
        {d.critical && (
          <Typography variant="caption" component="p" className={classes.muted}>
            Required: the portal is not ready without it
          </Typography>
        )}
      </TableCell>
      <TableCell>
        <StatusChip status={d.status} />
        {d.lastChangeAt && (
          <Typography variant="caption" component="p" className={classes.muted}>
            since <Ago iso={d.lastChangeAt} now={now} />
          </Typography>
        )}
      </TableCell>
      <TableCell>{configured ? formatLatency(d.latencyMs) : '—'}</TableCell>
      <TableCell>
        {d.checkedAt ? <Ago iso={d.checkedAt} now={now} /> : '—'}
      </TableCell>
      <TableCell className={classes.error}>
        {!configured && (
          <Typography variant="body2" className={classes.muted}>
            Not checked: this portal has no configuration for {d.title}.
          </Typography>
        )}
        {configured && d.lastError && (
          <>
            <Typography variant="body2">{d.lastError.message}</Typography>
            <Typography variant="caption" className={classes.muted}>
              <Ago iso={d.lastError.at} now={now} />
            </Typography>
          </>
        )}
        {configured && !d.lastError && '—'}
      </TableCell>
      <TableCell>
        {configured ? (
          <HistoryCell
            dependency={d}
            refresh={refresh}
            frequencyMs={frequencyMs}
          />
        ) : (
          '—'
        )}
      </TableCell>
    </TableRow>
  );
};

/**
 * The Platform health page at `/platform-health`: each platform dependency with its status,
 * latency, when it was last checked, its last error and its last 24 hours, refreshed every
 * 30 seconds. For operators and platform admins; others are told they may not see it.
 */
export const PlatformHealthPage = (props: { refreshMs?: number }) => {
  const classes = useStyles();
  const api = useApi(platformHealthApiRef);
  const [refresh, setRefresh] = useState(0);
  const state = useAsyncRetry(() => api.getDependencies(), [api, refresh]);
  const refreshMs =
    props.refreshMs ?? state.value?.frequencyMs ?? DEFAULT_REFRESH_MS;
  useInterval(() => setRefresh(r => r + 1), refreshMs);

  let body;
  if (!state.value && state.loading) {
    body = <Progress />;
  } else if (!state.value) {
    body = (
      <PluginErrorPanel
        error={state.error}
        what="the health of the platform"
        forbidden="Platform health is for operators and platform admins."
        onRetry={state.retry}
      />
    );
  } else if (state.value.dependencies.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title="No platform dependencies"
        description="The backend reported no dependencies to check."
      />
    );
  } else {
    const { dependencies, frequencyMs } = state.value;
    const down = dependencies.filter(d => d.status === 'down');
    const configured = dependencies.filter(d => d.status !== 'not-configured');
    const now = Date.now();
    body = (
      <>
        {state.error && (
          <Alert severity="warning">
            Could not refresh: {errorMessage(state.error)}. Showing the last
            answer.
          </Alert>
        )}
        {configured.length === 0 && (
          <Alert severity="info">
            No platform dependency is configured in this portal, so none is
            checked.
          </Alert>
        )}
        {down.length > 0 && (
          <Alert severity="error">
            Down: {down.map(d => d.title).join(', ')}
          </Alert>
        )}
        <Table size="small" aria-label="Platform dependencies">
          <TableHead>
            <TableRow>
              <TableCell>Dependency</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Latency</TableCell>
              <TableCell>Last checked</TableCell>
              <TableCell>Last error</TableCell>
              <TableCell>Last 24 h</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {dependencies.map(d => (
              <DependencyRow
                key={d.id}
                dependency={d}
                refresh={refresh}
                frequencyMs={frequencyMs}
                now={now}
              />
            ))}
          </TableBody>
        </Table>
      </>
    );
  }

  return (
    <Box className={classes.root}>
      <Typography variant="body1" paragraph>
        The systems the platform runs on, checked by the portal every{' '}
        {Math.round(refreshMs / 1000)} s. A dependency that is down shows here
        within a minute.
      </Typography>
      {body}
    </Box>
  );
};
