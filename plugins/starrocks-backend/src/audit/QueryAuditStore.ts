import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TenantScopedDatabase, toIsoTimestamp } from '@akili/plugin-akili-node';
import {
  QueryAuditEntry,
  QueryAuditPage,
  QueryOutcome,
} from '@akili/plugin-starrocks-common';

const AUDIT = 'starrocks_query_audit';

/** The plugin's knex migrations (opened with `akiliTenantDatabaseServiceRef`). */
export const STARROCKS_MIGRATIONS_DIRECTORY = resolvePackagePath(
  '@akili/plugin-starrocks-backend',
  'migrations',
);

/** The longest statement the trail keeps; longer ones are cut (`statementTruncated`). */
export const MAX_AUDIT_STATEMENT_LENGTH = 10_000;

/** The longest refusal or error message the trail keeps. */
export const MAX_AUDIT_MESSAGE_LENGTH = 2_000;

/** The outcomes a query can have, for validating filters. */
export const QUERY_OUTCOMES = [
  'succeeded',
  'refused',
  'failed',
  'cancelled',
  'timeout',
] as const satisfies ReadonlyArray<QueryOutcome>;

/** What is recorded of one query: an entry without what the store derives. */
export type QueryAuditRecord = Omit<QueryAuditEntry, 'statementTruncated'>;

interface AuditRow {
  id: number | string;
  tenant_id: string;
  query_id: string;
  actor: string;
  statement: string;
  statement_truncated: boolean | number;
  products: string;
  tables: string;
  outcome: QueryOutcome;
  message: string | null;
  row_count: number | string;
  bytes: number | string;
  duration_ms: number | string;
  started_at: Date | string | number;
}

/** Filters and page of {@link QueryAuditStore.list}. */
export interface QueryAuditListOptions {
  limit: number;
  /** A former page's `nextCursor`: entries older than it. */
  before?: string;
  /** Only this actor's queries (`user:<ns>/<name>` or `token:<id>`). */
  actor?: string;
  outcome?: QueryOutcome;
}

/**
 * The query audit trail of each tenant: who ran which statement over which products, and how it
 * ended, refused statements included. Append-only (the table allows the tenant role only SELECT
 * and INSERT) and tenant-isolated: every read and write goes through
 * {@link TenantScopedDatabase.withTenant}, and on PostgreSQL row-level security keeps a query
 * that forgot its tenant filter from seeing another tenant's rows.
 */
export class QueryAuditStore {
  readonly #db: TenantScopedDatabase;

  constructor(db: TenantScopedDatabase) {
    this.#db = db;
  }

  /** Records (and commits) one query's entry in its tenant's trail. */
  async record(entry: QueryAuditRecord): Promise<void> {
    const truncated = entry.statement.length > MAX_AUDIT_STATEMENT_LENGTH;
    await this.#db.withTenant(entry.tenant, tx =>
      this.#db.insert(tx, AUDIT, {
        query_id: entry.id,
        actor: entry.actorRef,
        statement: truncated
          ? entry.statement.slice(0, MAX_AUDIT_STATEMENT_LENGTH)
          : entry.statement,
        statement_truncated: truncated,
        products: JSON.stringify(entry.products),
        tables: JSON.stringify(entry.tables),
        outcome: entry.outcome,
        message:
          entry.message === undefined
            ? null
            : entry.message.slice(0, MAX_AUDIT_MESSAGE_LENGTH),
        row_count: entry.rowCount,
        bytes: entry.bytes,
        duration_ms: Math.round(entry.durationMs),
        started_at: new Date(entry.startedAt),
      }),
    );
  }

  /** A page of the tenant's trail, newest first (by when each query ended). */
  async list(
    tenant: string,
    options: QueryAuditListOptions,
  ): Promise<QueryAuditPage> {
    return this.#db.withTenant(tenant, async tx => {
      const { rows, nextCursor } = await this.#db.pageNewestFirst<AuditRow>(
        tx,
        AUDIT,
        {
          limit: options.limit,
          before: options.before,
          where: query => {
            if (options.actor !== undefined) {
              query.where('actor', options.actor);
            }
            if (options.outcome !== undefined) {
              query.where('outcome', options.outcome);
            }
          },
        },
      );
      return {
        items: rows.map(toEntry),
        ...(nextCursor ? { nextCursor } : {}),
      };
    });
  }
}

function toEntry(row: AuditRow): QueryAuditEntry {
  return {
    id: row.query_id,
    tenant: row.tenant_id,
    actorRef: row.actor,
    statement: row.statement,
    ...(row.statement_truncated ? { statementTruncated: true } : {}),
    products: JSON.parse(row.products),
    tables: JSON.parse(row.tables),
    outcome: row.outcome,
    ...(row.message !== null ? { message: row.message } : {}),
    rowCount: Number(row.row_count),
    bytes: Number(row.bytes),
    durationMs: Number(row.duration_ms),
    startedAt: toIsoTimestamp(row.started_at),
  };
}
