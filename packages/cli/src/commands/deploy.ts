import {
  isFinalDeploymentStatus,
  ProductDeployment,
} from '@akili/plugin-akili-common';
import { NotSignedInError, ResolvedLogin, resolveLogin } from '../lib/config';
import { CliIo, ExitCode, UsageError } from '../lib/io';
import {
  PortalUnavailableError,
  callPortal,
  describeFailure,
  exitCodeForStatus,
  timeoutFromEnv,
} from '../lib/portal';
import { checkName, requireTenant } from '../lib/names';

/** Seconds between two reads of a followed deployment, unless `AKILI_POLL_INTERVAL` says. */
const DEFAULT_POLL_SECONDS = 3;
/** Failed reads in a row after which following gives up (the deployment goes on). */
const MAX_READ_FAILURES = 5;

function pollIntervalMs(env: CliIo['env']): number {
  const value = env.AKILI_POLL_INTERVAL;
  if (value === undefined || value === '') {
    return DEFAULT_POLL_SECONDS * 1000;
  }
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(
      `AKILI_POLL_INTERVAL must be a number of seconds above 0, not "${value}"`,
    );
  }
  return Math.round(seconds * 1000);
}

/**
 * The GitLab pipeline `--pipeline` names: an id, or `current` for the pipeline running this job
 * (`CI_PIPELINE_ID`). Whether it is that pipeline comes along: a job cannot wait for its end.
 */
export function pipelineToRecord(
  value: string,
  env: CliIo['env'],
): { id: number; current: boolean } {
  const ci = env.CI_PIPELINE_ID;
  const text = value === 'current' ? ci : value;
  if (value === 'current' && (text === undefined || text === '')) {
    throw new UsageError(
      '--pipeline current reads CI_PIPELINE_ID, which is not set: run it in a GitLab CI job, or give the pipeline id',
    );
  }
  const id = Number(text);
  if (!/^\d+$/.test(text ?? '') || !Number.isSafeInteger(id) || id <= 0) {
    throw new UsageError(
      `--pipeline takes a GitLab pipeline id or "current", not "${value}"${
        value === 'current' ? ` (CI_PIPELINE_ID is "${text}")` : ''
      }`,
    );
  }
  return { id, current: ci !== undefined && ci === String(id) };
}

function describe(deployment: ProductDeployment): string {
  return `${deployment.entityRef} revision ${deployment.revision} (version ${
    deployment.version ?? 'not set'
  })`;
}

/**
 * `akili deploy <name> --tenant <t> [--pipeline <id|current>] [--no-wait]`: asks the control
 * plane to run the product's GitLab pipeline (`POST /api/akili/v1/tenants/:tenant/products/:name/deploy`)
 * or, with `pipeline`, to record that pipeline of the product's project (its CI deploying from
 * the default branch), then follows the deployment with a line per status until it ends:
 * exit 0 deployed, 1 failed or canceled. Without following, it ends once the deployment is
 * started or recorded.
 */
export async function runDeploy(
  name: string,
  options: {
    tenant?: string;
    follow: boolean;
    format: 'text' | 'json';
    /** A pipeline id, or `current` (`CI_PIPELINE_ID`), to record instead of triggering one. */
    pipeline?: string;
  },
  io: CliIo,
): Promise<ExitCode> {
  const tenant = requireTenant(options.tenant, 'of the product');
  checkName('data product', name);
  const pipeline =
    options.pipeline !== undefined
      ? pipelineToRecord(options.pipeline, io.env)
      : undefined;
  if (pipeline?.current && options.follow) {
    throw new UsageError(
      `Pipeline ${pipeline.id} is the one running this job, which cannot wait for its end: add --no-wait`,
    );
  }
  const intervalMs = pollIntervalMs(io.env);
  const timeoutMs = timeoutFromEnv(io.env);
  let login: ResolvedLogin;
  try {
    login = await resolveLogin(io.env);
  } catch (error) {
    if (error instanceof NotSignedInError) {
      io.err(`${error.message}\n`);
      return ExitCode.Auth;
    }
    throw error;
  }
  const base = `/v1/tenants/${encodeURIComponent(
    tenant,
  )}/products/${encodeURIComponent(name)}`;

  let response;
  try {
    response = await callPortal(login, {
      method: 'POST',
      path: `${base}/deploy`,
      timeoutMs,
      ...(pipeline
        ? {
            body: JSON.stringify({ pipelineId: pipeline.id }),
            contentType: 'application/json',
          }
        : {}),
    });
  } catch (error) {
    if (error instanceof PortalUnavailableError) {
      io.err(`${error.message}\n`);
      return ExitCode.Unavailable;
    }
    throw error;
  }
  // 200: the pipeline was recorded before (a retried job), that deployment.
  const recordedBefore = pipeline !== undefined && response.status === 200;
  if (response.status !== 202 && !recordedBefore) {
    io.err(`Deploy ${tenant}/${name}: ${describeFailure(response, login)}\n`);
    return exitCodeForStatus(response.status);
  }
  let deployment = response.body as ProductDeployment;
  if (typeof deployment?.id !== 'string') {
    io.err(
      `${login.url} answered 202 without a deployment: is it the portal's backend?\n`,
    );
    return ExitCode.Unavailable;
  }
  let doing = 'Deploying';
  if (recordedBefore) {
    doing = 'Recorded before: deploying';
  } else if (pipeline) {
    doing = `Recording pipeline ${pipeline.id}: deploying`;
  }
  io.err(
    `${doing} ${describe(deployment)} from ${deployment.gitlabProject} (${
      deployment.ref
    })\nPipeline: ${deployment.pipelineUrl ?? 'not known'}\n`,
  );

  let interrupted = false;
  let wake: (() => void) | undefined;
  const giveBack = options.follow
    ? io.onInterrupt?.(() => {
        interrupted = true;
        wake?.();
      })
    : undefined;
  /** Waits `ms`, or less when Ctrl-C comes. */
  const sleep = (ms: number) =>
    new Promise<void>(resolve => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  try {
    let last = deployment.status;
    io.err(`Status: ${last}\n`);
    let failures = 0;
    while (options.follow && !isFinalDeploymentStatus(deployment.status)) {
      await sleep(intervalMs);
      if (interrupted) {
        io.err(
          `Stopped following; the deployment goes on in GitLab: ${
            deployment.pipelineUrl ?? deployment.gitlabProject
          }\n`,
        );
        return ExitCode.Interrupted;
      }
      let read;
      try {
        read = await callPortal(login, {
          method: 'GET',
          path: `${base}/deployments/${encodeURIComponent(deployment.id)}`,
          timeoutMs,
        });
      } catch (error) {
        if (!(error instanceof PortalUnavailableError)) throw error;
        read = undefined;
        failures += 1;
        if (failures >= MAX_READ_FAILURES) {
          io.err(`${error.message}\n`);
          return ExitCode.Unavailable;
        }
        continue;
      }
      if (read.status !== 200) {
        io.err(`Following ${deployment.id}: ${describeFailure(read, login)}\n`);
        return exitCodeForStatus(read.status);
      }
      failures = 0;
      deployment = read.body as ProductDeployment;
      if (deployment.status !== last) {
        last = deployment.status;
        io.err(`Status: ${last}\n`);
      }
    }
  } finally {
    giveBack?.();
  }

  if (options.format === 'json') {
    io.out(`${JSON.stringify(deployment, null, 2)}\n`);
  } else if (!options.follow) {
    io.out(
      `Deployment ${deployment.id} ${pipeline ? 'recorded' : 'started'}: ${
        deployment.status
      }\n`,
    );
  } else {
    const outcome: Record<string, string> = {
      success: 'Deployed',
      failed: 'Deployment failed',
      canceled: 'Deployment canceled',
      unknown: 'Deployment status unknown',
    };
    io.out(
      `${outcome[deployment.status] ?? deployment.status}: ${describe(
        deployment,
      )}${deployment.message ? ` (${deployment.message})` : ''}\n`,
    );
  }
  if (!options.follow) {
    return ExitCode.Ok;
  }
  switch (deployment.status) {
    case 'success':
      return ExitCode.Ok;
    case 'failed':
    case 'canceled':
      return ExitCode.Refused;
    default:
      return ExitCode.Unavailable;
  }
}
