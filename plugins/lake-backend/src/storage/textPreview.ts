import { LakePreviewError } from './errors';
import { RawPreviewColumn } from './types';

/** How many bytes of a CSV or JSON lines file a preview reads at most. */
export const TEXT_PREVIEW_BYTES = 256 * 1024;

/** The first rows of a text file, as parsed from its first bytes. */
export interface TextPreview {
  columns: RawPreviewColumn[];
  rows: unknown[][];
  /** The file has rows after those returned (or was not read to its end). */
  truncated: boolean;
}

/** The text of the bytes read: UTF-8 (a cut character at the end never throws), no BOM. */
function decode(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const DELIMITERS = [',', ';', '\t', '|'];

/** The delimiter of a CSV file: the one of `, ; tab |` its header line (outside quotes) has most. */
export function sniffDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map(d => [d, 0]));
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && (c === '\n' || c === '\r')) {
      break;
    } else if (!quoted && counts.has(c)) {
      counts.set(c, counts.get(c)! + 1);
    }
  }
  let best = ',';
  for (const d of DELIMITERS) {
    if (counts.get(d)! > counts.get(best)!) {
      best = d;
    }
  }
  return best;
}

/** One CSV record and whether a line break ended it (the last one of a cut read may not). */
interface CsvRecord {
  fields: string[];
  ended: boolean;
  line: number;
}

/**
 * Parses CSV (RFC 4180: quoted fields holding delimiters, quotes as `""` and line breaks; CRLF
 * or LF) and stops after `maxRecords` records.
 */
export function parseCsvRecords(
  text: string,
  delimiter: string,
  maxRecords: number,
): { records: CsvRecord[]; unterminatedQuoteLine?: number } {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let quoteLine = 0;
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const endRecord = (ended: boolean) => {
    fields.push(field);
    records.push({ fields, ended, line: recordLine });
    fields = [];
    field = '';
  };
  while (i < text.length && records.length < maxRecords) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (c === '\n') {
          line++;
        }
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      quoteLine = line;
    } else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      endRecord(true);
      if (c === '\r' && text[i + 1] === '\n') {
        i++;
      }
      line++;
      recordLine = line;
    } else {
      field += c;
    }
    i++;
  }
  if (
    records.length < maxRecords &&
    (field !== '' || fields.length > 0 || quoted)
  ) {
    endRecord(false);
  }
  return {
    records,
    unterminatedQuoteLine: quoted ? quoteLine : undefined,
  };
}

/** Names of columns: empty ones become `column_<n>`, repeated ones get `_2`, `_3`, ... */
function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((raw, index) => {
    const name = raw.trim() === '' ? `column_${index + 1}` : raw;
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name}_${count}`;
  });
}

/**
 * The header and first `rows` records of a CSV file from its first bytes. `complete` says the
 * bytes are the whole file; when they are not, the last record (cut by the read) is dropped.
 */
export function previewCsv(
  bytes: Uint8Array,
  options: { rows: number; complete: boolean },
): TextPreview {
  const text = decode(bytes);
  const delimiter = sniffDelimiter(text);
  const parsed = parseCsvRecords(text, delimiter, options.rows + 2);
  let records = parsed.records;
  if (!options.complete && records.length > 0 && !records.at(-1)!.ended) {
    records = records.slice(0, -1);
  } else if (options.complete && parsed.unterminatedQuoteLine !== undefined) {
    throw new LakePreviewError(
      `Not a valid CSV file: the quoted field opened on line ${parsed.unterminatedQuoteLine} is never closed`,
    );
  }
  // Blank lines hold no record.
  records = records.filter(r => !(r.fields.length === 1 && r.fields[0] === ''));
  if (records.length === 0) {
    if (!options.complete && bytes.length > 0) {
      throw new LakePreviewError(
        `The CSV file's header row is longer than the ${Math.round(
          bytes.length / 1024,
        )} KiB a preview reads`,
      );
    }
    return { columns: [], rows: [], truncated: false };
  }
  const [header, ...body] = records;
  const width = Math.max(
    header.fields.length,
    ...body.map(r => r.fields.length),
  );
  const names = uniqueNames(
    Array.from({ length: width }, (_, i) => header.fields[i] ?? ''),
  );
  const rows = body
    .slice(0, options.rows)
    .map(r => names.map((_, i) => (i < r.fields.length ? r.fields[i] : null)));
  return {
    columns: names.map(name => ({ name, type: 'string' })),
    rows,
    truncated: body.length > options.rows || !options.complete,
  };
}

function jsonType(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'array';
  }
  return typeof value;
}

/**
 * The first `rows` objects of a JSON lines file (one JSON object per line) from its first bytes;
 * the columns are the keys in order of first appearance, typed by the JSON values they hold
 * (`number | string` when they differ). A cut last line is dropped when `complete` is false.
 */
export function previewJsonLines(
  bytes: Uint8Array,
  options: { rows: number; complete: boolean },
): TextPreview {
  const text = decode(bytes);
  if (/^\s*\[/.test(text)) {
    throw new LakePreviewError(
      'Not a JSON lines file: it holds a JSON array; only JSON lines (one object per line) are previewed',
    );
  }
  const lines = text.split('\n');
  if (!options.complete) {
    lines.pop(); // cut by the read (or empty after the last line break)
  }
  const objects: Array<Record<string, unknown>> = [];
  let more = false;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index].replace(/\r$/, '');
    if (line.trim() === '') {
      continue;
    }
    if (objects.length === options.rows) {
      more = true;
      break;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new LakePreviewError(
        `Not a JSON lines file: line ${index + 1} is not JSON (${
          (error as Error).message
        })`,
      );
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new LakePreviewError(
        `Not a JSON lines file of objects: line ${index + 1} holds ${
          Array.isArray(value) ? 'an array' : jsonType(value)
        }`,
      );
    }
    objects.push(value as Record<string, unknown>);
  }
  if (objects.length === 0 && !options.complete && bytes.length > 0) {
    throw new LakePreviewError(
      `The JSON lines file's first line is longer than the ${Math.round(
        bytes.length / 1024,
      )} KiB a preview reads`,
    );
  }
  const types = new Map<string, Set<string>>();
  for (const object of objects) {
    for (const [key, value] of Object.entries(object)) {
      if (!types.has(key)) {
        types.set(key, new Set());
      }
      if (value !== null) {
        types.get(key)!.add(jsonType(value));
      }
    }
  }
  const names = [...types.keys()];
  return {
    columns: names.map(name => {
      const seen = [...types.get(name)!].sort();
      return { name, type: seen.length === 0 ? 'null' : seen.join(' | ') };
    }),
    rows: objects.map(o =>
      names.map(name => (Object.hasOwn(o, name) ? o[name] : null)),
    ),
    truncated: more || !options.complete,
  };
}
