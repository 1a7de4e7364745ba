import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { RunAuditEntry } from '@akili/plugin-dagster-common';
import { TenantScopedDatabase, toIsoTimestamp } from '@akili/plugin-akili-node';

const AUDIT = 'dagster_run_audit';

/** The plugin's knex migrations (opened with `akiliTenantDatabaseServiceRef`). */
export const DAGSTER_MIGRATIONS_DIRECTORY = resolvePackagePath(
  '@akili/plugin-dagster-backend',
  'migrations',
);

export type { RunAuditEntry };

/** What the caller was told about an action that failed, at most this long. */
const MAX_ERROR_LENGTH = 1000;

interface AuditRow {
  id: number | string;
  tenant_id: string;
  action: RunAuditEntry['action'];
  actor: string;
  run_id: string | null;
  product: string | null;
  details: string;
  at: Date | string | number;
  /** `intent`, `outcome`, or `record` (a row of before intents: the action succeeded). */
  kind: 'intent' | 'outcome' | 'record';
  intent_id: number | string | null;
  outcome: 'succeeded' | 'failed' | null;
}

/** An action about to be asked of Dagster. */
export type RunAuditIntent = Pick<
  RunAuditEntry,
  'action' | 'actor' | 'runId' | 'product' | 'details'
>;

/** What became of it. */
export type RunAuditOutcome =
  | { outcome: 'succeeded'; runId: string }
  | { outcome: 'failed'; error: string };

/**
 * Who launched, re-executed or terminated which run, per tenant, as an append-only trail: the
 * intent is written before the portal asks Dagster, the outcome after (see `runAuditedAction`),
 * and no row is ever changed or deleted (the table allows the tenant role only SELECT and
 * INSERT).
 */
export class RunAuditStore {
  readonly #db: TenantScopedDatabase;

  constructor(db: TenantScopedDatabase) {
    this.#db = db;
  }

  /** Records (and commits) an intent; returns its id, which its outcome names. */
  async recordIntent(tenant: string, intent: RunAuditIntent): Promise<string> {
    return this.#db.withTenant(tenant, async tx => {
      const [row] = await this.#db
        .insert(tx, AUDIT, {
          kind: 'intent',
          action: intent.action,
          actor: intent.actor,
          run_id: intent.runId ?? null,
          product: intent.product ?? null,
          details: JSON.stringify(intent.details),
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
    intent: RunAuditIntent,
    outcome: RunAuditOutcome,
  ): Promise<void> {
    await this.#db.withTenant(tenant, tx =>
      this.#db.insert(tx, AUDIT, {
        kind: 'outcome',
        intent_id: intentId,
        outcome: outcome.outcome,
        action: intent.action,
        actor: intent.actor,
        run_id:
          outcome.outcome === 'succeeded'
            ? outcome.runId
            : intent.runId ?? null,
        product: intent.product ?? null,
        details: JSON.stringify(
          outcome.outcome === 'failed'
            ? { error: outcome.error.slice(0, MAX_ERROR_LENGTH) }
            : {},
        ),
        at: new Date(),
      }),
    );
  }

  /**
   * A page of the tenant's actions, newest first, each with its outcome (`unknown` while none is
   * recorded); `before` is an entry id.
   */
  async list(
    tenant: string,
    options: { limit: number; before?: string },
  ): Promise<{ items: RunAuditEntry[]; nextCursor?: string }> {
    return this.#db.withTenant(tenant, async tx => {
      const { rows, nextCursor } = await this.#db.pageNewestFirst<AuditRow>(
        tx,
        AUDIT,
        {
          ...options,
          where: query => query.whereIn('kind', ['intent', 'record']),
        },
      );
      const intents = rows.filter(row => row.kind === 'intent');
      const outcomes = new Map<string, AuditRow>();
      if (intents.length > 0) {
        const found: AuditRow[] = await this.#db
          .scoped(tx, AUDIT)
          .select()
          .where('kind', 'outcome')
          .whereIn(
            'intent_id',
            intents.map(row => row.id),
          );
        for (const outcome of found) {
          outcomes.set(String(outcome.intent_id), outcome);
        }
      }
      return {
        items: rows.map(row => toEntry(row, outcomes.get(String(row.id)))),
        ...(nextCursor ? { nextCursor } : {}),
      };
    });
  }
}

function toEntry(row: AuditRow, outcome: AuditRow | undefined): RunAuditEntry {
  const runId = outcome?.run_id ?? row.run_id;
  const entry: RunAuditEntry = {
    id: String(row.id),
    tenant: row.tenant_id,
    action: row.action,
    actor: row.actor,
    ...(runId ? { runId } : {}),
    ...(row.product ? { product: row.product } : {}),
    details: JSON.parse(row.details),
    at: toIsoTimestamp(row.at),
    outcome: 'unknown',
  };
  if (row.kind === 'record') {
    // Written after the action succeeded, before intents were recorded.
    entry.outcome = 'succeeded';
    entry.outcomeAt = entry.at;
  } else if (outcome) {
    entry.outcome = outcome.outcome ?? 'unknown';
    entry.outcomeAt = toIsoTimestamp(outcome.at);
    const error = (JSON.parse(outcome.details) as { error?: unknown }).error;
    if (typeof error === 'string') entry.error = error;
  }
  return entry;
}
