import { Writable } from 'node:stream';
import { MaskedColumn } from '@akili/plugin-starrocks-common';
import { CellValue, ColumnInfo, QuerySummary, ResultSink } from './types';

/** The answer formats of the query API. */
export type ResultFormat = 'json' | 'ndjson' | 'csv';

/** Media type of each format. */
export const RESULT_MEDIA_TYPES: Record<ResultFormat, string> = {
  json: 'application/json; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
};

/**
 * The format an `Accept` header asks for: `application/x-ndjson` (or `application/ndjson`)
 * streams NDJSON, `text/csv` streams CSV, anything else is JSON. The first supported type in
 * the header wins (q-values are not weighed).
 */
export function formatFromAccept(accept: string | undefined): ResultFormat {
  for (const part of (accept ?? '').split(',')) {
    const type = part.split(';')[0].trim().toLowerCase();
    if (type === 'application/x-ndjson' || type === 'application/ndjson') {
      return 'ndjson';
    }
    if (type === 'text/csv') return 'csv';
    if (type === 'application/json') return 'json';
  }
  return 'json';
}

/** The output (the client's connection) closed before the result was complete. */
export class OutputClosedError extends Error {
  name = 'OutputClosedError';
}

function endWritable(out: Writable, chunk?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.destroyed) {
      reject(
        new OutputClosedError(
          'The output was closed before the result was complete',
        ),
      );
      return;
    }
    const onError = (error: Error) => reject(error);
    out.once('error', onError);
    out.end(chunk ?? '', () => {
      out.off('error', onError);
      resolve();
    });
  });
}

/** Characters of rows collected before they are written to the output in one piece. */
export const SINK_BATCH_CHARS = 64 * 1024;

/**
 * Bytes the output may hold before the sink asks the runner to pause the server's stream. An
 * HTTP response's own mark (16 KiB) would pause the server after every batch; each pause and
 * resume of the connection costs a round trip to the server. Memory stays bounded by this.
 */
export const SINK_BUFFER_BYTES = 1024 * 1024;

/** What a sink reports besides the rows. */
export interface ResultSinkOptions {
  /** Columns masked for the caller in the tables the statement read (default none). */
  masked?: MaskedColumn[];
  /** The query's audit entry, reported as `queryId` after the rows. */
  queryId?: string;
  /** CSV for spreadsheets: see {@link spreadsheetSafeField}. */
  spreadsheetSafe?: boolean;
}

/** A sink that writes to a Node Writable and waits for its 'drain'. */
abstract class WritableSink implements ResultSink {
  protected readonly out: Writable;
  protected readonly masked: MaskedColumn[];
  protected readonly queryId: string | undefined;
  /** Bytes written to the output. */
  bytesWritten = 0;

  constructor(out: Writable, options: ResultSinkOptions = {}) {
    this.out = out;
    this.masked = options.masked ?? [];
    this.queryId = options.queryId;
  }

  /** The fields after the rows: JSON's and NDJSON's last line (`QueryResult` of the API). */
  protected summaryFields(summary: QuerySummary) {
    return {
      rowCount: summary.rowCount,
      truncated: summary.truncated,
      bytes: summary.bytes,
      durationMs: summary.durationMs,
      masked: this.masked,
      ...(this.queryId !== undefined ? { queryId: this.queryId } : {}),
    };
  }

  /** Text not yet handed to the output (see {@link WritableSink.write}). */
  #pending = '';
  /** Bytes of what came before the rows (the columns line). */
  #headerBytes = 0;
  #flushScheduled = false;

  /**
   * Queues `chunk` for the output. Rows are small and a write to an HTTP response costs far more
   * than the row, so they are handed over in batches: at {@link SINK_BATCH_CHARS}, and in any
   * case once the current burst of rows from the server has been handled (`setImmediate`), so a
   * slow query's rows still go out at once. Answers false when the output holds more than
   * {@link SINK_BUFFER_BYTES}; 'drain' follows once it has written everything.
   */
  protected write(chunk: string): boolean {
    if (this.out.destroyed || this.out.writableEnded) {
      // The client went away: the runner stops (and kills) the query on this error.
      throw new OutputClosedError(
        'The output was closed before the result was complete',
      );
    }
    this.#pending += chunk;
    if (this.#pending.length >= SINK_BATCH_CHARS) {
      return this.#flush();
    }
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => {
        this.#flushScheduled = false;
        if (!this.out.destroyed && !this.out.writableEnded) this.#flush();
      });
    }
    return this.#hasRoom();
  }

  #hasRoom(): boolean {
    return this.out.writableLength < SINK_BUFFER_BYTES;
  }

  #flush(): boolean {
    const chunk = this.#pending;
    this.#pending = '';
    if (chunk.length > 0) {
      this.bytesWritten += Buffer.byteLength(chunk, 'utf8');
      this.out.write(chunk);
    }
    return this.#hasRoom();
  }

  /** Queues what comes before the rows; it does not count as the rows' bytes. */
  protected writeHeader(chunk: string): void {
    this.#headerBytes += Buffer.byteLength(chunk, 'utf8');
    this.write(chunk);
  }

  /**
   * UTF-8 bytes of the rows written so far in this format: counted per batch rather than per
   * value, which would cost more than the rest of the row.
   */
  protected rowBytes(): number {
    return (
      this.bytesWritten +
      Buffer.byteLength(this.#pending, 'utf8') -
      this.#headerBytes
    );
  }

  /** Ends the output with what is queued and then `last`. */
  protected finish(last = ''): Promise<void> {
    const chunk = this.#pending + last;
    this.#pending = '';
    this.bytesWritten += Buffer.byteLength(chunk, 'utf8');
    return endWritable(this.out, chunk);
  }

  abstract columns(columns: ColumnInfo[]): void;
  abstract row(values: CellValue[]): boolean;
  abstract end(summary: QuerySummary): Promise<void>;

  onDrain(callback: () => void): void {
    // A closed output never drains; resuming lets the next row see that it is closed.
    const done = () => {
      this.out.off('drain', done);
      this.out.off('close', done);
      callback();
    };
    this.out.once('drain', done);
    this.out.once('close', done);
  }
}

/**
 * JSON (`QueryResult`): `{"columns":[{"name","type"}...],"rows":[[...]...],"rowCount":n,
 * "truncated":b,"bytes":n,"durationMs":n,"masked":[...]}`, written
 * in one piece at the end. Rows are buffered (at most the row cap), so a query that fails midway
 * can still be answered with an error status instead of half a document.
 */
export class JsonSink extends WritableSink {
  #columns: ColumnInfo[] = [];
  #rows: CellValue[][] = [];

  columns(columns: ColumnInfo[]): void {
    this.#columns = columns;
  }

  row(values: CellValue[]): boolean {
    this.#rows.push(values);
    return true;
  }

  end(summary: QuerySummary): Promise<void> {
    const rows = JSON.stringify(this.#rows);
    this.#rows = [];
    summary.bytes = Buffer.byteLength(rows, 'utf8');
    const fields = JSON.stringify(this.summaryFields(summary));
    return this.finish(
      `{"columns":${JSON.stringify(
        this.#columns,
      )},"rows":${rows},${fields.slice(1)}`,
    );
  }
}

/**
 * NDJSON: the first line is `{"columns":[...]}`, then one JSON array per row, then a last line
 * `{"rowCount":n,"truncated":b,"bytes":n,"durationMs":n,"masked":[...]}` (an object, so it
 * cannot be mistaken for a row).
 */
export class NdjsonSink extends WritableSink {
  columns(columns: ColumnInfo[]): void {
    this.writeHeader(`${JSON.stringify({ columns })}\n`);
  }

  row(values: CellValue[]): boolean {
    return this.write(`${JSON.stringify(values)}\n`);
  }

  end(summary: QuerySummary): Promise<void> {
    summary.bytes = this.rowBytes();
    const line = `${JSON.stringify(this.summaryFields(summary))}\n`;
    return this.finish(line);
  }
}

/** One CSV field after RFC 4180: quoted when it holds `"`, `,`, CR or LF; NULL is empty. */
export function csvField(value: CellValue): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/u.test(text) ? `"${text.replace(/"/gu, '""')}"` : text;
}

/** Text a spreadsheet would read as a formula: `=`, `+`, `-`, `@`, tab or CR first. */
const FORMULA_START = /^[=+\-@\t\r]/u;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/u;

/**
 * A CSV field for a file people open in a spreadsheet: text that would start a formula (a
 * value such as `=HYPERLINK(...)` in a product's data runs when the file is opened) gets a
 * leading `'`, which spreadsheets show as text. Numbers, negative ones included, stay numbers.
 */
export function spreadsheetSafeField(value: CellValue): string {
  if (
    typeof value === 'string' &&
    FORMULA_START.test(value) &&
    !PLAIN_NUMBER.test(value)
  ) {
    return csvField(`'${value}`);
  }
  return csvField(value);
}

/**
 * CSV after RFC 4180: a header row of column names, CRLF line ends, fields quoted when needed.
 * A cut result cannot be marked in the body; the caller learns it from the summary.
 */
export class CsvSink extends WritableSink {
  readonly #field: (value: CellValue) => string;

  constructor(out: Writable, options: ResultSinkOptions = {}) {
    super(out, options);
    this.#field = options.spreadsheetSafe ? spreadsheetSafeField : csvField;
  }

  columns(columns: ColumnInfo[]): void {
    this.writeHeader(`${columns.map(c => this.#field(c.name)).join(',')}\r\n`);
  }

  row(values: CellValue[]): boolean {
    return this.write(`${values.map(this.#field).join(',')}\r\n`);
  }

  end(summary: QuerySummary): Promise<void> {
    summary.bytes = this.rowBytes();
    return this.finish();
  }
}

/** The sink of a format, writing to `out` (an Express response later). */
export function createResultSink(
  format: ResultFormat,
  out: Writable,
  options?: ResultSinkOptions,
): WritableSink {
  switch (format) {
    case 'ndjson':
      return new NdjsonSink(out, options);
    case 'csv':
      return new CsvSink(out, options);
    default:
      return new JsonSink(out, options);
  }
}

/** A result kept in memory by {@link createMemorySink}. */
export interface MemoryResult {
  columns: ColumnInfo[];
  rows: CellValue[][];
  /** Set when the result is complete. */
  summary?: QuerySummary;
}

/**
 * A sink that keeps the result in memory, for answers that are one value (the actions for AI
 * assistants; the engine caps the rows): `bytes` is the size of the rows as JSON.
 */
export function createMemorySink(): ResultSink & { result: MemoryResult } {
  const result: MemoryResult = { columns: [], rows: [] };
  return {
    result,
    columns(columns: ColumnInfo[]) {
      result.columns = columns;
    },
    row(values: CellValue[]) {
      // A copy: the engine owns the array it hands over.
      result.rows.push([...values]);
      return true;
    },
    onDrain(callback: () => void) {
      callback();
    },
    async end(summary: QuerySummary) {
      summary.bytes = Buffer.byteLength(JSON.stringify(result.rows), 'utf8');
      result.summary = summary;
    },
  };
}
