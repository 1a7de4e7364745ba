import { randomUUID } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import { QueryOutcome } from '@akili/plugin-starrocks-common';
import { QueryAuditRecord, QueryAuditStore } from './QueryAuditStore';

/** Audit writes in flight beyond which new entries are logged and dropped, not queued. */
export const MAX_PENDING_AUDIT_WRITES = 1_000;

/** How a query that threw ended, from its error (the engine's error names). */
export function outcomeOfError(error: unknown): QueryOutcome {
  switch ((error as { name?: unknown } | null)?.name) {
    case 'QueryCancelledError':
      return 'cancelled';
    case 'QueryTimeoutError':
      return 'timeout';
    case 'TooManyQueriesError':
      // Over the tenant's concurrency quota: refused before anything reached the server.
      return 'refused';
    default:
      return 'failed';
  }
}

/**
 * The audit of one query, begun before it runs (its {@link AuditedQuery.id} is the `queryId`
 * of the answer) and recorded once, when it ends. The first of `refused`, `succeeded` and
 * `failed` records; later calls do nothing.
 */
export class AuditedQuery {
  /** The id of the query and of its audit entry. */
  readonly id = randomUUID();
  readonly #started = Date.now();
  readonly #base: Pick<QueryAuditRecord, 'tenant' | 'actorRef' | 'statement'>;
  readonly #write: (record: QueryAuditRecord) => void;
  #tables: string[] = [];
  #products: string[] = [];
  #ended = false;

  /** @internal */
  constructor(
    base: Pick<QueryAuditRecord, 'tenant' | 'actorRef' | 'statement'>,
    write: (record: QueryAuditRecord) => void,
  ) {
    this.#base = base;
    this.#write = write;
  }

  /**
   * What the statement reads, as the guard resolved it: tables (`catalog.database.table`) and
   * the entity refs of their data products.
   */
  reads(tables: string[], products: string[]): void {
    this.#tables = tables;
    this.#products = products;
  }

  /** The guard (or a quota) refused the statement: nothing reached the server. */
  refused(message: string): void {
    this.#end('refused', { message });
  }

  /** The query answered; `summary` is what was delivered. */
  succeeded(summary: { rowCount: number; bytes: number }): void {
    this.#end('succeeded', summary);
  }

  /** The query ended with `error` (failed, cancelled, timed out, or over a quota). */
  failed(error: unknown): void {
    this.#end(outcomeOfError(error), {
      message: error instanceof Error ? error.message : String(error),
    });
  }

  #end(
    outcome: QueryOutcome,
    details: { message?: string; rowCount?: number; bytes?: number },
  ): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#write({
      ...this.#base,
      id: this.id,
      products: this.#products,
      tables: this.#tables,
      outcome,
      ...(details.message !== undefined ? { message: details.message } : {}),
      rowCount: details.rowCount ?? 0,
      bytes: details.bytes ?? 0,
      durationMs: Date.now() - this.#started,
      startedAt: new Date(this.#started).toISOString(),
    });
  }
}

/**
 * Writes the query audit trail without holding up the queries: an entry is written in the
 * background when its query ended, after the answer went out.
 *
 * @remarks
 *
 * A failed write does not fail the query (its answer is already out, or about to be): it is
 * logged as an error with the whole entry (tenant, query id, actor, outcome, statement), so the
 * trail can be completed from the logs. Past {@link MAX_PENDING_AUDIT_WRITES} writes in flight
 * (a database that stopped answering) further entries go to the log only. A backend that stops
 * in the middle of a query records nothing for it; StarRocks' own audit log still has it.
 */
export class QueryAuditor {
  readonly #store: QueryAuditStore;
  readonly #logger: LoggerService;
  readonly #pending = new Set<Promise<void>>();

  constructor(options: { store: QueryAuditStore; logger: LoggerService }) {
    this.#store = options.store;
    this.#logger = options.logger;
  }

  /** Begins the audit of a query of `tenant` by `actorRef`. */
  begin(options: {
    tenant: string;
    actorRef: string;
    statement: string;
  }): AuditedQuery {
    return new AuditedQuery(options, record => this.#write(record));
  }

  /** Resolves when every write begun so far has ended (shutdown, tests). */
  async flush(): Promise<void> {
    while (this.#pending.size > 0) {
      await Promise.all([...this.#pending]);
    }
  }

  #write(record: QueryAuditRecord): void {
    const fields = {
      tenant: record.tenant,
      queryId: record.id,
      actor: record.actorRef,
      outcome: record.outcome,
      statement: record.statement,
    };
    if (this.#pending.size >= MAX_PENDING_AUDIT_WRITES) {
      this.#logger.error('Query audit entry not written: too many pending', {
        ...fields,
        pending: this.#pending.size,
      });
      return;
    }
    const write: Promise<void> = this.#store
      .record(record)
      .catch(error => {
        this.#logger.error('Could not write a query audit entry', {
          ...fields,
          error: error instanceof Error ? error.message : String(error),
        });
      })
      .finally(() => {
        this.#pending.delete(write);
      });
    this.#pending.add(write);
  }
}
