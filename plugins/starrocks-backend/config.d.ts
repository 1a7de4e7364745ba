export interface Config {
  /**
   * StarRocks (MySQL protocol) for the tenant-scoped query API (`@akili/plugin-starrocks-backend`).
   */
  starrocks?: {
    /**
     * What runs the queries: `mysql` (default: StarRocks, or MariaDB in tests, per tenant from
     * `tenants`) or `embedded` (DuckDB inside the backend over deterministic rows generated for
     * the `table` output ports of each tenant's data products in the catalog, one in-memory
     * database per tenant; for `make dev` only, see the plugin's README for what differs).
     */
    engine?: 'mysql' | 'embedded';
    /** The embedded engine (`engine: embedded`). */
    embedded?: {
      /** Generated rows in each example table (default 5000, 0 to 1000000). */
      rowsPerTable?: number;
    };
    /**
     * The SQL dialect of the server: `starrocks` (default) or `mariadb` (the MySQL-protocol
     * stand-in the tests run against). Decides how timeouts are applied.
     */
    dialect?: 'starrocks' | 'mariadb';
    /**
     * The catalog the tenant users' connections start in, which two-part names (`db.table`)
     * resolve in for the SQL guard (default `default_catalog`).
     */
    defaultCatalog?: string;
    /**
     * StarRocks only (default false): run each user's query as the StarRocks user named like the
     * user entity (`user:default/jane` runs as `jane`) inside the tenant user's connection
     * (`EXECUTE AS 'jane' WITH NO REVERT`), so StarRocks' own audit log names the person. Needs
     * the end users in StarRocks and `GRANT IMPERSONATE ON USER jane TO <tenant user>` for each;
     * the tenant user's grants still bound what is read. API tokens run as the tenant user. Each
     * such query opens a connection of its own (an impersonated one never returns to the pool).
     */
    executeAsEndUser?: boolean;
    /** Default time one query may run, in seconds (default 30, 1 to 3600). */
    queryTimeoutSeconds?: number;
    /** Default row cap of one query (default 10000, 1 to 10000000). */
    maxRows?: number;
    /** How long opening a connection may take before the server counts as down, in seconds (default 5). */
    connectTimeoutSeconds?: number;
    /**
     * Access agreements between tenants (`@akili/plugin-lake-backend`): with `enabled`, a
     * tenant's queries also read the agreed columns of other tenants' tables under agreements in
     * force, read from `GET /api/lake/v1/agreements/in-force` with the plugin's service token.
     */
    agreements?: {
      /** Read other tenants' tables under agreements in force (default false: own tables only). */
      enabled?: boolean;
      /**
       * How long a tenant's agreements in force are kept, in seconds (default 30, 0 to 30):
       * a revocation applies on the next query after at most this long, or at once on the
       * `access.revoked` event.
       */
      cacheSeconds?: number;
      /** How long the lake backend has to answer, in seconds (default 3, 1 to 30). */
      timeoutSeconds?: number;
    };
    /**
     * StarRocks grants that follow the access agreements: the consumer tenant's user gets
     * `SELECT` on the agreed table while an agreement is in force, and loses it when none is.
     * Applied on `access.granted` / `access.revoked` and reconciled at start and every
     * `intervalMinutes`. Needs `engine: mysql`.
     */
    grants?: {
      /** Apply the grants (default false). */
      enabled?: boolean;
      /** FE host of the admin login (default: the first tenant's host). */
      host?: string;
      /** FE MySQL port of the admin login (default: the first tenant's port). */
      port?: number;
      /** A platform admin user allowed to GRANT and REVOKE SELECT on the tenants' tables. */
      user: string;
      /**
       * The admin user's password.
       * @visibility secret
       */
      password?: string;
      /** The host part of the tenant users' accounts, `'user'@'<userHost>'` (default `%`). */
      userHost?: string;
      /** How often the grants are reconciled with the agreements, in minutes (default 5). */
      intervalMinutes?: number;
    };
    /**
     * One entry per tenant id: the tenant's read-only StarRocks user. Open-source StarRocks has no
     * row policies, so the user's grants are what keeps a tenant to its own data.
     */
    tenants?: {
      [tenant: string]: {
        /** FE host name or address. */
        host: string;
        /** FE MySQL port (`query_port`, default 9030). */
        port?: number;
        /** The tenant's read-only user. */
        user: string;
        /**
         * The tenant's read-only user's password.
         * @visibility secret
         */
        password: string;
        /** Default database of the tenant's connections. */
        database?: string;
        /** Most connections the tenant's pool opens (default 10). */
        poolSize?: number;
      };
    };
  };
}
