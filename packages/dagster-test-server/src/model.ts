/** Dagster's `RunStatus`. */
export type RunStatus =
  | 'QUEUED'
  | 'NOT_STARTED'
  | 'MANAGED'
  | 'STARTING'
  | 'STARTED'
  | 'SUCCESS'
  | 'FAILURE'
  | 'CANCELING'
  | 'CANCELED';

/** Dagster's `LogLevel`. */
export type LogLevel = 'CRITICAL' | 'ERROR' | 'INFO' | 'WARNING' | 'DEBUG';

/** Dagster's `StepEventStatus`. */
export type StepStatus = 'SKIPPED' | 'SUCCESS' | 'FAILURE' | 'IN_PROGRESS';

/**
 * The members of Dagster's `DagsterRunEvent` union that the server models. Each implements
 * `MessageEvent`; the failure and cancellation events also implement `ErrorEvent`.
 */
export type TestEventType =
  | 'RunEnqueuedEvent'
  | 'RunDequeuedEvent'
  | 'RunStartingEvent'
  | 'RunStartEvent'
  | 'RunSuccessEvent'
  | 'RunFailureEvent'
  | 'RunCancelingEvent'
  | 'RunCanceledEvent'
  | 'ExecutionStepStartEvent'
  | 'ExecutionStepSuccessEvent'
  | 'ExecutionStepFailureEvent'
  | 'ExecutionStepSkippedEvent'
  | 'LogMessageEvent'
  | 'EngineEvent';

/** A Python exception as Dagster serializes it (`PythonError`). */
export interface TestPythonError {
  /** `"<module>.<Class>: <text>\n"`, as Dagster formats it. */
  message: string;
  className?: string | null;
  stack: string[];
}

/** One entry of a run's event log. */
export interface TestRunEvent {
  type: TestEventType;
  message: string;
  /** Epoch milliseconds, as a string (Dagster's `MessageEvent.timestamp`). */
  timestamp: string;
  level: LogLevel;
  stepKey: string | null;
  /** Dagster's `DagsterEventType`; null for plain log messages. */
  eventType: string | null;
  error: TestPythonError | null;
}

/** An event to append: only the type is needed, the rest defaults from it. */
export type TestRunEventInput = Pick<TestRunEvent, 'type'> &
  Partial<Omit<TestRunEvent, 'type'>>;

/**
 * The config a job accepts under `ops.<op>.config`: per op, the keys it allows and which of them
 * are required. Other top-level keys Dagster always accepts (`execution`, `loggers`, `resources`)
 * are not checked further.
 */
export interface TestJobConfigSchema {
  ops: Record<string, { config: string[]; required?: string[] }>;
}

export interface TestJob {
  name: string;
  description?: string;
  /**
   * The job's step keys. Defaults to its assets' step keys (the asset key joined with `__`, as
   * Dagster names asset ops) plus the ops of its config schema, or `[name]` when it has neither.
   */
  ops?: string[];
  /** Keys of the assets the job materializes, e.g. `[['acme', 'orders', 'raw']]`. */
  assetKeys?: string[][];
  /** Without one, any run config is accepted. */
  configSchema?: TestJobConfigSchema;
  /** Tags of the job definition, which its launched runs carry too. */
  tags?: Record<string, string>;
}

/** An asset check defined in a repository (`@asset_check`), on an asset one of its jobs materializes. */
export interface TestAssetCheck {
  /** The key of the asset it checks. */
  assetKey: string[];
  name: string;
  description?: string;
  /** A blocking check stops downstream materializations when it fails (default false). */
  blocking?: boolean;
}

export interface TestRepository {
  /** Defaults to `__repository__`, the name Dagster gives a `Definitions` object's repository. */
  name?: string;
  jobs: TestJob[];
  /** The asset checks the repository defines. */
  assetChecks?: TestAssetCheck[];
}

/** A code location; adding one with the name of an existing one replaces it (a reload). */
export interface TestLocation {
  name: string;
  repositories?: TestRepository[];
  /** Makes the location one that failed to load, with this Python error message. */
  loadError?: string;
}

export interface TestStepStats {
  stepKey: string;
  status: StepStatus | null;
  /** Epoch seconds. */
  startTime: number | null;
  endTime: number | null;
}

/** Dagster's `RunStatsSnapshot`, derived from the event log. Times in epoch seconds. */
export interface TestRunStats {
  stepsSucceeded: number;
  stepsFailed: number;
  materializations: number;
  expectations: number;
  enqueuedTime: number | null;
  launchTime: number | null;
  startTime: number | null;
  endTime: number | null;
}

export interface TestRepositoryOrigin {
  repositoryLocationName: string;
  repositoryName: string;
}

/** A run as the server holds it. Times are epoch seconds, as Dagster's `Run` reports them. */
export interface TestRun {
  runId: string;
  jobName: string;
  status: RunStatus;
  /** Run tags; Dagster keeps them as a mapping, so a key appears once. */
  tags: Record<string, string>;
  creationTime: number;
  startTime: number | null;
  endTime: number | null;
  updateTime: number;
  parentRunId: string | null;
  rootRunId: string | null;
  runConfig: Record<string, unknown>;
  /** The run config as Dagster renders it (`runConfigYaml`). */
  runConfigYaml: string;
  repositoryOrigin: TestRepositoryOrigin;
  assetSelection: string[][] | null;
  /** The steps a re-execution from failure runs; null for all steps. */
  stepKeysToExecute: string[] | null;
  events: TestRunEvent[];
  stepStats: TestStepStats[];
  stats: TestRunStats;
}

/**
 * A run to add. Everything is optional: times default to a run created a minute ago and shaped
 * by its status, and without `events` the server writes the log such a run would have.
 */
export type TestRunInput = Partial<
  Omit<TestRun, 'runConfigYaml' | 'events' | 'stepStats' | 'stats'>
> & { events?: TestRunEventInput[] };

/** Dagster's `AssetCheckSeverity`. */
export type AssetCheckSeverity = 'WARN' | 'ERROR';

/**
 * What the instance stores of an asset check execution (`AssetCheckExecutionRecordStatus`):
 * `PLANNED` until an evaluation arrives. The status Dagster answers
 * (`AssetCheckExecutionResolvedStatus`) is resolved from it and from the run: a planned
 * execution of a finished run is `SKIPPED` (the run succeeded) or `EXECUTION_FAILED` (it did
 * not), `IN_PROGRESS` otherwise.
 */
export type AssetCheckExecutionRecordStatus =
  | 'PLANNED'
  | 'SUCCEEDED'
  | 'FAILED';

/** Dagster's `AssetCheckExecutionResolvedStatus`. */
export type AssetCheckExecutionResolvedStatus =
  | 'IN_PROGRESS'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'EXECUTION_FAILED'
  | 'SKIPPED';

/** A metadata entry of an evaluation; the members of Dagster's `MetadataEntry` the server models. */
export type TestMetadataEntry = {
  label: string;
  description?: string | null;
} & (
  | { type: 'float'; value: number | null }
  | { type: 'int'; value: number | null }
  | { type: 'text'; text: string }
  | { type: 'bool'; value: boolean | null }
  | { type: 'json'; json: unknown }
);

/** An asset check's evaluation (`AssetCheckEvaluation`). Times are epoch seconds. */
export interface TestAssetCheckEvaluation {
  success: boolean;
  severity: AssetCheckSeverity;
  metadataEntries: TestMetadataEntry[];
  description: string | null;
  timestamp: number;
  /** The materialization the check evaluated. */
  targetMaterialization: {
    storageId: string;
    runId: string;
    timestamp: number;
  } | null;
}

/** One execution of an asset check as the instance holds it. */
export interface TestAssetCheckExecution {
  /** The storage id, increasing across all executions (Dagster's `id`, a string). */
  id: string;
  assetKey: string[];
  checkName: string;
  runId: string;
  /** What is stored; see {@link AssetCheckExecutionRecordStatus}. */
  recordStatus: AssetCheckExecutionRecordStatus;
  /** When it was planned or evaluated, epoch seconds (Dagster's `timestamp`). */
  timestamp: number;
  partition: string | null;
  stepKey: string | null;
  evaluation: TestAssetCheckEvaluation | null;
}

/**
 * An execution to add. `success` makes it evaluated (`SUCCEEDED` or `FAILED`); without it the
 * execution is only planned. Severity defaults to `ERROR`, times to now.
 */
export interface TestAssetCheckExecutionInput {
  assetKey: string[];
  checkName: string;
  runId: string;
  success?: boolean;
  severity?: AssetCheckSeverity;
  metadataEntries?: TestMetadataEntry[];
  description?: string | null;
  timestamp?: number;
  partition?: string | null;
  stepKey?: string | null;
  targetMaterialization?: TestAssetCheckEvaluation['targetMaterialization'];
}
