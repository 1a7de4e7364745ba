import { LoggerService } from '@backstage/backend-plugin-api';
import {
  InputError,
  isError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  DuckDBConnection,
  DuckDBInstance,
  DuckDBPreparedStatement,
  DuckDBResult,
} from '@duckdb/node-api';
import { StarrocksConfig } from '../../config';
import { isWrappable, trimStatement, WRAPPER_ALIAS } from '../dialect';
import {
  QueryCancelledError,
  QueryTimeoutError,
  tooManyQueriesError,
} from '../errors';
import { QueryEngine } from '../QueryEngine';
import { DEFAULT_MAX_CONCURRENT_QUERIES, QueryRequest } from '../QueryRunner';
import { QuerySummary, ResultSink } from '../types';
import { chunkRows, duckdbColumnInfo } from './duckdbValues';
import { EmbeddedTable, quoteIdentifier, tableStatements } from './exampleData';

/** Where the engine gets a tenant's tables (the catalog's output ports in the backend). */
export type EmbeddedTableSource = (tenant: string) => Promise<EmbeddedTable[]>;

/**
 * Settings of every tenant's DuckDB instance, fixed when it is created and locked
 * (`lock_configuration`), so no statement can turn them back: no files, no network, no
 * extensions to install or load on demand. Verified on DuckDB 1.5.6: `read_csv`, `read_text`,
 * `glob`, `COPY ... TO`, `ATTACH '<file>'` and `INSTALL` fail with "Permission Error", and
 * `SET enable_external_access = true` with "the configuration has been locked".
 */
export const EMBEDDED_DUCKDB_SETTINGS: Readonly<Record<string, string>> = {
  enable_external_access: 'false',
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
  allow_community_extensions: 'false',
  lock_configuration: 'true',
  threads: '2',
  memory_limit: '512MB',
};

/** Catalog names DuckDB keeps for itself: a port naming one is left out. */
const RESERVED_CATALOGS = new Set(['memory', 'system', 'temp', 'main']);

/** One tenant's database: only that tenant's tables. */
interface TenantDatabase {
  instance: DuckDBInstance;
  /** The tables it was built from, to notice when the catalog changed. */
  fingerprint: string;
  /** Queries running on it. */
  running: number;
  /** Replaced by a newer build: closed when its last query ends. */
  retired: boolean;
}

/** Mutable state of one run. */
interface RunState {
  stop?: 'cancelled' | 'timeout';
  /** Wakes a run that waits for the sink to drain. */
  wake?: () => void;
}

/**
 * The embedded engine of `make dev`: the same query API on DuckDB inside the backend, over
 * deterministic rows generated for the tenant's data products' `table` output ports, so a
 * newcomer runs real queries without StarRocks.
 *
 * Isolation: one in-memory DuckDB instance per tenant holding only that tenant's tables (the
 * port's catalog is an attached in-memory database, its database a schema), so a statement
 * the guard wrongly let through still cannot reach another tenant's rows. The instances have
 * no file or network access (see {@link EMBEDDED_DUCKDB_SETTINGS}). A tenant's database is
 * built on its first query and rebuilt when its tables in the catalog changed.
 *
 * The request means what it means on StarRocks: the row cap wraps the statement
 * (`LIMIT cap + 1`, `truncated` when cut), the timeout and a cancellation interrupt the
 * query's connection (DuckDB has no statement timeout), the tenant's concurrency limit answers
 * 429, and a full sink stops the reading of chunks until it drains (DuckDB computes a
 * streaming result chunk by chunk as it is read, so a paused result costs one chunk).
 */
export class EmbeddedQueryEngine implements QueryEngine {
  readonly #config: StarrocksConfig;
  readonly #tables: EmbeddedTableSource;
  readonly #logger: LoggerService | undefined;
  readonly #databases = new Map<string, Promise<TenantDatabase>>();
  readonly #active = new Map<string, number>();
  #closed = false;

  constructor(options: {
    config: StarrocksConfig;
    tables: EmbeddedTableSource;
    logger?: LoggerService;
  }) {
    this.#config = options.config;
    this.#tables = options.tables;
    this.#logger = options.logger;
  }

  /** Queries the tenant runs now. */
  activeQueries(tenant: string): number {
    return this.#active.get(tenant) ?? 0;
  }

  /**
   * Builds the tenant's database in the background (the Query page reads the schema first, so
   * the build, seconds for a tenant's examples, overlaps the user's typing). A failure is left
   * for the first query to report.
   */
  warm(tenant: string): void {
    if (this.#closed) return;
    this.#database(tenant).catch(() => undefined);
  }

  async run(request: QueryRequest, sink: ResultSink): Promise<QuerySummary> {
    const started = Date.now();
    const maxRows = request.maxRows ?? this.#config.maxRows;
    const limit = Math.min(request.limit ?? maxRows, maxRows);
    if (!Number.isInteger(limit) || limit < 1) {
      throw new InputError(
        `limit must be a positive whole number, not ${request.limit}`,
      );
    }
    const timeoutSeconds =
      request.timeoutSeconds ?? this.#config.queryTimeoutSeconds;
    if (request.signal?.aborted) {
      throw new QueryCancelledError(
        'The query was cancelled before it started',
      );
    }
    if (this.#closed) {
      throw new ServiceUnavailableError(
        'The embedded query engine is closed (shutting down)',
      );
    }
    const { tenant } = request;
    const active = this.activeQueries(tenant);
    const maxConcurrent =
      request.maxConcurrent ?? DEFAULT_MAX_CONCURRENT_QUERIES;
    if (active >= maxConcurrent) {
      throw tooManyQueriesError(tenant, active, maxConcurrent);
    }
    this.#active.set(tenant, active + 1);
    let database: TenantDatabase | undefined;
    let connection: DuckDBConnection | undefined;
    try {
      database = await this.#database(tenant);
      database.running += 1;
      connection = await database.instance.connect();
      // Two-part names resolve in the default catalog, as on StarRocks.
      await connection.run(
        `USE ${quoteIdentifier(this.#config.defaultCatalog)}`,
      );
      return await this.#stream({
        request,
        connection,
        statement: capStatement(request.sql, limit),
        limit,
        timeoutSeconds,
        started,
        sink,
      });
    } finally {
      connection?.closeSync();
      if (database) {
        database.running -= 1;
        if (database.retired && database.running === 0) {
          database.instance.closeSync();
        }
      }
      this.#active.set(tenant, (this.#active.get(tenant) ?? 1) - 1);
    }
  }

  async #stream(options: {
    request: QueryRequest;
    connection: DuckDBConnection;
    statement: string;
    limit: number;
    timeoutSeconds: number;
    started: number;
    sink: ResultSink;
  }): Promise<QuerySummary> {
    const { request, connection, statement, limit, timeoutSeconds, sink } =
      options;
    const state: RunState = {};
    const stop = (reason: RunState['stop']) => {
      if (state.stop) return;
      state.stop = reason;
      // Stops the statement DuckDB is computing (the query or the next chunk); a run waiting
      // for the sink sees the stop when woken.
      connection.interrupt();
      state.wake?.();
    };
    const onAbort = () => stop('cancelled');
    request.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => stop('timeout'), timeoutSeconds * 1000);
    let rowCount = 0;
    let pauses = 0;
    let truncated = false;
    let prepared: DuckDBPreparedStatement | undefined;
    try {
      // One statement, whatever the guard let through: `stream(sql)` would run every statement
      // of a stacked text and answer the last.
      const extracted = await connection.extractStatements(statement);
      if (extracted.count !== 1) {
        throw new InputError(
          `The embedded engine runs exactly one statement, not ${extracted.count}`,
        );
      }
      prepared = await extracted.prepare(0);
      const result: DuckDBResult = await prepared.stream();
      this.#checkStop(state, timeoutSeconds);
      const types = result.columnTypes();
      sink.columns(
        result.columnNames().map((name, i) => duckdbColumnInfo(name, types[i])),
      );
      while (!truncated) {
        const chunk = await result.fetchChunk();
        this.#checkStop(state, timeoutSeconds);
        if (!chunk || chunk.rowCount === 0) break;
        for (const values of chunkRows(chunk, types)) {
          if (rowCount >= limit) {
            truncated = true;
            break;
          }
          rowCount += 1;
          if (!sink.row(values)) {
            pauses += 1;
            await new Promise<void>(resolve => {
              state.wake = resolve;
              sink.onDrain(resolve);
            });
            state.wake = undefined;
            this.#checkStop(state, timeoutSeconds);
          }
        }
      }
    } catch (error) {
      if (state.stop) this.#checkStop(state, timeoutSeconds);
      throw this.#mapError(error);
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      prepared?.destroySync();
    }
    const summary: QuerySummary = {
      rowCount,
      bytes: 0, // the sink counts them
      truncated,
      durationMs: Date.now() - options.started,
      pauses,
    };
    await sink.end(summary);
    return summary;
  }

  /** Throws the error of a stopped run. */
  #checkStop(state: RunState, timeoutSeconds: number): void {
    if (state.stop === 'cancelled') {
      throw new QueryCancelledError(
        'The query was cancelled and stopped on the server',
      );
    }
    if (state.stop === 'timeout') {
      throw new QueryTimeoutError(
        `The query ran longer than its limit of ${timeoutSeconds} s and was stopped`,
      );
    }
  }

  #mapError(error: unknown): Error {
    if (isError(error) && error.name !== 'Error') return error;
    const message = ((error as Error)?.message ?? String(error)).replace(
      /^Failed to extract statements: /u,
      '',
    );
    // DuckDB's errors start with their class: "Parser Error: ...", "Catalog Error: ...".
    if (/^Permission Error/u.test(message)) {
      return new NotAllowedError(
        `The embedded engine (DuckDB) refused the query: ${message}`,
      );
    }
    if (
      /^(Parser|Catalog|Binder|Conversion|Invalid Input|Not implemented|Out of Range|Constraint|Dependency|Syntax) Error/u.test(
        message,
      )
    ) {
      return new InputError(
        `The embedded engine (DuckDB) refused the query: ${message}`,
      );
    }
    return error instanceof Error ? error : new Error(message);
  }

  /** The tenant's database, built on first use and rebuilt when its tables changed. */
  async #database(tenant: string): Promise<TenantDatabase> {
    const tables = dedupe(await this.#tables(tenant), this.#logger, tenant);
    const fingerprint = JSON.stringify(tables);
    const current = this.#databases.get(tenant);
    if (current) {
      const database = await current.catch(() => undefined);
      if (database?.fingerprint === fingerprint) return database;
      if (this.#databases.get(tenant) !== current) {
        // Another run started a rebuild meanwhile.
        return this.#database(tenant);
      }
      if (database) {
        database.retired = true;
        if (database.running === 0) database.instance.closeSync();
      }
    }
    const building = this.#build(tenant, tables, fingerprint);
    this.#databases.set(tenant, building);
    building.catch(() => {
      if (this.#databases.get(tenant) === building) {
        this.#databases.delete(tenant);
      }
    });
    return building;
  }

  async #build(
    tenant: string,
    tables: EmbeddedTable[],
    fingerprint: string,
  ): Promise<TenantDatabase> {
    const started = Date.now();
    const rows = this.#config.embedded.rowsPerTable;
    const instance = await DuckDBInstance.create(
      ':memory:',
      EMBEDDED_DUCKDB_SETTINGS,
    );
    try {
      const connection = await instance.connect();
      try {
        // DuckDB compares names case-insensitively: one ATTACH per name whatever its case.
        const catalogs = new Map(
          [this.#config.defaultCatalog, ...tables.map(t => t.catalog)].map(
            c => [c.toLowerCase(), c],
          ),
        );
        for (const catalog of catalogs.values()) {
          // In memory: ATTACH of a file is refused (no external access).
          await connection.run(
            `ATTACH ':memory:' AS ${quoteIdentifier(catalog)}`,
          );
        }
        const schemas = new Set(
          tables.map(
            t => `${quoteIdentifier(t.catalog)}.${quoteIdentifier(t.database)}`,
          ),
        );
        for (const schema of schemas) {
          await connection.run(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        }
        for (const table of tables) {
          for (const statement of tableStatements(table, rows)) {
            await connection.run(statement);
          }
        }
      } finally {
        connection.closeSync();
      }
    } catch (error) {
      instance.closeSync();
      this.#logger?.error('Could not build the embedded example database', {
        tenant,
        error: (error as Error)?.message,
      });
      throw new ServiceUnavailableError(
        `Could not build the embedded example database of tenant ${tenant}: ${
          (error as Error)?.message
        }`,
      );
    }
    this.#logger?.info('Built the embedded example database of a tenant', {
      tenant,
      tables: tables.length,
      rowsPerTable: rows,
      durationMs: Date.now() - started,
    });
    return { instance, fingerprint, running: 0, retired: false };
  }

  async close(): Promise<void> {
    this.#closed = true;
    const databases = [...this.#databases.values()];
    this.#databases.clear();
    for (const pending of databases) {
      const database = await pending.catch(() => undefined);
      if (database) {
        database.retired = true;
        if (database.running === 0) database.instance.closeSync();
      }
    }
  }
}

/**
 * The statement with the row cap: a query wrapped as
 * `SELECT * FROM (<sql>) AS _akili_q LIMIT <cap + 1>` (as on StarRocks), anything else
 * (`SHOW`, `DESCRIBE`, `EXPLAIN`) as it is, capped while reading.
 */
export function capStatement(sql: string, maxRows: number): string {
  if (!isWrappable(sql)) return trimStatement(sql);
  return `SELECT * FROM (\n${trimStatement(sql)}\n) AS ${WRAPPER_ALIAS} LIMIT ${
    maxRows + 1
  }`;
}

function tableKey(t: EmbeddedTable): string {
  return `${t.catalog}\u0000${t.database}\u0000${t.table}`;
}

/** One table per name (two ports may name the same table), reserved catalogs left out. */
function dedupe(
  tables: EmbeddedTable[],
  logger: LoggerService | undefined,
  tenant: string,
): EmbeddedTable[] {
  const seen = new Set<string>();
  const out: EmbeddedTable[] = [];
  for (const table of tables) {
    // Case-insensitively, as DuckDB resolves names.
    const name = tableKey(table).toLowerCase();
    if (seen.has(name)) continue;
    seen.add(name);
    if (RESERVED_CATALOGS.has(table.catalog.toLowerCase())) {
      logger?.warn('A table of a reserved DuckDB catalog is left out', {
        tenant,
        table: `${table.catalog}.${table.database}.${table.table}`,
      });
      continue;
    }
    out.push(table);
  }
  return out.sort((a, b) => tableKey(a).localeCompare(tableKey(b), 'en'));
}
