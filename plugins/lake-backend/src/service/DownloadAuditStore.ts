import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  IntentOutcomeAuditRow,
  IntentOutcomeAuditTable,
  TenantScopedDatabase,
  toIsoTimestamp,
} from '@akili/plugin-akili-node';

const AUDIT = 'lake_downloads';

/** The plugin's knex migrations (opened with `akiliTenantDatabaseServiceRef`). */
export const LAKE_MIGRATIONS_DIRECTORY = resolvePackagePath(
  '@akili/plugin-lake-backend',
  'migrations',
);

/** What the caller was told about a download that failed, at most this long. */
const MAX_ERROR_LENGTH = 1000;

/** A download about to be signed. */
export interface DownloadIntent {
  /** User entity ref, or `token:<id>`. */
  actor: string;
  /** The product's entity ref. */
  product: string;
  port: string;
  /** Relative to the port's prefix. */
  path: string;
}

/** What became of it. */
export type DownloadOutcome =
  | { outcome: 'signed'; size: number; expiresAt: string }
  | { outcome: 'failed'; error: string };

/** One audited download with its outcome (`unknown` while none is recorded). */
export interface DownloadAuditEntry extends DownloadIntent {
  id: string;
  tenant: string;
  at: string;
  outcome: 'signed' | 'failed' | 'unknown';
  size?: number;
  expiresAt?: string;
  error?: string;
}

interface AuditRow extends IntentOutcomeAuditRow {
  kind: 'intent' | 'outcome';
  actor: string;
  product: string;
  port: string;
  path: string;
  size: number | string | null;
  expires_at: Date | string | number | null;
  outcome: 'signed' | 'failed' | null;
}

/**
 * Who signed which file of which product, when, how big, and until when the URL works, per
 * tenant: the intent is written before the URL is signed and the outcome after
 * (`runAuditedAction` of `akili-node`), in an append-only, tenant-isolated table.
 */
export class DownloadAuditStore {
  readonly #table: IntentOutcomeAuditTable<
    DownloadIntent,
    DownloadOutcome,
    AuditRow,
    DownloadAuditEntry
  >;

  constructor(db: TenantScopedDatabase) {
    this.#table = new IntentOutcomeAuditTable(db, {
      table: AUDIT,
      maxErrorLength: MAX_ERROR_LENGTH,
      intentColumns: intent => ({ ...intent }),
      outcomeColumns: (intent, outcome) => ({
        ...intent,
        size: outcome.outcome === 'signed' ? outcome.size : null,
        expires_at:
          outcome.outcome === 'signed' ? new Date(outcome.expiresAt) : null,
      }),
      toEntry: (row, outcome, error) => ({
        id: String(row.id),
        tenant: row.tenant_id,
        actor: row.actor,
        product: row.product,
        port: row.port,
        path: row.path,
        at: toIsoTimestamp(row.at),
        outcome: outcome?.outcome ?? 'unknown',
        ...(outcome?.size !== null && outcome?.size !== undefined
          ? { size: Number(outcome.size) }
          : {}),
        ...(outcome?.expires_at
          ? { expiresAt: toIsoTimestamp(outcome.expires_at) }
          : {}),
        ...(error !== undefined ? { error } : {}),
      }),
    });
  }

  /** Records (and commits) an intent; returns its id, which its outcome names. */
  async recordIntent(tenant: string, intent: DownloadIntent): Promise<string> {
    return this.#table.recordIntent(tenant, intent);
  }

  /** Records the outcome of the intent `intentId` (of the same tenant). */
  async recordOutcome(
    tenant: string,
    intentId: string,
    intent: DownloadIntent,
    outcome: DownloadOutcome,
  ): Promise<void> {
    await this.#table.recordOutcome(tenant, intentId, intent, outcome);
  }

  /** The tenant's audited downloads, newest first, each with its outcome. */
  async list(
    tenant: string,
    options: { limit: number; before?: string } = { limit: 50 },
  ): Promise<{ items: DownloadAuditEntry[]; nextCursor?: string }> {
    return this.#table.list(tenant, options);
  }
}
