import type { SQLNamespace } from '@codemirror/lang-sql';
import type {
  QueryResultColumn,
  SchemaColumn,
  SchemaTable,
} from '@akili/plugin-starrocks-common';

/** Where the server placed a refusal: 1-based line and column. */
export interface SqlErrorPosition {
  line: number;
  column: number;
}

const POSITION = /\(line (\d+), column (\d+)\)\s*$/;

/**
 * The position a refusal names: `Query refused: <reason> (line L, column C)` (the backend's
 * format); undefined when the message has none.
 */
export function positionOfError(message: string): SqlErrorPosition | undefined {
  const match = POSITION.exec(message);
  return match
    ? { line: Number(match[1]), column: Number(match[2]) }
    : undefined;
}

/** The character offset of a 1-based line and column in `text`, clamped to the text. */
export function offsetOf(text: string, position: SqlErrorPosition): number {
  const lines = text.split('\n');
  const line = Math.min(Math.max(position.line, 1), lines.length);
  let offset = 0;
  for (let i = 0; i < line - 1; i++) offset += lines[i].length + 1;
  return (
    offset + Math.min(Math.max(position.column - 1, 0), lines[line - 1].length)
  );
}

/** The query a table starts with: its first hundred rows. */
export function starterQuery(qualifiedName: string): string {
  return `SELECT * FROM ${qualifiedName} LIMIT 100`;
}

/**
 * The completion namespace of the editor: `catalog.database.table.column` and, because the
 * guard resolves two-part names in the default catalog, `database.table.column` too.
 */
export function completionSchema(tables: SchemaTable[]): SQLNamespace {
  const namespace: Record<string, Record<string, any>> = {};
  const add = (path: string[], table: SchemaTable) => {
    let node: Record<string, any> = namespace;
    for (const part of path.slice(0, -1)) {
      node[part] = node[part] ?? {};
      node = node[part];
    }
    node[path[path.length - 1]] = {
      self: {
        label: path[path.length - 1],
        type: 'type',
        detail: table.productTitle ?? table.entityRef,
        info: table.description,
      },
      children: table.columns.map(column => ({
        label: column.name,
        type: 'property',
        detail: column.physicalType ?? column.type,
        info: column.description,
      })),
    };
  };
  for (const table of tables) {
    if (table.catalog) {
      add([table.catalog, table.database, table.table], table);
    }
    add([table.database, table.table], table);
  }
  return namespace;
}

function identifierPattern(name: string): RegExp {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w$])\`?${escaped}\`?($|[^\\w$])`, 'i');
}

/**
 * The readable tables a statement names, by their table name (qualified or not), in the
 * schema's order. A guess from the text, good enough to explain result columns: the server's
 * guard is what decides.
 */
export function tablesNamedIn(
  sql: string,
  tables: SchemaTable[],
): SchemaTable[] {
  return tables.filter(table => identifierPattern(table.table).test(sql));
}

/** What the workbench shows about a result column that one of the named tables has. */
export interface ResultColumnInfo {
  column: QueryResultColumn;
  table?: SchemaTable;
  schema?: SchemaColumn;
}

/**
 * Matches result columns to the columns of the tables the statement names, by name
 * (case-insensitive, first table wins). Renamed or computed columns stay unmatched.
 */
export function describeResultColumns(
  columns: QueryResultColumn[],
  tables: SchemaTable[],
): ResultColumnInfo[] {
  return columns.map(column => {
    const name = column.name.toLowerCase();
    for (const table of tables) {
      const schema = table.columns.find(c => c.name.toLowerCase() === name);
      if (schema) return { column, table, schema };
    }
    return { column };
  });
}

/** A file name for a result: `<tenant>-query-2025-03-02T12-00-00.csv`. */
export function csvFileName(tenant: string, now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/:/g, '-');
  return `${tenant}-query-${stamp}.csv`;
}
