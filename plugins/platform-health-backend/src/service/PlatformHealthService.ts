import { LoggerService } from '@backstage/backend-plugin-api';
import {
  PLATFORM_DEPENDENCY_IDS,
  PLATFORM_DEPENDENCY_TITLES,
  PLATFORM_HEALTH_RETENTION_HOURS,
  PlatformDependencyCheck,
  PlatformDependencyId,
  PlatformDependencyState,
  PlatformDependencyStatusSummary,
} from '@akili/plugin-platform-health-common';
import { CRITICAL_DEPENDENCIES, DependencyCheck } from '../checks/checks';
import { CheckResult, runCheck } from '../checks/runCheck';
import { PlatformHealthStore } from './PlatformHealthStore';

const HOUR_MS = 3_600_000;

/**
 * Checks the platform's dependencies and answers their state from the stored history.
 */
export class PlatformHealthService {
  readonly #checks: Record<PlatformDependencyId, DependencyCheck | undefined>;
  readonly #store: PlatformHealthStore;
  readonly #timeoutMs: number;
  readonly #degradedLatencyMs: number;
  readonly #logger: LoggerService;
  readonly #now: () => Date;

  constructor(options: {
    checks: Record<PlatformDependencyId, DependencyCheck | undefined>;
    store: PlatformHealthStore;
    timeoutMs: number;
    degradedLatencyMs: number;
    logger: LoggerService;
    now?: () => Date;
  }) {
    this.#checks = options.checks;
    this.#store = options.store;
    this.#timeoutMs = options.timeoutMs;
    this.#degradedLatencyMs = options.degradedLatencyMs;
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
  }

  /** The configured check of a dependency (undefined: not configured). */
  check(id: PlatformDependencyId): DependencyCheck | undefined {
    return this.#checks[id];
  }

  /** Runs one check now, without storing it (the readiness probe). */
  async probe(id: PlatformDependencyId): Promise<CheckResult | undefined> {
    const check = this.#checks[id];
    return check
      ? runCheck(check, {
          timeoutMs: this.#timeoutMs,
          degradedLatencyMs: this.#degradedLatencyMs,
          now: this.#now,
        })
      : undefined;
  }

  /** Checks every configured dependency at once and stores the results. */
  async checkAll(): Promise<CheckResult[]> {
    const configured = PLATFORM_DEPENDENCY_IDS.flatMap(id => {
      const check = this.#checks[id];
      return check ? [check] : [];
    });
    const results = await Promise.all(
      configured.map(check =>
        runCheck(check, {
          timeoutMs: this.#timeoutMs,
          degradedLatencyMs: this.#degradedLatencyMs,
          now: this.#now,
        }),
      ),
    );
    for (const result of results) {
      if (result.status !== 'up') {
        this.#logger.warn('Platform dependency is not healthy', {
          dependency: result.id,
          status: result.status,
          latencyMs: result.latencyMs,
          error: result.error,
        });
      }
    }
    // Stored through PostgreSQL itself: when the database is down this throws, and the
    // readiness (a live probe) says so.
    await this.#store.record(results);
    return results;
  }

  /** Deletes the history older than the retention. */
  async prune(): Promise<number> {
    return this.#store.prune(
      new Date(
        this.#now().getTime() - PLATFORM_HEALTH_RETENTION_HOURS * HOUR_MS,
      ),
    );
  }

  /** The current state of every dependency, in display order. */
  async dependencies(): Promise<PlatformDependencyState[]> {
    const since = new Date(
      this.#now().getTime() - PLATFORM_HEALTH_RETENTION_HOURS * HOUR_MS,
    );
    return Promise.all(
      PLATFORM_DEPENDENCY_IDS.map(async id => {
        const base = {
          id,
          title: PLATFORM_DEPENDENCY_TITLES[id],
          critical: CRITICAL_DEPENDENCIES.has(id),
        };
        if (!this.#checks[id]) {
          return { ...base, status: 'not-configured' as const };
        }
        const summary = await this.#store.summary(id, since);
        if (!summary.latest) {
          // Configured, not checked yet (the first round is under way).
          return { ...base, status: 'unknown' as const };
        }
        return {
          ...base,
          status: summary.latest.status,
          latencyMs: summary.latest.latencyMs,
          checkedAt: summary.latest.checkedAt,
          ...(summary.lastError ? { lastError: summary.lastError } : {}),
          ...(summary.lastChangeAt
            ? { lastChangeAt: summary.lastChangeAt }
            : {}),
        };
      }),
    );
  }

  /**
   * The status of each configured dependency and since when, in display order: what every
   * signed-in user may see (no error, latency or address).
   */
  async statuses(): Promise<PlatformDependencyStatusSummary[]> {
    const since = new Date(
      this.#now().getTime() - PLATFORM_HEALTH_RETENTION_HOURS * HOUR_MS,
    );
    const configured = PLATFORM_DEPENDENCY_IDS.filter(id => this.#checks[id]);
    return Promise.all(
      configured.map(async id => {
        const title = PLATFORM_DEPENDENCY_TITLES[id];
        const summary = await this.#store.summary(id, since);
        if (!summary.latest) {
          return { id, title, status: 'unknown' as const };
        }
        return {
          id,
          title,
          status: summary.latest.status,
          ...(summary.since ? { since: summary.since } : {}),
        };
      }),
    );
  }

  /** The checks of one dependency in the last `hours`, oldest first. */
  async history(
    id: PlatformDependencyId,
    hours: number,
  ): Promise<PlatformDependencyCheck[]> {
    return this.#store.history(
      id,
      new Date(this.#now().getTime() - hours * HOUR_MS),
    );
  }
}
