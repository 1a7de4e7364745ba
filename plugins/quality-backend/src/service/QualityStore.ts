import { createHash } from 'node:crypto';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { Knex } from 'knex';
import {
  DataProductManifest,
  parseIsoDuration,
} from '@akili/plugin-akili-common';
import { TenantScopedDatabase, toIsoTimestamp } from '@akili/plugin-akili-node';
import {
  dimensionOfRule,
  FreshnessStatus,
  QUALITY_STATUSES,
  QualityDimension,
  QualityDimensionScore,
  QualityFreshness,
  QualityOutcome,
  QualityProductScore,
  QualityProductSummary,
  QualityReportResponse,
  QualityResult,
  QualityResultInput,
  QualityResultPage,
  QualityRuleState,
  QualitySeverity,
  qualityStatus,
  QualityStatus,
  QualityTenantDashboard,
  QualityTenantScores,
  QualityTrendDay,
} from '@akili/plugin-quality-common';
import {
  epochMsSql,
  FAILING_OUTCOMES,
  freshnessSql,
  inList,
  meanMinutesSql,
  ScoreRow,
  scoreColumns,
  scoreOf,
} from './sql';

/** The plugin's knex migrations (opened with `akiliTenantDatabaseServiceRef`). */
export const QUALITY_MIGRATIONS_DIRECTORY = resolvePackagePath(
  '@akili/plugin-quality-backend',
  'migrations',
);

const RESULTS = 'quality_results';
const LATEST = 'quality_latest';
const DAILY = 'quality_daily';
const RULES = 'quality_rules';
const PRODUCTS = 'quality_products';
const INCIDENTS = 'quality_incidents';

/** How far in the future a result's `observedAt` may be (clocks differ a little). */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
/** Rows per insert statement (SQLite limits bound variables). */
const INSERT_CHUNK = 200;
/** Failing rules on the tenant dashboard, at most. */
const DASHBOARD_FAILING_RULES = 50;

/**
 * A result to store: as reported, with where it came from (`dagster`, `api:<tool>`, `event`)
 * and, for a check outside the contract, the severity its source gives it (default `info`).
 *
 * @public
 */
export interface StoredResultInput extends QualityResultInput {
  source: string;
  severity?: QualitySeverity;
}

/** A run of a product's job that ended (from `execution.completed`). @public */
export interface QualityRunInput {
  runId: string;
  status: 'SUCCESS' | 'FAILURE' | 'CANCELED';
  endedAt: string;
}

/** Called in the transaction of an ingestion with the results stored now (no duplicates). */
export type OnStored = (
  tx: Knex.Transaction,
  stored: QualityResult[],
) => Promise<void>;

interface ResultRow {
  id: number | string;
  product: string;
  port: string | null;
  rule: string;
  dimension: QualityDimension;
  severity: QualitySeverity;
  outcome: QualityOutcome;
  observed_value: string | null;
  threshold: string | null;
  run_id: string | null;
  partition: string | null;
  source: string;
  execution_id: string;
  observed_at: Date | string | number;
  message: string | null;
}

interface ContractRule {
  port: string | null;
  dimension: QualityDimension;
  severity: QualitySeverity;
}

interface ProductRow {
  product: string;
  max_delay: string | null;
  max_delay_minutes: number | string | null;
  last_success_at: Date | string | number | null;
  freshness: FreshnessStatus;
  open_incidents: number | string | null;
}

/** A product's score and status: the SQL aggregate with the status derived from it. */
type ProductState = QualityProductScore & {
  name: string;
  freshnessDetail: QualityFreshness;
  counts: ReturnType<typeof scoreOf>;
};

/** `YYYY-MM-DD` of a time, UTC. */
function utcDay(time: Date): string {
  return time.toISOString().slice(0, 10);
}

function productRef(tenant: string, name: string): string {
  return `dataproduct:${tenant}/${name}`;
}

function toResult(row: ResultRow): QualityResult {
  return {
    id: String(row.id),
    rule: row.rule,
    ...(row.port !== null ? { port: row.port } : {}),
    dimension: row.dimension,
    severity: row.severity,
    outcome: row.outcome,
    ...(row.observed_value !== null
      ? { observedValue: JSON.parse(row.observed_value) }
      : {}),
    ...(row.threshold !== null ? { threshold: row.threshold } : {}),
    ...(row.run_id !== null ? { runId: row.run_id } : {}),
    ...(row.partition !== null ? { partition: row.partition } : {}),
    source: row.source,
    executionId: row.execution_id,
    observedAt: toIsoTimestamp(row.observed_at),
    ...(row.message !== null ? { message: row.message } : {}),
  };
}

/** The columns of a result row, prefixed with a table alias. */
function resultColumns(alias: string): string[] {
  return [
    'id',
    'product',
    'port',
    'rule',
    'dimension',
    'severity',
    'outcome',
    'observed_value',
    'threshold',
    'run_id',
    'partition',
    'source',
    'execution_id',
    'observed_at',
    'message',
  ].map(c => `${alias}.${c}`);
}

const STATUS_ORDER = new Map<QualityStatus, number>(
  QUALITY_STATUSES.map((status, index) => [status, index]),
);

/** A product's contract as the store keeps it, and its hash (what `syncProduct` compares). */
export interface ProductContract {
  name: string;
  rules: Array<{
    rule: string;
    port: string | null;
    dimension: QualityDimension;
    severity: QualitySeverity;
    engine: string | null;
    description: string | null;
  }>;
  defaultPort: string | null;
  /** The freshness SLO as written, when it is a duration. */
  maxDelay: string | null;
  maxDelayMinutes: number | null;
  hash: string;
}

/**
 * The contract of a product's manifest (the catalog entity): its rules with their port,
 * dimension and severity, its only output port, its freshness SLO, and their hash.
 */
export function productContract(
  manifest: DataProductManifest,
): ProductContract {
  const name = manifest.metadata.name;
  const outputPorts = manifest.spec?.outputPorts ?? [];
  const defaultPort = outputPorts.length === 1 ? outputPorts[0].name : null;
  const written = manifest.spec?.slos?.freshness?.maxDelay ?? null;
  const seconds = written ? parseIsoDuration(written) : undefined;
  const maxDelay = seconds !== undefined ? written : null;
  const maxDelayMinutes =
    seconds !== undefined ? Math.max(1, Math.ceil(seconds / 60)) : null;
  const rules = (manifest.spec?.quality ?? []).map(rule => ({
    rule: rule.name,
    port: rule.port ?? defaultPort,
    dimension: dimensionOfRule(rule),
    severity: rule.severity,
    engine: rule.engine ?? null,
    description: rule.description ?? null,
  }));
  const hash = createHash('sha256')
    .update(JSON.stringify({ rules, defaultPort, maxDelay }))
    .digest('hex');
  return { name, rules, defaultPort, maxDelay, maxDelayMinutes, hash };
}

/** Status and score of products, by name (for upstream lineage). */
export type QualityStatuses = Map<
  string,
  { status: QualityStatus; score: number | null }
>;

/**
 * The quality results of every tenant's data products, under row-level security, and what is
 * computed from them: scores, coverage, dimensions, freshness, statuses, trends and the tenant
 * dashboard.
 *
 * @remarks
 *
 * Results are history: each is inserted once (idempotent by tenant, source and execution id,
 * `ON CONFLICT DO NOTHING`) and never changed. In the same transaction two rollups are kept for
 * the rows actually inserted: `quality_latest` (the newest result of each rule of a product)
 * and `quality_daily` (the newest of each rule per UTC day); an older result arriving late never
 * replaces a newer one. Scores and counts are SQL aggregates over the rollups joined with the
 * contract (`quality_rules`), weights and credits written into the SQL from
 * `SEVERITY_WEIGHTS` and `OUTCOME_CREDIT`: no result row is read into JavaScript to be
 * aggregated. Works on PostgreSQL and SQLite.
 */
export class QualityStore {
  readonly #db: TenantScopedDatabase;
  readonly #now: () => Date;

  constructor(options: { db: TenantScopedDatabase; now?: () => Date }) {
    this.#db = options.db;
    this.#now = options.now ?? (() => new Date());
  }

  /** The tenant-scoped database the store writes to (for callers adding to its transactions). */
  get db(): TenantScopedDatabase {
    return this.#db;
  }

  #in<T>(
    tenant: string,
    tx: Knex.Transaction | undefined,
    fn: (tx: Knex.Transaction) => Promise<T>,
  ): Promise<T> {
    if (tx) {
      if (this.#db.tenantOf(tx) !== tenant) {
        throw new Error(
          `A transaction of tenant '${this.#db.tenantOf(
            tx,
          )}' cannot write quality of tenant '${tenant}'`,
        );
      }
      return fn(tx);
    }
    return this.#db.withTenant(tenant, fn);
  }

  /**
   * Syncs a product's contract from its manifest (the catalog entity): its rules with their
   * port, dimension and severity, its only output port, its freshness SLO. One read when
   * nothing changed (the contract's hash); otherwise the product's rules are replaced.
   */
  async syncProduct(
    tenant: string,
    manifest: DataProductManifest,
    options: { tx?: Knex.Transaction } = {},
  ): Promise<void> {
    const { name, rules, defaultPort, maxDelay, maxDelayMinutes, hash } =
      productContract(manifest);

    await this.#in(tenant, options.tx, async tx => {
      const current = await this.#db
        .scoped(tx, PRODUCTS)
        .where({ product: name })
        .first('rules_hash');
      if (current?.rules_hash === hash) {
        return;
      }
      const names = rules.map(rule => rule.rule);
      await this.#db
        .scoped(tx, RULES)
        .where({ product: name })
        .whereNotIn('rule', names)
        .delete();
      for (let i = 0; i < rules.length; i += INSERT_CHUNK) {
        await this.#db
          .insert(
            tx,
            RULES,
            rules
              .slice(i, i + INSERT_CHUNK)
              .map(rule => ({ product: name, ...rule })),
          )
          .onConflict(['tenant_id', 'product', 'rule'])
          .merge(['port', 'dimension', 'severity', 'engine', 'description']);
      }
      await this.#db
        .insert(tx, PRODUCTS, {
          product: name,
          rules_hash: hash,
          default_port: defaultPort,
          max_delay: maxDelay,
          max_delay_minutes: maxDelayMinutes,
          synced_at: this.#now(),
        })
        .onConflict(['tenant_id', 'product'])
        .merge([
          'rules_hash',
          'default_port',
          'max_delay',
          'max_delay_minutes',
          'synced_at',
        ]);
    });
  }

  /**
   * Stores results of a product: each new one once (a duplicate source + execution id is left
   * as it was), the rollups for the new ones, and `options.onStored` with them, all in one
   * transaction of the tenant (`options.tx`, or a new one). A result more than 5 minutes in the
   * future, or with a time that is not one, is refused (`InputError` naming it) and nothing is
   * stored.
   */
  async ingest(
    tenant: string,
    productName: string,
    results: StoredResultInput[],
    options: { tx?: Knex.Transaction; onStored?: OnStored } = {},
  ): Promise<QualityReportResponse> {
    const now = this.#now();
    results.forEach((result, index) => {
      const time = Date.parse(result.observedAt);
      if (Number.isNaN(time)) {
        throw new InputError(
          `results.${index}.observedAt must be an ISO 8601 time`,
        );
      }
      if (time > now.getTime() + MAX_CLOCK_SKEW_MS) {
        throw new InputError(
          `results.${index}.observedAt must not be more than 5 minutes in the future`,
        );
      }
    });

    return this.#in(tenant, options.tx, async tx => {
      const contract = new Map<string, ContractRule>();
      const ruleRows: Array<ContractRule & { rule: string }> = await this.#db
        .scoped(tx, RULES)
        .where({ product: productName })
        .select('rule', 'port', 'dimension', 'severity');
      for (const row of ruleRows) {
        contract.set(row.rule, row);
      }
      const product = await this.#db
        .scoped(tx, PRODUCTS)
        .where({ product: productName })
        .first('default_port');
      const defaultPort: string | null = product?.default_port ?? null;

      const outsideContract = new Set<string>();
      const rows = results.map(result => {
        const rule = contract.get(result.rule);
        if (!rule) {
          outsideContract.add(result.rule);
        }
        return {
          product: productName,
          port: result.port ?? rule?.port ?? defaultPort,
          rule: result.rule,
          dimension: rule?.dimension ?? result.dimension ?? 'accuracy',
          severity: rule?.severity ?? result.severity ?? 'info',
          outcome: result.outcome,
          observed_value:
            result.observedValue === undefined
              ? null
              : JSON.stringify(result.observedValue),
          threshold: result.threshold ?? null,
          run_id: result.runId ?? null,
          partition: result.partition ?? null,
          source: result.source,
          execution_id: result.executionId,
          observed_at: new Date(result.observedAt),
          received_at: now,
          message: result.message ?? null,
          in_contract: Boolean(rule),
        };
      });

      const inserted: Array<ResultRow & { in_contract: unknown }> = [];
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        inserted.push(
          ...(await this.#db
            .insert(tx, RESULTS, rows.slice(i, i + INSERT_CHUNK))
            .onConflict(['tenant_id', 'source', 'execution_id'])
            .ignore()
            .returning([...resultColumns(RESULTS), `${RESULTS}.in_contract`])),
        );
      }
      await this.#rollUp(tx, productName, inserted);
      const stored = inserted.map(toResult);
      if (stored.length > 0) {
        await options.onStored?.(tx, stored);
      }
      return {
        accepted: stored.length,
        duplicates: results.length - stored.length,
        outsideContract: [...outsideContract].sort(),
      };
    });
  }

  /** Upserts the rollups with newly inserted results, newer only (`>=`: the later arrival wins a tie). */
  async #rollUp(
    tx: Knex.Transaction,
    product: string,
    inserted: Array<ResultRow & { in_contract: unknown }>,
  ): Promise<void> {
    // The newest of each key in this batch: one row per key and statement.
    const latest = new Map<string, (typeof inserted)[number]>();
    const daily = new Map<string, (typeof inserted)[number]>();
    const ms = (row: ResultRow) => new Date(toIsoTimestamp(row.observed_at));
    for (const row of inserted) {
      const time = ms(row).getTime();
      const keep = (map: Map<string, ResultRow>, key: string) => {
        const seen = map.get(key);
        if (!seen || time >= ms(seen).getTime()) {
          map.set(key, row);
        }
      };
      keep(latest, row.rule);
      keep(daily, `${row.rule}\u0000${utcDay(ms(row))}`);
    }
    const latestRows = [...latest.values()].map(row => ({
      product,
      rule: row.rule,
      result_id: row.id,
      outcome: row.outcome,
      observed_at: ms(row),
      port: row.port,
      dimension: row.dimension,
      severity: row.severity,
      in_contract: Boolean(Number(row.in_contract)),
    }));
    for (let i = 0; i < latestRows.length; i += INSERT_CHUNK) {
      await this.#db
        .insert(tx, LATEST, latestRows.slice(i, i + INSERT_CHUNK))
        .onConflict(['tenant_id', 'product', 'rule'])
        .merge([
          'result_id',
          'outcome',
          'observed_at',
          'port',
          'dimension',
          'severity',
          'in_contract',
        ])
        .where(
          tx.raw('?? >= ??', [
            'excluded.observed_at',
            `${LATEST}.observed_at`,
          ]) as unknown as Knex.QueryBuilder,
        );
    }
    const dailyRows = [...daily.values()].map(row => ({
      product,
      rule: row.rule,
      day: utcDay(ms(row)),
      outcome: row.outcome,
      observed_at: ms(row),
    }));
    for (let i = 0; i < dailyRows.length; i += INSERT_CHUNK) {
      await this.#db
        .insert(tx, DAILY, dailyRows.slice(i, i + INSERT_CHUNK))
        .onConflict(['tenant_id', 'product', 'rule', 'day'])
        .merge(['outcome', 'observed_at'])
        .where(
          tx.raw('?? >= ??', [
            'excluded.observed_at',
            `${DAILY}.observed_at`,
          ]) as unknown as Knex.QueryBuilder,
        );
    }
  }

  /**
   * Records a finished run of a product: a success moves its last successful run forward (never
   * back), which its freshness is measured from. Other statuses change nothing here.
   */
  async recordRun(
    tenant: string,
    productName: string,
    run: QualityRunInput,
    options: { tx?: Knex.Transaction } = {},
  ): Promise<void> {
    if (run.status !== 'SUCCESS') {
      return;
    }
    const endedAt = new Date(run.endedAt);
    if (Number.isNaN(endedAt.getTime())) {
      throw new InputError('endedAt must be an ISO 8601 time');
    }
    await this.#in(tenant, options.tx, async tx => {
      await this.#db
        .insert(tx, PRODUCTS, {
          product: productName,
          // Never synced: the next sync writes the contract.
          rules_hash: '',
          last_success_at: endedAt,
          last_run_id: run.runId,
          synced_at: this.#now(),
        })
        .onConflict(['tenant_id', 'product'])
        .merge(['last_success_at', 'last_run_id'])
        .where(
          tx.raw('?? IS NULL OR ?? > ??', [
            `${PRODUCTS}.last_success_at`,
            'excluded.last_success_at',
            `${PRODUCTS}.last_success_at`,
          ]) as unknown as Knex.QueryBuilder,
        );
    });
  }

  /**
   * Scores, coverage, failing counts, freshness and open incidents of the tenant's products
   * (or of some), one SQL aggregate per product.
   */
  async #productStates(
    tx: Knex.Transaction,
    tenant: string,
    names?: string[],
  ): Promise<ProductState[]> {
    const now = this.#now();
    const aggregate = tx(`${RULES} as r`)
      .leftJoin(`${LATEST} as l`, function join() {
        this.on('l.tenant_id', 'r.tenant_id')
          .andOn('l.product', 'r.product')
          .andOn('l.rule', 'r.rule');
      })
      .where('r.tenant_id', tenant)
      .groupBy('r.product')
      .select('r.product', tx.raw(scoreColumns('r.severity', 'l.outcome')));
    const open = tx(INCIDENTS)
      .where('tenant_id', tenant)
      .whereNot('state', 'resolved')
      .groupBy('product')
      .select('product', tx.raw('COUNT(*) AS open'));
    if (names) {
      // Inside the aggregates too, so only these products' rules are grouped.
      aggregate.whereIn('r.product', names);
      open.whereIn('product', names);
    }
    const query = tx(`${PRODUCTS} as p`)
      .leftJoin(aggregate.as('a'), 'a.product', 'p.product')
      .leftJoin(open.as('i'), 'i.product', 'p.product')
      .where('p.tenant_id', tenant)
      .orderBy('p.product')
      .select(
        'p.product',
        'p.max_delay',
        'p.max_delay_minutes',
        'p.last_success_at',
        tx.raw(`${freshnessSql(tx)} AS freshness`, [now.getTime()]),
        tx.raw('i.open AS open_incidents'),
        'a.rules',
        'a.with_results',
        'a.earned',
        'a.weighed',
        'a.failing',
        'a.failing_error',
        'a.degraded',
      );
    if (names) {
      query.whereIn('p.product', names);
    }
    const rows: Array<ProductRow & Partial<ScoreRow>> = await query;
    return rows.map(row => {
      const counts = scoreOf(row);
      const freshness = this.#freshness(row, now);
      const status = qualityStatus({
        failingErrorRules: counts.failingErrorRules,
        degradedRules: counts.degradedRules,
        rulesWithResults: counts.withResults,
        freshness: freshness.status,
      });
      return {
        name: row.product,
        product: productRef(tenant, row.product),
        score: counts.score,
        status,
        coverage: counts.rules > 0 ? counts.withResults / counts.rules : null,
        freshness: freshness.status,
        openIncidents: Number(row.open_incidents ?? 0),
        freshnessDetail: freshness,
        counts,
      };
    });
  }

  #freshness(row: ProductRow, now: Date): QualityFreshness {
    const lastSuccessAt =
      row.last_success_at !== null
        ? toIsoTimestamp(row.last_success_at)
        : undefined;
    return {
      status: row.freshness,
      ...(row.max_delay !== null ? { maxDelay: row.max_delay } : {}),
      ...(row.max_delay_minutes !== null
        ? { maxDelayMinutes: Number(row.max_delay_minutes) }
        : {}),
      ...(lastSuccessAt
        ? {
            lastSuccessAt,
            ageMinutes: Math.max(
              0,
              Math.floor((now.getTime() - Date.parse(lastSuccessAt)) / 60000),
            ),
          }
        : {}),
    };
  }

  /**
   * The summary of a product (without `upstream`, which depends on the caller: see
   * `QualityService`). A product the store does not know yet answers with no rules, unknown
   * freshness and status `unknown`.
   */
  async summary(
    tenant: string,
    productName: string,
  ): Promise<QualityProductSummary> {
    return this.#db.withTenant(tenant, tx =>
      this.#summary(tx, tenant, productName),
    );
  }

  /**
   * A product's summary (as `summary`) and the statuses of `options.upstream`, products of the
   * same tenant, read in one transaction of the tenant that writes nothing. With
   * `options.contractHash` (`productContract(manifest).hash`), `undefined` when the stored
   * contract is another one or none: the caller syncs the product (`syncProduct`) and reads
   * again. So a read of a product whose contract did not change costs one transaction.
   */
  async productView(
    tenant: string,
    productName: string,
    options: { contractHash?: string; upstream?: string[] } = {},
  ): Promise<
    { summary: QualityProductSummary; upstream: QualityStatuses } | undefined
  > {
    return this.#db.withTenant(tenant, async tx => {
      if (options.contractHash !== undefined) {
        const current: { rules_hash: string } | undefined = await this.#db
          .scoped(tx, PRODUCTS)
          .where({ product: productName })
          .first('rules_hash');
        if (current?.rules_hash !== options.contractHash) {
          return undefined;
        }
      }
      const summary = await this.#summary(tx, tenant, productName);
      const upstream = options.upstream?.length
        ? await this.#statuses(tx, tenant, options.upstream)
        : new Map();
      return { summary, upstream };
    });
  }

  async #summary(
    tx: Knex.Transaction,
    tenant: string,
    productName: string,
  ): Promise<QualityProductSummary> {
    const computedAt = this.#now();
    const [state] = await this.#productStates(tx, tenant, [productName]);
    const dimensionRows: Array<ScoreRow & { dimension: QualityDimension }> =
      await tx(`${RULES} as r`)
        .leftJoin(`${LATEST} as l`, function join() {
          this.on('l.tenant_id', 'r.tenant_id')
            .andOn('l.product', 'r.product')
            .andOn('l.rule', 'r.rule');
        })
        .where({ 'r.tenant_id': tenant, 'r.product': productName })
        .groupBy('r.dimension')
        .orderBy('r.dimension')
        .select('r.dimension', tx.raw(scoreColumns('r.severity', 'l.outcome')));
    const dimensions: QualityDimensionScore[] = dimensionRows.map(row => {
      const counts = scoreOf(row);
      return {
        dimension: row.dimension,
        score: counts.score,
        rules: counts.rules,
        rulesWithResults: counts.withResults,
        failing: counts.failing,
      };
    });

    const ruleRows: Array<
      Partial<ResultRow> & {
        name: string;
        rule_port: string | null;
        rule_dimension: QualityDimension;
        rule_severity: QualitySeverity;
        engine: string | null;
        description: string | null;
      }
    > = await tx(`${RULES} as r`)
      .leftJoin(`${LATEST} as l`, function join() {
        this.on('l.tenant_id', 'r.tenant_id')
          .andOn('l.product', 'r.product')
          .andOn('l.rule', 'r.rule');
      })
      .leftJoin(`${RESULTS} as q`, function join() {
        this.on('q.tenant_id', 'l.tenant_id').andOn('q.id', 'l.result_id');
      })
      .where({ 'r.tenant_id': tenant, 'r.product': productName })
      .orderBy('r.rule')
      .select(
        'r.rule as name',
        'r.port as rule_port',
        'r.dimension as rule_dimension',
        'r.severity as rule_severity',
        'r.engine',
        'r.description',
        ...resultColumns('q'),
      );
    const rules: QualityRuleState[] = ruleRows.map(row => ({
      name: row.name,
      ...(row.rule_port !== null ? { port: row.rule_port } : {}),
      dimension: row.rule_dimension,
      severity: row.rule_severity,
      status:
        row.id !== null && row.id !== undefined ? row.outcome! : 'unknown',
      ...(row.id !== null && row.id !== undefined
        ? { lastResult: toResult(row as ResultRow) }
        : {}),
      ...(row.engine !== null ? { engine: row.engine } : {}),
      ...(row.description !== null ? { description: row.description } : {}),
    }));

    const outsideRows: ResultRow[] = await tx(`${LATEST} as l`)
      .join(`${RESULTS} as q`, function join() {
        this.on('q.tenant_id', 'l.tenant_id').andOn('q.id', 'l.result_id');
      })
      .leftJoin(`${RULES} as r`, function join() {
        this.on('r.tenant_id', 'l.tenant_id')
          .andOn('r.product', 'l.product')
          .andOn('r.rule', 'l.rule');
      })
      .where({ 'l.tenant_id': tenant, 'l.product': productName })
      .whereNull('r.rule')
      .orderBy('l.rule')
      .select(...resultColumns('q'));

    const counts = state?.counts ?? scoreOf(undefined);
    return {
      product: productRef(tenant, productName),
      score: counts.score,
      status: state?.status ?? 'unknown',
      coverage: {
        rules: counts.rules,
        rulesWithResults: counts.withResults,
        ratio: counts.rules > 0 ? counts.withResults / counts.rules : null,
      },
      dimensions,
      rules,
      outsideContract: outsideRows.map(toResult),
      freshness: state?.freshnessDetail ?? { status: 'unknown' },
      openIncidents: state?.openIncidents ?? 0,
      upstream: [],
      computedAt: computedAt.toISOString(),
    };
  }

  /**
   * Status and score of some products of a tenant (for upstream lineage), in one query; unknown
   * ones are absent.
   */
  async statuses(
    tenant: string,
    productNames: string[],
  ): Promise<QualityStatuses> {
    return this.#db.withTenant(tenant, tx =>
      this.#statuses(tx, tenant, productNames),
    );
  }

  async #statuses(
    tx: Knex.Transaction,
    tenant: string,
    productNames: string[],
  ): Promise<QualityStatuses> {
    const states = await this.#productStates(tx, tenant, productNames);
    return new Map(
      states.map(s => [s.name, { status: s.status, score: s.score }]),
    );
  }

  /** Days `[first, ..., today]` (UTC) of a period of `days` days ending today. */
  #period(days: number): string[] {
    const today = Date.parse(`${utcDay(this.#now())}T00:00:00Z`);
    return Array.from({ length: days }, (_, i) =>
      utcDay(new Date(today - (days - 1 - i) * 86_400_000)),
    );
  }

  async #trendDays(
    tx: Knex.Transaction,
    tenant: string,
    productName: string | undefined,
    days: number,
  ): Promise<QualityTrendDay[]> {
    const period = this.#period(days);
    const query = tx(`${DAILY} as d`)
      .join(`${RULES} as r`, function join() {
        this.on('r.tenant_id', 'd.tenant_id')
          .andOn('r.product', 'd.product')
          .andOn('r.rule', 'd.rule');
      })
      .where('d.tenant_id', tenant)
      .where('d.day', '>=', period[0])
      .groupBy('d.day')
      .select(
        'd.day',
        tx.raw(scoreColumns('r.severity', 'd.outcome')),
        ...(['pass', 'warn', 'fail', 'error'] as const).map(outcome =>
          tx.raw(
            `SUM(CASE WHEN ${inList('d.outcome', [
              outcome,
            ])} THEN 1 ELSE 0 END) AS ${outcome}_count`,
          ),
        ),
      );
    if (productName !== undefined) {
      query.where('d.product', productName);
    }
    const rows: Array<
      ScoreRow & {
        day: string;
        pass_count: unknown;
        warn_count: unknown;
        fail_count: unknown;
        error_count: unknown;
      }
    > = await query;
    const byDay = new Map(rows.map(row => [row.day, row]));
    return period.map(day => {
      const row = byDay.get(day);
      return {
        day,
        score: scoreOf(row).score,
        pass: Number(row?.pass_count ?? 0),
        warn: Number(row?.warn_count ?? 0),
        fail: Number(row?.fail_count ?? 0),
        error: Number(row?.error_count ?? 0),
      };
    });
  }

  /** A product's daily score and outcome counts over the last `days` days (UTC), oldest first. */
  async trend(
    tenant: string,
    productName: string,
    days: number,
  ): Promise<QualityTrendDay[]> {
    return this.#db.withTenant(tenant, tx =>
      this.#trendDays(tx, tenant, productName, days),
    );
  }

  /**
   * A page of a product's results (optionally of one rule), newest first by `observedAt`; the
   * cursor is the last result's time and id.
   */
  async results(
    tenant: string,
    productName: string,
    options: { rule?: string; limit: number; cursor?: string },
  ): Promise<QualityResultPage> {
    let before: { time: Date; id: string } | undefined;
    if (options.cursor !== undefined) {
      const match = /^(\d{1,15})_(\d{1,18})$/.exec(options.cursor);
      if (!match) {
        throw new InputError('cursor is not a cursor of this list');
      }
      before = { time: new Date(Number(match[1])), id: match[2] };
    }
    return this.#db.withTenant(tenant, async tx => {
      const query = this.#db
        .scoped(tx, RESULTS)
        .where({ product: productName })
        .orderBy([
          { column: 'observed_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(options.limit + 1)
        .select(resultColumns(RESULTS));
      if (options.rule !== undefined) {
        query.where({ rule: options.rule });
      }
      if (before) {
        const { time, id } = before;
        query.where(q =>
          q
            .where('observed_at', '<', time)
            .orWhere(q2 => q2.where('observed_at', time).where('id', '<', id)),
        );
      }
      const rows: ResultRow[] = await query;
      const page = rows.slice(0, options.limit).map(toResult);
      const last = page[page.length - 1];
      return {
        items: page,
        ...(rows.length > options.limit
          ? { nextCursor: `${Date.parse(last.observedAt)}_${last.id}` }
          : {}),
      };
    });
  }

  /** Score, status, coverage, freshness and open incidents of each of the tenant's products. */
  async scores(tenant: string): Promise<QualityTenantScores> {
    return this.#db.withTenant(tenant, async tx => ({
      tenant,
      items: (await this.#productStates(tx, tenant)).map(publicScore),
    }));
  }

  /**
   * The tenant's dashboard over the last `days` days: products worst first, the latest failing
   * results of `error` and `warning` rules, stale products, the tenant's daily score, and
   * incident response times.
   */
  async dashboard(
    tenant: string,
    days: number,
  ): Promise<QualityTenantDashboard> {
    return this.#db.withTenant(tenant, async tx => {
      const states = await this.#productStates(tx, tenant);
      const products = [...states].sort(
        (a, b) =>
          STATUS_ORDER.get(a.status)! - STATUS_ORDER.get(b.status)! ||
          (a.score ?? 101) - (b.score ?? 101) ||
          a.name.localeCompare(b.name),
      );

      const failingRows: ResultRow[] = await tx(`${LATEST} as l`)
        .join(`${RULES} as r`, function join() {
          this.on('r.tenant_id', 'l.tenant_id')
            .andOn('r.product', 'l.product')
            .andOn('r.rule', 'l.rule');
        })
        .join(`${RESULTS} as q`, function join() {
          this.on('q.tenant_id', 'l.tenant_id').andOn('q.id', 'l.result_id');
        })
        .where('l.tenant_id', tenant)
        .whereIn('r.severity', ['error', 'warning'])
        .whereIn('l.outcome', FAILING_OUTCOMES as QualityOutcome[])
        .orderBy([
          { column: 'l.observed_at', order: 'desc' },
          { column: 'l.result_id', order: 'desc' },
        ])
        .limit(DASHBOARD_FAILING_RULES)
        .select([...resultColumns('q'), 'r.severity as rule_severity']);

      const since = Date.parse(`${this.#period(days)[0]}T00:00:00Z`);
      const open = await tx(INCIDENTS)
        .where('tenant_id', tenant)
        .whereNot('state', 'resolved')
        .count({ n: '*' })
        .first();
      const opened = `${INCIDENTS}.opened_at`;
      const means = await tx(INCIDENTS)
        .where('tenant_id', tenant)
        .whereRaw(`${epochMsSql(tx, opened)} >= ?`, [since])
        .first(
          tx.raw(
            `${meanMinutesSql(
              tx,
              opened,
              `${INCIDENTS}.acknowledged_at`,
            )} AS ack`,
          ),
          tx.raw(
            `${meanMinutesSql(tx, opened, `${INCIDENTS}.resolved_at`)} AS res`,
          ),
        );
      const mean = (value: unknown) =>
        value === null || value === undefined
          ? null
          : Math.round(Number(value) * 10) / 10;

      return {
        tenant,
        products: products.map(publicScore),
        failingRules: failingRows.map(row => ({
          ...toResult(row),
          severity: (row as ResultRow & { rule_severity: QualitySeverity })
            .rule_severity,
          product: productRef(tenant, row.product),
        })),
        staleProducts: states
          .filter(state => state.freshness === 'stale')
          .map(state => ({
            product: state.product,
            freshness: state.freshnessDetail,
          })),
        trend: await this.#trendDays(tx, tenant, undefined, days),
        incidents: {
          open: Number(open?.n ?? 0),
          meanMinutesToAcknowledge: mean(means?.ack),
          meanMinutesToResolve: mean(means?.res),
          days,
        },
      };
    });
  }
}

function publicScore(state: ProductState): QualityProductScore {
  return {
    product: state.product,
    score: state.score,
    status: state.status,
    coverage: state.coverage,
    freshness: state.freshness,
    openIncidents: state.openIncidents,
  };
}
