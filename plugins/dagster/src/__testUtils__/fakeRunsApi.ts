import { ResponseError } from '@backstage/errors';
import type { AkiliIdentityInfo } from '@akili/plugin-akili-common';
import {
  DAGSTER_ERROR_NAMES,
  ProductRunTarget,
  RunDetail,
  RunListQuery,
  RunLogEvent,
  RunAuditEntry,
  RunPermissions,
  RunSummary,
} from '@akili/plugin-dagster-common';
import type { DagsterRunsApi } from '../api';

/** A `ResponseError` as the client throws it for a Backstage error body. */
export async function responseError(
  statusCode: number,
  name: string,
  message: string,
): Promise<ResponseError> {
  const body = JSON.stringify({
    error: { name, message },
    response: { statusCode },
  });
  return ResponseError.fromResponse({
    status: statusCode,
    statusText: '',
    headers: { get: () => 'application/json' },
    text: async () => body,
  } as unknown as Response);
}

/** The backend's 503 when `dagster.baseUrl` is not set. */
export const notConfiguredError = () =>
  responseError(
    503,
    DAGSTER_ERROR_NAMES.notConfigured,
    'Dagster is not configured: set dagster.baseUrl',
  );

/** The backend's 503 when Dagster does not answer. */
export const unavailableError = () =>
  responseError(
    503,
    DAGSTER_ERROR_NAMES.unavailable,
    'Dagster did not answer within 10s',
  );

/** An ISO time `minutes` before now. */
export function minutesAgo(minutes: number): string {
  return new Date(Date.now() - minutes * 60_000).toISOString();
}

export const ordersTarget: ProductRunTarget = {
  product: 'dataproduct:acme/orders',
  tenant: 'acme',
  codeLocation: 'acme_orders',
  repository: '__repository__',
  jobs: ['orders_job', 'orders_backfill_job'],
  assetKeys: [
    ['sales', 'orders'],
    ['sales', 'order_lines'],
  ],
};

const acmeRun = (run: Partial<RunSummary> & { runId: string }): RunSummary => ({
  jobName: 'orders_job',
  status: 'SUCCESS',
  tenant: 'acme',
  product: 'dataproduct:acme/orders',
  createdAt: minutesAgo(120),
  ...run,
});

/** A finished run of each kind, newest first: scheduled success, failed by a user, sensor. */
export const finishedRuns = (): RunSummary[] => [
  acmeRun({
    runId: 'aaaa1111-0000-4000-8000-000000000001',
    createdAt: minutesAgo(61),
    startedAt: minutesAgo(60),
    endedAt: minutesAgo(58.9),
    durationMs: 65_000,
    launchedBy: 'schedule:orders_daily',
  }),
  acmeRun({
    runId: 'bbbb2222-0000-4000-8000-000000000002',
    status: 'FAILURE',
    createdAt: minutesAgo(181),
    startedAt: minutesAgo(180),
    endedAt: minutesAgo(118),
    durationMs: 3_723_000,
    launchedBy: 'user:default/jane',
  }),
  acmeRun({
    runId: 'cccc3333-0000-4000-8000-000000000003',
    jobName: 'orders_backfill_job',
    createdAt: minutesAgo(60 * 30),
    startedAt: minutesAgo(60 * 30),
    endedAt: minutesAgo(60 * 30 - 2),
    durationMs: 120_000,
    launchedBy: 'sensor:new_orders',
  }),
];

/** A run that started three minutes ago and is still running. */
export const runningRun = (): RunSummary =>
  acmeRun({
    runId: 'dddd4444-0000-4000-8000-000000000004',
    status: 'STARTED',
    createdAt: minutesAgo(4),
    startedAt: minutesAgo(3),
    durationMs: 180_000,
    launchedBy: 'user:default/omar',
  });

/** The detail of a run as `GET /v1/runs/:runId` returns it. */
export function runDetail(
  run: RunSummary,
  extra: Partial<RunDetail> = {},
): RunDetail {
  return {
    ...run,
    tags: {
      'akili/tenant': run.tenant,
      ...(run.product ? { 'akili/product': run.product } : {}),
    },
    canTerminate: ['QUEUED', 'STARTING', 'STARTED'].includes(run.status),
    repositoryLocationName: 'acme_orders',
    repositoryName: '__repository__',
    stats: { stepsSucceeded: 1, stepsFailed: run.status === 'FAILURE' ? 1 : 0 },
    steps: [
      {
        stepKey: 'load_orders',
        status: 'SUCCESS',
        startedAt: run.startedAt,
        endedAt: run.startedAt
          ? new Date(Date.parse(run.startedAt) + 42_000).toISOString()
          : undefined,
        attempts: 1,
      },
      {
        stepKey: 'clean_orders',
        status: run.status === 'FAILURE' ? 'FAILURE' : 'SUCCESS',
        startedAt: run.startedAt,
        attempts: 2,
        endedAt: run.endedAt,
      },
    ],
    ...extra,
  };
}

/** A log: a start, some info, a warning, a failure with a stack. */
export const failedRunLog = (): RunLogEvent[] => [
  {
    timestamp: minutesAgo(180),
    level: 'DEBUG',
    message: 'Started process for run (pid: 42).',
    eventType: 'ENGINE_EVENT',
  },
  {
    timestamp: minutesAgo(179),
    level: 'INFO',
    message: 'Loaded 1,204 orders from shop-db',
    stepKey: 'load_orders',
    eventType: 'STEP_OUTPUT',
  },
  {
    timestamp: minutesAgo(150),
    level: 'WARNING',
    message: '17 orders without customer email',
    stepKey: 'clean_orders',
  },
  {
    timestamp: minutesAgo(118),
    level: 'ERROR',
    message: 'Execution of step "clean_orders" failed.',
    stepKey: 'clean_orders',
    eventType: 'STEP_FAILURE',
    error: {
      message: 'KeyError: total_amount',
      stack: 'Traceback (most recent call last):\n  File "clean.py", line 12',
    },
  },
];

export const operatorIdentity: AkiliIdentityInfo = {
  userEntityRef: 'user:default/jane',
  platformAdmin: false,
  tenants: [
    { name: 'acme', roles: ['operator', 'developer'] },
    { name: 'globex', roles: ['consumer'] },
  ],
};

const ALL_PERMISSIONS = { read: true, launch: true, terminate: true };

/** Applies the filters and paging of a run list the way the backend does. */
function page(runs: RunSummary[], query: RunListQuery = {}) {
  const matching = runs.filter(
    run =>
      (!query.statuses?.length || query.statuses.includes(run.status)) &&
      (!query.createdAfter || run.createdAt >= query.createdAfter) &&
      (!query.job || run.jobName === query.job) &&
      (!query.product || run.product === query.product),
  );
  const start = query.cursor ? Number(query.cursor) : 0;
  const end = start + (query.limit ?? 25);
  return {
    items: matching.slice(start, end),
    nextCursor: end < matching.length ? String(end) : undefined,
  };
}

/**
 * ACME's run control audit trail, newest first: a launch Dagster was down for, a re-execution
 * whose answer was never recorded, a termination and a launch that succeeded.
 */
export const acmeRunAudit: RunAuditEntry[] = [
  {
    id: '4',
    tenant: 'acme',
    action: 'run.launched',
    actor: 'user:default/jane',
    product: 'dataproduct:acme/orders',
    details: { job: 'orders_job' },
    at: '2025-03-02T12:00:00Z',
    outcome: 'failed',
    outcomeAt: '2025-03-02T12:00:05Z',
    error:
      'DagsterUnavailableError: Dagster at http://dagster:3000 could not be reached (AkiliLaunchRun): ECONNREFUSED',
  },
  {
    id: '3',
    tenant: 'acme',
    action: 'run.reexecuted',
    actor: 'user:default/jane',
    product: 'dataproduct:acme/orders',
    details: {
      parentRunId: 'aaaa1111-0000-4000-8000-000000000001',
      strategy: 'ALL_STEPS',
    },
    at: '2025-03-02T11:00:00Z',
    outcome: 'unknown',
  },
  {
    id: '2',
    tenant: 'acme',
    action: 'run.terminated',
    actor: 'user:default/olga',
    runId: 'aaaa1111-0000-4000-8000-000000000001',
    product: 'dataproduct:acme/orders',
    details: { statusBefore: 'STARTED' },
    at: '2025-03-02T10:00:00Z',
    outcome: 'succeeded',
    outcomeAt: '2025-03-02T10:00:01Z',
  },
  {
    id: '1',
    tenant: 'acme',
    action: 'run.launched',
    actor: 'user:default/jane',
    runId: 'aaaa1111-0000-4000-8000-000000000001',
    product: 'dataproduct:acme/orders',
    details: { job: 'orders_job', runConfig: true },
    at: '2025-03-02T09:00:00Z',
    outcome: 'succeeded',
    outcomeAt: '2025-03-02T09:00:01Z',
  },
];

/**
 * A {@link DagsterRunsApi} over data the test can change while the page is shown (`state`):
 * every method is a `jest.fn` so tests can assert calls or make one fail.
 */
export function fakeRunsApi(
  options: {
    runs?: RunSummary[];
    tenantRuns?: RunSummary[];
    details?: RunDetail[];
    logs?: Record<string, RunLogEvent[]>;
    permissions?: Partial<RunPermissions>;
    identity?: AkiliIdentityInfo;
    /** What the product's manifest says about its runs, over {@link ordersTarget}. */
    target?: Partial<ProductRunTarget>;
  } = {},
) {
  const state = {
    runs: options.runs ?? finishedRuns(),
    tenantRuns: options.tenantRuns,
    details: new Map(
      (options.details ?? []).map(detail => [detail.runId, detail]),
    ),
    logs: options.logs ?? {},
    permissions: { ...ALL_PERMISSIONS, ...options.permissions },
    launched: 0,
  };

  const findDetail = async (runId: string) => {
    const summary = state.runs.find(r => r.runId === runId);
    const detail =
      state.details.get(runId) ?? (summary ? runDetail(summary) : undefined);
    if (!detail) {
      throw await responseError(404, 'NotFoundError', `No run ${runId}`);
    }
    return detail;
  };

  const api = {
    listProductRuns: jest.fn(async (namespace, name, query) => ({
      ...page(state.runs, query),
      target: {
        ...ordersTarget,
        product: `dataproduct:${namespace}/${name}`,
        ...options.target,
      },
    })),
    launchRun: jest.fn(async (_namespace, _name, request) => {
      state.launched++;
      const run: RunDetail = runDetail({
        runId: `eeee555${state.launched}-0000-4000-8000-00000000000${state.launched}`,
        jobName: request.job ?? ordersTarget.jobs[0],
        status: 'QUEUED',
        tenant: 'acme',
        product: 'dataproduct:acme/orders',
        createdAt: new Date().toISOString(),
        launchedBy: 'user:default/jane',
      });
      state.runs = [run, ...state.runs];
      return run;
    }),
    getRun: jest.fn(findDetail),
    getRunLogs: jest.fn(async (runId, query) => {
      const levels = query?.levels;
      const events = (state.logs[runId] ?? []).filter(
        e => !levels?.length || levels.includes(e.level),
      );
      const start = query?.cursor ? Number(query.cursor) : 0;
      const end = Math.min(events.length, start + (query?.limit ?? 200));
      return {
        events: events.slice(start, end),
        cursor: String(end),
        hasMore: end < events.length,
      };
    }),
    reexecuteRun: jest.fn(async runId => {
      const parent = await findDetail(runId);
      const run = runDetail({
        ...parent,
        runId: 'ffff6666-0000-4000-8000-000000000006',
        status: 'QUEUED',
        startedAt: undefined,
        endedAt: undefined,
        durationMs: undefined,
        parentRunId: parent.runId,
        rootRunId: parent.rootRunId ?? parent.runId,
      });
      state.details.set(run.runId, run);
      return run;
    }),
    terminateRun: jest.fn(async runId => {
      const run: RunDetail = {
        ...(await findDetail(runId)),
        status: 'CANCELING',
        canTerminate: false,
      };
      state.details.set(runId, run);
      return run;
    }),
    listTenantRuns: jest.fn(async (tenant, query) =>
      page(
        (state.tenantRuns ?? state.runs).filter(r => r.tenant === tenant),
        query,
      ),
    ),
    listRunAudit: jest.fn(async tenant => ({
      items: tenant === 'acme' ? acmeRunAudit : [],
    })),
    getRunPermissions: jest.fn(async tenant => ({
      tenant,
      ...state.permissions,
    })),
    getIdentity: jest.fn(async () => options.identity ?? operatorIdentity),
    listTenantNames: jest.fn(async () => ['acme', 'globex', 'initech']),
  } satisfies Record<keyof DagsterRunsApi, jest.Mock>;

  return Object.assign(api as typeof api & DagsterRunsApi, { state });
}

export type FakeRunsApi = ReturnType<typeof fakeRunsApi>;
