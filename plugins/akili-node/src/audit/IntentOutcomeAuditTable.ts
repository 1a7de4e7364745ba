import { TenantScopedDatabase } from '../database/TenantScopedDatabase';

/**
 * The columns every intent/outcome audit table has (besides its own): one row per intent and
 * one per outcome, the outcome naming its intent by `intent_id`.
 *
 * @public
 */
export interface IntentOutcomeAuditRow {
  id: number | string;
  tenant_id: string;
  /** `intent` or `outcome` (or a store's own kind of row listed with the intents). */
  kind: string;
  /** On an outcome, the id of its intent. */
  intent_id: number | string | null;
  /** On an outcome, what became of the action (`succeeded`, `failed`, …). */
  outcome: string | null;
  /** JSON; on a failed outcome, `{ "error": … }`. */
  details: string;
  at: Date | string | number;
}

/**
 * What became of an audited action: `failed` with the error the caller was told, or any other
 * outcome of the store's own.
 *
 * @public
 */
export type IntentOutcomeAuditOutcome =
  | { outcome: 'failed'; error: string }
  | { outcome: string };

/**
 * How a store's intents, outcomes and entries map to the rows of its table.
 *
 * @public
 */
export interface IntentOutcomeAuditTableOptions<
  TIntent,
  TOutcome extends IntentOutcomeAuditOutcome,
  TRow extends IntentOutcomeAuditRow,
  TEntry,
> {
  /** The table, tenant-isolated and append-only (see `enableTenantIsolation`). */
  table: string;
  /** The error of a failed outcome is kept at most this long. */
  maxErrorLength: number;
  /** The store's columns of an intent row (`details` defaults to `{}`). */
  intentColumns: (intent: TIntent) => Record<string, unknown>;
  /**
   * The store's columns of an outcome row (`kind`, `intent_id`, `outcome`, `details` and `at`
   * are written by the table).
   */
  outcomeColumns: (
    intent: TIntent,
    outcome: TOutcome,
  ) => Record<string, unknown>;
  /**
   * The kinds of rows listed as entries, newest first; only those of kind `intent` are joined to
   * an outcome. Default: `['intent']`.
   */
  listedKinds?: string[];
  /**
   * The entry of a listed row, with its outcome row (when one is recorded) and the error that
   * outcome records (when it is a failure).
   */
  toEntry: (
    row: TRow,
    outcome: TRow | undefined,
    error: string | undefined,
  ) => TEntry;
}

/**
 * One audit table of actions outside the database, written as an intent (committed in its own
 * tenant transaction before the action) and an outcome naming the intent's id (after it), and
 * read as a page of entries, newest first, each joined to its outcome. The stores of the plugins
 * (Dagster runs, ArgoCD syncs, lake downloads) keep their own API, table, columns and entries,
 * and hand their steps to `runAuditedAction`.
 *
 * @public
 */
export class IntentOutcomeAuditTable<
  TIntent,
  TOutcome extends IntentOutcomeAuditOutcome,
  TRow extends IntentOutcomeAuditRow,
  TEntry,
> {
  readonly #db: TenantScopedDatabase;
  readonly #options: IntentOutcomeAuditTableOptions<
    TIntent,
    TOutcome,
    TRow,
    TEntry
  >;

  constructor(
    db: TenantScopedDatabase,
    options: IntentOutcomeAuditTableOptions<TIntent, TOutcome, TRow, TEntry>,
  ) {
    this.#db = db;
    this.#options = options;
  }

  /** Records (and commits) an intent; returns its id, which its outcome names. */
  async recordIntent(tenant: string, intent: TIntent): Promise<string> {
    return this.#db.withTenant(tenant, async tx => {
      const [row] = await this.#db
        .insert(tx, this.#options.table, {
          details: '{}',
          ...this.#options.intentColumns(intent),
          kind: 'intent',
          at: new Date(),
        })
        .returning('id');
      return String(typeof row === 'object' ? row.id : row);
    });
  }

  /** Records the outcome of the intent `intentId` (of the same tenant). */
  async recordOutcome(
    tenant: string,
    intentId: string,
    intent: TIntent,
    outcome: TOutcome,
  ): Promise<void> {
    const error =
      outcome.outcome === 'failed'
        ? {
            error: (outcome as { error: string }).error.slice(
              0,
              this.#options.maxErrorLength,
            ),
          }
        : {};
    await this.#db.withTenant(tenant, tx =>
      this.#db.insert(tx, this.#options.table, {
        ...this.#options.outcomeColumns(intent, outcome),
        kind: 'outcome',
        intent_id: intentId,
        outcome: outcome.outcome,
        details: JSON.stringify(error),
        at: new Date(),
      }),
    );
  }

  /**
   * A page of the tenant's entries, newest first, each with its outcome (when one is recorded);
   * `before` is a former page's cursor (an entry id).
   */
  async list(
    tenant: string,
    options: { limit: number; before?: string },
  ): Promise<{ items: TEntry[]; nextCursor?: string }> {
    const { table, listedKinds = ['intent'], toEntry } = this.#options;
    return this.#db.withTenant(tenant, async tx => {
      const { rows, nextCursor } = await this.#db.pageNewestFirst<TRow>(
        tx,
        table,
        {
          ...options,
          where: query => query.whereIn('kind', listedKinds),
        },
      );
      const intents = rows.filter(row => row.kind === 'intent');
      const outcomes = new Map<string, TRow>();
      if (intents.length > 0) {
        const found: TRow[] = await this.#db
          .scoped(tx, table)
          .select()
          .where('kind', 'outcome')
          .whereIn(
            'intent_id',
            intents.map(row => row.id),
          );
        for (const row of found) outcomes.set(String(row.intent_id), row);
      }
      return {
        items: rows.map(row => {
          const outcome =
            row.kind === 'intent' ? outcomes.get(String(row.id)) : undefined;
          const error = outcome
            ? (JSON.parse(outcome.details) as { error?: unknown }).error
            : undefined;
          return toEntry(
            row,
            outcome,
            typeof error === 'string' ? error : undefined,
          );
        }),
        ...(nextCursor ? { nextCursor } : {}),
      };
    });
  }
}
