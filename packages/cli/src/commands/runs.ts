import {
  DAGSTER_RUN_STATUSES,
  DagsterRunStatus,
  ProductRunsResponse,
  RunDetail,
  RunSummary,
} from '@akili/plugin-dagster-common';
import { NotSignedInError, ResolvedLogin, resolveLogin } from '../lib/config';
import { CliIo, ExitCode, UsageError } from '../lib/io';
import {
  PortalRequest,
  PortalResponse,
  PortalUnavailableError,
  callPortal,
  describeFailure,
  exitCodeForStatus,
  timeoutFromEnv,
} from '../lib/portal';
import { printable, renderTable } from '../lib/table';
import { checkName, requireTenant } from '../lib/names';

/** The most runs the runs API answers in one page. */
export const MAX_RUNS_LIMIT = 200;

/** A duration for people: `850ms`, `42s`, `3m 05s`, `2h 07m`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (minutes < 60) return `${minutes}m ${pad(seconds % 60)}s`;
  return `${Math.floor(minutes / 60)}h ${pad(minutes % 60)}m`;
}

/** An ISO 8601 time as `2026-12-03 08:15:02Z` (UTC, to the second), `-` when absent. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '-';
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return iso;
  return `${time.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** The statuses of `--status` (comma-separated, any case), checked against Dagster's. */
export function readStatuses(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const statuses = value.split(',').map(s => s.trim().toUpperCase());
  const unknown = statuses.filter(
    s => !DAGSTER_RUN_STATUSES.includes(s as DagsterRunStatus),
  );
  if (unknown.length > 0) {
    throw new UsageError(
      `--status: unknown ${unknown.join(
        ', ',
      )} (one of ${DAGSTER_RUN_STATUSES.join(', ')}, comma-separated)`,
    );
  }
  return statuses.join(',');
}

/** `--limit`: a whole number from 1 to `max`. */
export function readLimit(
  value: number | undefined,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new UsageError(
      `--limit must be a whole number from 1 to ${max}, not ${value}`,
    );
  }
  return value;
}

/**
 * Signs in and calls the runs API; answers the response, or the exit code when the call could
 * not be made (the message is printed).
 */
async function callRunsApi(
  io: CliIo,
  request: Omit<PortalRequest, 'plugin' | 'method'>,
): Promise<
  { response: PortalResponse; login: ResolvedLogin } | { code: ExitCode }
> {
  let login: ResolvedLogin;
  try {
    login = await resolveLogin(io.env);
  } catch (error) {
    if (error instanceof NotSignedInError) {
      io.err(`${error.message}\n`);
      return { code: ExitCode.Auth };
    }
    throw error;
  }
  const timeoutMs = timeoutFromEnv(io.env);
  try {
    const response = await callPortal(login, {
      ...request,
      method: 'GET',
      plugin: 'dagster',
      timeoutMs,
    });
    return { response, login };
  } catch (error) {
    if (error instanceof PortalUnavailableError) {
      io.err(`${error.message}\n`);
      return { code: ExitCode.Unavailable };
    }
    throw error;
  }
}

function runRows(runs: RunSummary[]): string[][] {
  return runs.map(run => [
    run.runId,
    run.status,
    formatTime(run.startedAt),
    formatDuration(run.durationMs),
    run.jobName,
  ]);
}

/**
 * `akili runs <product> --tenant <t>`: the product's Dagster runs, newest first, from
 * `GET /api/dagster/v1/products/:tenant/:product/runs` (the tenant is the route's).
 */
export async function runListRuns(
  product: string,
  options: {
    tenant?: string;
    limit?: number;
    status?: string;
    cursor?: string;
    format: 'text' | 'json';
  },
  io: CliIo,
): Promise<ExitCode> {
  const tenant = requireTenant(options.tenant, 'of the product');
  checkName('product', product);
  const limit = readLimit(options.limit, MAX_RUNS_LIMIT);
  const status = readStatuses(options.status);

  const call = await callRunsApi(io, {
    path: `/v1/products/${encodeURIComponent(tenant)}/${encodeURIComponent(
      product,
    )}/runs`,
    query: { limit: limit?.toString(), status, cursor: options.cursor },
  });
  if ('code' in call) return call.code;
  const { response, login } = call;
  const ref = `dataproduct:${tenant}/${product}`;
  if (response.status !== 200) {
    io.err(`${ref}: ${describeFailure(response, login)}\n`);
    return exitCodeForStatus(response.status);
  }
  const body = response.body as ProductRunsResponse;
  if (!Array.isArray(body?.items)) {
    io.err(
      `${ref}: ${login.url} answered without a list of runs: is it the portal's backend?\n`,
    );
    return ExitCode.Unavailable;
  }
  if (options.format === 'json') {
    io.out(`${JSON.stringify(body, null, 2)}\n`);
    return ExitCode.Ok;
  }
  if (body.items.length === 0) {
    io.err(`${ref}: no runs${status ? ` with status ${status}` : ''}\n`);
    return ExitCode.Ok;
  }
  io.out(
    `${renderTable(
      ['RUN ID', 'STATUS', 'STARTED', 'DURATION', 'JOB'],
      runRows(body.items),
    ).join('\n')}\n`,
  );
  if (body.nextCursor) {
    io.err(
      `More runs: add --cursor ${body.nextCursor} for the next ${body.items.length}\n`,
    );
  }
  return ExitCode.Ok;
}

/** `akili runs show <runId>`: one run with its steps, from `GET /api/dagster/v1/runs/:runId`. */
export async function runShowRun(
  runId: string,
  options: { format: 'text' | 'json' },
  io: CliIo,
): Promise<ExitCode> {
  // The runs API checks the id (a UUID) and answers 400 for anything else.
  const call = await callRunsApi(io, {
    path: `/v1/runs/${encodeURIComponent(runId)}`,
  });
  if ('code' in call) return call.code;
  const { response, login } = call;
  if (response.status !== 200) {
    io.err(`Run ${runId}: ${describeFailure(response, login)}\n`);
    return exitCodeForStatus(response.status);
  }
  const run = response.body as RunDetail;
  if (typeof run?.runId !== 'string') {
    io.err(
      `Run ${runId}: ${login.url} answered without a run: is it the portal's backend?\n`,
    );
    return ExitCode.Unavailable;
  }
  if (options.format === 'json') {
    io.out(`${JSON.stringify(run, null, 2)}\n`);
    return ExitCode.Ok;
  }
  const fields: [string, string | undefined][] = [
    ['Run', run.runId],
    ['Status', run.status],
    ['Job', run.jobName],
    ['Product', run.product],
    ['Tenant', run.tenant],
    ['Created', formatTime(run.createdAt)],
    ['Started', formatTime(run.startedAt)],
    ['Ended', formatTime(run.endedAt)],
    ['Duration', formatDuration(run.durationMs)],
    ['Launched by', run.launchedBy],
    ['Re-executes', run.parentRunId],
    [
      'Steps',
      run.stats
        ? `${run.stats.stepsSucceeded} succeeded, ${run.stats.stepsFailed} failed`
        : undefined,
    ],
  ];
  const lines = fields
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${`${name}:`.padEnd(13)}${printable(value!)}`);
  if (run.steps?.length > 0) {
    lines.push(
      '',
      ...renderTable(
        ['STEP', 'STATUS', 'STARTED', 'ENDED', 'ATTEMPTS'],
        run.steps.map(step => [
          step.stepKey,
          step.status ?? '-',
          formatTime(step.startedAt),
          formatTime(step.endedAt),
          step.attempts === undefined ? '-' : String(step.attempts),
        ]),
      ),
    );
  }
  io.out(`${lines.join('\n')}\n`);
  return ExitCode.Ok;
}
