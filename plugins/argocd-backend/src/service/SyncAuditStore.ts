import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { DeploymentSyncAuditEntry } from '@akili/plugin-argocd-common';
import {
  IntentOutcomeAuditRow,
  IntentOutcomeAuditTable,
  TenantScopedDatabase,
  toIsoTimestamp,
} from '@akili/plugin-akili-node';

const AUDIT = 'argocd_sync_audit';

/** The plugin's knex migrations (opened with `akiliTenantDatabaseServiceRef`). */
export const ARGOCD_MIGRATIONS_DIRECTORY = resolvePackagePath(
  '@akili/plugin-argocd-backend',
  'migrations',
);

/** What the caller was told about a sync that failed, at most this long. */
const MAX_ERROR_LENGTH = 1000;

/** A sync about to be asked of ArgoCD. */
export interface SyncAuditIntent {
  /** User entity ref, or `token:<id>`. */
  actor: string;
  /** The product's entity ref. */
  product: string;
  application: string;
  revision: string;
}

/** What became of it. */
export type SyncAuditOutcome =
  | { outcome: 'succeeded' }
  | { outcome: 'failed'; error: string };

/** One audited sync with its outcome (`unknown` while none is recorded). */
export type SyncAuditEntry = DeploymentSyncAuditEntry;

interface AuditRow extends IntentOutcomeAuditRow {
  kind: 'intent' | 'outcome';
  actor: string;
  product: string;
  application: string;
  revision: string;
  outcome: 'succeeded' | 'failed' | null;
}

/** The columns of an intent (and of its outcome). */
function intentColumns(intent: SyncAuditIntent) {
  return {
    actor: intent.actor,
    product: intent.product,
    application: intent.application,
    revision: intent.revision,
  };
}

/**
 * Who started which sync of which Application at which revision, and how it ended, per tenant:
 * the pattern of the Dagster plugin's run audit (`runAuditedAction` of `akili-node` writes the
 * intent before ArgoCD is asked and the outcome after), in an append-only, tenant-isolated table.
 */
export class SyncAuditStore {
  readonly #table: IntentOutcomeAuditTable<
    SyncAuditIntent,
    SyncAuditOutcome,
    AuditRow,
    SyncAuditEntry
  >;

  constructor(db: TenantScopedDatabase) {
    this.#table = new IntentOutcomeAuditTable(db, {
      table: AUDIT,
      maxErrorLength: MAX_ERROR_LENGTH,
      intentColumns,
      outcomeColumns: intentColumns,
      toEntry: (row, outcome, error) => ({
        id: String(row.id),
        tenant: row.tenant_id,
        actor: row.actor,
        product: row.product,
        application: row.application,
        revision: row.revision,
        at: toIsoTimestamp(row.at),
        outcome: outcome?.outcome ?? 'unknown',
        ...(outcome ? { outcomeAt: toIsoTimestamp(outcome.at) } : {}),
        ...(error !== undefined ? { error } : {}),
      }),
    });
  }

  /** Records (and commits) an intent; returns its id, which its outcome names. */
  async recordIntent(tenant: string, intent: SyncAuditIntent): Promise<string> {
    return this.#table.recordIntent(tenant, intent);
  }

  /** Records the outcome of the intent `intentId` (of the same tenant). */
  async recordOutcome(
    tenant: string,
    intentId: string,
    intent: SyncAuditIntent,
    outcome: SyncAuditOutcome,
  ): Promise<void> {
    await this.#table.recordOutcome(tenant, intentId, intent, outcome);
  }

  /** The tenant's audited syncs, newest first, each with its outcome. */
  async list(
    tenant: string,
    options: { limit: number; before?: string } = { limit: 50 },
  ): Promise<{ items: SyncAuditEntry[]; nextCursor?: string }> {
    return this.#table.list(tenant, options);
  }
}
