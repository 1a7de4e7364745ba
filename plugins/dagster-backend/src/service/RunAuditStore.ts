import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { RunAuditEntry } from '@akili/plugin-dagster-common';
import {
  IntentOutcomeAuditRow,
  IntentOutcomeAuditTable,
  TenantScopedDatabase,
  toIsoTimestamp,
} from '@akili/plugin-akili-node';

const AUDIT = 'dagster_run_audit';

/** The plugin's knex migrations (opened with `akiliTenantDatabaseServiceRef`). */
export const DAGSTER_MIGRATIONS_DIRECTORY = resolvePackagePath(
  '@akili/plugin-dagster-backend',
  'migrations',
);

export type { RunAuditEntry };

/** What the caller was told about an action that failed, at most this long. */
const MAX_ERROR_LENGTH = 1000;

interface AuditRow extends IntentOutcomeAuditRow {
  action: RunAuditEntry['action'];
  actor: string;
  run_id: string | null;
  product: string | null;
  /** `intent`, `outcome`, or `record` (a row of before intents: the action succeeded). */
  kind: 'intent' | 'outcome' | 'record';
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
  readonly #table: IntentOutcomeAuditTable<
    RunAuditIntent,
    RunAuditOutcome,
    AuditRow,
    RunAuditEntry
  >;

  constructor(db: TenantScopedDatabase) {
    this.#table = new IntentOutcomeAuditTable(db, {
      table: AUDIT,
      maxErrorLength: MAX_ERROR_LENGTH,
      intentColumns: intent => ({
        action: intent.action,
        actor: intent.actor,
        run_id: intent.runId ?? null,
        product: intent.product ?? null,
        details: JSON.stringify(intent.details),
      }),
      outcomeColumns: (intent, outcome) => ({
        action: intent.action,
        actor: intent.actor,
        run_id:
          outcome.outcome === 'succeeded'
            ? outcome.runId
            : intent.runId ?? null,
        product: intent.product ?? null,
      }),
      listedKinds: ['intent', 'record'],
      toEntry,
    });
  }

  /** Records (and commits) an intent; returns its id, which its outcome names. */
  async recordIntent(tenant: string, intent: RunAuditIntent): Promise<string> {
    return this.#table.recordIntent(tenant, intent);
  }

  /** Records the outcome of the intent `intentId` (of the same tenant). */
  async recordOutcome(
    tenant: string,
    intentId: string,
    intent: RunAuditIntent,
    outcome: RunAuditOutcome,
  ): Promise<void> {
    await this.#table.recordOutcome(tenant, intentId, intent, outcome);
  }

  /**
   * A page of the tenant's actions, newest first, each with its outcome (`unknown` while none is
   * recorded); `before` is an entry id.
   */
  async list(
    tenant: string,
    options: { limit: number; before?: string },
  ): Promise<{ items: RunAuditEntry[]; nextCursor?: string }> {
    return this.#table.list(tenant, options);
  }
}

function toEntry(
  row: AuditRow,
  outcome: AuditRow | undefined,
  error: string | undefined,
): RunAuditEntry {
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
    if (error !== undefined) entry.error = error;
  }
  return entry;
}
