import {
  AKILI_RUN_TAGS,
  DagsterRunStatus,
  RUN_LOG_LEVELS,
  RunDetail,
  RunLogEvent,
  RunLogLevel,
  RunStep,
  RunSummary,
} from '@akili/plugin-dagster-common';

/** A Dagster run id as the portal takes it: Dagster makes UUIDs; anything else is refused. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;

/** A run as the summary fields of the operations select it. */
export interface DagsterRunSummary {
  runId: string;
  jobName: string;
  status: DagsterRunStatus;
  creationTime: number;
  startTime?: number | null;
  endTime?: number | null;
  updateTime?: number | null;
  parentRunId?: string | null;
  rootRunId?: string | null;
  tags: Array<{ key: string; value: string }>;
  assetSelection?: Array<{ path: string[] }> | null;
  /** Where the run's job comes from; null for runs Dagster did not launch from a location. */
  repositoryOrigin?: {
    repositoryLocationName: string;
    repositoryName: string;
  } | null;
}

/** A run as the detail fields select it. */
export interface DagsterRunDetail extends DagsterRunSummary {
  canTerminate: boolean;
  runConfigYaml?: string | null;
  stats?:
    | {
        __typename: 'RunStatsSnapshot';
        stepsSucceeded: number;
        stepsFailed: number;
        enqueuedTime?: number | null;
        launchTime?: number | null;
        startTime?: number | null;
        endTime?: number | null;
      }
    | { __typename: 'PythonError'; message: string };
  stepStats?: Array<{
    stepKey: string;
    status?: string | null;
    startTime?: number | null;
    endTime?: number | null;
    attempts?: Array<unknown>;
  }>;
}

/** A log event as the logs operation selects it. */
export interface DagsterLogEvent {
  __typename: string;
  message?: string;
  timestamp?: string;
  level?: string;
  stepKey?: string | null;
  eventType?: string | null;
  error?: { message: string; stack?: string[] | string | null } | null;
}

/** Dagster times are epoch seconds (floats). */
function isoFromSeconds(
  seconds: number | null | undefined,
): string | undefined {
  return typeof seconds === 'number' && Number.isFinite(seconds)
    ? new Date(Math.round(seconds * 1000)).toISOString()
    : undefined;
}

/** A run's tags as a map; the last of duplicate keys wins, as in Dagster's filters. */
export function tagsOf(
  run: Pick<DagsterRunSummary, 'tags'>,
): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const { key, value } of run.tags ?? []) {
    tags[key] = value;
  }
  return tags;
}

function launchedBy(tags: Record<string, string>): string | undefined {
  if (tags[AKILI_RUN_TAGS.requestedBy]) {
    return tags[AKILI_RUN_TAGS.requestedBy];
  }
  if (tags['dagster/schedule_name']) {
    return `schedule:${tags['dagster/schedule_name']}`;
  }
  if (tags['dagster/sensor_name']) {
    return `sensor:${tags['dagster/sensor_name']}`;
  }
  return undefined;
}

/** The portal's view of a run in a list. `now` measures runs still in flight. */
export function toRunSummary(
  run: DagsterRunSummary,
  now = Date.now(),
  tags: Record<string, string> = tagsOf(run),
): RunSummary {
  const startedAt = isoFromSeconds(run.startTime);
  const endedAt = isoFromSeconds(run.endTime);
  const summary: RunSummary = {
    runId: run.runId,
    jobName: run.jobName,
    status: run.status,
    tenant: tags[AKILI_RUN_TAGS.tenant] ?? '',
    createdAt: isoFromSeconds(run.creationTime) ?? new Date(0).toISOString(),
  };
  if (tags[AKILI_RUN_TAGS.product])
    summary.product = tags[AKILI_RUN_TAGS.product];
  if (startedAt) summary.startedAt = startedAt;
  if (endedAt) summary.endedAt = endedAt;
  if (typeof run.startTime === 'number') {
    const end = typeof run.endTime === 'number' ? run.endTime * 1000 : now;
    summary.durationMs = Math.max(0, Math.round(end - run.startTime * 1000));
  }
  const by = launchedBy(tags);
  if (by) summary.launchedBy = by;
  if (run.assetSelection?.length) {
    summary.assetSelection = run.assetSelection.map(key => key.path);
  }
  if (run.parentRunId) summary.parentRunId = run.parentRunId;
  if (run.rootRunId) summary.rootRunId = run.rootRunId;
  return summary;
}

/** The portal's view of one run. */
export function toRunDetail(
  run: DagsterRunDetail,
  now = Date.now(),
): RunDetail {
  const steps: RunStep[] = (run.stepStats ?? []).map(step => {
    const result: RunStep = { stepKey: step.stepKey };
    if (step.status) result.status = step.status;
    const startedAt = isoFromSeconds(step.startTime);
    const endedAt = isoFromSeconds(step.endTime);
    if (startedAt) result.startedAt = startedAt;
    if (endedAt) result.endedAt = endedAt;
    if (step.attempts) result.attempts = Math.max(1, step.attempts.length);
    return result;
  });
  const detail: RunDetail = {
    ...toRunSummary(run, now),
    tags: tagsOf(run),
    canTerminate: run.canTerminate,
    steps,
  };
  if (run.runConfigYaml) detail.runConfigYaml = run.runConfigYaml;
  if (run.repositoryOrigin) {
    detail.repositoryLocationName = run.repositoryOrigin.repositoryLocationName;
    detail.repositoryName = run.repositoryOrigin.repositoryName;
  }
  if (run.stats?.__typename === 'RunStatsSnapshot') {
    const stats: RunDetail['stats'] = {
      stepsSucceeded: run.stats.stepsSucceeded,
      stepsFailed: run.stats.stepsFailed,
    };
    const times = {
      enqueuedAt: run.stats.enqueuedTime,
      launchedAt: run.stats.launchTime,
      startedAt: run.stats.startTime,
      endedAt: run.stats.endTime,
    };
    for (const [key, seconds] of Object.entries(times)) {
      const iso = isoFromSeconds(seconds);
      if (iso) stats[key as keyof typeof times] = iso;
    }
    detail.stats = stats;
  }
  return detail;
}

function levelOf(level: string | undefined): RunLogLevel {
  return RUN_LOG_LEVELS.includes(level as RunLogLevel)
    ? (level as RunLogLevel)
    : 'INFO';
}

/** One log event; `timestamp` is a string of epoch milliseconds in Dagster. */
export function toRunLogEvent(event: DagsterLogEvent): RunLogEvent {
  const millis = Number(event.timestamp);
  const result: RunLogEvent = {
    timestamp: Number.isFinite(millis)
      ? new Date(millis).toISOString()
      : new Date(0).toISOString(),
    level: levelOf(event.level),
    message: event.message ?? '',
  };
  if (event.stepKey) result.stepKey = event.stepKey;
  if (event.eventType) result.eventType = event.eventType;
  if (event.error) {
    const stack = Array.isArray(event.error.stack)
      ? event.error.stack.join('')
      : event.error.stack ?? undefined;
    result.error = {
      message: event.error.message,
      ...(stack ? { stack } : {}),
    };
  }
  return result;
}
