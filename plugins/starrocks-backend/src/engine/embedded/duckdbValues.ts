import {
  DuckDBBlobValue,
  DuckDBDataChunk,
  DuckDBType,
  DuckDBTypeId,
  JsonDuckDBValueConverter,
} from '@duckdb/node-api';
import { CellValue, ColumnInfo } from '../types';

/**
 * The MySQL-protocol type name (as mysql2 names the column types the MySQL path reports) of a
 * DuckDB result type, so a client sees the same names on both engines: `LONGLONG` for BIGINT,
 * `NEWDECIMAL` for DECIMAL, `DATETIME` for timestamps, `VAR_STRING` for text, `JSON` for
 * nested values (lists, structs, maps). Types StarRocks has no counterpart for (HUGEINT,
 * unsigned integers, UUID, INTERVAL, ...) get the nearest name.
 */
const MYSQL_TYPE_NAMES: Partial<Record<DuckDBTypeId, string>> = {
  [DuckDBTypeId.BOOLEAN]: 'TINY',
  [DuckDBTypeId.TINYINT]: 'TINY',
  [DuckDBTypeId.UTINYINT]: 'SHORT',
  [DuckDBTypeId.SMALLINT]: 'SHORT',
  [DuckDBTypeId.USMALLINT]: 'LONG',
  [DuckDBTypeId.INTEGER]: 'LONG',
  [DuckDBTypeId.UINTEGER]: 'LONGLONG',
  [DuckDBTypeId.BIGINT]: 'LONGLONG',
  [DuckDBTypeId.UBIGINT]: 'LONGLONG',
  [DuckDBTypeId.HUGEINT]: 'LONGLONG',
  [DuckDBTypeId.UHUGEINT]: 'LONGLONG',
  [DuckDBTypeId.BIGNUM]: 'NEWDECIMAL',
  [DuckDBTypeId.FLOAT]: 'FLOAT',
  [DuckDBTypeId.DOUBLE]: 'DOUBLE',
  [DuckDBTypeId.DECIMAL]: 'NEWDECIMAL',
  [DuckDBTypeId.DATE]: 'DATE',
  [DuckDBTypeId.TIME]: 'TIME',
  [DuckDBTypeId.TIME_NS]: 'TIME',
  [DuckDBTypeId.TIME_TZ]: 'TIME',
  [DuckDBTypeId.TIMESTAMP]: 'DATETIME',
  [DuckDBTypeId.TIMESTAMP_S]: 'DATETIME',
  [DuckDBTypeId.TIMESTAMP_MS]: 'DATETIME',
  [DuckDBTypeId.TIMESTAMP_NS]: 'DATETIME',
  [DuckDBTypeId.TIMESTAMP_TZ]: 'DATETIME',
  [DuckDBTypeId.VARCHAR]: 'VAR_STRING',
  [DuckDBTypeId.UUID]: 'VAR_STRING',
  [DuckDBTypeId.ENUM]: 'VAR_STRING',
  [DuckDBTypeId.INTERVAL]: 'VAR_STRING',
  [DuckDBTypeId.BIT]: 'VAR_STRING',
  [DuckDBTypeId.BLOB]: 'BLOB',
  [DuckDBTypeId.GEOMETRY]: 'GEOMETRY',
  [DuckDBTypeId.LIST]: 'JSON',
  [DuckDBTypeId.ARRAY]: 'JSON',
  [DuckDBTypeId.STRUCT]: 'JSON',
  [DuckDBTypeId.MAP]: 'JSON',
  [DuckDBTypeId.UNION]: 'JSON',
  [DuckDBTypeId.VARIANT]: 'JSON',
  [DuckDBTypeId.SQLNULL]: 'NULL',
};

/** A result column of DuckDB as the query API reports it. */
export function duckdbColumnInfo(name: string, type: DuckDBType): ColumnInfo {
  return { name, type: MYSQL_TYPE_NAMES[type.typeId] ?? 'VAR_STRING' };
}

/** A JSON-converted DuckDB value as a `CellValue`. */
function cellValue(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  // BOOLEAN as StarRocks sends it over the MySQL protocol: TINYINT 1 or 0.
  if (typeof value === 'boolean') return value ? 1 : 0;
  return JSON.stringify(value);
}

/**
 * The rows of a chunk as the sinks take them, the way the MySQL path delivers them: BIGINT,
 * HUGEINT and DECIMAL as exact strings, dates and timestamps as strings
 * (`2024-05-01 13:45:00`), BOOLEAN as 1/0, BLOB as base64, nested values as JSON text, NaN and
 * infinities as strings.
 */
export function chunkRows(
  chunk: DuckDBDataChunk,
  types: readonly DuckDBType[],
): CellValue[][] {
  const rows = chunk.convertRows(JsonDuckDBValueConverter);
  const out: CellValue[][] = new Array(rows.length);
  for (let r = 0; r < rows.length; r += 1) {
    const row = rows[r];
    const values: CellValue[] = new Array(row.length);
    for (let c = 0; c < row.length; c += 1) values[c] = cellValue(row[c]);
    out[r] = values;
  }
  types.forEach((type, column) => {
    if (type.typeId !== DuckDBTypeId.BLOB) return;
    // The JSON converter writes BLOBs as escaped text (`\xAB`); the API sends base64.
    chunk.getColumnValues(column).forEach((value, r) => {
      out[r][column] =
        value instanceof DuckDBBlobValue
          ? Buffer.from(value.bytes).toString('base64')
          : null;
    });
  });
  return out;
}
