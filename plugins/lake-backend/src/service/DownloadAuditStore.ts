import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TenantScopedDatabase, toIsoTimestamp } from '@akili/plugin-akili-node';

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

interface AuditRow {
  id: number | string;
  tenant_id: string;
  kind: 'intent' | 'outcome';
  intent_id: number | string | null;
  actor: string;
  product: string;
  port: string;
  path: string;
  size: number | string | null;
  expires_at: Date | string | number | null;
  outcome: 'signed' | 'failed' | null;
  details: string;
  at: Date | string | number;
}

/**
 * Who signed which file of which product, when, how big, and until when the URL works, per
 * tenant: the intent is written before the URL is signed and the outcome after
 * (`runAuditedAction` of `akili-node`), in an append-only, tenant-isolated table.
 */
export class DownloadAuditStore {
  readonly #db: TenantScopedDatabase;

  constructor(db: TenantScopedDatabase) {
    this.#db = db;
  }

  /** Records (and commits) an intent; returns its id, which its outcome names. */
  async recordIntent(tenant: string, intent: DownloadIntent): Promise<string> {
    return this.#db.withTenant(tenant, async tx => {
      const [row] = await this.#db
        .insert(tx, AUDIT, {
          kind: 'intent',
          ...intent,
          details: '{}',
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
    intent: DownloadIntent,
    outcome: DownloadOutcome,
  ): Promise<void> {
    await this.#db.withTenant(tenant, tx =>
      this.#db.insert(tx, AUDIT, {
        kind: 'outcome',
        intent_id: intentId,
        ...intent,
        outcome: outcome.outcome,
        size: outcome.outcome === 'signed' ? outcome.size : null,
        expires_at:
          outcome.outcome === 'signed' ? new Date(outcome.expiresAt) : null,
        details: JSON.stringify(
          outcome.outcome === 'failed'
            ? { error: outcome.error.slice(0, MAX_ERROR_LENGTH) }
            : {},
        ),
        at: new Date(),
      }),
    );
  }

  /** The tenant's audited downloads, newest first, each with its outcome. */
  async list(
    tenant: string,
    options: { limit: number; before?: string } = { limit: 50 },
  ): Promise<{ items: DownloadAuditEntry[]; nextCursor?: string }> {
    return this.#db.withTenant(tenant, async tx => {
      const { rows, nextCursor } = await this.#db.pageNewestFirst<AuditRow>(
        tx,
        AUDIT,
        { ...options, where: query => query.where('kind', 'intent') },
      );
      const outcomes = new Map<string, AuditRow>();
      if (rows.length > 0) {
        const found: AuditRow[] = await this.#db
          .scoped(tx, AUDIT)
          .select()
          .where('kind', 'outcome')
          .whereIn(
            'intent_id',
            rows.map(row => row.id),
          );
        for (const row of found) outcomes.set(String(row.intent_id), row);
      }
      return {
        items: rows.map(row => {
          const outcome = outcomes.get(String(row.id));
          const error = outcome
            ? (JSON.parse(outcome.details) as { error?: unknown }).error
            : undefined;
          return {
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
            ...(typeof error === 'string' ? { error } : {}),
          };
        }),
        ...(nextCursor ? { nextCursor } : {}),
      };
    });
  }
}
