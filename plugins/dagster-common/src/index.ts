/**
 * Types shared by the Akili runs plugins (`@akili/plugin-dagster-backend` and
 * `@akili/plugin-dagster`): Dagster runs as the portal shows them, and the shapes of the runs
 * REST API (`/api/dagster/v1/...`).
 *
 * @packageDocumentation
 */

// The code location rule lives with the tenancy model (manifests are checked against it at
// ingestion); the runs plugins use it from here too.
export {
  CODE_LOCATION_TENANT_SEPARATOR,
  describeTenantCodeLocations,
  isCodeLocationOfTenant,
} from '@akili/plugin-akili-common';
export * from './permissions';

/**
 * Dagster's `RunStatus`.
 *
 * @public
 */
export type DagsterRunStatus =
  | 'QUEUED'
  | 'NOT_STARTED'
  | 'MANAGED'
  | 'STARTING'
  | 'STARTED'
  | 'SUCCESS'
  | 'FAILURE'
  | 'CANCELING'
  | 'CANCELED';

/** @public */
export const DAGSTER_RUN_STATUSES: readonly DagsterRunStatus[] = [
  'QUEUED',
  'NOT_STARTED',
  'MANAGED',
  'STARTING',
  'STARTED',
  'SUCCESS',
  'FAILURE',
  'CANCELING',
  'CANCELED',
];

/**
 * Statuses of a run that has not finished yet (the portal refreshes while any is shown).
 *
 * @public
 */
export const DAGSTER_IN_FLIGHT_STATUSES: readonly DagsterRunStatus[] = [
  'QUEUED',
  'NOT_STARTED',
  'MANAGED',
  'STARTING',
  'STARTED',
  'CANCELING',
];

/**
 * The run tags Akili sets on every run it launches, and filters every query by.
 *
 * @public
 */
export const AKILI_RUN_TAGS = {
  /** The tenant (catalog namespace) the run belongs to. */
  tenant: 'akili/tenant',
  /** The data product: its entity ref `dataproduct:<tenant>/<name>`. */
  product: 'akili/product',
  /** Who asked: a user entity ref, for runs launched from the portal. */
  requestedBy: 'akili/requested-by',
  /** The id of the run audit entry (the intent) of the portal's launch or re-execution. */
  auditIntent: 'akili/audit-intent',
} as const;

/**
 * One run in a list.
 *
 * @public
 */
export interface RunSummary {
  runId: string;
  jobName: string;
  status: DagsterRunStatus;
  /** The run's tenant (its `akili/tenant` tag). */
  tenant: string;
  /** The data product entity ref (its `akili/product` tag), when set. */
  product?: string;
  /** ISO 8601 times. */
  createdAt: string;
  startedAt?: string;
  endedAt?: string;
  /** From start to end, or to now while the run is in flight; absent before it starts. */
  durationMs?: number;
  /**
   * Who launched it: the `akili/requested-by` user entity ref, `schedule:<name>` or
   * `sensor:<name>` for Dagster's automation (tags `dagster/schedule_name`,
   * `dagster/sensor_name`), else absent.
   */
  launchedBy?: string;
  /** Asset keys the run materializes, when it was launched with an asset selection. */
  assetSelection?: string[][];
  /** The run this one re-executes, and the first of its chain. */
  parentRunId?: string;
  rootRunId?: string;
}

/**
 * A step of a run, from Dagster's step stats.
 *
 * @public
 */
export interface RunStep {
  stepKey: string;
  /** `IN_PROGRESS`, `SUCCESS`, `FAILURE`, `SKIPPED` or `UP_FOR_RETRY` (Dagster's `StepEventStatus`). */
  status?: string;
  startedAt?: string;
  endedAt?: string;
  attempts?: number;
}

/**
 * One run with everything the run page shows.
 *
 * @public
 */
export interface RunDetail extends RunSummary {
  tags: Record<string, string>;
  /** Whether Dagster would accept a terminate request now. */
  canTerminate: boolean;
  /** The run config as Dagster shows it (YAML). */
  runConfigYaml?: string;
  repositoryLocationName?: string;
  repositoryName?: string;
  stats?: {
    stepsSucceeded: number;
    stepsFailed: number;
    enqueuedAt?: string;
    launchedAt?: string;
    startedAt?: string;
    endedAt?: string;
  };
  steps: RunStep[];
}

/**
 * Dagster's log levels.
 *
 * @public
 */
export type RunLogLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';

/** @public */
export const RUN_LOG_LEVELS: readonly RunLogLevel[] = [
  'DEBUG',
  'INFO',
  'WARNING',
  'ERROR',
  'CRITICAL',
];

/**
 * One event of a run's log.
 *
 * @public
 */
export interface RunLogEvent {
  /** ISO 8601. */
  timestamp: string;
  level: RunLogLevel;
  message: string;
  stepKey?: string;
  /** Dagster's `DagsterEventType`, e.g. `STEP_FAILURE`, when the event is one. */
  eventType?: string;
  /** For failure events: the error. */
  error?: { message: string; stack?: string };
}

/**
 * A page of a run's log: `GET /v1/runs/:runId/logs?cursor=&limit=&levels=`.
 *
 * @public
 */
export interface RunLogPage {
  events: RunLogEvent[];
  /** Pass as `cursor` to read on from here (also when `hasMore` is false: to follow a live run). */
  cursor: string;
  /** Whether more events were already there beyond this page. */
  hasMore: boolean;
}

/**
 * A page of runs, newest first.
 *
 * @public
 */
export interface RunListResponse {
  items: RunSummary[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

/**
 * What the manifest of a data product says about its Dagster runs.
 *
 * @public
 */
export interface ProductRunTarget {
  /** `dataproduct:<tenant>/<name>`. */
  product: string;
  tenant: string;
  codeLocation: string;
  repository: string;
  /** The product's jobs (its `transformation.dagster.job`), possibly none. */
  jobs: string[];
  assetKeys: string[][];
}

/**
 * `GET /v1/products/:namespace/:name/runs`: the product's runs and what can be launched.
 *
 * @public
 */
export interface ProductRunsResponse extends RunListResponse {
  target: ProductRunTarget;
}

/**
 * The sections of Dagster run config a launch from the portal may set: only `ops`. The others
 * (`execution`, `resources`, `loggers`) belong to the code location's definitions: executor
 * config can move a run's steps to another Kubernetes namespace or service account, resource
 * config can point a run at other storage, neither of which a tenant's launch may choose.
 *
 * @public
 */
export const LAUNCH_RUN_CONFIG_SECTIONS: readonly string[] = ['ops'];

/**
 * What is wrong with the sections of a launch's run config, or nothing (see
 * {@link LAUNCH_RUN_CONFIG_SECTIONS}).
 *
 * @public
 */
export function launchRunConfigProblem(
  runConfig: Record<string, unknown>,
): string | undefined {
  const others = Object.keys(runConfig).filter(
    key => !LAUNCH_RUN_CONFIG_SECTIONS.includes(key),
  );
  return others.length > 0
    ? `run config may set only ${LAUNCH_RUN_CONFIG_SECTIONS.join(
        ', ',
      )}, not ${others.join(
        ', ',
      )}: execution, resources and loggers come from the product's code location`
    : undefined;
}

/**
 * `POST /v1/products/:namespace/:name/runs`: launch the product's job, or materialize some of
 * its assets. `runConfig` is validated by Dagster.
 *
 * @public
 */
export interface LaunchRunRequest {
  /** One of the product's jobs; default its only job. */
  job?: string;
  /** A subset of the product's asset keys to materialize instead of the whole job. */
  assetKeys?: string[][];
  /** Dagster run config, as JSON: only `ops` (see {@link LAUNCH_RUN_CONFIG_SECTIONS}). */
  runConfig?: Record<string, unknown>;
}

/**
 * `POST /v1/runs/:runId/reexecute`.
 *
 * @public
 */
export interface ReexecuteRunRequest {
  /** Default `FROM_FAILURE`. */
  strategy?: 'FROM_FAILURE' | 'ALL_STEPS';
}

/**
 * What the caller may do with runs of a tenant: `GET /v1/tenants/:tenant/run-permissions`, so
 * the portal shows only the buttons that will work.
 *
 * @public
 */
export interface RunPermissions {
  tenant: string;
  read: boolean;
  /** Launch and re-execute. */
  launch: boolean;
  terminate: boolean;
}

/**
 * Filters of the run lists: `?status=SUCCESS,FAILURE&createdAfter=<ISO>&createdBefore=<ISO>&
 * job=<name>&product=<ref>&limit=&cursor=`.
 *
 * @public
 */
export interface RunListQuery {
  statuses?: DagsterRunStatus[];
  createdAfter?: string;
  createdBefore?: string;
  /** Operators' tenant list only: one job, or one product. */
  job?: string;
  product?: string;
  limit?: number;
  cursor?: string;
}

/**
 * The `error.name` of the runs API's 503 answers, so the portal can tell "not set up" from "down".
 *
 * @public
 */
export const DAGSTER_ERROR_NAMES = {
  /** No `dagster.baseUrl` in the backend's configuration. */
  notConfigured: 'DagsterNotConfiguredError',
  /** Dagster did not answer in time, refused the connection, or answered with a server error. */
  unavailable: 'DagsterUnavailableError',
} as const;

/**
 * One entry of a tenant's run control audit trail: `GET /v1/tenants/:tenant/run-audit`
 * (operators), newest first, paged with `cursor`.
 *
 * @public
 */
export interface RunAuditEntry {
  id: string;
  tenant: string;
  action: 'run.launched' | 'run.reexecuted' | 'run.terminated';
  /** Who asked: a user entity ref (or an API token, `token:<id>`). */
  actor: string;
  /**
   * The run launched or the new run of a re-execution (known once Dagster answered), or the run
   * terminated.
   */
  runId?: string;
  product?: string;
  /**
   * `run.launched`: `{ job, assetKeys?, runConfig? }` (whether a run config was given);
   * `run.reexecuted`: `{ parentRunId, strategy }`; `run.terminated`: `{ statusBefore }`.
   */
  details: Record<string, unknown>;
  /** When it was asked for (ISO 8601): the intent, recorded before the portal asked Dagster. */
  at: string;
  /**
   * What became of it: `succeeded` or `failed` once Dagster answered (or could not be reached);
   * `unknown` while no outcome is recorded: in flight, or the portal stopped before it could
   * record one (look the run up in Dagster).
   */
  outcome: 'succeeded' | 'failed' | 'unknown';
  /** When the outcome was recorded (ISO 8601). */
  outcomeAt?: string;
  /** Why it failed, as the person who asked was told. */
  error?: string;
}
