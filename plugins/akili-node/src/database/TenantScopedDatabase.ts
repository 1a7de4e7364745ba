import { NotAllowedError } from '@backstage/errors';
import { Knex } from 'knex';
import { assertValidTenantName } from '../tenancy/tenantName';
import { assertTableName, isPostgres } from './dialect';
import { toDatabaseUnavailableError } from './databaseUnavailable';
import { configureTransaction } from './tenantRole';

/**
 * The column every tenant-scoped table carries.
 *
 * @public
 */
export const TENANT_ID_COLUMN = 'tenant_id';

/**
 * The PostgreSQL setting the row-level security policies read.
 *
 * @public
 */
export const TENANT_SETTING = 'app.tenant_id';

/**
 * The PostgreSQL setting that opens the SELECT-only platform policy of tables isolated with
 * `platformReadable: true` (see `TenantScopedDatabase.withPlatformScope`).
 *
 * @public
 */
export const PLATFORM_SCOPE_SETTING = 'app.platform_scope';

/**
 * A database whose tables are partitioned by tenant, read and written one tenant at a time.
 *
 * @remarks
 *
 * PostgreSQL is the production store: there {@link TenantScopedDatabase.withTenant} sets
 * `app.tenant_id` for the transaction only (`set_config(..., true)`, i.e. `SET LOCAL`) and the
 * row-level security policies installed by `enableTenantIsolation` are the real guarantee: a
 * query that forgets its tenant filter sees no rows, and writes to another tenant's rows fail.
 *
 * SQLite (the local default) has no row-level security. The same code stays correct there
 * because it reads and writes through {@link TenantScopedDatabase.scoped} and
 * {@link TenantScopedDatabase.insert}, which add the tenant explicitly; on PostgreSQL that
 * filter is redundant but harmless.
 *
 * @public
 */
export class TenantScopedDatabase {
  readonly #knex: Knex;
  readonly #tenantRole: string | undefined;
  readonly #tenants = new WeakMap<Knex.Transaction, string>();
  readonly #platform = new WeakSet<Knex.Transaction>();

  /** Wraps the plugin's knex client (`coreServices.database.getClient()`). */
  static create(
    knex: Knex,
    options: {
      /**
       * PostgreSQL role every transaction switches to (`SET LOCAL ROLE`): one that does not own
       * the tables (see `prepareTenantRole`, config `akili.database.tenantRole`).
       */
      tenantRole?: string;
    } = {},
  ): TenantScopedDatabase {
    return new TenantScopedDatabase(knex, options.tenantRole);
  }

  private constructor(knex: Knex, tenantRole: string | undefined) {
    this.#knex = knex;
    this.#tenantRole = tenantRole;
  }

  /** Whether the store enforces tenant isolation itself (PostgreSQL row-level security). */
  get enforcesRowLevelSecurity(): boolean {
    return isPostgres(this.#knex);
  }

  /**
   * Runs `fn` in a transaction bound to `tenant`, committing when it resolves and rolling back
   * when it throws. The tenant name is validated first (`InputError`) and only ever passed to SQL
   * as a bound parameter. Use the given transaction for every query of the unit of work.
   */
  async withTenant<T>(
    tenant: string,
    fn: (tx: Knex.Transaction) => Promise<T>,
  ): Promise<T> {
    assertValidTenantName(tenant);
    return this.#transaction(async tx => {
      if (isPostgres(tx)) {
        await configureTransaction(tx, this.#tenantRole, [
          [TENANT_SETTING, tenant],
        ]);
      }
      this.#tenants.set(tx, tenant);
      try {
        return await fn(tx);
      } finally {
        this.#tenants.delete(tx);
      }
    });
  }

  /**
   * Runs `fn` in a read-only transaction that may read across tenants, for the few platform
   * views that need it (a platform admin's list of all tenants). Deliberately narrow:
   *
   * - on PostgreSQL it sets `app.platform_scope` to `on` for the transaction only, which opens
   *   the SELECT-only policy of tables isolated with `platformReadable: true`; every other
   *   table stays invisible (no tenant is set), and the transaction is `READ ONLY`, while the
   *   policies would refuse writes anyway;
   * - on SQLite, which has no row-level security, it runs the work with `PRAGMA query_only`, so
   *   it cannot write either; table visibility is then up to the caller.
   *
   * The transaction is not a tenant transaction: `scoped` and `insert` refuse it. Writes always
   * go through {@link TenantScopedDatabase.withTenant}. Authorize the caller before calling this.
   */
  async withPlatformScope<T>(
    fn: (tx: Knex.Transaction) => Promise<T>,
  ): Promise<T> {
    return this.#transaction(async tx => {
      const postgres = isPostgres(tx);
      if (postgres) {
        // `transaction_read_only` on is `SET TRANSACTION READ ONLY`, in the same statement.
        await configureTransaction(tx, this.#tenantRole, [
          ['transaction_read_only', 'on'],
          [PLATFORM_SCOPE_SETTING, 'on'],
        ]);
      } else {
        await tx.raw('PRAGMA query_only = ON');
      }
      this.#platform.add(tx);
      try {
        return await fn(tx);
      } finally {
        this.#platform.delete(tx);
        if (!postgres) {
          await tx.raw('PRAGMA query_only = OFF');
        }
      }
    });
  }

  /**
   * A knex transaction whose failure because the database is down (refused, connection lost,
   * shutting down) is a `ServiceUnavailableError` naming the database: a 503, not a 500.
   */
  async #transaction<T>(fn: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
    try {
      return await this.#knex.transaction(fn);
    } catch (error) {
      throw toDatabaseUnavailableError(error);
    }
  }

  /** Whether `tx` is a live transaction of {@link TenantScopedDatabase.withPlatformScope}. */
  isPlatformScope(tx: Knex.Transaction): boolean {
    return this.#platform.has(tx);
  }

  /**
   * The tenant a transaction of {@link TenantScopedDatabase.withTenant} is bound to. Throws when
   * `tx` is not such a transaction (or it has ended).
   */
  tenantOf(tx: Knex.Transaction): string {
    const tenant = this.#tenants.get(tx);
    if (tenant === undefined) {
      throw new Error(
        'Not a tenant transaction: use the transaction passed by TenantScopedDatabase.withTenant',
      );
    }
    return tenant;
  }

  /**
   * A query builder on `table` restricted to the transaction's tenant
   * (`where <table>.tenant_id = ?`), for selects, updates and deletes.
   */
  scoped(tx: Knex.Transaction, table: string): Knex.QueryBuilder {
    assertTableName(table);
    return tx(table).where(`${table}.${TENANT_ID_COLUMN}`, this.tenantOf(tx));
  }

  /**
   * A page of the transaction tenant's rows of `table`, newest first by its `id` sequence:
   * at most `limit` rows with an id below `before` (a former page's cursor), and the cursor of
   * the next page when there is one. `where` narrows the rows further.
   */
  async pageNewestFirst<TRow extends { id: number | string }>(
    tx: Knex.Transaction,
    table: string,
    options: {
      limit: number;
      before?: string;
      where?: (query: Knex.QueryBuilder) => void;
    },
  ): Promise<{ rows: TRow[]; nextCursor?: string }> {
    const query = this.scoped(tx, table)
      .select()
      .orderBy('id', 'desc')
      .limit(options.limit + 1);
    if (options.before !== undefined) {
      query.where('id', '<', options.before);
    }
    options.where?.(query);
    const rows: TRow[] = await query;
    const page = rows.slice(0, options.limit);
    return rows.length > options.limit
      ? { rows: page, nextCursor: String(page[page.length - 1].id) }
      : { rows: page };
  }

  /**
   * An insert of `rows` into `table` with `tenant_id` set to the transaction's tenant. A row that
   * names another tenant is refused with a `NotAllowedError`. Returns the builder, so callers can
   * chain `returning`, `onConflict` and the like.
   */
  insert<TRow extends Record<string, unknown>>(
    tx: Knex.Transaction,
    table: string,
    rows: TRow | TRow[],
  ): Knex.QueryBuilder {
    assertTableName(table);
    const tenant = this.tenantOf(tx);
    const list = Array.isArray(rows) ? rows : [rows];
    const scopedRows = list.map(row => {
      const given = row[TENANT_ID_COLUMN];
      if (given !== undefined && given !== tenant) {
        throw new NotAllowedError(
          `Refusing to write a row of another tenant into ${table} from tenant '${tenant}'`,
        );
      }
      return { ...row, [TENANT_ID_COLUMN]: tenant };
    });
    return tx(table).insert(scopedRows);
  }
}
