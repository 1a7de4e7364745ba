import { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  createPool,
  Pool,
  PoolConnection,
  PoolOptions,
  QueryError,
} from 'mysql2';
import { StarrocksConfig, StarrocksTenantConfig } from '../config';
import { TenantNotConfiguredError, tooManyQueriesError } from './errors';

/** Connection error codes that mean the server cannot be reached (or went away). */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
]);

/** Whether an error says the server is unreachable rather than that it refused a statement. */
export function isUnreachableError(error: unknown): boolean {
  const e = error as { code?: string; fatal?: boolean } | undefined;
  return Boolean(e?.code && UNREACHABLE_CODES.has(e.code));
}

/**
 * A connection of a tenant's pool, checked out for one query. Exactly one of `release` or
 * `destroy` must be called; both free the tenant's concurrency slot.
 */
export interface TenantConnection {
  readonly tenant: string;
  /** The callback-API connection: `query()` with row events and `pause()`/`resume()`. */
  readonly connection: PoolConnection;
  /** The server's id of the connection (`CONNECTION_ID()`), for `KILL QUERY`. */
  readonly connectionId: number;
  /** Returns the connection to the pool. */
  release(): void;
  /** Closes the connection (after `EXECUTE AS`, a cancellation or an error mid-stream). */
  destroy(): void;
}

/** Options of {@link TenantPools.acquire}. */
export interface AcquireOptions {
  /** Most queries the tenant may run at once (its quota); one more is a {@link TooManyQueriesError}. */
  maxConcurrent: number;
}

interface TenantState {
  /** Connections for queries. */
  pool: Pool;
  /** A small pool of its own for `KILL QUERY`, so a kill never queues behind busy queries. */
  control?: Pool;
  active: number;
}

/**
 * One mysql2 pool per tenant, created on first use, logging in as the tenant's read-only user
 * from `starrocks.tenants.<tenant>`. Counts the queries each tenant runs and refuses one over
 * the tenant's limit at once (429) instead of queueing it.
 *
 * Connections use the text protocol only (`query()`, never `execute()`: StarRocks before 3.2
 * has no server-side prepared statements), `multipleStatements: false`, big numbers and
 * DECIMALs as strings, dates as strings (no time-zone shifts), and a connect timeout so a down
 * server is a 503 within seconds.
 */
export class TenantPools {
  readonly #config: StarrocksConfig;
  readonly #logger: LoggerService | undefined;
  readonly #tenants = new Map<string, TenantState>();
  #closed = false;

  constructor(
    config: StarrocksConfig,
    options: { logger?: LoggerService } = {},
  ) {
    this.#config = config;
    this.#logger = options.logger;
  }

  /** Whether `starrocks.tenants.<tenant>` exists. */
  has(tenant: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.#config.tenants, tenant);
  }

  /** Queries the tenant runs now. */
  activeQueries(tenant: string): number {
    return this.#tenants.get(tenant)?.active ?? 0;
  }

  /** Where a tenant's server is, for error messages (no credentials). */
  describe(tenant: string): string {
    const t = this.#tenantConfig(tenant);
    return `StarRocks of tenant ${tenant} at ${t.host}:${t.port}`;
  }

  /**
   * Checks out a connection of the tenant's pool for one query. Throws
   * {@link TooManyQueriesError} when the tenant already runs `maxConcurrent` queries,
   * `ServiceUnavailableError` when the server cannot be reached or refuses the tenant's login.
   */
  async acquire(
    tenant: string,
    options: AcquireOptions,
  ): Promise<TenantConnection> {
    const state = this.#state(tenant);
    if (state.active >= options.maxConcurrent) {
      throw tooManyQueriesError(tenant, state.active, options.maxConcurrent);
    }
    state.active += 1;
    let freed = false;
    const free = () => {
      if (!freed) {
        freed = true;
        state.active -= 1;
      }
    };
    let connection: PoolConnection;
    try {
      connection = await getConnection(state.pool);
    } catch (error) {
      free();
      throw this.connectionError(tenant, error);
    }
    return {
      tenant,
      connection,
      connectionId: connection.threadId,
      release: () => {
        if (!freed) {
          free();
          connection.release();
        }
      },
      destroy: () => {
        if (!freed) {
          free();
          connection.destroy();
        }
      },
    };
  }

  /**
   * Runs `KILL QUERY <connectionId>` (or another control statement) on a separate connection of
   * the tenant: the same user may kill its own queries. Destroying a socket does not stop a query
   * on the server; this does.
   */
  async control(tenant: string, sql: string): Promise<void> {
    const state = this.#state(tenant);
    if (!state.control) {
      state.control = createPool({
        ...this.#poolOptions(this.#tenantConfig(tenant)),
        connectionLimit: 2,
        maxIdle: 1,
      });
    }
    const pool = state.control;
    await new Promise<void>((resolve, reject) => {
      pool.query(sql, error => (error ? reject(error) : resolve()));
    });
  }

  /** The error a failed connect becomes: 503 naming StarRocks and the tenant. */
  connectionError(tenant: string, error: unknown): Error {
    const e = error as QueryError;
    const where = this.describe(tenant);
    if (isUnreachableError(e)) {
      return new ServiceUnavailableError(
        `${where} could not be reached (${e.code})`,
      );
    }
    if (e?.code === 'ER_ACCESS_DENIED_ERROR' || e?.errno === 1045) {
      this.#logger?.error('StarRocks refused the login of a tenant user', {
        tenant,
        message: e.message,
      });
      return new ServiceUnavailableError(
        `${where} refused the login of the tenant's user: check starrocks.tenants.${tenant}.user and password`,
      );
    }
    return new ServiceUnavailableError(
      `${where} could not be reached: ${e?.message ?? String(error)}`,
    );
  }

  /** Closes every pool; later calls fail. */
  async close(): Promise<void> {
    this.#closed = true;
    const pools: Pool[] = [];
    for (const state of this.#tenants.values()) {
      pools.push(state.pool);
      if (state.control) pools.push(state.control);
    }
    this.#tenants.clear();
    await Promise.all(
      pools.map(
        pool =>
          new Promise<void>(resolve => {
            pool.end(() => resolve());
          }),
      ),
    );
  }

  #tenantConfig(tenant: string): StarrocksTenantConfig {
    if (!this.has(tenant)) {
      throw new TenantNotConfiguredError(
        `StarRocks is not configured for tenant ${tenant}: set starrocks.tenants.${tenant} in the app-config of the backend`,
      );
    }
    return this.#config.tenants[tenant];
  }

  #state(tenant: string): TenantState {
    if (this.#closed) {
      throw new ServiceUnavailableError(
        'The StarRocks pools are closed (shutting down)',
      );
    }
    let state = this.#tenants.get(tenant);
    if (!state) {
      const t = this.#tenantConfig(tenant);
      state = { pool: createPool(this.#poolOptions(t)), active: 0 };
      // A pooled connection can fail while idle (server restart): mysql2 drops it from the pool;
      // without a listener the 'error' event would crash the backend.
      state.pool.on('connection', c =>
        c.on('error', error =>
          this.#logger?.warn('A pooled StarRocks connection failed', {
            tenant,
            code: error.code,
          }),
        ),
      );
      this.#tenants.set(tenant, state);
      this.#logger?.info('Created a StarRocks pool for a tenant', {
        tenant,
        host: t.host,
        port: t.port,
        poolSize: t.poolSize,
      });
    }
    return state;
  }

  #poolOptions(t: StarrocksTenantConfig): PoolOptions {
    return {
      host: t.host,
      port: t.port,
      user: t.user,
      password: t.password,
      database: t.database,
      connectionLimit: t.poolSize,
      maxIdle: t.poolSize,
      idleTimeout: 60_000,
      waitForConnections: true,
      queueLimit: 0,
      connectTimeout: this.#config.connectTimeoutSeconds * 1000,
      enableKeepAlive: true,
      multipleStatements: false,
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
    };
  }
}

function getConnection(pool: Pool): Promise<PoolConnection> {
  return new Promise((resolve, reject) => {
    pool.getConnection((error, connection) =>
      error ? reject(error) : resolve(connection),
    );
  });
}
