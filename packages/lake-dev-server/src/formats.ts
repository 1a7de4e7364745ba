import { parquetWriteBuffer } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet-writer';
import { DataProductColumn } from '@akili/plugin-akili-common';
import { SeedValue, decimalScale } from './values';

/** A column as the seed writes it: object columns carry their fields. */
export interface SeedColumn {
  column: DataProductColumn;
  fields?: DataProductColumn[];
}

type Row = Record<string, SeedValue>;

/** `DECIMAL(p,s)` → p, else undefined. */
function decimalPrecision(physicalType?: string): number | undefined {
  const match = /DECIMAL\s*\(\s*(\d+)\s*,/i.exec(physicalType ?? '');
  return match ? Number(match[1]) : undefined;
}

function leafElement(column: DataProductColumn): SchemaElement {
  const repetition_type =
    column.required || column.primaryKey ? 'REQUIRED' : 'OPTIONAL';
  const name = column.name;
  switch (column.type) {
    case 'integer':
      return /BIGINT|INT64|LONG/i.test(column.physicalType ?? '')
        ? { name, repetition_type, type: 'INT64' }
        : { name, repetition_type, type: 'INT32' };
    case 'number':
      return { name, repetition_type, type: 'DOUBLE' };
    case 'decimal': {
      const precision = decimalPrecision(column.physicalType);
      const scale = decimalScale(column.physicalType);
      if (precision === undefined || scale === undefined || precision > 18) {
        return { name, repetition_type, type: 'DOUBLE' };
      }
      return {
        name,
        repetition_type,
        type: precision <= 9 ? 'INT32' : 'INT64',
        converted_type: 'DECIMAL',
        precision,
        scale,
      };
    }
    case 'boolean':
      return { name, repetition_type, type: 'BOOLEAN' };
    case 'date':
      return { name, repetition_type, type: 'INT32', converted_type: 'DATE' };
    case 'timestamp':
      return {
        name,
        repetition_type,
        type: 'INT64',
        converted_type: 'TIMESTAMP_MILLIS',
      };
    case 'array':
    case 'object':
      return {
        name,
        repetition_type,
        type: 'BYTE_ARRAY',
        converted_type: 'JSON',
      };
    default:
      return {
        name,
        repetition_type,
        type: 'BYTE_ARRAY',
        converted_type: 'UTF8',
      };
  }
}

/** The Parquet schema of the columns: object columns with fields become groups. */
export function parquetSchema(columns: SeedColumn[]): SchemaElement[] {
  const schema: SchemaElement[] = [
    { name: 'root', num_children: columns.length },
  ];
  for (const { column, fields } of columns) {
    if (column.type === 'object' && fields && fields.length > 0) {
      schema.push({
        name: column.name,
        repetition_type: column.required ? 'REQUIRED' : 'OPTIONAL',
        num_children: fields.length,
      });
      schema.push(...fields.map(leafElement));
    } else {
      schema.push(leafElement(column));
    }
  }
  return schema;
}

/** A Parquet file of the rows, `rowGroupSize` rows per row group (snappy, with statistics). */
export function toParquet(
  columns: SeedColumn[],
  rows: Row[],
  rowGroupSize: number,
): Uint8Array {
  const columnData = columns.map(({ column }) => ({
    name: column.name,
    data: rows.map(row => row[column.name]),
  }));
  const buffer = parquetWriteBuffer({
    columnData,
    schema: parquetSchema(columns),
    rowGroupSize,
    createdBy: 'akili lake-dev-server',
  });
  return new Uint8Array(buffer);
}

/** Text of a value in CSV and JSON: dates as `YYYY-MM-DD`, timestamps as ISO 8601 in UTC. */
function plain(value: SeedValue, column?: DataProductColumn): unknown {
  if (value instanceof Date) {
    return column?.type === 'date'
      ? value.toISOString().slice(0, 10)
      : value.toISOString().replace('.000Z', 'Z');
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, plain(v)]),
    );
  }
  return value;
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text =
    typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV with a header line, CRLF line ends; null is an empty cell. */
export function toCsv(columns: SeedColumn[], rows: Row[]): Uint8Array {
  const lines = [columns.map(({ column }) => csvCell(column.name)).join(',')];
  for (const row of rows) {
    lines.push(
      columns
        .map(({ column }) => csvCell(plain(row[column.name], column)))
        .join(','),
    );
  }
  return new TextEncoder().encode(`${lines.join('\r\n')}\r\n`);
}

/** JSON lines: one object per row, keys in schema order. */
export function toJsonLines(columns: SeedColumn[], rows: Row[]): Uint8Array {
  const lines = rows.map(row =>
    JSON.stringify(
      Object.fromEntries(
        columns.map(({ column }) => [
          column.name,
          plain(row[column.name], column),
        ]),
      ),
    ),
  );
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}
