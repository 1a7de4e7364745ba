import {
  DAGSTER_IN_FLIGHT_STATUSES,
  DAGSTER_RUN_STATUSES,
  DagsterRunStatus,
  RunListQuery,
  RunSummary,
} from '@akili/plugin-dagster-common';

/** How often a list is read again while one of its runs is in flight. */
export const RUN_LIST_REFRESH_MS = 5_000;

/** How often the log is read again while following a run in flight. */
export const LOG_FOLLOW_MS = 2_000;

/** Runs per page of a list. */
export const RUN_PAGE_SIZE = 25;

/** Log events per page. */
export const LOG_PAGE_SIZE = 200;

/** Whether the run has not finished yet. */
export function isInFlight(status: DagsterRunStatus): boolean {
  return DAGSTER_IN_FLIGHT_STATUSES.includes(status);
}

const STATUS_LABELS: Record<string, string> = {
  QUEUED: 'Queued',
  NOT_STARTED: 'Not started',
  MANAGED: 'Managed',
  STARTING: 'Starting',
  STARTED: 'Running',
  SUCCESS: 'Success',
  FAILURE: 'Failure',
  CANCELING: 'Canceling',
  CANCELED: 'Canceled',
  // Step statuses (Dagster's StepEventStatus).
  IN_PROGRESS: 'In progress',
  SKIPPED: 'Skipped',
  UP_FOR_RETRY: 'Up for retry',
};

/** A run or step status as a word: `STARTED` is "Running", as Dagster's own UI says. */
export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status;
}

/** Background and text colour of a status; also the bar colour of the runs chart. */
export type StatusColors = { background: string; color: string };

const STATUS_COLORS: Record<string, StatusColors> = {
  success: { background: '#15803d', color: '#ffffff' },
  failure: { background: '#b91c1c', color: '#ffffff' },
  running: { background: '#1d4ed8', color: '#ffffff' },
  waiting: { background: '#6d28d9', color: '#ffffff' },
  stopping: { background: '#b45309', color: '#ffffff' },
  canceled: { background: '#6b7280', color: '#ffffff' },
};

/** Green for success, red for failure, blue while running, violet while waiting to start. */
export function statusColors(status: string): StatusColors {
  switch (status) {
    case 'SUCCESS':
      return STATUS_COLORS.success;
    case 'FAILURE':
      return STATUS_COLORS.failure;
    case 'STARTED':
    case 'IN_PROGRESS':
      return STATUS_COLORS.running;
    case 'QUEUED':
    case 'NOT_STARTED':
    case 'MANAGED':
    case 'STARTING':
    case 'UP_FOR_RETRY':
      return STATUS_COLORS.waiting;
    case 'CANCELING':
      return STATUS_COLORS.stopping;
    default:
      return STATUS_COLORS.canceled;
  }
}

/** `3_723_000` as "1h 02m", `65_000` as "1m 05s", `4_200` as "4.2s". */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) {
    return '—';
  }
  if (ms < 10_000) {
    return `${(Math.floor(ms / 100) / 10).toString()}s`;
  }
  const seconds = Math.floor(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (seconds < 60) {
    return `${seconds}s`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes}m ${pad(seconds % 60)}s`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    return `${hours}h ${pad(minutes % 60)}m`;
  }
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/**
 * How long the run took, or has been running until `now`: the server's `durationMs` is as of
 * its answer, so a run in flight counts on from its start.
 */
export function runDurationMs(
  run: Pick<RunSummary, 'status' | 'startedAt' | 'endedAt' | 'durationMs'>,
  now: number,
): number | undefined {
  if (run.startedAt && !run.endedAt && isInFlight(run.status)) {
    const started = Date.parse(run.startedAt);
    if (!Number.isNaN(started)) {
      return Math.max(0, now - started);
    }
  }
  if (run.durationMs !== undefined) {
    return run.durationMs;
  }
  if (run.startedAt && run.endedAt) {
    return Date.parse(run.endedAt) - Date.parse(run.startedAt);
  }
  return undefined;
}

/** Who launched a run, for people. */
export type LaunchedBy =
  | { kind: 'user'; ref: string }
  | { kind: 'schedule' | 'sensor'; name: string }
  | { kind: 'other'; text: string };

/**
 * `launchedBy` of a run (see `RunSummary`): a user entity ref, `schedule:<name>` or
 * `sensor:<name>`; anything else is shown as it is.
 */
export function parseLaunchedBy(
  launchedBy: string | undefined,
): LaunchedBy | undefined {
  if (!launchedBy) {
    return undefined;
  }
  const automation = /^(schedule|sensor):(.+)$/.exec(launchedBy);
  if (automation) {
    return {
      kind: automation[1] as 'schedule' | 'sensor',
      name: automation[2],
    };
  }
  if (/^user:/i.test(launchedBy)) {
    return { kind: 'user', ref: launchedBy };
  }
  return { kind: 'other', text: launchedBy };
}

/** A user entity ref as people read it: `user:default/jane` is "jane". */
export function formatUser(ref: string): string {
  return ref.replace(/^user:/i, '').replace(/^default\//, '');
}

/** `dataproduct:acme/orders` as its parts, for links and the launch route. */
export function parseProductRef(
  ref: string | undefined,
): { namespace: string; name: string } | undefined {
  const match = ref ? /^(?:dataproduct:)?([^/:]+)\/([^/]+)$/i.exec(ref) : null;
  return match ? { namespace: match[1], name: match[2] } : undefined;
}

/** An asset key as Dagster writes it: `["sales", "orders"]` is "sales/orders". */
export function formatAssetKey(key: string[]): string {
  return key.join('/');
}

/** The first characters of a run id, as Dagster's UI shows it. */
export function shortRunId(runId: string): string {
  return runId.slice(0, 8);
}

/** The time ranges the run lists offer, as the `range` of a URL. */
export const TIME_RANGES = [
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { value: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
] as const;

/** One of {@link TIME_RANGES}, or `all`. */
export type TimeRange = (typeof TIME_RANGES)[number]['value'] | 'all';

/** A `range` from a URL; `all` for anything unknown. */
export function parseTimeRange(value: string | null | undefined): TimeRange {
  return TIME_RANGES.some(r => r.value === value)
    ? (value as TimeRange)
    : 'all';
}

/** `createdAfter` of a time range as of `now`; none for all time. */
export function createdAfter(
  range: TimeRange,
  now: number,
): string | undefined {
  const found = TIME_RANGES.find(r => r.value === range);
  return found ? new Date(now - found.ms).toISOString() : undefined;
}

/** Statuses from a comma-separated list (a URL's `status`), unknown ones dropped. */
export function parseStatuses(
  value: string | null | undefined,
): DagsterRunStatus[] {
  if (!value) {
    return [];
  }
  return value
    .split(',')
    .map(s => s.trim().toUpperCase())
    .filter((s): s is DagsterRunStatus =>
      DAGSTER_RUN_STATUSES.includes(s as DagsterRunStatus),
    );
}

/** Filters shared by the product's and the tenant's run lists. */
export interface RunFilters {
  statuses: DagsterRunStatus[];
  range: TimeRange;
  /** Tenant list only. */
  product?: string;
  job?: string;
}

/** The backend query of some filters, the time range as of `now`. */
export function filtersToQuery(filters: RunFilters, now: number): RunListQuery {
  return {
    statuses: filters.statuses.length ? filters.statuses : undefined,
    createdAfter: createdAfter(filters.range, now),
    product: filters.product || undefined,
    job: filters.job || undefined,
  };
}

// The Akili pages' one way of showing times.
export { formatRelative, formatTimestamp } from '@akili/plugin-akili-react';
