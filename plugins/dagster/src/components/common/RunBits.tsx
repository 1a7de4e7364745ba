import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Chip } from '@material-ui/core';
import type { RunSummary } from '@akili/plugin-dagster-common';
import { Timestamp } from '@akili/plugin-akili-react';
import { useNow } from '../../hooks/useNow';
import {
  formatDuration,
  isInFlight,
  parseLaunchedBy,
  runDurationMs,
  shortRunId,
  statusColors,
  statusLabel,
} from '../../lib/runs';
import { runRouteRef } from '../../routes';

/** A run's (or step's) status as a coloured chip. */
export const StatusChip = (props: { status: string }) => {
  const colors = statusColors(props.status);
  return (
    <Chip
      size="small"
      label={statusLabel(props.status)}
      title={`Status: ${props.status}`}
      style={{ backgroundColor: colors.background, color: colors.color }}
    />
  );
};

/** A point in time as "5 minutes ago", the exact time with its zone on hover. */
export const RelativeTime = (props: { iso?: string }) => {
  const now = useNow(false);
  return <Timestamp value={props.iso} format="relative" now={now} />;
};

/** How long a run took; counts on every second while it is in flight. */
export const RunDuration = (props: {
  run: Pick<RunSummary, 'status' | 'startedAt' | 'endedAt' | 'durationMs'>;
}) => {
  const { run } = props;
  const live = isInFlight(run.status) && !!run.startedAt;
  const now = useNow(live);
  return <>{formatDuration(runDurationMs(run, now))}</>;
};

/** Who launched a run: a link to the user, or the Dagster schedule or sensor. */
export const LaunchedBy = (props: { launchedBy?: string }) => {
  const by = parseLaunchedBy(props.launchedBy);
  if (!by) {
    return <>—</>;
  }
  switch (by.kind) {
    case 'user':
      return <EntityRefLink entityRef={by.ref} defaultKind="user" hideIcon />;
    case 'schedule':
    case 'sensor':
      return (
        <span title={`Dagster ${by.kind} ${by.name}`}>
          {by.kind} {by.name}
        </span>
      );
    default:
      return <>{by.text}</>;
  }
};

/** A link to a run's page, named by the start of its id. */
export const RunLink = (props: { runId: string; children?: string }) => {
  const runLink = useRouteRef(runRouteRef);
  const label = props.children ?? shortRunId(props.runId);
  if (!runLink) {
    return <span title={props.runId}>{label}</span>;
  }
  return (
    <Link to={runLink({ runId: props.runId })} title={props.runId}>
      {label}
    </Link>
  );
};

/**
 * For table cells of short tokens (headers, run ids, statuses, times, durations): they never
 * break inside a word ("Durati on"); names and descriptions take the rest and wrap.
 */
export const noWrap = { whiteSpace: 'nowrap' } as const;
