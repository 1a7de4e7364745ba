import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DataProductColumn } from '@akili/plugin-akili-common';
import { ExampleFilesPort, readExampleFilesPorts } from './examplePorts';
import { SeedColumn, toCsv, toJsonLines, toParquet } from './formats';
import {
  RowContext,
  SeedValue,
  columnGenerator,
  hash32,
  randomStream,
} from './values';

/** The last day the seed has data for: fixed, so every start writes the same bytes. */
export const SEED_LATEST_DAY = '2026-11-30';
/** Rows of a Parquet part file, and of a row group in it. */
export const PARQUET_ROWS = 300;
export const PARQUET_ROW_GROUP_ROWS = 100;
/** Rows of a CSV or JSON lines part file. */
export const TEXT_ROWS = 200;
/** Rows of the CSV and JSON lines samples next to a Parquet dataset. */
export const SAMPLE_ROWS = 50;

/** A file the seed writes. */
export interface SeedFile {
  tenant: string;
  product: string;
  port: string;
  bucket: string;
  /** The port's prefix; `key` starts with it. */
  prefix: string;
  key: string;
  contentType: string;
  rows: number;
  body: Uint8Array;
}

const CONTENT_TYPES = {
  parquet: 'application/vnd.apache.parquet',
  csv: 'text/csv',
  jsonl: 'application/x-ndjson',
} as const;

type Format = keyof typeof CONTENT_TYPES;

/**
 * The column a port is partitioned by, hive-style (`<column>=<YYYY-MM-DD>/`): its first date
 * column that is part of the key or says it is the partition.
 */
export function partitionColumn(
  schema: DataProductColumn[],
): DataProductColumn | undefined {
  return schema.find(
    c =>
      c.type === 'date' &&
      (c.primaryKey || /partition/i.test(c.description ?? '')),
  );
}

/** Partition dates, oldest first: six months for a `*month*` column, else five days. */
function partitionDates(column: DataProductColumn | undefined): Date[] {
  const latest = new Date(`${SEED_LATEST_DAY}T00:00:00Z`);
  if (!column) return [latest];
  if (/month/i.test(column.name)) {
    return [5, 4, 3, 2, 1, 0].map(
      back =>
        new Date(
          Date.UTC(latest.getUTCFullYear(), latest.getUTCMonth() - back, 1),
        ),
    );
  }
  return [4, 3, 2, 1, 0].map(
    back => new Date(latest.getTime() - back * 86_400_000),
  );
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The port's columns as written: an object column named like another port gets its columns. */
function seedColumns(port: ExampleFilesPort): SeedColumn[] {
  const own = new Set(port.schema.map(c => c.name));
  return port.schema.map(column => ({
    column,
    fields:
      column.type === 'object'
        ? (port.otherPorts[column.name] ?? []).filter(f => !own.has(f.name))
        : undefined,
  }));
}

/** Builds rows `from` to `from + count` of a file; values come from per-column streams of the file's key. */
function buildRows(
  port: ExampleFilesPort,
  columns: SeedColumn[],
  partition: {
    column?: DataProductColumn;
    date: Date;
    index: number;
    count: number;
  },
  file: { key: string; from: number; count: number; serialFrom: number },
): Record<string, SeedValue>[] {
  const partitionIsKey = !!partition.column?.primaryKey;
  const generators = columns.map(({ column, fields }) => ({
    name: column.name,
    random: randomStream(hash32(`${port.bucket}/${file.key}#${column.name}`)),
    generate: columnGenerator(column, {
      unique: !!column.unique || (!!column.primaryKey && !partitionIsKey),
      isPartition: column === partition.column,
      fields,
    }),
  }));
  const rows: Record<string, SeedValue>[] = [];
  for (let i = 0; i < file.count; i++) {
    const ctx: RowContext = {
      row: file.from + i,
      serial: file.serialFrom + i,
      partition: partition.date,
      partitionIndex: partition.index,
      partitions: partition.count,
    };
    rows.push(
      Object.fromEntries(
        generators.map(g => [g.name, g.generate(ctx, g.random)]),
      ),
    );
  }
  return rows;
}

function encode(
  format: Format,
  columns: SeedColumn[],
  rows: Record<string, SeedValue>[],
): Uint8Array {
  if (format === 'parquet')
    return toParquet(columns, rows, PARQUET_ROW_GROUP_ROWS);
  if (format === 'csv') return toCsv(columns, rows);
  return toJsonLines(columns, rows);
}

/**
 * The files of one port, deterministic: per partition a `part-0000` file (the latest partition
 * also a `part-0001`), in the port's format; next to a Parquet dataset, the first rows of the
 * latest partition as CSV and JSON lines under `samples/`.
 */
export function planPortFiles(port: ExampleFilesPort): SeedFile[] {
  const columns = seedColumns(port);
  const column = partitionColumn(port.schema);
  const dates = partitionDates(column);
  const rowsPerFile = port.format === 'parquet' ? PARQUET_ROWS : TEXT_ROWS;
  const files: SeedFile[] = [];
  const push = (
    format: Format,
    key: string,
    rows: Record<string, SeedValue>[],
  ) =>
    files.push({
      tenant: port.tenant,
      product: port.product,
      port: port.port,
      bucket: port.bucket,
      prefix: port.prefix,
      key,
      contentType: CONTENT_TYPES[format],
      rows: rows.length,
      body: encode(format, columns, rows),
    });
  let serial = 0;
  let latestRows: Record<string, SeedValue>[] = [];
  dates.forEach((date, index) => {
    const folder = column
      ? `${port.prefix}${column.name}=${day(date)}/`
      : port.prefix;
    const latest = index === dates.length - 1;
    const parts = latest
      ? [rowsPerFile, Math.floor(rowsPerFile / 2)]
      : [rowsPerFile];
    let from = 0;
    parts.forEach((count, part) => {
      const key = `${folder}part-${String(part).padStart(4, '0')}.${
        port.format
      }`;
      const rows = buildRows(
        port,
        columns,
        { column, date, index, count: dates.length },
        { key, from, count, serialFrom: serial },
      );
      from += count;
      serial += count;
      if (latest && part === 0) latestRows = rows;
      push(port.format, key, rows);
    });
  });
  if (port.format === 'parquet') {
    // The first rows of the latest partition, for the CSV and JSON lines previews.
    const name = column
      ? `${column.name}=${day(dates[dates.length - 1])}`
      : 'latest';
    const sample = latestRows.slice(0, SAMPLE_ROWS);
    push('csv', `${port.prefix}samples/${name}.csv`, sample);
    push('jsonl', `${port.prefix}samples/${name}.jsonl`, sample);
  }
  return files;
}

/** The files of every `files` port of the example products. */
export function planExampleFiles(
  ports: ExampleFilesPort[] = readExampleFilesPorts(),
): SeedFile[] {
  return ports.flatMap(planPortFiles);
}

/** What a seed wrote, per port. */
export interface SeedSummary {
  ports: Array<{
    tenant: string;
    product: string;
    port: string;
    location: string;
    files: number;
    rows: number;
    bytes: number;
  }>;
  files: number;
  bytes: number;
}

/** Sums a plan up per port. */
export function summarize(files: SeedFile[]): SeedSummary {
  const ports = new Map<string, SeedSummary['ports'][number]>();
  for (const file of files) {
    const id = `${file.tenant}/${file.product}/${file.port}`;
    const entry = ports.get(id) ?? {
      tenant: file.tenant,
      product: file.product,
      port: file.port,
      location: `s3://${file.bucket}/${file.prefix}`,
      files: 0,
      rows: 0,
      bytes: 0,
    };
    entry.files += 1;
    entry.rows += file.rows;
    entry.bytes += file.body.byteLength;
    ports.set(id, entry);
  }
  return {
    ports: [...ports.values()],
    files: files.length,
    bytes: files.reduce((sum, f) => sum + f.body.byteLength, 0),
  };
}

/** Creates the buckets (when missing) and writes the files through the S3 API. */
export async function writeSeedFiles(
  client: S3Client,
  files: SeedFile[],
): Promise<void> {
  for (const bucket of [...new Set(files.map(f => f.bucket))].sort()) {
    try {
      await client.send(new HeadBucketCommand({ Bucket: bucket }));
    } catch {
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
    }
  }
  for (const file of files) {
    await client.send(
      new PutObjectCommand({
        Bucket: file.bucket,
        Key: file.key,
        Body: file.body,
        ContentType: file.contentType,
      }),
    );
  }
}
