import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AkiliEvent,
  createAkiliEvent,
  isValidTenantName,
} from '@akili/plugin-akili-common';
import {
  EventOutbox,
  OutboxRelay,
  TenantScopedDatabase,
} from '@akili/plugin-akili-node';
import { AKILI_RUN_TAGS, DagsterRunStatus } from '@akili/plugin-dagster-common';
import { DagsterGraphqlClient } from '../client/DagsterGraphqlClient';
import { LIST_RUNS } from '../client/operations';
import { DagsterRunSummary, RUN_ID_PATTERN, tagsOf } from '../service/mapping';
import { runOwnership } from '../service/runOwnership';

const TRACKER = 'dagster_run_tracker';
const TRACKED = 'dagster_tracked_runs';

/** The statuses of a finished run, as `execution.completed` knows them. */
const FINISHED: DagsterRunStatus[] = ['SUCCESS', 'FAILURE', 'CANCELED'];

/** Runs read per request while catching up. */
const PAGE = 200;

/**
 * Dagster sets a run's update time when it finishes, but a run's commit may land a little after
 * a later one: each poll looks this far behind its cursor, and the tracked-runs table keeps
 * every run from being reported twice.
 */
const OVERLAP_SECONDS = 120;

/** What the tracker reports about a failed run, to whom. */
export interface RunFailure {
  tenant: string;
  product: string;
  runId: string;
  job: string;
}

/** Options of {@link RunTracker}. */
export interface RunTrackerOptions {
  client: DagsterGraphqlClient;
  db: TenantScopedDatabase;
  outbox: EventOutbox;
  /** Woken after events were written, so they are published at once. */
  relay?: Pick<OutboxRelay, 'wake'>;
  logger: LoggerService;
  /** The tenants to track (those with data products). */
  tenants: () => Promise<string[]>;
  /** Called after a failed run was recorded (owners are notified there). */
  onFailure?: (failure: RunFailure) => Promise<void>;
  /** Where a tenant seen for the first time starts: default now (history is not reported). */
  now?: () => number;
  /**
   * How far before now a tenant seen for the first time starts, in seconds (default 0): its runs
   * that finished in that window are reported too (freshness and quality know the recent past),
   * but owners are not notified of failures older than the tracker.
   */
  lookbackSeconds?: number;
}

/**
 * Follows the finished runs of each tenant in Dagster and emits one `execution.completed`
 * event per run through the plugin's outbox, in the same transaction that records the run as
 * reported and moves the tenant's cursor (Dagster `updateTime`, persisted), so a restart neither
 * loses nor repeats a run. Runs without the `akili/product` tag are not a product's and are left
 * out.
 *
 * Tags are text anyone who launches in Dagster sets. A run whose tenant tag its code location or
 * product tag does not back (see `runOwnership`) is skipped and logged once: no event, no
 * notification to the owners of a product outside the run's tenant, and the cursor moves past it
 * like past any other run, so a forged run can neither stop nor misdirect the tracker.
 */
export class RunTracker {
  readonly #options: RunTrackerOptions;
  readonly #now: () => number;
  /** Epoch seconds when this tracker was made: older failures are not notified. */
  readonly #startedAt: number;
  /** Per tenant, when its last successful round started (epoch ms): runs before it are known. */
  readonly #caughtUpAt = new Map<string, number>();
  /** The tenants of the last round: a tenant no longer tracked no longer counts. */
  #tenantsOfLastRound: string[] | undefined;

  constructor(options: RunTrackerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#startedAt = this.#now() / 1000;
  }

  /** One round over every tenant; a tenant that fails is logged and retried next round. */
  async runOnce(): Promise<{ reported: number }> {
    let reported = 0;
    const tenants = (await this.#options.tenants()).filter(isValidTenantName);
    this.#tenantsOfLastRound = tenants;
    for (const tenant of tenants) {
      const started = this.#now();
      try {
        reported += await this.trackTenant(tenant);
        this.#caughtUpAt.set(tenant, started);
      } catch (error) {
        this.#options.logger.warn('Could not track the runs of a tenant', {
          tenant,
          error: (error as Error).message,
        });
      }
    }
    if (reported > 0) {
      this.#options.relay?.wake();
    }
    return { reported };
  }

  /**
   * How many seconds the tracker is behind: since the start of the last successful round of the
   * tenant caught up longest ago (a tenant that never succeeded counts from the tracker's
   * creation). About the interval when healthy; it grows while Dagster or the database fails, or
   * rounds stop. Undefined before the first round (e.g. in an instance whose scheduler never ran
   * the tracker).
   */
  lagSeconds(): number | undefined {
    const tenants = this.#tenantsOfLastRound;
    if (tenants === undefined) return undefined;
    const now = this.#now();
    let oldest = now;
    for (const tenant of tenants) {
      oldest = Math.min(
        oldest,
        this.#caughtUpAt.get(tenant) ?? this.#startedAt * 1000,
      );
    }
    return Math.max(0, (now - oldest) / 1000);
  }

  /** Reports the tenant's runs finished since its cursor; returns how many were new. */
  async trackTenant(tenant: string): Promise<number> {
    const { db } = this.#options;
    const cursor = await db.withTenant(tenant, async tx => {
      const row = await db.scoped(tx, TRACKER).first('updated_after');
      return row ? Number(row.updated_after) : undefined;
    });
    const start =
      cursor ?? this.#now() / 1000 - (this.#options.lookbackSeconds ?? 0);
    const finished = await this.#finishedSince(tenant, start - OVERLAP_SECONDS);
    const failures: RunFailure[] = [];
    const reported = await db.withTenant(tenant, async tx => {
      let count = 0;
      let newest = start;
      const events: AkiliEvent[] = [];
      for (const run of finished) {
        newest = Math.max(newest, run.updateTime ?? run.endTime ?? start);
        // Dagster takes a run id given at launch as it is; one the portal cannot store or link
        // to is skipped (and falls behind the cursor within a few rounds).
        if (!RUN_ID_PATTERN.test(run.runId)) {
          this.#options.logger.warn('Skipped a run with an unusable run id', {
            tenant,
            runId: run.runId.slice(0, 100),
          });
          continue;
        }
        const ownership = runOwnership(run);
        const inserted: unknown[] = await db
          .insert(tx, TRACKED, {
            run_id: run.runId,
            status: run.status,
            seen_at: new Date(),
          })
          .onConflict(['tenant_id', 'run_id'])
          .ignore()
          .returning('run_id');
        // Seen before (reported or skipped): nothing to do, nothing to log again.
        if (inserted.length === 0) continue;
        if (!ownership.owned || ownership.tenant !== tenant) {
          this.#options.logger.warn('Skipped a run whose tags claim a tenant', {
            tenant,
            runId: run.runId,
            reason: ownership.owned
              ? 'it is a run of another tenant'
              : ownership.reason,
          });
          continue;
        }
        const product = ownership.product;
        if (!product) continue;
        const event = this.#completedEvent(tenant, product, run);
        if (!event) continue;
        count += 1;
        events.push(event);
        const endedAt = run.endTime ?? run.updateTime ?? this.#startedAt;
        if (run.status === 'FAILURE' && endedAt >= this.#startedAt) {
          failures.push({
            tenant,
            product,
            runId: run.runId,
            job: run.jobName,
          });
        }
      }
      // Oldest first, so consumers see a product's runs in the order they finished.
      await this.#options.outbox.enqueueMany(db, tx, events.reverse());
      const row = { updated_after: newest, checked_at: new Date() };
      await db.insert(tx, TRACKER, row).onConflict(['tenant_id']).merge(row);
      return count;
    });
    for (const failure of failures) {
      await this.#options.onFailure?.(failure).catch(error =>
        this.#options.logger.warn(
          'Could not notify the owners of a failed run',
          {
            tenant: failure.tenant,
            product: failure.product,
            runId: failure.runId,
            error: (error as Error).message,
          },
        ),
      );
    }
    return reported;
  }

  /**
   * The `execution.completed` event of a run, or undefined (logged) when the run's fields do not
   * make a valid event (a job name longer than any real one, say): one odd run must not stop
   * the tenant's tracking.
   */
  #completedEvent(
    tenant: string,
    product: string,
    run: DagsterRunSummary,
  ): AkiliEvent | undefined {
    const startedAt = run.startTime ?? run.creationTime;
    const endedAt = run.endTime ?? run.updateTime ?? startedAt;
    try {
      return createAkiliEvent({
        type: 'execution.completed',
        tenant,
        subject: product,
        source: 'akili-dagster-backend',
        data: {
          runId: run.runId,
          product,
          job: run.jobName,
          status: run.status as 'SUCCESS' | 'FAILURE' | 'CANCELED',
          startedAt: new Date(startedAt * 1000).toISOString(),
          endedAt: new Date(endedAt * 1000).toISOString(),
        },
      }) as AkiliEvent;
    } catch (error) {
      this.#options.logger.warn('Skipped a run that makes no valid event', {
        tenant,
        runId: run.runId,
        error: (error as Error).message,
      });
      return undefined;
    }
  }

  /** The tenant's runs finished after `after` (epoch seconds), newest first, all pages. */
  async #finishedSince(
    tenant: string,
    after: number,
  ): Promise<DagsterRunSummary[]> {
    const runs: DagsterRunSummary[] = [];
    let cursor: string | undefined;
    for (;;) {
      const data = await this.#options.client.request<{
        runsOrError: {
          __typename: string;
          message?: string;
          results?: DagsterRunSummary[];
        };
      }>('AkiliListRuns', LIST_RUNS, {
        filter: {
          tags: [{ key: AKILI_RUN_TAGS.tenant, value: tenant }],
          statuses: FINISHED,
          updatedAfter: after,
        },
        cursor: cursor ?? null,
        limit: PAGE,
      });
      const result = data.runsOrError;
      if (result.__typename !== 'Runs' || !result.results) {
        throw new Error(
          `Dagster answered ${result.__typename}: ${result.message ?? ''}`,
        );
      }
      // Checked again: a filter bug must never report another tenant's run as this one's.
      runs.push(
        ...result.results.filter(
          run => tagsOf(run)[AKILI_RUN_TAGS.tenant] === tenant,
        ),
      );
      if (result.results.length < PAGE) return runs;
      cursor = result.results[result.results.length - 1].runId;
    }
  }
}
