import { Knex } from 'knex';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { TenantScopedDatabase, toIsoTimestamp } from '@akili/plugin-akili-node';
import {
  INCIDENT_RESOLUTION_REASONS,
  IncidentCauseKind,
  IncidentResolutionReason,
  IncidentState,
  IncidentTimelineEntry,
  IncidentTimelineKind,
  QualityIncident,
  QualityIncidentDetail,
  QualityIncidentPage,
  QualityOutcome,
  QualityResult,
  QualitySeverity,
  QualityTenantDashboard,
} from '@akili/plugin-quality-common';

const INCIDENTS = 'quality_incidents';
const EVENTS = 'quality_incident_events';
const RESULTS = 'quality_results';
const RULES = 'quality_rules';
const PRODUCTS = 'quality_products';

/** The actor of what the portal does by itself (opening, extending, auto-resolving). */
export const QUALITY_ACTOR = 'akili:quality';

/** The longest comment an incident takes (a resolution's or the timeline's). */
export const MAX_INCIDENT_COMMENT_LENGTH = 4000;

/** Rule severities that open incidents (`info` rules only inform). */
const INCIDENT_SEVERITIES: readonly QualitySeverity[] = ['error', 'warning'];
const FAILING: readonly QualityOutcome[] = ['fail', 'error'];

/** Which incidents a list shows: one state, every open one (default), or all. */
export type IncidentListState = IncidentState | 'open' | 'all';

/** A run of a product's job, as `execution.completed` reports it. */
export interface IncidentRun {
  runId: string;
  job: string;
  status: 'SUCCESS' | 'FAILURE' | 'CANCELED' | string;
  /** ISO 8601. */
  endedAt: string;
}

/** Mean response times of a tenant's incidents over a period. */
export type IncidentResponseTimes = QualityTenantDashboard['incidents'];

interface IncidentRow {
  id: number | string;
  tenant_id: string;
  product: string;
  cause_kind: IncidentCauseKind;
  cause_key: string;
  title: string;
  state: IncidentState;
  severity: QualitySeverity;
  assignee: string | null;
  opened_at: Date | string | number;
  acknowledged_at: Date | string | number | null;
  assigned_at: Date | string | number | null;
  resolved_at: Date | string | number | null;
  resolution_reason: IncidentResolutionReason | null;
  resolution_comment: string | null;
  resolved_by: string | null;
  failures: number | string;
  last_failure_at: Date | string | number;
}

interface EventRow {
  id: number | string;
  at: Date | string | number;
  actor: string;
  kind: IncidentTimelineKind;
  details: string;
}

interface Cause {
  product: string;
  kind: IncidentCauseKind;
  key: string;
}

interface Failure {
  title: string;
  severity: QualitySeverity;
  /** When the cause failed (the latest failure counted). */
  at: Date;
  /**
   * When the failing began (the first failure counted): a new incident is opened then, not when
   * the portal learned of it, so a replayed history or a late report keeps its real durations.
   * Default `at`.
   */
  since?: Date;
  /** Failures counted by this call (at least 1). */
  count: number;
  details: Record<string, unknown>;
}

const ms = (value: Date | string | number) => Date.parse(toIsoTimestamp(value));

/**
 * Incidents of a tenant's data products, one per open cause: a failing contract rule (`rule`,
 * keyed by the rule's name), a breached freshness SLO (`freshness`) or failing runs of a job
 * (`run`, keyed by the job). While an incident of a cause is open, more failures of the cause
 * extend it (`failures`, `last_failure_at`, a `failed-again` entry) instead of opening another;
 * a partial unique index (one row per cause whose state is not `resolved`) keeps it so under
 * concurrent ingestion. A recovery newer than the last failure (the rule passes, the product is
 * fresh, a run of the job succeeds) resolves it with the reason `recovered`.
 *
 * People move incidents new → acknowledged → assigned → resolved; every change is a timeline
 * entry (the timeline table is append-only). Every method runs in a transaction of the tenant
 * (row-level security on PostgreSQL).
 *
 * Methods that may open incidents return the incidents they opened, for the caller to notify
 * the owners once the transaction committed (`notifyIncidentOwners`).
 */
export class IncidentStore {
  readonly #db: TenantScopedDatabase;
  readonly #clock: () => Date;

  constructor(options: { db: TenantScopedDatabase; clock?: () => Date }) {
    this.#db = options.db;
    this.#clock = options.clock ?? (() => new Date());
  }

  /**
   * Opens, extends or resolves rule incidents from results just stored in `tx` (the ingestion
   * transaction of `tenant`, after the results were inserted). Only the latest result of a rule
   * decides: history arriving late neither reopens nor closes an incident, and only failures
   * newer than an open incident's last failure extend it. Rules outside the contract, and
   * `info` rules, open nothing.
   */
  async onResults(
    tx: Knex.Transaction,
    tenant: string,
    productName: string,
    stored: QualityResult[],
  ): Promise<QualityIncident[]> {
    this.#assertTenant(tx, tenant);
    if (stored.length === 0) return [];
    const byRule = new Map<string, QualityResult[]>();
    for (const result of stored) {
      const list = byRule.get(result.rule) ?? [];
      list.push(result);
      byRule.set(result.rule, list);
    }
    const contract: Array<{ rule: string; severity: QualitySeverity }> =
      await this.#db
        .scoped(tx, RULES)
        .select('rule', 'severity')
        .where('product', productName)
        .whereIn('rule', [...byRule.keys()]);
    const opened: QualityIncident[] = [];
    for (const { rule, severity } of contract) {
      if (!INCIDENT_SEVERITIES.includes(severity)) continue;
      const results = byRule.get(rule)!;
      // The rule's latest result, this batch included (inserted in `tx` already).
      const latest: { id: number | string; outcome: QualityOutcome } & {
        observed_at: Date | string | number;
      } = await this.#db
        .scoped(tx, RESULTS)
        .first('id', 'outcome', 'observed_at')
        .where({ product: productName, rule })
        .orderBy([
          { column: 'observed_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ]);
      if (!latest || !results.some(r => String(r.id) === String(latest.id))) {
        // Older than what is known: history, it changes nothing.
        continue;
      }
      const cause: Cause = { product: productName, kind: 'rule', key: rule };
      const latestAt = ms(latest.observed_at);
      if (FAILING.includes(latest.outcome)) {
        // The failures of this batch since its last non-failing result.
        const sorted = [...results].sort(
          (a, b) => Date.parse(a.observedAt) - Date.parse(b.observedAt),
        );
        let lastGood = -Infinity;
        let lastPass: QualityResult | undefined;
        for (const r of sorted) {
          if (!FAILING.includes(r.outcome)) lastGood = Date.parse(r.observedAt);
          if (r.outcome === 'pass') lastPass = r;
        }
        if (lastPass) {
          // The rule passed in between: that incident is over, the failures after open another.
          await this.#recover(tx, cause, Date.parse(lastPass.observedAt), {
            resultId: lastPass.id,
            outcome: 'pass',
            observedAt: lastPass.observedAt,
          });
        }
        const failures = sorted.filter(
          r =>
            FAILING.includes(r.outcome) && Date.parse(r.observedAt) > lastGood,
        );
        const result = failures[failures.length - 1];
        const incident = await this.#fail(tx, cause, {
          title: `Rule ${rule} of ${productName} fails`,
          severity,
          at: new Date(latestAt),
          since: new Date(Date.parse(failures[0].observedAt)),
          count: failures.length,
          countSince: since =>
            failures.filter(r => Date.parse(r.observedAt) > since).length,
          details: {
            resultId: result.id,
            outcome: result.outcome,
            observedAt: result.observedAt,
            ...(result.observedValue !== undefined
              ? { observedValue: result.observedValue }
              : {}),
            ...(result.threshold ? { threshold: result.threshold } : {}),
            ...(result.runId ? { runId: result.runId } : {}),
            ...(result.message ? { message: result.message } : {}),
          },
        });
        if (incident) opened.push(incident);
      } else if (latest.outcome === 'pass') {
        await this.#recover(tx, cause, latestAt, {
          resultId: String(latest.id),
          outcome: 'pass',
          observedAt: toIsoTimestamp(latest.observed_at),
        });
      }
    }
    return opened;
  }

  /**
   * Opens or extends the `run` incident of the run's job when it failed, and resolves it when
   * a run of the job that ended after the last failure succeeded. A failure that ended before
   * one already counted (or before the product's last success) is history and changes nothing.
   */
  async onRun(
    tx: Knex.Transaction,
    tenant: string,
    productName: string,
    run: IncidentRun,
  ): Promise<QualityIncident[]> {
    this.#assertTenant(tx, tenant);
    const endedAt = Date.parse(run.endedAt);
    if (Number.isNaN(endedAt)) {
      throw new InputError(`Invalid run end time '${run.endedAt}'`);
    }
    const cause: Cause = { product: productName, kind: 'run', key: run.job };
    const details = { runId: run.runId, job: run.job, endedAt: run.endedAt };
    if (run.status === 'SUCCESS') {
      await this.#recover(tx, cause, endedAt, details);
      return [];
    }
    if (run.status !== 'FAILURE') return [];
    // A failure older than the latest one known of the cause (even of a resolved incident: its
    // last failure or its recovery), or than the product's last success, was overtaken.
    const open = await this.#open(tx, cause);
    if (!open && endedAt <= (await this.#lastKnown(tx, cause))) return [];
    const incident = await this.#fail(tx, cause, {
      title: `Runs of job ${run.job} of ${productName} fail`,
      severity: 'error',
      at: new Date(endedAt),
      count: 1,
      countSince: since => (endedAt > since ? 1 : 0),
      details,
    });
    return incident ? [incident] : [];
  }

  /**
   * Opens a `freshness` incident for each product of the tenant whose last successful run is
   * older than its freshness SLO (in SQL over `quality_products`), and resolves the open ones of
   * products fresh again (or without an SLO now). Products that never ran, or have no SLO, open
   * nothing.
   */
  async checkFreshness(tenant: string): Promise<QualityIncident[]> {
    const now = this.#clock();
    return this.#db.withTenant(tenant, async tx => {
      const postgres = this.#db.enforcesRowLevelSecurity;
      const stale: Array<{
        product: string;
        max_delay_minutes: number;
        max_delay: string | null;
        last_success_at: Date | string | number;
      }> = await this.#db
        .scoped(tx, PRODUCTS)
        .select('product', 'max_delay_minutes', 'max_delay', 'last_success_at')
        .whereNotNull('max_delay_minutes')
        .whereNotNull('last_success_at')
        .whereRaw(
          postgres
            ? `?? < ?::timestamptz - ?? * interval '1 minute'`
            : `?? < ? - ?? * 60000`,
          [
            'last_success_at',
            postgres ? now.toISOString() : now.getTime(),
            'max_delay_minutes',
          ],
        )
        .orderBy('product');
      const opened: QualityIncident[] = [];
      for (const row of stale) {
        const lastSuccess = ms(row.last_success_at);
        const breachedAt = lastSuccess + Number(row.max_delay_minutes) * 60000;
        const cause: Cause = {
          product: row.product,
          kind: 'freshness',
          key: 'freshness',
        };
        if (await this.#open(tx, cause)) continue;
        const incident = await this.#fail(tx, cause, {
          title: `${row.product} is stale: no successful run within ${
            row.max_delay ?? `${row.max_delay_minutes} minutes`
          }`,
          severity: 'error',
          at: new Date(breachedAt),
          since: new Date(breachedAt),
          count: 1,
          countSince: () => 0,
          details: {
            lastSuccessAt: new Date(lastSuccess).toISOString(),
            maxDelayMinutes: Number(row.max_delay_minutes),
            ...(row.max_delay ? { maxDelay: row.max_delay } : {}),
          },
        });
        if (incident) opened.push(incident);
      }
      const staleProducts = new Set(stale.map(row => row.product));
      const open: IncidentRow[] = await this.#db
        .scoped(tx, INCIDENTS)
        .select()
        .where('cause_kind', 'freshness')
        .whereNot('state', 'resolved');
      for (const row of open) {
        if (staleProducts.has(row.product)) continue;
        await this.#resolveRow(tx, row, {
          reason: 'recovered',
          actor: QUALITY_ACTOR,
          details: { fresh: true },
        });
      }
      return opened;
    });
  }

  /** Acknowledges a `new` incident. */
  async acknowledge(
    tenant: string,
    id: string,
    actor: string,
  ): Promise<QualityIncidentDetail> {
    return this.#transition(tenant, id, ['new'], async (tx, row, now) => {
      await this.#db
        .scoped(tx, INCIDENTS)
        .where({ id: row.id, state: row.state })
        .update({ state: 'acknowledged', acknowledged_at: now });
      await this.#event(tx, row.id, now, actor, 'acknowledged', {});
    });
  }

  /**
   * Assigns an open incident to `assignee` (a user entity ref); from `new` it counts as
   * acknowledged too. Assigning again hands it to someone else.
   */
  async assign(
    tenant: string,
    id: string,
    assignee: string,
    actor: string,
  ): Promise<QualityIncidentDetail> {
    return this.#transition(
      tenant,
      id,
      ['new', 'acknowledged', 'assigned'],
      async (tx, row, now) => {
        await this.#db
          .scoped(tx, INCIDENTS)
          .where({ id: row.id, state: row.state })
          .update({
            state: 'assigned',
            assignee,
            assigned_at: now,
            ...(row.acknowledged_at ? {} : { acknowledged_at: now }),
          });
        await this.#event(tx, row.id, now, actor, 'assigned', {
          assignee,
          ...(row.assignee ? { previousAssignee: row.assignee } : {}),
        });
      },
    );
  }

  /**
   * Resolves an open incident with one of `INCIDENT_RESOLUTION_REASONS`; `other` needs a
   * comment.
   */
  async resolve(
    tenant: string,
    id: string,
    reason: string,
    comment: string | undefined,
    actor: string,
  ): Promise<QualityIncidentDetail> {
    if (!(INCIDENT_RESOLUTION_REASONS as readonly string[]).includes(reason)) {
      throw new InputError(
        `reason must be one of ${INCIDENT_RESOLUTION_REASONS.join(', ')}`,
      );
    }
    const text = comment?.trim() || undefined;
    if (reason === 'other' && !text) {
      throw new InputError('comment is required when the reason is other');
    }
    checkComment(text);
    return this.#transition(
      tenant,
      id,
      ['new', 'acknowledged', 'assigned'],
      async (tx, row, now) => {
        await this.#resolveRow(tx, row, {
          reason: reason as IncidentResolutionReason,
          comment: text,
          actor,
          now,
          details: {},
        });
      },
    );
  }

  /** Adds a comment to an incident's timeline (resolved ones too). */
  async comment(
    tenant: string,
    id: string,
    comment: string,
    actor: string,
  ): Promise<QualityIncidentDetail> {
    const text = comment.trim();
    if (!text) throw new InputError('comment must not be empty');
    checkComment(text);
    return this.#transition(
      tenant,
      id,
      ['new', 'acknowledged', 'assigned', 'resolved'],
      async (tx, row, now) => {
        await this.#event(tx, row.id, now, actor, 'commented', {
          comment: text,
        });
      },
    );
  }

  /** A page of the tenant's incidents, newest first; `cursor` is a former page's. */
  async list(
    tenant: string,
    options: {
      state?: IncidentListState;
      /** A product name of the tenant. */
      product?: string;
      limit: number;
      cursor?: string;
    },
  ): Promise<QualityIncidentPage> {
    const state = options.state ?? 'open';
    return this.#db.withTenant(tenant, async tx => {
      const { rows, nextCursor } = await this.#db.pageNewestFirst<IncidentRow>(
        tx,
        INCIDENTS,
        {
          limit: options.limit,
          before: options.cursor,
          where: query => {
            if (state === 'open') query.whereNot('state', 'resolved');
            else if (state !== 'all') query.where('state', state);
            if (options.product) query.where('product', options.product);
          },
        },
      );
      return {
        items: rows.map(toIncident),
        ...(nextCursor ? { nextCursor } : {}),
      };
    });
  }

  /** An incident with its timeline (oldest entry first); `NotFoundError` when none. */
  async get(tenant: string, id: string): Promise<QualityIncidentDetail> {
    return this.#db.withTenant(tenant, tx => this.#detail(tx, id));
  }

  /** Open incidents per product name of the tenant (products without any are absent). */
  async openCounts(tenant: string): Promise<Map<string, number>> {
    return this.#db.withTenant(tenant, async tx => {
      const rows: Array<{ product: string; open: number | string }> =
        await this.#db
          .scoped(tx, INCIDENTS)
          .select('product')
          .count({ open: '*' })
          .whereNot('state', 'resolved')
          .groupBy('product');
      return new Map(rows.map(row => [row.product, Number(row.open)]));
    });
  }

  /**
   * The tenant's open incidents, and the mean minutes from opened to acknowledged (incidents
   * acknowledged in the last `days` days) and from opened to resolved (resolved in the last
   * `days` days), computed in SQL; `null` when there is none.
   */
  async responseTimes(
    tenant: string,
    days: number,
  ): Promise<IncidentResponseTimes> {
    const now = this.#clock();
    const since = new Date(now.getTime() - days * 86_400_000);
    return this.#db.withTenant(tenant, async tx => {
      const postgres = this.#db.enforcesRowLevelSecurity;
      const minutes = (end: string) =>
        postgres
          ? tx.raw(`avg(extract(epoch from (?? - ??))) / 60.0`, [
              end,
              'opened_at',
            ])
          : tx.raw(`avg(?? - ??) / 60000.0`, [end, 'opened_at']);
      const mean = async (end: string) => {
        const row: { minutes: number | string | null } | undefined =
          await this.#db
            .scoped(tx, INCIDENTS)
            .first({ minutes: minutes(end) })
            .whereNotNull(end)
            .where(end, '>=', since);
        return row?.minutes === null || row?.minutes === undefined
          ? null
          : Math.round(Number(row.minutes) * 10) / 10;
      };
      const open: { open: number | string } | undefined = await this.#db
        .scoped(tx, INCIDENTS)
        .count({ open: '*' })
        .whereNot('state', 'resolved')
        .first();
      return {
        open: Number(open?.open ?? 0),
        meanMinutesToAcknowledge: await mean('acknowledged_at'),
        meanMinutesToResolve: await mean('resolved_at'),
        days,
      };
    });
  }

  #assertTenant(tx: Knex.Transaction, tenant: string) {
    if (this.#db.tenantOf(tx) !== tenant) {
      throw new Error(
        `The transaction is bound to tenant '${this.#db.tenantOf(
          tx,
        )}', not '${tenant}'`,
      );
    }
  }

  async #open(
    tx: Knex.Transaction,
    cause: Cause,
  ): Promise<IncidentRow | undefined> {
    return this.#db
      .scoped(tx, INCIDENTS)
      .first()
      .where({
        product: cause.product,
        cause_kind: cause.kind,
        cause_key: cause.key,
      })
      .whereNot('state', 'resolved');
  }

  /**
   * The latest moment known of a cause with no open incident: its last incident's last failure
   * or recovery (`recoveredAt` of its `resolved` entry), and for runs the product's last success.
   */
  async #lastKnown(tx: Knex.Transaction, cause: Cause): Promise<number> {
    let known = -Infinity;
    const last: IncidentRow | undefined = await this.#db
      .scoped(tx, INCIDENTS)
      .first()
      .where({
        product: cause.product,
        cause_kind: cause.kind,
        cause_key: cause.key,
      })
      .orderBy('id', 'desc');
    if (last) {
      known = ms(last.last_failure_at);
      if (last.resolution_reason === 'recovered') {
        const resolved: { details: string } | undefined = await this.#db
          .scoped(tx, EVENTS)
          .first('details')
          .where({ incident_id: last.id, kind: 'resolved' })
          .orderBy('id', 'desc');
        const recoveredAt = resolved
          ? Date.parse(String(JSON.parse(resolved.details).recoveredAt))
          : NaN;
        if (!Number.isNaN(recoveredAt)) known = Math.max(known, recoveredAt);
      }
    }
    if (cause.kind === 'run') {
      const product: { at: Date | string | number | null } | undefined =
        await this.#db
          .scoped(tx, PRODUCTS)
          .first({ at: 'last_success_at' })
          .where('product', cause.product);
      if (product?.at) known = Math.max(known, ms(product.at));
    }
    return known;
  }

  /**
   * Records a failure of `cause`: opens an incident when none is open (returned), else adds the
   * failures newer than its last one (`countSince`). Under a race the partial unique index
   * refuses the second open incident (`ON CONFLICT DO NOTHING`), which then extends the first.
   */
  async #fail(
    tx: Knex.Transaction,
    cause: Cause,
    failure: Failure & { countSince: (lastFailureMs: number) => number },
  ): Promise<QualityIncident | undefined> {
    const now = this.#clock();
    let open = await this.#open(tx, cause);
    if (!open) {
      const openedAt = new Date(
        Math.min(now.getTime(), (failure.since ?? failure.at).getTime()),
      );
      const [row] = await this.#db
        .insert(tx, INCIDENTS, {
          product: cause.product,
          cause_kind: cause.kind,
          cause_key: cause.key,
          title: failure.title,
          state: 'new',
          severity: failure.severity,
          opened_at: openedAt,
          failures: failure.count,
          last_failure_at: failure.at,
        })
        .onConflict()
        .ignore()
        .returning('*');
      if (row) {
        await this.#event(tx, row.id, openedAt, QUALITY_ACTOR, 'opened', {
          ...failure.details,
          failures: failure.count,
        });
        return toIncident(row as IncidentRow);
      }
      // Another transaction opened it meanwhile: extend that one.
      open = await this.#open(tx, cause);
      if (!open) return undefined;
    }
    const lastFailure = ms(open.last_failure_at);
    const count = failure.countSince(lastFailure);
    if (count === 0 || failure.at.getTime() <= lastFailure) return undefined;
    const updated = await this.#db
      .scoped(tx, INCIDENTS)
      .where('id', open.id)
      .whereNot('state', 'resolved')
      .where('last_failure_at', '<', failure.at)
      .update({
        failures: tx.raw('?? + ?', ['failures', count]),
        last_failure_at: failure.at,
      });
    if (updated > 0) {
      await this.#event(tx, open.id, now, QUALITY_ACTOR, 'failed-again', {
        ...failure.details,
        failures: count,
      });
    }
    return undefined;
  }

  /** Resolves the open incident of `cause` (if any) when `at` is newer than its last failure. */
  async #recover(
    tx: Knex.Transaction,
    cause: Cause,
    at: number,
    details: Record<string, unknown>,
  ): Promise<void> {
    const open = await this.#open(tx, cause);
    if (!open || at <= ms(open.last_failure_at)) return;
    await this.#resolveRow(tx, open, {
      reason: 'recovered',
      actor: QUALITY_ACTOR,
      // When it recovered (the passing result, the successful run), at the latest now.
      now: new Date(Math.min(this.#clock().getTime(), at)),
      details: { ...details, recoveredAt: new Date(at).toISOString() },
    });
  }

  async #resolveRow(
    tx: Knex.Transaction,
    row: IncidentRow,
    resolution: {
      reason: IncidentResolutionReason;
      comment?: string;
      actor: string;
      now?: Date;
      details: Record<string, unknown>;
    },
  ): Promise<void> {
    const now = resolution.now ?? this.#clock();
    const updated = await this.#db
      .scoped(tx, INCIDENTS)
      .where({ id: row.id, state: row.state })
      .update({
        state: 'resolved',
        resolved_at: now,
        resolution_reason: resolution.reason,
        resolution_comment: resolution.comment ?? null,
        resolved_by: resolution.actor,
      });
    if (updated === 0) {
      throw new ConflictError(
        `Incident ${row.id} changed meanwhile; try again`,
      );
    }
    await this.#event(tx, row.id, now, resolution.actor, 'resolved', {
      ...resolution.details,
      reason: resolution.reason,
      ...(resolution.comment ? { comment: resolution.comment } : {}),
    });
  }

  async #transition(
    tenant: string,
    id: string,
    from: readonly IncidentState[],
    change: (
      tx: Knex.Transaction,
      row: IncidentRow,
      now: Date,
    ) => Promise<void>,
  ): Promise<QualityIncidentDetail> {
    const incidentId = parseIncidentId(id);
    return this.#db.withTenant(tenant, async tx => {
      const row: IncidentRow | undefined = await this.#db
        .scoped(tx, INCIDENTS)
        .first()
        .where('id', incidentId);
      if (!row) throw new NotFoundError(`No incident ${id}`);
      if (!from.includes(row.state)) {
        throw new ConflictError(
          `Incident ${id} is ${row.state}; this needs it ${from.join(' or ')}`,
        );
      }
      await change(tx, row, this.#clock());
      return this.#detail(tx, id);
    });
  }

  async #detail(
    tx: Knex.Transaction,
    id: string,
  ): Promise<QualityIncidentDetail> {
    const incidentId = parseIncidentId(id);
    const row: IncidentRow | undefined = await this.#db
      .scoped(tx, INCIDENTS)
      .first()
      .where('id', incidentId);
    if (!row) throw new NotFoundError(`No incident ${id}`);
    const events: EventRow[] = await this.#db
      .scoped(tx, EVENTS)
      .select('id', 'at', 'actor', 'kind', 'details')
      .where('incident_id', incidentId)
      .orderBy('id', 'asc');
    return {
      incident: toIncident(row),
      timeline: events.map(toEntry),
    };
  }

  async #event(
    tx: Knex.Transaction,
    incidentId: number | string,
    at: Date,
    actor: string,
    kind: IncidentTimelineKind,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.#db.insert(tx, EVENTS, {
      incident_id: incidentId,
      at,
      actor,
      kind,
      details: JSON.stringify(details),
    });
  }
}

/** An incident id (a positive whole number, as text); anything else answers as a missing one. */
function parseIncidentId(id: string): string {
  if (!/^[1-9][0-9]{0,17}$/.test(id)) {
    throw new NotFoundError(`No incident ${id.slice(0, 40)}`);
  }
  return id;
}

function checkComment(text: string | undefined) {
  if (text && text.length > MAX_INCIDENT_COMMENT_LENGTH) {
    throw new InputError(
      `comment must be at most ${MAX_INCIDENT_COMMENT_LENGTH} characters`,
    );
  }
}

function toIncident(row: IncidentRow): QualityIncident {
  return {
    id: String(row.id),
    tenant: row.tenant_id,
    product: `dataproduct:${row.tenant_id}/${row.product}`,
    cause: { kind: row.cause_kind, key: row.cause_key },
    title: row.title,
    state: row.state,
    severity: row.severity,
    ...(row.assignee ? { assignee: row.assignee } : {}),
    openedAt: toIsoTimestamp(row.opened_at),
    ...(row.acknowledged_at
      ? { acknowledgedAt: toIsoTimestamp(row.acknowledged_at) }
      : {}),
    ...(row.assigned_at ? { assignedAt: toIsoTimestamp(row.assigned_at) } : {}),
    ...(row.resolved_at ? { resolvedAt: toIsoTimestamp(row.resolved_at) } : {}),
    ...(row.resolution_reason
      ? {
          resolution: {
            reason: row.resolution_reason,
            ...(row.resolution_comment
              ? { comment: row.resolution_comment }
              : {}),
            by: row.resolved_by ?? QUALITY_ACTOR,
          },
        }
      : {}),
    failures: Number(row.failures),
    lastFailureAt: toIsoTimestamp(row.last_failure_at),
  };
}

function toEntry(row: EventRow): IncidentTimelineEntry {
  return {
    id: String(row.id),
    at: toIsoTimestamp(row.at),
    actor: row.actor,
    kind: row.kind,
    details: JSON.parse(row.details),
  };
}
