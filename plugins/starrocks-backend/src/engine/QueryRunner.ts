import { LoggerService } from '@backstage/backend-plugin-api';
import {
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { FieldPacket, PoolConnection, QueryError, Types } from 'mysql2';
import { StarrocksConfig } from '../config';
import {
  getDialect,
  isDuplicateColumnError,
  isWrappable,
  QueryDialect,
  StatementLimits,
} from './dialect';
import { QueryEngine } from './QueryEngine';
import { QueryCancelledError, QueryTimeoutError } from './errors';
import {
  isUnreachableError,
  TenantConnection,
  TenantPools,
} from './TenantPools';
import { CellValue, ColumnInfo, QuerySummary, ResultSink } from './types';

/** Default `maxConcurrent` of {@link QueryRequest} when no quota is given. */
export const DEFAULT_MAX_CONCURRENT_QUERIES = 4;

/**
 * Seconds the runner waits past the server-side timeout before it kills the query itself
 * (covers a server that ignores the dialect's timeout, e.g. a `SET_VAR` hint it does not know).
 */
export const CLIENT_TIMEOUT_GRACE_SECONDS = 2;

/** After `KILL QUERY`, how long the query has to end before the connection is closed under it. */
const KILL_SETTLE_MS = 3000;

/** One query of a tenant. */
export interface QueryRequest {
  /** Tenant id: picks the pool, i.e. the tenant's read-only user. */
  tenant: string;
  /** One statement, already checked by the SQL guard. */
  sql: string;
  /** Rows the caller asks for (default and upper bound: `maxRows`). */
  limit?: number;
  /** The tenant's row quota (default `starrocks.maxRows`). */
  maxRows?: number;
  /** Seconds the query may run (default `starrocks.queryTimeoutSeconds`). */
  timeoutSeconds?: number;
  /** The tenant's concurrency quota (default {@link DEFAULT_MAX_CONCURRENT_QUERIES}). */
  maxConcurrent?: number;
  /**
   * The end user to run as inside the tenant's user (StarRocks `EXECUTE AS <user> WITH NO
   * REVERT`; the tenant user needs IMPERSONATE on it). Ignored by dialects without it (MariaDB).
   */
  runAs?: string;
  /** Aborting it (the client went away, or an explicit cancel) kills the query on the server. */
  signal?: AbortSignal;
}

/** The server refused the row cap's derived table (duplicate column names): run unwrapped. */
class WrapperRefusedError extends Error {
  name = 'WrapperRefusedError';
}

/** Mutable state of one run, shared by the event handlers. */
interface RunState {
  /** Why reading stopped early; `cap` is a success (an unwrapped query reached the row cap). */
  stop?: 'cancelled' | 'timeout' | 'sink' | 'cap';
  sinkError?: unknown;
  killing?: Promise<void>;
  paused: boolean;
  settled: boolean;
}

const TYPE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(Types as unknown as Record<string, number>).map(
    ([name, code]) => [code, name],
  ),
);

/** The name and type of a column from mysql2's field packet. */
export function columnInfo(field: FieldPacket): ColumnInfo {
  const code = field.columnType ?? field.type;
  return {
    name: field.name,
    type: (code !== undefined && TYPE_NAMES[code]) || 'UNKNOWN',
  };
}

/** A value as the sinks take it: binary as base64, anything structured as JSON text. */
export function normalizeValue(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (typeof value === 'bigint' || typeof value === 'boolean') {
    return String(value);
  }
  return JSON.stringify(value);
}

function simpleQuery(connection: PoolConnection, sql: string): Promise<void> {
  return new Promise((resolve, reject) => {
    connection.query(sql, error => (error ? reject(error) : resolve()));
  });
}

/**
 * Runs one tenant query and streams its rows to a {@link ResultSink}, row by row, with
 * backpressure: when the sink is full the connection stops reading from the server (so the
 * server, not this process, holds the rest) until the sink drains.
 *
 * Limits: the row cap wraps the statement (`LIMIT cap + 1` tells a cut result from an exact
 * one), the timeout goes through the dialect (plus a client-side backstop), the tenant's
 * concurrency limit is checked when the connection is taken. Cancellation (the `signal`) runs
 * `KILL QUERY <connection id>` from a separate connection of the tenant, because closing a
 * socket does not stop a query on the server, then closes the query's connection.
 *
 * A connection that ran `EXECUTE AS ... WITH NO REVERT` is closed after the query, never
 * returned to the pool: it cannot be turned back into the tenant's user.
 */
export class QueryRunner implements QueryEngine {
  readonly #pools: TenantPools;
  readonly #config: StarrocksConfig;
  readonly #dialect: QueryDialect;
  readonly #logger: LoggerService | undefined;

  constructor(options: {
    pools: TenantPools;
    config: StarrocksConfig;
    logger?: LoggerService;
    /** Overrides the dialect named in the config (tests). */
    dialect?: QueryDialect;
  }) {
    this.#pools = options.pools;
    this.#config = options.config;
    this.#dialect = options.dialect ?? getDialect(options.config.dialect);
    this.#logger = options.logger;
  }

  /** The dialect in use. */
  get dialect(): QueryDialect {
    return this.#dialect;
  }

  /** Closes the tenants' pools (on shutdown). */
  close(): Promise<void> {
    return this.#pools.close();
  }

  /**
   * Runs the query; resolves with its summary after `sink.end` resolved. Rejects with
   * `InputError` (the server refused the SQL, with its message), `NotAllowedError` (the
   * tenant's user may not read that), {@link QueryTimeoutError}, {@link QueryCancelledError},
   * `TooManyQueriesError` or `ServiceUnavailableError` (StarRocks down, naming the tenant).
   */
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
    const limits = { maxRows: limit, timeoutSeconds };
    // Checked before a connection is taken (a bad limit is the caller's error).
    this.#dialect.limitStatement(request.sql, limits);
    try {
      return await this.#runOnce(request, sink, {
        limits,
        started,
        wrap: true,
      });
    } catch (error) {
      if (!(error instanceof WrapperRefusedError)) throw error;
      // `SELECT * FROM a JOIN b` with an `id` in both: the server refuses it as a derived table
      // (duplicate column names) before any row; run it as written, cut at the cap while reading.
      return this.#runOnce(request, sink, { limits, started, wrap: false });
    }
  }

  async #runOnce(
    request: QueryRequest,
    sink: ResultSink,
    options: { limits: StatementLimits; started: number; wrap: boolean },
  ): Promise<QuerySummary> {
    const { limits, started } = options;
    const { maxRows: limit, timeoutSeconds } = limits;
    const wrapped = options.wrap && isWrappable(request.sql);
    const statement = this.#dialect.limitStatement(request.sql, limits, {
      wrap: options.wrap,
    });
    if (request.signal?.aborted) {
      throw new QueryCancelledError(
        'The query was cancelled before it started',
      );
    }

    // Checked before a connection is taken: a user name EXECUTE AS cannot quote is refused here.
    const executeAs =
      request.runAs !== undefined
        ? this.#dialect.executeAs(request.runAs)
        : undefined;

    const lease = await this.#pools.acquire(request.tenant, {
      maxConcurrent: request.maxConcurrent ?? DEFAULT_MAX_CONCURRENT_QUERIES,
    });
    let destroyAfter = false;
    try {
      if (executeAs) {
        // Irreversible: this connection is the end user's from now on, so it is closed after use.
        destroyAfter = true;
        await simpleQuery(lease.connection, executeAs);
      }
      for (const setup of this.#dialect.sessionSetup(limits)) {
        await simpleQuery(lease.connection, setup);
      }
    } catch (error) {
      lease.destroy();
      throw this.#mapError(request.tenant, error, {}, timeoutSeconds);
    }
    if (request.signal?.aborted) {
      lease.destroy();
      throw new QueryCancelledError(
        'The query was cancelled before it started',
      );
    }
    return this.#stream({
      request,
      lease,
      statement,
      wrapped,
      limit,
      timeoutSeconds,
      destroyAfter,
      started,
      sink,
    });
  }

  #stream(options: {
    request: QueryRequest;
    lease: TenantConnection;
    statement: string;
    /** Whether the statement carries the row cap itself (else reading stops at the cap). */
    wrapped: boolean;
    limit: number;
    timeoutSeconds: number;
    destroyAfter: boolean;
    started: number;
    sink: ResultSink;
  }): Promise<QuerySummary> {
    const { request, lease, statement, limit, timeoutSeconds, sink } = options;
    const { connection } = lease;
    const state: RunState = { paused: false, settled: false };
    let destroyAfter = options.destroyAfter;
    let columnsSent = false;
    let rowCount = 0;
    let pauses = 0;
    let truncated = false;

    return new Promise<QuerySummary>((resolve, reject) => {
      // Assigned once each below; an object so the clean-up above their definition can see them.
      const handles: {
        settleTimer?: NodeJS.Timeout;
        timeoutTimer?: NodeJS.Timeout;
        onAbort?: () => void;
      } = {};

      const cleanUp = () => {
        state.settled = true;
        clearTimeout(handles.timeoutTimer);
        clearTimeout(handles.settleTimer);
        if (handles.onAbort) {
          request.signal?.removeEventListener('abort', handles.onAbort);
        }
        if (destroyAfter) {
          lease.destroy();
        } else {
          lease.release();
        }
      };

      const fail = (error: unknown) => {
        if (state.settled) return;
        destroyAfter = destroyAfter || Boolean((error as QueryError)?.fatal);
        cleanUp();
        if (
          options.wrapped &&
          !columnsSent &&
          rowCount === 0 &&
          !state.stop &&
          isDuplicateColumnError(error)
        ) {
          reject(new WrapperRefusedError());
          return;
        }
        reject(this.#mapError(request.tenant, error, state, timeoutSeconds));
      };

      const kill = (reason: RunState['stop']) => {
        if (state.settled || state.stop) return;
        state.stop = reason;
        destroyAfter = true;
        // Let the rest of the answer (rows, then the error of the killed query) flow; rows are dropped.
        if (state.paused) {
          state.paused = false;
          connection.resume();
        }
        state.killing = this.#pools
          .control(request.tenant, this.#dialect.killQuery(lease.connectionId))
          .catch(error => {
            this.#logger?.warn('Could not kill a StarRocks query', {
              tenant: request.tenant,
              connectionId: lease.connectionId,
              error: (error as Error)?.message,
            });
          })
          .then(() => {
            // The query should end at once; if it does not, close the connection under it.
            handles.settleTimer = setTimeout(() => {
              if (state.settled) return;
              if (state.stop === 'cap') finish();
              else fail(undefined);
            }, KILL_SETTLE_MS);
          });
      };

      handles.onAbort = () => kill('cancelled');
      request.signal?.addEventListener('abort', handles.onAbort, {
        once: true,
      });
      handles.timeoutTimer = setTimeout(
        () => kill('timeout'),
        (timeoutSeconds + CLIENT_TIMEOUT_GRACE_SECONDS) * 1000,
      );

      const sendColumns = (columns: ColumnInfo[]) => {
        if (columnsSent) return;
        columnsSent = true;
        try {
          sink.columns(columns);
        } catch (error) {
          state.sinkError = error;
          kill('sink');
        }
      };

      // A declaration: kill() (for the cap) and the handlers below both end through it.
      function finish() {
        if (state.settled) return;
        sendColumns([]);
        const summary: QuerySummary = {
          rowCount,
          bytes: 0, // the sink counts them
          truncated,
          durationMs: Date.now() - options.started,
          pauses,
        };
        cleanUp();
        sink.end(summary).then(() => resolve(summary), reject);
      }

      // After a stop, once the KILL is done: the end of a capped query is its success.
      const afterStop = (error: unknown) =>
        (state.killing ?? Promise.resolve()).then(() =>
          state.stop === 'cap' ? finish() : fail(error),
        );

      const query = connection.query({ sql: statement, rowsAsArray: true });
      query.on('fields', (fields: FieldPacket[]) => {
        if (state.stop) return;
        sendColumns((fields ?? []).map(columnInfo));
      });
      query.on('result', (row: unknown) => {
        if (state.stop || !Array.isArray(row)) return;
        if (rowCount >= limit) {
          truncated = true;
          // A statement without the cap in it (SHOW, or a query the wrapper could not take)
          // would send every row: stop it on the server.
          if (!options.wrapped) kill('cap');
          return;
        }
        // In place: mysql2 made the array for this row only, and a copy per row adds up.
        const values = row as CellValue[];
        for (let i = 0; i < values.length; i += 1) {
          values[i] = normalizeValue(values[i]);
        }
        rowCount += 1;
        let more: boolean;
        try {
          more = sink.row(values);
        } catch (error) {
          state.sinkError = error;
          kill('sink');
          return;
        }
        if (!more && !state.paused) {
          state.paused = true;
          pauses += 1;
          connection.pause();
          sink.onDrain(() => {
            if (state.paused && !state.settled) {
              state.paused = false;
              connection.resume();
            }
          });
        }
      });
      query.on('error', (error: QueryError) => {
        if (state.stop && state.killing && !state.settled) {
          // Wait for the KILL to be done before the connection goes, so the kill cannot hit a
          // later user of the same connection id.
          afterStop(error);
          return;
        }
        fail(error);
      });
      query.on('end', () => {
        if (state.settled) return;
        if (state.stop) {
          afterStop(undefined);
          return;
        }
        finish();
      });
    });
  }

  #mapError(
    tenant: string,
    error: unknown,
    state: Pick<RunState, 'stop' | 'sinkError'>,
    timeoutSeconds: number,
  ): Error {
    if (state.stop === 'cancelled') {
      return new QueryCancelledError(
        'The query was cancelled and stopped on the server',
      );
    }
    if (state.stop === 'sink') {
      return state.sinkError instanceof Error
        ? state.sinkError
        : new Error(String(state.sinkError));
    }
    if (state.stop === 'timeout' || this.#dialect.isTimeoutError(error)) {
      return new QueryTimeoutError(
        `The query ran longer than its limit of ${timeoutSeconds} s and was stopped`,
      );
    }
    const e = error as (QueryError & { sqlMessage?: string }) | undefined;
    if (isUnreachableError(e)) {
      return new ServiceUnavailableError(
        `${this.#pools.describe(tenant)} went away during the query (${
          e?.code
        })`,
      );
    }
    const message = e?.sqlMessage ?? e?.message ?? String(error);
    if (
      e?.errno === 1044 ||
      e?.errno === 1142 ||
      e?.errno === 1143 ||
      e?.errno === 1227 ||
      /access denied/iu.test(message)
    ) {
      return new NotAllowedError(`StarRocks refused the query: ${message}`);
    }
    if (e?.sqlMessage !== undefined || e?.errno !== undefined) {
      return new InputError(`StarRocks refused the query: ${message}`);
    }
    return error instanceof Error ? error : new Error(message);
  }
}
