import {
  Classification,
  DataContract,
  LogicalType,
  QualityRule,
} from '@akili/plugin-akili-common';

/**
 * The wire types of the query API (`/api/starrocks`), shared by the backend, its frontend, the
 * actions for AI assistants and the CLI.
 */

/** A value of a result row: BIGINT, DECIMAL, dates and times as strings; NULL as null. */
export type QueryCellValue = string | number | null;

/** One column of a result as the server reported it. */
export interface QueryResultColumn {
  name: string;
  /** The MySQL-protocol type name (`LONGLONG`, `VAR_STRING`, `DATETIME`, ...). */
  type: string;
}

/**
 * A column the query API masked for the caller: its values reach the statement as NULL, so
 * `SELECT *`, aliases, expressions, predicates and subqueries all see NULL.
 */
export interface MaskedColumn {
  /** The table as the statement resolved it: `catalog.database.table`. */
  table: string;
  column: string;
  classification: Classification;
}

/** `POST /v1/tenants/:tenant/query` with `Accept: application/json`. */
export interface QueryResult {
  columns: QueryResultColumn[];
  rows: QueryCellValue[][];
  rowCount: number;
  /** The result had more rows than the row cap and was cut. */
  truncated: boolean;
  /**
   * UTF-8 bytes of the rows as the answer carries them (the JSON `rows` array, the NDJSON or
   * CSV row lines).
   */
  bytes: number;
  durationMs: number;
  /** Columns masked for the caller in the tables the statement read. */
  masked: MaskedColumn[];
  /** The audit entry of this query, when the audit trail is on. */
  queryId?: string;
}

/** The body of `POST /v1/tenants/:tenant/query`. */
export interface QueryRequestBody {
  sql: string;
  /** Rows wanted; capped by the tenant's row quota. */
  limit?: number;
  /**
   * With `Accept: text/csv`: text that a spreadsheet would run as a formula (starting with `=`,
   * `+`, `-`, `@`, tab or CR, and not a number) gets a leading `'`. For files people open.
   */
  spreadsheetSafe?: boolean;
}

/** A column of a readable table, from the product's manifest. */
export interface SchemaColumn {
  name: string;
  type: LogicalType;
  physicalType?: string;
  description?: string;
  classification?: Classification;
  required?: boolean;
  primaryKey?: boolean;
  unique?: boolean;
  /** Whether the query API masks this column for the caller. */
  masked: boolean;
  /** Names of the product's quality rules on this column. */
  rules: string[];
}

/** A table the tenant may query: one output port of one of its data products. */
export interface SchemaTable {
  /** The product's entity ref, `dataproduct:<tenant>/<name>`. */
  entityRef: string;
  productTitle?: string;
  port: string;
  portTitle?: string;
  description?: string;
  catalog?: string;
  database: string;
  table: string;
  /** `catalog.database.table`, as the guard resolves names. */
  qualifiedName: string;
  contract?: DataContract;
  columns: SchemaColumn[];
  /** The product's quality rules on this port (or on the product when it has one port). */
  rules: QualityRule[];
}

/** `GET /v1/tenants/:tenant/schema`. */
export interface SchemaResponse {
  tenant: string;
  tables: SchemaTable[];
  /** Classifications the caller sees unmasked. */
  unmaskedClassifications: Classification[];
}

/** How a query ended. */
export type QueryOutcome =
  | 'succeeded'
  | 'refused'
  | 'failed'
  | 'cancelled'
  | 'timeout';

/** One row of the query audit trail (`GET /v1/tenants/:tenant/audit`). */
export interface QueryAuditEntry {
  id: string;
  tenant: string;
  /** `user:<ns>/<name>` or `token:<id>`. */
  actorRef: string;
  statement: string;
  /** The statement was longer than the trail keeps and is cut. */
  statementTruncated?: boolean;
  /** Entity refs of the products whose tables the statement read. */
  products: string[];
  /** Tables read, `catalog.database.table`. */
  tables: string[];
  outcome: QueryOutcome;
  /** The refusal or error message. */
  message?: string;
  rowCount: number;
  bytes: number;
  durationMs: number;
  /** ISO 8601. */
  startedAt: string;
}

/** `GET /v1/tenants/:tenant/audit`. */
export interface QueryAuditPage {
  items: QueryAuditEntry[];
  /** Pass as `cursor` for the next (older) page. */
  nextCursor?: string;
}
