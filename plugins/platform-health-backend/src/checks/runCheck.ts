import { PlatformDependencyId } from '@akili/plugin-platform-health-common';
import { DependencyCheck } from './checks';
import { redactSecrets } from './redact';

/** The result of one check, as stored. */
export interface CheckResult {
  id: PlatformDependencyId;
  status: 'up' | 'degraded' | 'down';
  latencyMs: number;
  checkedAt: Date;
  /** Why it is down or degraded, credentials removed. */
  error?: string;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    if (error.message) {
      return error.message;
    }
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : error.name;
  }
  return String(error);
}

/**
 * Runs one check with its timeout: `down` when it throws or does not finish in `timeoutMs`,
 * `degraded` when it says so or answers slower than `degradedLatencyMs`, else `up`. Never throws;
 * the error message has every credential of the check removed.
 */
export async function runCheck(
  check: DependencyCheck,
  options: {
    timeoutMs: number;
    degradedLatencyMs: number;
    now?: () => Date;
  },
): Promise<CheckResult> {
  const now = options.now ?? (() => new Date());
  const checkedAt = now();
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(
        `${check.id} did not answer within ${options.timeoutMs} ms`,
      );
      controller.abort(error);
      reject(error);
    }, options.timeoutMs);
  });
  const result = (
    status: CheckResult['status'],
    error?: string,
  ): CheckResult => ({
    id: check.id,
    status,
    latencyMs: Math.round(performance.now() - started),
    checkedAt,
    ...(error ? { error: redactSecrets(error, check.secrets) } : {}),
  });
  try {
    const outcome = await Promise.race([check.run(controller.signal), timeout]);
    const done = result('up');
    if (outcome && 'degraded' in outcome) {
      return {
        ...done,
        status: 'degraded',
        error: redactSecrets(outcome.degraded, check.secrets),
      };
    }
    if (done.latencyMs > options.degradedLatencyMs) {
      return {
        ...done,
        status: 'degraded',
        error: `answered in ${done.latencyMs} ms, slower than ${options.degradedLatencyMs} ms`,
      };
    }
    return done;
  } catch (error) {
    const reason = controller.signal.aborted ? controller.signal.reason : error;
    return result('down', messageOf(reason));
  } finally {
    clearTimeout(timer);
  }
}
