import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { RunAuditEntry } from '@akili/plugin-dagster-common';
import {
  TenantScopedDatabase,
  prepareTenantRole,
  toIsoTimestamp,
  DEFAULT_EVENT_OUTBOX_TABLE,
} from '@akili/plugin-akili-node';

const AUDIT = 'dagster_run_audit';

/** The tables of this plugin, for the tenant role's grants. */
export const DAGSTER_TABLES = [
  AUDIT,
  'dagster_run_tracker',
  'dagster_tracked_runs',
  DEFAULT_EVENT_OUTBOX_TABLE,
];

const migrationsDir = resolvePackagePath(
  '@akili/plugin-dagster-backend',
  'migrations',
);

/**
 * Runs the plugin's migrations (unless the database service says to skip them) and wraps its
 * client for tenant transactions.
 */
export async function openDagsterDatabase(
  database: DatabaseService,
  tenantRole?: string,
): Promise<TenantScopedDatabase> {
  const knex = await database.getClient();
  if (!database.migrations?.skip) {
    await knex.migrate.latest({ directory: migrationsDir });
  }
  if (tenantRole) {
    await prepareTenantRole(knex, tenantRole, DAGSTER_TABLES);
  }
  return TenantScopedDatabase.create(knex, { tenantRole });
}

export type { RunAuditEntry };

interface AuditRow {
  id: number | string;
  tenant_id: string;
  action: RunAuditEntry['action'];
  actor: string;
  run_id: string;
  product: string | null;
  details: string;
  at: Date | string | number;
}

/** Who launched, re-executed or terminated which run, per tenant. */
export class RunAuditStore {
  readonly #db: TenantScopedDatabase;

  constructor(db: TenantScopedDatabase) {
    this.#db = db;
  }

  async record(
    tenant: string,
    entry: Omit<RunAuditEntry, 'id' | 'tenant' | 'at'>,
  ): Promise<void> {
    await this.#db.withTenant(tenant, tx =>
      this.#db.insert(tx, AUDIT, {
        action: entry.action,
        actor: entry.actor,
        run_id: entry.runId,
        product: entry.product ?? null,
        details: JSON.stringify(entry.details),
        at: new Date(),
      }),
    );
  }

  /** A page of the tenant's entries, newest first; `before` is an entry id. */
  async list(
    tenant: string,
    options: { limit: number; before?: string },
  ): Promise<{ items: RunAuditEntry[]; nextCursor?: string }> {
    return this.#db.withTenant(tenant, async tx => {
      const { rows, nextCursor } = await this.#db.pageNewestFirst<AuditRow>(
        tx,
        AUDIT,
        options,
      );
      return {
        items: rows.map(row => ({
          id: String(row.id),
          tenant: row.tenant_id,
          action: row.action,
          actor: row.actor,
          runId: row.run_id,
          ...(row.product ? { product: row.product } : {}),
          details: JSON.parse(row.details),
          at: toIsoTimestamp(row.at),
        })),
        ...(nextCursor ? { nextCursor } : {}),
      };
    });
  }
}
