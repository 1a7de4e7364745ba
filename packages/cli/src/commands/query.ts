import fs from 'node:fs/promises';
import path from 'node:path';
import {
  MaskedColumn,
  QueryCellValue,
  QueryResult,
  QueryResultColumn,
} from '@akili/plugin-starrocks-common';
import { NotSignedInError, ResolvedLogin, resolveLogin } from '../lib/config';
import { CliIo, ExitCode, UsageError } from '../lib/io';
import {
  PortalUnavailableError,
  describeFailure,
  exitCodeForStatus,
  openPortal,
  timeoutFromEnv,
  unavailableError,
} from '../lib/portal';
import { columnWidths, tableLine } from '../lib/table';
import { requireTenant } from '../lib/names';

/** The output formats of `akili query`. */
export type QueryFormat = 'table' | 'csv' | 'json' | 'ndjson';

/** The formats `--format` takes. */
export const QUERY_FORMATS: readonly QueryFormat[] = [
  'table',
  'csv',
  'json',
  'ndjson',
];

/**
 * Rows a table waits for before it fixes its column widths and starts printing: enough to size
 * the columns well, few enough that a large result starts to show at once.
 */
export const TABLE_SAMPLE_ROWS = 200;

/** The response header naming the masked columns of a CSV answer (the query API's). */
const MASKED_COLUMNS_HEADER = 'akili-masked-columns';

/** The statement's text is larger than the query API takes in any case. */
const MAX_SQL_BYTES = 1024 * 1024;

const ACCEPT: Record<QueryFormat, string> = {
  table: 'application/x-ndjson',
  ndjson: 'application/x-ndjson',
  csv: 'text/csv',
  json: 'application/json',
};

/** A cell as a table shows it: SQL NULL as `NULL`. */
export function cellText(value: QueryCellValue): string {
  return value === null ? 'NULL' : String(value);
}

async function readStdin(stream: NonNullable<CliIo['stdin']>): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (text.length > MAX_SQL_BYTES) {
      throw new UsageError(
        `The statement on standard input is larger than ${MAX_SQL_BYTES} bytes`,
      );
    }
  }
  return text;
}

/** The statement from `--sql`, `--file` or standard input (one of them). */
async function readStatement(
  options: { sql?: string; file?: string },
  io: CliIo,
): Promise<string> {
  if (options.sql !== undefined && options.file !== undefined) {
    throw new UsageError('Give the statement with --sql or --file, not both');
  }
  let sql: string;
  if (options.sql !== undefined) {
    sql = options.sql;
  } else if (options.file !== undefined) {
    try {
      sql = await fs.readFile(path.resolve(io.cwd, options.file), 'utf8');
    } catch (error) {
      throw new UsageError(
        `${options.file}: cannot read: ${(error as Error).message}`,
      );
    }
  } else if (io.stdin && !io.stdin.isTTY) {
    sql = await readStdin(io.stdin);
  } else {
    throw new UsageError(
      'Give the statement with --sql <text>, --file <file>, or on standard input',
    );
  }
  if (!sql.trim()) {
    throw new UsageError('The statement is empty');
  }
  return sql;
}

/** Notes for standard error: how many rows, cut or not, which columns are masked. */
function describeResult(
  summary: Partial<QueryResult> | undefined,
  masked: MaskedColumn[] | undefined,
): string[] {
  const lines: string[] = [];
  if (summary && typeof summary.rowCount === 'number') {
    lines.push(
      `${summary.rowCount} row${summary.rowCount === 1 ? '' : 's'}${
        typeof summary.durationMs === 'number'
          ? ` in ${summary.durationMs} ms`
          : ''
      }${summary.queryId ? ` (query ${summary.queryId})` : ''}`,
    );
  }
  if (summary?.truncated) {
    lines.push(
      `Truncated: the result had more rows than the row limit (--limit, capped by the tenant's quota)`,
    );
  }
  if (masked && masked.length > 0) {
    lines.push(
      `Masked (NULL for you): ${masked
        .map(m => `${m.table}.${m.column} (${m.classification})`)
        .join(', ')}`,
    );
  }
  return lines;
}

/** Splits a byte stream into text lines as they arrive. */
class LineSplitter {
  #decoder = new TextDecoder();
  #rest = '';

  push(chunk: Uint8Array): string[] {
    this.#rest += this.#decoder.decode(chunk, { stream: true });
    const lines = this.#rest.split('\n');
    this.#rest = lines.pop() ?? '';
    return lines.filter(line => line.trim() !== '');
  }

  end(): string[] {
    const last = this.#rest + this.#decoder.decode();
    this.#rest = '';
    return last.trim() ? [last] : [];
  }
}

/**
 * Prints NDJSON rows as a table: the first {@link TABLE_SAMPLE_ROWS} rows size the columns
 * (each bounded), then rows print as they arrive.
 */
class TablePrinter {
  #columns: QueryResultColumn[] | undefined;
  #sample: string[][] = [];
  #widths: number[] | undefined;
  summary: Partial<QueryResult> | undefined;

  constructor(private readonly out: (text: string) => void) {}

  line(text: string) {
    const value = JSON.parse(text) as unknown;
    if (Array.isArray(value)) {
      const cells = (value as QueryCellValue[]).map(cellText);
      if (this.#widths) {
        this.out(`${tableLine(cells, this.#widths)}\n`);
      } else {
        this.#sample.push(cells);
        if (this.#sample.length >= TABLE_SAMPLE_ROWS) this.#flush();
      }
    } else if (
      value &&
      typeof value === 'object' &&
      'columns' in value &&
      !this.#columns
    ) {
      this.#columns = (value as { columns: QueryResultColumn[] }).columns;
    } else {
      this.summary = value as Partial<QueryResult>;
    }
  }

  #flush() {
    const header = (this.#columns ?? []).map(c => c.name);
    this.#widths = columnWidths(header, this.#sample);
    this.out(
      `${[header, ...this.#sample]
        .map(row => tableLine(row, this.#widths!))
        .join('\n')}\n`,
    );
    this.#sample = [];
  }

  end() {
    if (!this.#widths && this.#columns) this.#flush();
  }
}

/** Reads a response's body chunk by chunk; `onChunk` sees each as it arrives. */
async function readBody(
  response: Response,
  onChunk: (chunk: Uint8Array) => void,
): Promise<void> {
  if (!response.body) return;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    onChunk(value);
  }
}

/**
 * `akili query --tenant <t>`: runs one read-only statement through the query API
 * (`POST /api/starrocks/v1/tenants/:tenant/query`) and prints the rows as they arrive: a table
 * (from NDJSON), CSV, NDJSON as it comes, or the JSON answer. Ctrl-C aborts the request, and the
 * portal kills the query on the server when its client goes away.
 */
export async function runQuery(
  options: {
    tenant?: string;
    sql?: string;
    file?: string;
    limit?: number;
    format?: string;
  },
  io: CliIo,
): Promise<ExitCode> {
  const tenant = requireTenant(options.tenant, 'to query');
  const format = (options.format ??
    (io.stdoutIsTty ? 'table' : 'csv')) as QueryFormat;
  if (!QUERY_FORMATS.includes(format)) {
    throw new UsageError(
      `--format must be one of ${QUERY_FORMATS.join(', ')}, not "${
        options.format
      }"`,
    );
  }
  const { limit } = options;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new UsageError(
      `--limit must be a whole number above 0, not ${limit}`,
    );
  }
  const timeoutMs = timeoutFromEnv(io.env);
  const sql = await readStatement(options, io);

  let login: ResolvedLogin;
  try {
    login = await resolveLogin(io.env);
  } catch (error) {
    if (error instanceof NotSignedInError) {
      io.err(`${error.message}\n`);
      return ExitCode.Auth;
    }
    throw error;
  }

  // One signal for Ctrl-C and for a portal silent for longer than the time limit (no headers,
  // or no bytes for that long while the rows stream).
  const controller = new AbortController();
  let reason: 'interrupted' | 'timeout' | undefined;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      reason = 'timeout';
      controller.abort();
    }, timeoutMs);
  };
  const release = io.onInterrupt?.(() => {
    reason = 'interrupted';
    controller.abort();
  });
  arm();
  try {
    const response = await openPortal(
      login,
      {
        method: 'POST',
        plugin: 'starrocks',
        path: `/v1/tenants/${encodeURIComponent(tenant)}/query`,
        body: JSON.stringify(limit === undefined ? { sql } : { sql, limit }),
        contentType: 'application/json',
        accept: ACCEPT[format],
      },
      controller.signal,
    );

    if (!response.ok) {
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Keep the text: the message shows what came back.
      }
      io.err(`${describeFailure({ status: response.status, body }, login)}\n`);
      return exitCodeForStatus(response.status);
    }

    let summary: Partial<QueryResult> | undefined;
    let masked: MaskedColumn[] | undefined;
    if (format === 'table') {
      const splitter = new LineSplitter();
      const table = new TablePrinter(text => io.out(text));
      await readBody(response, chunk => {
        arm();
        splitter.push(chunk).forEach(line => table.line(line));
      });
      splitter.end().forEach(line => table.line(line));
      table.end();
      summary = table.summary;
      masked = summary?.masked;
    } else if (format === 'ndjson') {
      // Passed through as it comes; the last line (an object) is the summary.
      const splitter = new LineSplitter();
      const decoder = new TextDecoder();
      let last: string | undefined;
      await readBody(response, chunk => {
        arm();
        io.out(decoder.decode(chunk, { stream: true }));
        last = splitter.push(chunk).pop() ?? last;
      });
      io.out(decoder.decode());
      last = splitter.end().pop() ?? last;
      summary = last?.startsWith('{') ? JSON.parse(last) : undefined;
      masked = summary?.masked;
    } else if (format === 'csv') {
      const decoder = new TextDecoder();
      await readBody(response, chunk => {
        arm();
        io.out(decoder.decode(chunk, { stream: true }));
      });
      io.out(decoder.decode());
      const header = response.headers.get(MASKED_COLUMNS_HEADER);
      masked = header ? (JSON.parse(header) as MaskedColumn[]) : undefined;
    } else {
      const text = await response.text();
      io.out(text.endsWith('\n') ? text : `${text}\n`);
      summary = JSON.parse(text) as QueryResult;
      masked = summary.masked;
    }
    const notes = describeResult(summary, masked);
    if (notes.length > 0) io.err(`${notes.join('\n')}\n`);
    if ((format === 'table' || format === 'ndjson') && !summary) {
      // NDJSON ends with the summary; without it the rows may be only the first part.
      io.err(
        `The result from ${login.url} ended without its summary line: it may be incomplete\n`,
      );
      return ExitCode.Unavailable;
    }
    return ExitCode.Ok;
  } catch (error) {
    if (reason === 'interrupted') {
      io.err(
        'Interrupted: the request was aborted and the portal stops the query\n',
      );
      return ExitCode.Interrupted;
    }
    if (reason === 'timeout') {
      io.err(`${unavailableError(error, login, { timeoutMs }).message}\n`);
      return ExitCode.Unavailable;
    }
    if (error instanceof PortalUnavailableError) {
      io.err(`${error.message}\n`);
      return ExitCode.Unavailable;
    }
    if (error instanceof SyntaxError) {
      io.err(
        `The portal at ${login.url} answered something that is not a query result: ${error.message}\n`,
      );
      return ExitCode.Unavailable;
    }
    // The connection broke while the rows streamed (the query failed on the server).
    io.err(
      `The result from ${login.url} stopped before it was complete: ${
        (error as Error).message
      }\n`,
    );
    return ExitCode.Unavailable;
  } finally {
    clearTimeout(timer);
    release?.();
  }
}
