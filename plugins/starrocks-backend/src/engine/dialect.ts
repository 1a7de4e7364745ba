import { StarrocksDialectName } from '../config';

/** The limits one statement runs under. */
export interface StatementLimits {
  /**
   * Rows the caller may get. The wrapper asks the server for one more, so the runner can tell a
   * result of exactly `maxRows` rows from a truncated one.
   */
  maxRows: number;
  /** Seconds the server lets the statement run. */
  timeoutSeconds: number;
}

/**
 * What differs between StarRocks and the MySQL-protocol stand-in (MariaDB) the tests run on:
 * how a statement gets its row cap and timeout, how a running query is killed, how a connection
 * takes on an end user's identity, and how a timeout is recognised in an error.
 */
export interface QueryDialect {
  readonly name: StarrocksDialectName;
  /**
   * The statement to send for `sql` (one statement, already checked by the SQL guard): a
   * `SELECT`/`WITH` query is wrapped as `SELECT * FROM (<sql>) AS _akili_q LIMIT <maxRows + 1>`
   * (StarRocks ignores `sql_select_limit`), with the timeout applied the dialect's way. Other
   * statements (`SHOW`, `DESC`, ...) cannot be wrapped; they get the timeout only and the runner
   * caps their rows while reading.
   */
  limitStatement(
    sql: string,
    limits: StatementLimits,
    options?: LimitOptions,
  ): string;
  /** Statements to run on the connection before the query (empty when the limits are inline). */
  sessionSetup(limits: StatementLimits): string[];
  /** `KILL QUERY <id>`: stops the statement running on connection `connectionId`, not the connection. */
  killQuery(connectionId: number): string;
  /**
   * The statement that makes the connection act as `user` for the rest of its life, or
   * undefined when the dialect has none (MariaDB). StarRocks: `EXECUTE AS '<user>' WITH NO
   * REVERT`: it cannot be undone, so such a connection must never return to a pool.
   */
  executeAs(user: string): string | undefined;
  /** Whether a server error says the statement ran out of time. */
  isTimeoutError(error: unknown): boolean;
}

/** How {@link QueryDialect.limitStatement} treats a query. */
export interface LimitOptions {
  /**
   * False sends a query as written, with the timeout only (the runner then stops it at the cap
   * while reading): for a query whose columns share a name, which a derived table refuses.
   */
  wrap?: boolean;
}

/**
 * Whether a server error says a derived table has two columns of one name (MySQL and MariaDB
 * 1060 `ER_DUP_FIELDNAME`; StarRocks says the same words): the row cap's wrapper refuses
 * `SELECT * FROM a JOIN b` when both have an `id`, which the query alone allows.
 */
export function isDuplicateColumnError(error: unknown): boolean {
  const { errno, message } = errorFields(error);
  return errno === 1060 || /duplicate column name/iu.test(message);
}

/** Alias of the derived table the row cap wraps the user's statement in. */
export const WRAPPER_ALIAS = '_akili_q';

/** User names `EXECUTE AS` accepts: no quotes, backslashes or control characters. */
export const EXECUTE_AS_USER = /^[A-Za-z0-9_.@+-]{1,128}$/;

/**
 * The statement without trailing `;` and whitespace (a `;` inside the derived table is a syntax
 * error, and the guard allows one trailing `;`).
 */
export function trimStatement(sql: string): string {
  return sql.replace(/[\s;]+$/u, '');
}

/** The first keyword of a statement, after leading whitespace, comments and `(`. */
export function leadingKeyword(sql: string): string {
  let rest = sql;
  for (;;) {
    const before = rest;
    rest = rest.replace(/^\s+/u, '');
    rest = rest.replace(/^--[^\n]*(\n|$)/u, '');
    rest = rest.replace(/^#[^\n]*(\n|$)/u, '');
    rest = rest.replace(/^\/\*(?!\+)[\s\S]*?\*\//u, '');
    rest = rest.replace(/^\(/u, '');
    if (rest === before) break;
  }
  const match = /^[A-Za-z]+/u.exec(rest);
  return match ? match[0].toUpperCase() : '';
}

/** Whether the statement is a query that can become a derived table. */
export function isWrappable(sql: string): boolean {
  const keyword = leadingKeyword(sql);
  return keyword === 'SELECT' || keyword === 'WITH';
}

function checkLimits(limits: StatementLimits): void {
  if (!Number.isInteger(limits.maxRows) || limits.maxRows < 1) {
    throw new Error(
      `maxRows must be a positive whole number, not ${limits.maxRows}`,
    );
  }
  if (!Number.isInteger(limits.timeoutSeconds) || limits.timeoutSeconds < 1) {
    throw new Error(
      `timeoutSeconds must be a positive whole number, not ${limits.timeoutSeconds}`,
    );
  }
}

/**
 * The user's statement as a derived table. The newlines matter: a trailing `-- comment` in the
 * user's SQL must not comment out the closing parenthesis and the LIMIT.
 */
function wrap(sql: string, hint: string, maxRows: number): string {
  return `SELECT ${hint}* FROM (\n${trimStatement(
    sql,
  )}\n) AS ${WRAPPER_ALIAS} LIMIT ${maxRows + 1}`;
}

function errorFields(error: unknown): {
  errno?: number;
  code?: string;
  message: string;
} {
  const e = error as
    | { errno?: number; code?: string; message?: string }
    | undefined;
  return { errno: e?.errno, code: e?.code, message: String(e?.message ?? '') };
}

/**
 * StarRocks: the timeout is a `SET_VAR(query_timeout = ..)` hint right after the outer
 * `SELECT` of the wrapper (precedence: global < session < SET_VAR, and any user may use it).
 * A statement that cannot be wrapped gets a session `SET query_timeout` first instead.
 */
export const starrocksDialect: QueryDialect = {
  name: 'starrocks',
  limitStatement(sql, limits, options) {
    checkLimits(limits);
    if (!isWrappable(sql) || options?.wrap === false) {
      return trimStatement(sql);
    }
    return wrap(
      sql,
      `/*+ SET_VAR(query_timeout = ${limits.timeoutSeconds}) */ `,
      limits.maxRows,
    );
  },
  sessionSetup(limits) {
    checkLimits(limits);
    // Set on every checkout, so a value from a previous use of the pooled connection never
    // lingers; the hint on wrapped statements takes precedence anyway.
    return [`SET query_timeout = ${limits.timeoutSeconds}`];
  },
  killQuery(connectionId) {
    if (!Number.isSafeInteger(connectionId) || connectionId < 0) {
      throw new Error(`not a connection id: ${connectionId}`);
    }
    return `KILL QUERY ${connectionId}`;
  },
  executeAs(user) {
    if (!EXECUTE_AS_USER.test(user)) {
      throw new Error(
        `cannot run as "${user}": a StarRocks user name for EXECUTE AS may contain letters, digits and _ . @ + - only`,
      );
    }
    return `EXECUTE AS '${user}' WITH NO REVERT`;
  },
  isTimeoutError(error) {
    const { errno, message } = errorFields(error);
    // UNVERIFIED against a real FE (none reachable here): StarRocks reports a query timeout
    // with texts such as "Query exceeded time limit of 30 seconds" or "... timeout ...".
    return errno === 3024 || /time ?limit|timeout|timed out/iu.test(message);
  },
};

/**
 * MariaDB (the tests' MySQL-protocol peer): no `query_timeout`, no `SET_VAR` hints; the
 * timeout is `SET STATEMENT max_statement_time=<s> FOR <statement>`, which also covers
 * statements that cannot be wrapped. It has no `EXECUTE AS`.
 */
export const mariadbDialect: QueryDialect = {
  name: 'mariadb',
  limitStatement(sql, limits, options) {
    checkLimits(limits);
    const statement =
      isWrappable(sql) && options?.wrap !== false
        ? wrap(sql, '', limits.maxRows)
        : trimStatement(sql);
    return `SET STATEMENT max_statement_time=${limits.timeoutSeconds} FOR ${statement}`;
  },
  sessionSetup(limits) {
    checkLimits(limits);
    return [];
  },
  killQuery: starrocksDialect.killQuery,
  executeAs() {
    return undefined;
  },
  isTimeoutError(error) {
    const { errno, code } = errorFields(error);
    // 1969 ER_STATEMENT_TIMEOUT: "Query execution was interrupted (max_statement_time exceeded)"
    return errno === 1969 || code === 'ER_STATEMENT_TIMEOUT';
  },
};

/** The dialect named in `starrocks.dialect`. */
export function getDialect(name: StarrocksDialectName): QueryDialect {
  return name === 'mariadb' ? mariadbDialect : starrocksDialect;
}
