import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { DeploymentSyncAuditEntry } from '@akili/plugin-argocd-common';
import { TenantScopedDatabase, toIsoTimestamp } from '@akili/plugin-akili-node';

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

interface AuditRow {
  id: number | string;
  tenant_id: string;
  kind: 'intent' | 'outcome';
  intent_id: number | string | null;
  actor: string;
  product: string;
  application: string;
  revision: string;
  outcome: 'succeeded' | 'failed' | null;
  details: string;
  at: Date | string | number;
}

/**
 * Who started which sync of which Application at which revision, and how it ended, per tenant:
 * the pattern of the Dagster plugin's run audit (`runAuditedAction` of `akili-node` writes the
 * intent before ArgoCD is asked and the outcome after), in an append-only, tenant-isolated table.
 */
export class SyncAuditStore {
  readonly #db: TenantScopedDatabase;

  constructor(db: TenantScopedDatabase) {
    this.#db = db;
  }

  /** Records (and commits) an intent; returns its id, which its outcome names. */
  async recordIntent(tenant: string, intent: SyncAuditIntent): Promise<string> {
    return this.#db.withTenant(tenant, async tx => {
      const [row] = await this.#db
        .insert(tx, AUDIT, {
          kind: 'intent',
          actor: intent.actor,
          product: intent.product,
          application: intent.application,
          revision: intent.revision,
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
    intent: SyncAuditIntent,
    outcome: SyncAuditOutcome,
  ): Promise<void> {
    await this.#db.withTenant(tenant, tx =>
      this.#db.insert(tx, AUDIT, {
        kind: 'outcome',
        intent_id: intentId,
        outcome: outcome.outcome,
        actor: intent.actor,
        product: intent.product,
        application: intent.application,
        revision: intent.revision,
        details: JSON.stringify(
          outcome.outcome === 'failed'
            ? { error: outcome.error.slice(0, MAX_ERROR_LENGTH) }
            : {},
        ),
        at: new Date(),
      }),
    );
  }

  /** The tenant's audited syncs, newest first, each with its outcome. */
  async list(
    tenant: string,
    options: { limit: number; before?: string } = { limit: 50 },
  ): Promise<{ items: SyncAuditEntry[]; nextCursor?: string }> {
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
            application: row.application,
            revision: row.revision,
            at: toIsoTimestamp(row.at),
            outcome: outcome?.outcome ?? 'unknown',
            ...(outcome ? { outcomeAt: toIsoTimestamp(outcome.at) } : {}),
            ...(typeof error === 'string' ? { error } : {}),
          };
        }),
        ...(nextCursor ? { nextCursor } : {}),
      };
    });
  }
}
