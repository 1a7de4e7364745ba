import { GuardRefusal, SqlPosition, positionsIn, quote } from './errors';
import { ALLOWED_FUNCTIONS } from './functions';
import { StatementKind, parseStatement } from './parse';

/**
 * A table a tenant may read: one output port of a data product it may read.
 *
 * @public
 */
export interface ReadableTable {
  /** The catalog; the policy's `defaultCatalog` when left out. */
  catalog?: string;
  database: string;
  table: string;
}

/**
 * What the guard lets one tenant read.
 *
 * @public
 */
export interface QueryGuardPolicy {
  /** The tables the tenant may read, usually resolved from the catalog's output ports. */
  readableTables: ReadonlyArray<ReadableTable>;
  /** The catalog of two-part names `database.table`; `default_catalog` when left out. */
  defaultCatalog?: string;
  /**
   * The database of one-part table names. Give it only when the connection the query runs on
   * is in that database (`USE`); without it one-part table names are refused.
   */
  defaultDatabase?: string;
}

/**
 * A table a statement reads, with all three parts resolved.
 *
 * @public
 */
export interface ResolvedTableRef {
  catalog: string;
  database: string;
  table: string;
  /** Where the first reference to the table starts. */
  position: SqlPosition;
}

/**
 * One place where a statement reads the rows of a table, for rewriting it (column masking).
 *
 * @public
 */
export interface TableReference {
  catalog: string;
  database: string;
  table: string;
  /** The name's parts as written (quotes removed): 1, 2 or 3 of them. */
  parts: string[];
  /** Offset of the name's first character in {@link GuardAccepted.statement}. */
  start: number;
  /** Offset after the name's last character in {@link GuardAccepted.statement}. */
  end: number;
  /** Whether an alias follows the name (`FROM db.t AS x`, `FROM db.t x`). */
  aliased: boolean;
}

/**
 * A statement the guard lets through.
 *
 * @public
 */
export interface GuardAccepted {
  ok: true;
  kind: StatementKind;
  /** The distinct tables the statement reads, in order of first appearance. */
  tables: ResolvedTableRef[];
  /**
   * Every reference to a table whose rows the statement reads, in source order (a table named
   * twice is here twice). None for SHOW and DESCRIBE, which read metadata only.
   */
  references: TableReference[];
  /** The distinct functions the statement calls, lower case, in order of first appearance. */
  functions: string[];
  /**
   * The statement without leading and trailing comments and without the trailing `;`, so it can
   * be wrapped (`SELECT * FROM (...) q LIMIT n`) safely.
   */
  statement: string;
}

/**
 * A statement the guard refuses; it must not be sent to the server.
 *
 * @public
 */
export interface GuardRefused {
  ok: false;
  /** Why, quoting at most 60 characters of the offending text. */
  reason: string;
  /** Where the problem is, when there is one place. */
  position?: SqlPosition;
  /**
   * Set when the reason is a table, database or catalog outside the policy's readable tables
   * (not a system schema, a function or the statement's form): a caller that could not learn
   * all the readable tables (access agreements unavailable) answers it as unavailable.
   */
  unreadable?: true;
}

/**
 * The guard's answer.
 *
 * @public
 */
export type GuardResult = GuardAccepted | GuardRefused;

/**
 * Schemas with server state, grants, statistics and audit logs of every tenant. All refused,
 * compared case-insensitively; no metadata table is allowed (schema browsing goes through
 * SHOW and DESCRIBE, which the guard scopes to the tenant's tables).
 *
 * @public
 */
export const SYSTEM_SCHEMAS: ReadonlyArray<string> = [
  'information_schema',
  'mysql',
  'sys',
  'performance_schema',
  '_statistics_',
  'starrocks_audit_db__',
  'starrocks_monitor',
];

/** Longer statements are refused before tokenizing. */
export const MAX_STATEMENT_LENGTH = 1024 * 1024;

/** The catalog of two-part names when the policy names none. @internal */
export const DEFAULT_CATALOG = 'default_catalog';

interface Problem {
  reason: string;
  offset: number;
  unreadable?: true;
}

const isSystemSchema = (name: string) =>
  SYSTEM_SCHEMAS.includes(name.toLowerCase());

/**
 * Decides whether a SQL statement may be sent to StarRocks for a tenant: exactly one read-only
 * statement (SELECT, WITH ... SELECT, SHOW DATABASES/TABLES/COLUMNS, DESCRIBE, EXPLAIN without
 * ANALYZE), reading only the tenant's tables and calling only allowed functions. Whatever it
 * cannot parse is refused. Names are compared exactly (case-sensitively); system schemas are
 * compared case-insensitively.
 *
 * @public
 */
export function guardQuery(sql: string, policy: QueryGuardPolicy): GuardResult {
  if (sql.length > MAX_STATEMENT_LENGTH) {
    return {
      ok: false,
      reason: `statement is longer than ${MAX_STATEMENT_LENGTH} characters`,
    };
  }
  const defaultCatalog = policy.defaultCatalog ?? DEFAULT_CATALOG;
  const refuse = (
    reason: string,
    offset?: number,
    unreadable?: true,
  ): GuardRefused => ({
    ok: false,
    reason,
    ...(offset === undefined ? {} : { position: positionsIn(sql)(offset) }),
    ...(unreadable ? { unreadable } : {}),
  });

  let parsed;
  try {
    parsed = parseStatement(sql);
  } catch (e) {
    if (e instanceof GuardRefusal) return refuse(e.reason, e.offset);
    if (e instanceof RangeError) {
      // Defence in depth: the parser caps nesting well below the stack size.
      return refuse('statement is too deeply nested');
    }
    throw e;
  }

  const readable = new Set(
    policy.readableTables.map(t =>
      key(t.catalog ?? defaultCatalog, t.database, t.table),
    ),
  );
  const readableDatabases = new Set(
    policy.readableTables.map(t =>
      key(t.catalog ?? defaultCatalog, t.database),
    ),
  );
  const readableCatalogs = new Set(
    policy.readableTables.map(t => t.catalog ?? defaultCatalog),
  );

  const positionOf = positionsIn(sql);
  const problems: Problem[] = [];
  const tables = new Map<string, ResolvedTableRef>();
  const references: TableReference[] = [];

  for (const ref of parsed.tables) {
    const written = quote(ref.parts.join('.'));
    let parts: string[];
    if (ref.parts.length === 1) {
      if (policy.defaultDatabase === undefined) {
        problems.push({
          reason: `unqualified table name ${written}: write it as database.table`,
          offset: ref.offset,
        });
        continue;
      }
      parts = [defaultCatalog, policy.defaultDatabase, ref.parts[0]];
    } else if (ref.parts.length === 2) {
      parts = [defaultCatalog, ...ref.parts];
    } else if (ref.parts.length === 3) {
      parts = ref.parts;
    } else {
      problems.push({
        reason: `table name ${written} has more than 3 parts`,
        offset: ref.offset,
      });
      continue;
    }
    const [catalog, database, table] = parts;
    if (isSystemSchema(database)) {
      problems.push({
        reason: `system schema ${quote(database)} is not allowed`,
        offset: ref.offset,
      });
      continue;
    }
    const k = key(catalog, database, table);
    if (!readable.has(k)) {
      problems.push({
        reason: `table ${quote(
          parts.join('.'),
        )} is not readable by this tenant`,
        offset: ref.offset,
        unreadable: true,
      });
      continue;
    }
    if (!tables.has(k)) {
      tables.set(k, {
        catalog,
        database,
        table,
        position: positionOf(ref.offset),
      });
    }
    if (!ref.metadata) {
      references.push({
        catalog,
        database,
        table,
        parts: [...ref.parts],
        start: ref.offset - parsed.start,
        end: ref.end - parsed.start,
        aliased: ref.aliased,
      });
    }
  }

  for (const ref of parsed.databases) {
    let parts: string[];
    if (ref.parts.length === 0) {
      if (policy.defaultDatabase === undefined) {
        problems.push({
          reason: `SHOW TABLES needs FROM database`,
          offset: ref.offset,
        });
        continue;
      }
      parts = [defaultCatalog, policy.defaultDatabase];
    } else if (ref.parts.length === 1) {
      parts = [defaultCatalog, ref.parts[0]];
    } else if (ref.parts.length === 2) {
      parts = ref.parts;
    } else {
      problems.push({
        reason: `database name ${quote(
          ref.parts.join('.'),
        )} has more than 2 parts`,
        offset: ref.offset,
      });
      continue;
    }
    if (isSystemSchema(parts[1])) {
      problems.push({
        reason: `system schema ${quote(parts[1])} is not allowed`,
        offset: ref.offset,
      });
    } else if (!readableDatabases.has(key(parts[0], parts[1]))) {
      problems.push({
        reason: `database ${quote(
          parts.join('.'),
        )} is not readable by this tenant`,
        offset: ref.offset,
        unreadable: true,
      });
    }
  }

  for (const ref of parsed.catalogs) {
    if (!readableCatalogs.has(ref.parts[0])) {
      problems.push({
        reason: `catalog ${quote(ref.parts[0])} is not readable by this tenant`,
        offset: ref.offset,
        unreadable: true,
      });
    }
  }

  const functions: string[] = [];
  for (const ref of parsed.functions) {
    const name = ref.parts.join('.');
    if (ref.parts.length > 1) {
      problems.push({
        reason: `user-defined function ${quote(name)} is not allowed`,
        offset: ref.offset,
      });
      continue;
    }
    const lower = name.toLowerCase();
    if (!ALLOWED_FUNCTIONS.has(lower)) {
      problems.push({
        reason: `function ${quote(name)} is not allowed`,
        offset: ref.offset,
      });
      continue;
    }
    if (!functions.includes(lower)) functions.push(lower);
  }

  if (problems.length > 0) {
    const first = problems.reduce((a, b) => (b.offset < a.offset ? b : a));
    return refuse(first.reason, first.offset, first.unreadable);
  }
  return {
    ok: true,
    kind: parsed.kind,
    tables: [...tables.values()],
    references,
    functions,
    statement: sql.slice(parsed.start, parsed.end),
  };
}

// NUL cannot appear in a name (the tokenizer refuses control characters), so it separates parts.
function key(...parts: string[]): string {
  return parts.join('\u0000');
}
