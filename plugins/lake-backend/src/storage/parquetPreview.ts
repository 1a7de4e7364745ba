import {
  AsyncBuffer,
  FileMetaData,
  SchemaElement,
  SchemaTree,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
} from 'hyparquet';
import { LakeRowGroup } from '@akili/plugin-lake-common';
import { LakePreviewError } from './errors';
import { RawPreviewColumn } from './types';

/** Bytes read from the end of a Parquet file first: the footer of most files fits. */
export const PARQUET_FOOTER_FETCH_BYTES = 64 * 1024;
/** Ranges closer than this are read in one request. */
export const COALESCE_GAP_BYTES = 64 * 1024;
/** Most bytes of column chunks a preview reads (a first row group larger than this without a page index is refused). */
export const DEFAULT_PARQUET_PREVIEW_MAX_BYTES = 32 * 1024 * 1024;

/** A file read by ranges: `read(start, end)` returns bytes `[start, end)`. */
export interface RangeSource {
  byteLength: number;
  read(start: number, end: number): Promise<Uint8Array>;
}

interface PendingSlice {
  start: number;
  end: number;
  resolve: (buffer: ArrayBuffer) => void;
  reject: (error: unknown) => void;
}

/**
 * An `AsyncBuffer` over ranged reads that batches the slices asked for in the same tick and
 * reads ranges less than `gap` bytes apart in one request (hyparquet asks for each column's
 * offset index and pages separately); a range inside one read before is not read again.
 */
export function coalescingAsyncBuffer(
  source: RangeSource,
  gap: number = COALESCE_GAP_BYTES,
): AsyncBuffer {
  let pending: PendingSlice[] = [];
  // What was read already (the footer read of a small file holds all of it).
  const fetched: Array<{ start: number; end: number; bytes: Uint8Array }> = [];
  const copyOf = (bytes: Uint8Array, from: number, to: number): ArrayBuffer => {
    const copy = bytes.slice(from, to);
    return copy.buffer.slice(
      copy.byteOffset,
      copy.byteOffset + copy.byteLength,
    );
  };
  const flush = () => {
    const batch = pending.sort((a, b) => a.start - b.start);
    pending = [];
    let i = 0;
    while (i < batch.length) {
      const start = batch[i].start;
      let end = batch[i].end;
      let j = i + 1;
      while (j < batch.length && batch[j].start <= end + gap) {
        end = Math.max(end, batch[j].end);
        j++;
      }
      const members = batch.slice(i, j);
      source.read(start, end).then(
        bytes => {
          fetched.push({ start, end, bytes });
          for (const m of members) {
            m.resolve(copyOf(bytes, m.start - start, m.end - start));
          }
        },
        error => members.forEach(m => m.reject(error)),
      );
      i = j;
    }
  };
  return {
    byteLength: source.byteLength,
    slice(start: number, end: number = source.byteLength) {
      return new Promise<ArrayBuffer>((resolve, reject) => {
        if (start < 0 || end > source.byteLength || start > end) {
          reject(
            new LakePreviewError(
              `Not a readable Parquet file: it points at bytes ${start}-${end} of a ${source.byteLength}-byte file`,
            ),
          );
          return;
        }
        if (start === end) {
          resolve(new ArrayBuffer(0));
          return;
        }
        const cached = fetched.find(f => f.start <= start && end <= f.end);
        if (cached) {
          resolve(
            copyOf(cached.bytes, start - cached.start, end - cached.start),
          );
          return;
        }
        if (pending.length === 0) {
          queueMicrotask(flush);
        }
        pending.push({ start, end, resolve, reject });
      });
    },
  };
}

/** A value made JSON-safe: bigints as numbers when exact (else strings), dates as ISO 8601, bytes as UTF-8 text or base64. */
export function toJsonSafe(value: unknown): unknown {
  if (value === null || value === undefined) {
    return null;
  }
  if (typeof value === 'bigint') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value.toString();
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : String(value);
  }
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? null : value.toISOString();
  }
  if (value instanceof Uint8Array) {
    return bytesToText(value);
  }
  if (Array.isArray(value)) {
    return value.map(toJsonSafe);
  }
  if (ArrayBuffer.isView(value)) {
    return Array.from(
      value as unknown as ArrayLike<number | bigint>,
      toJsonSafe,
    );
  }
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        toJsonSafe(v),
      ]),
    );
  }
  return value;
}

// eslint-disable-next-line no-control-regex
const BINARY_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

function bytesToText(bytes: Uint8Array): string {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (!BINARY_CONTROL.test(text)) {
      return text;
    }
  } catch {
    // not UTF-8
  }
  return `base64:${Buffer.from(bytes).toString('base64')}`;
}

/** `INT64 (TIMESTAMP(MICROS, UTC))`, `BYTE_ARRAY (STRING)`, `DOUBLE`, `LIST`: a column's type as the footer gives it. */
export function parquetTypeName(element: SchemaElement): string {
  const logical = element.logical_type;
  let annotation: string | undefined;
  if (logical) {
    switch (logical.type) {
      case 'DECIMAL':
        annotation = `DECIMAL(${logical.precision}, ${logical.scale})`;
        break;
      case 'TIME':
      case 'TIMESTAMP':
        annotation = `${logical.type}(${logical.unit}${
          logical.isAdjustedToUTC ? ', UTC' : ''
        })`;
        break;
      case 'INTEGER':
        annotation = `INTEGER(${logical.bitWidth}, ${
          logical.isSigned ? 'signed' : 'unsigned'
        })`;
        break;
      default:
        annotation = logical.type;
    }
  } else if (element.converted_type) {
    annotation =
      element.converted_type === 'DECIMAL'
        ? `DECIMAL(${element.precision}, ${element.scale})`
        : element.converted_type;
  }
  if (!element.type) {
    return annotation ?? 'STRUCT';
  }
  const physical =
    element.type === 'FIXED_LEN_BYTE_ARRAY' && element.type_length
      ? `FIXED_LEN_BYTE_ARRAY(${element.type_length})`
      : element.type;
  return annotation ? `${physical} (${annotation})` : physical;
}

/** The first rows of a Parquet file and what its footer says. */
export interface ParquetPreview {
  columns: RawPreviewColumn[];
  rows: unknown[][];
  totalRows: number;
  rowGroups: LakeRowGroup[];
  createdBy?: string;
  truncated: boolean;
}

function isReadError(error: unknown): boolean {
  // Errors of the ranged reads are already the lake's (503, 502, 404): passed on as they are.
  const name = (error as Error)?.name;
  return (
    name === 'ServiceUnavailableError' ||
    name === 'NotFoundError' ||
    name === 'LakeCredentialsError' ||
    name === 'LakeS3Error' ||
    name === 'LakePreviewError'
  );
}

/**
 * Reads the footer of a Parquet file (its last bytes), then only the column chunks of the first
 * row group(s) that hold the first `rows` rows (only their first pages when the file has an
 * offset index), never the whole file.
 */
export async function previewParquet(
  source: RangeSource,
  options: { rows: number; maxBytes?: number },
): Promise<ParquetPreview> {
  const maxBytes = options.maxBytes ?? DEFAULT_PARQUET_PREVIEW_MAX_BYTES;
  if (source.byteLength < 12) {
    throw new LakePreviewError(
      `Not a Parquet file: it is ${source.byteLength} bytes long`,
    );
  }
  const file = coalescingAsyncBuffer(source);
  let metadata: FileMetaData;
  let schema: SchemaTree;
  try {
    metadata = await parquetMetadataAsync(file, {
      initialFetchSize: Math.min(PARQUET_FOOTER_FETCH_BYTES, source.byteLength),
    });
    schema = parquetSchema(metadata);
  } catch (error) {
    if (isReadError(error)) {
      throw error;
    }
    throw new LakePreviewError(
      `Not a readable Parquet file: ${(error as Error)?.message ?? error}`,
    );
  }
  const totalRows = Number(metadata.num_rows);
  const rowGroups: LakeRowGroup[] = metadata.row_groups.map((g, index) => ({
    index,
    rows: Number(g.num_rows),
    bytes: g.columns.reduce(
      (sum, c) => sum + Number(c.meta_data?.total_compressed_size ?? 0),
      0,
    ),
  }));
  const columns = schema.children.map(child => ({
    name: child.element.name,
    type: parquetTypeName(child.element),
  }));
  const rowEnd = Math.min(options.rows, totalRows);

  // What the rows would cost: whole column chunks, unless an offset index lets the reader take
  // only the first pages of a row group larger than the rows asked for.
  let planned = 0;
  let start = 0;
  for (const group of metadata.row_groups) {
    if (start >= rowEnd) {
      break;
    }
    const groupRows = Number(group.num_rows);
    const narrowed = rowEnd - start < groupRows;
    for (const chunk of group.columns) {
      const indexed =
        narrowed && chunk.offset_index_offset && chunk.offset_index_length;
      planned += indexed
        ? 0
        : Number(chunk.meta_data?.total_compressed_size ?? 0);
    }
    start += groupRows;
  }
  if (planned > maxBytes) {
    throw new LakePreviewError(
      `The file's first rows are in a row group of ${Math.round(
        planned / 1024 / 1024,
      )} MB without a page index, more than the ${Math.round(
        maxBytes / 1024 / 1024,
      )} MB a preview reads`,
    );
  }

  // A DATE is a day: shown as `2026-06-01`, not as midnight UTC of it.
  const dateOnly = columns.map(column => column.type.endsWith('(DATE)'));
  let rows: unknown[][] = [];
  if (rowEnd > 0) {
    try {
      await parquetRead({
        file,
        metadata,
        rowStart: 0,
        rowEnd,
        rowFormat: 'array',
        useOffsetIndex: true,
        onComplete: (data: unknown[]) => {
          rows = (data as unknown[][]).map(row =>
            row.map((value, i) =>
              dateOnly[i] && value instanceof Date
                ? toJsonSafe(value)?.toString().slice(0, 10)
                : toJsonSafe(value),
            ),
          );
        },
      });
    } catch (error) {
      if (isReadError(error)) {
        throw error;
      }
      throw new LakePreviewError(
        `Not a readable Parquet file: ${(error as Error)?.message ?? error}`,
      );
    }
  }
  return {
    columns,
    rows: rows.slice(0, rowEnd),
    totalRows,
    rowGroups,
    createdBy: metadata.created_by,
    truncated: totalRows > rows.length,
  };
}
