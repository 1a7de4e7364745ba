import { DataProductColumn } from '@akili/plugin-akili-common';

/** One table of the embedded engine: an output port's `table` location and its schema. */
export interface EmbeddedTable {
  /** The port's catalog, or `starrocks.defaultCatalog` when the port names none. */
  catalog: string;
  database: string;
  table: string;
  columns: DataProductColumn[];
}

/** The DuckDB type of a column and what the generator needs to know about it. */
export interface ColumnPlan {
  name: string;
  /** DuckDB DDL type, e.g. `DECIMAL(12,2)`. */
  sqlType: string;
  kind:
    | 'string'
    | 'integer'
    | 'double'
    | 'decimal'
    | 'boolean'
    | 'date'
    | 'timestamp'
    | 'time'
    | 'json'
    | 'binary';
  /** Longest text (VARCHAR(n)/CHAR(n)). */
  maxLength?: number;
  /** DECIMAL precision and scale. */
  precision?: number;
  scale?: number;
}

/** `"name"` with inner quotes doubled: names come from manifests and are never trusted. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/gu, '""')}"`;
}

/** `'text'` with inner quotes doubled. */
function quoteLiteral(text: string): string {
  return `'${text.replace(/'/gu, "''")}'`;
}

/**
 * The DuckDB type of a column: its StarRocks `physicalType` where that is a plain StarRocks
 * type (BIGINT, INT, DECIMAL(p,s), VARCHAR(n), CHAR(n), DATE, DATETIME, BOOLEAN, DOUBLE, ...),
 * otherwise from its logical type. Nested values (`object`, `array`, STRUCT, JSON) become
 * VARCHAR holding JSON text: StarRocks sends them over the MySQL protocol as text too.
 */
export function planColumn(column: DataProductColumn): ColumnPlan {
  const name = column.name;
  const physical = (column.physicalType ?? '')
    .trim()
    .toUpperCase()
    .replace(/\s+/gu, '');
  if (column.type === 'object' || column.type === 'array') {
    return { name, sqlType: 'VARCHAR', kind: 'json' };
  }
  const decimal = /^DECIMAL(?:V3|64|128)?\((\d+),(\d+)\)$/u.exec(physical);
  if (decimal) {
    const precision = Math.min(Math.max(Number(decimal[1]), 1), 38);
    const scale = Math.min(Number(decimal[2]), precision);
    return {
      name,
      sqlType: `DECIMAL(${precision},${scale})`,
      kind: 'decimal',
      precision,
      scale,
    };
  }
  const text = /^(?:VAR)?CHAR\((\d+)\)$/u.exec(physical);
  if (text) {
    return {
      name,
      sqlType: 'VARCHAR',
      kind: 'string',
      maxLength: Number(text[1]),
    };
  }
  const physicalTypes: Record<string, [string, ColumnPlan['kind']]> = {
    TINYINT: ['TINYINT', 'integer'],
    SMALLINT: ['SMALLINT', 'integer'],
    INT: ['INTEGER', 'integer'],
    INTEGER: ['INTEGER', 'integer'],
    BIGINT: ['BIGINT', 'integer'],
    LARGEINT: ['HUGEINT', 'integer'],
    FLOAT: ['FLOAT', 'double'],
    DOUBLE: ['DOUBLE', 'double'],
    BOOLEAN: ['BOOLEAN', 'boolean'],
    DATE: ['DATE', 'date'],
    DATETIME: ['TIMESTAMP', 'timestamp'],
    TIMESTAMP: ['TIMESTAMP', 'timestamp'],
    STRING: ['VARCHAR', 'string'],
    VARCHAR: ['VARCHAR', 'string'],
    JSON: ['VARCHAR', 'json'],
  };
  const known = physicalTypes[physical];
  if (known) return { name, sqlType: known[0], kind: known[1] };
  switch (column.type) {
    case 'integer':
      return { name, sqlType: 'BIGINT', kind: 'integer' };
    case 'number':
      return { name, sqlType: 'DOUBLE', kind: 'double' };
    case 'decimal':
      return {
        name,
        sqlType: 'DECIMAL(18,2)',
        kind: 'decimal',
        precision: 18,
        scale: 2,
      };
    case 'boolean':
      return { name, sqlType: 'BOOLEAN', kind: 'boolean' };
    case 'date':
      return { name, sqlType: 'DATE', kind: 'date' };
    case 'timestamp':
      return { name, sqlType: 'TIMESTAMP', kind: 'timestamp' };
    case 'time':
      return { name, sqlType: 'TIME', kind: 'time' };
    case 'binary':
      return { name, sqlType: 'BLOB', kind: 'binary' };
    default:
      return { name, sqlType: 'VARCHAR', kind: 'string' };
  }
}

/** FNV-1a over a text: the seed of a table's generator. */
function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32: small, fast and the same on every machine. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST_NAMES = [
  'Anna', 'Ben', 'Chiara', 'David', 'Elif', 'Finn', 'Greta', 'Hugo', 'Ines', 'Jonas',
  'Klara', 'Luca', 'Maria', 'Noah', 'Olga', 'Paul', 'Rosa', 'Sami', 'Tara', 'Yusuf',
]; // prettier-ignore
const LAST_NAMES = [
  'Keller', 'Brandt', 'Rossi', 'Novak', 'Dubois', 'Jansen', 'Schmidt', 'Yilmaz', 'Berg',
  'Costa', 'Fischer', 'Lindqvist', 'Moreau', 'Nowak', 'Weber', 'Vogel',
]; // prettier-ignore
const CITIES = [
  ['Berlin', 'DE'], ['Hamburg', 'DE'], ['Munich', 'DE'], ['Vienna', 'AT'], ['Zurich', 'CH'],
  ['Paris', 'FR'], ['Lyon', 'FR'], ['Amsterdam', 'NL'], ['Milan', 'IT'], ['London', 'GB'],
  ['Warsaw', 'PL'], ['Madrid', 'ES'],
]; // prettier-ignore
const STREETS = ['Hauptstrasse', 'Bahnhofstrasse', 'Rue de la Paix', 'Kerkstraat', 'Via Roma', 'High Street']; // prettier-ignore
const CURRENCIES = ['EUR', 'EUR', 'EUR', 'CHF', 'GBP', 'PLN'];

/** The first day of generated dates and times: fixed, so the data is the same every day. */
const EPOCH_DAY = Date.UTC(2024, 0, 1);
/** Generated dates and times fall into two years from {@link EPOCH_DAY}. */
const SPAN_DAYS = 731;
const DAY_MS = 86_400_000;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function isoDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(
    d.getUTCDate(),
  )}`;
}

function isoTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${isoDate(ms)} ${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())}`;
}

/** A deterministic UUID-shaped text from a number. */
function uuidOf(n: number, salt: number): string {
  const r = createRandom(hashText(`${salt}:${n}`));
  let hex = '';
  for (let i = 0; i < 32; i += 1) hex += Math.floor(r() * 16).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(
    13,
    16,
  )}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

interface RowContext {
  /** Row number, from 0. */
  row: number;
  random: () => number;
  /** Per table: the same person for the name, email and address columns of a row. */
  person: { first: string; last: string; city: string; country: string };
  /** Rows of the table: ids that are not keys fall into 1..rows, so they join with keys. */
  rows: number;
}

const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)];

/** Digits of an example replaced by random ones: `SKU-104-BLK-M` becomes `SKU-583-BLK-M`. */
function varyDigits(example: string, random: () => number): string {
  return example.replace(/\d/gu, () => String(Math.floor(random() * 10)));
}

function clip(text: string, plan: ColumnPlan): string {
  return plan.maxLength !== undefined && text.length > plan.maxLength
    ? text.slice(0, plan.maxLength)
    : text;
}

/** A text value that fits the column's name, examples and length. */
function stringValue(
  column: DataProductColumn,
  plan: ColumnPlan,
  key: number | undefined,
  ctx: RowContext,
): string {
  const name = column.name.toLowerCase();
  const { random, person } = ctx;
  const examples = (column.examples ?? []).filter(e => e !== '');
  if (key !== undefined) {
    if (examples.length === 1 && /\d/u.test(examples[0])) {
      // Keyed by the row: the example's shape, its digits counted up from the example's own.
      const digits = examples[0].replace(/\D/gu, '');
      const number = String(BigInt(digits) + BigInt(key))
        .padStart(digits.length, '0')
        .slice(-digits.length);
      let i = 0;
      return clip(
        examples[0].replace(/\d/gu, () => number[i++] ?? ''),
        plan,
      );
    }
    if (plan.maxLength === undefined || plan.maxLength >= 36) {
      // Salted by the column's name: orders.customer_id meets customers.customer_id.
      return uuidOf(key, hashText(name));
    }
    return clip(`${name.slice(0, 3).toUpperCase()}${key}`, plan);
  }
  if (examples.length > 1) return pick(random, examples);
  if (/e_?mail/u.test(name)) {
    return clip(
      `${person.first}.${person.last}${ctx.row}@example.com`.toLowerCase(),
      plan,
    );
  }
  if (/phone|mobile/u.test(name)) {
    return clip(varyDigits('+49301234567', random), plan);
  }
  if (/first_?name|given_?name/u.test(name)) return clip(person.first, plan);
  if (/last_?name|surname|family_?name/u.test(name)) {
    return clip(person.last, plan);
  }
  if (
    /(^|_)(full_?)?name$/u.test(name) &&
    /customer|person|user|full|^name/u.test(name)
  ) {
    return clip(`${person.first} ${person.last}`, plan);
  }
  if (/address/u.test(name)) {
    return clip(
      `${pick(random, STREETS)} ${1 + Math.floor(random() * 120)}, ${
        10000 + Math.floor(random() * 89999)
      } ${person.city}, ${person.country}`,
      plan,
    );
  }
  if (/country/u.test(name)) return clip(person.country, plan);
  if (/city/u.test(name)) return clip(person.city, plan);
  if (/post_?code|zip/u.test(name)) {
    return clip(String(10000 + Math.floor(random() * 89999)), plan);
  }
  if (/currency/u.test(name)) return clip(pick(random, CURRENCIES), plan);
  if (examples.length === 1) return clip(varyDigits(examples[0], random), plan);
  if (/(^|_)(id|key|uuid|ref)$/u.test(name)) {
    const id = Math.floor(random() * ctx.rows);
    return plan.maxLength === undefined || plan.maxLength >= 36
      ? uuidOf(id, hashText(name))
      : clip(`${name.slice(0, 3).toUpperCase()}${id}`, plan);
  }
  return clip(`${name}_${1 + Math.floor(random() * 50)}`, plan);
}

function integerValue(
  name: string,
  random: () => number,
  rows: number,
): number {
  if (
    /quantity|qty|count|units|items|_n$|number_of|stops|attempts/u.test(name)
  ) {
    return 1 + Math.floor(random() * 10);
  }
  if (/year/u.test(name)) return 2020 + Math.floor(random() * 6);
  if (/month/u.test(name)) return 1 + Math.floor(random() * 12);
  if (/(^|_)age/u.test(name)) return 18 + Math.floor(random() * 70);
  if (/days|hours|minutes|seconds|duration|delay/u.test(name)) {
    return Math.floor(random() * 120);
  }
  if (/(^|_)(id|key)$/u.test(name)) return 1 + Math.floor(random() * rows);
  return Math.floor(random() * 1000);
}

function doubleValue(name: string, random: () => number): number {
  if (
    /ratio|rate|share|pct|percent|growth|probability|score|propensity|_p$/u.test(
      name,
    )
  ) {
    return Math.round(random() * 10_000) / 10_000;
  }
  if (/(^|_)lat/u.test(name))
    return Math.round((45 + random() * 10) * 1e5) / 1e5;
  if (/(^|_)(lon|lng)/u.test(name))
    return Math.round((2 + random() * 20) * 1e5) / 1e5;
  return Math.round(random() * 100_000) / 100;
}

function decimalValue(
  name: string,
  plan: ColumnPlan,
  random: () => number,
): string {
  const scale = plan.scale ?? 2;
  const integerDigits = Math.max((plan.precision ?? 18) - scale, 0);
  let max = Math.min(10 ** integerDigits - 1, 10_000);
  if (/rate|ratio|share|pct|fx/u.test(name)) max = Math.min(max, 2);
  if (/price|unit/u.test(name)) max = Math.min(max, 500);
  const value = random() * max;
  return value.toFixed(scale);
}

/**
 * One generated value, as SQL text for an INSERT (`NULL`, a number, or a quoted literal that
 * DuckDB casts to the column's type). Key columns take `key` (unique per row, or per group of
 * rows for the first part of a composite key); optional columns are NULL now and then.
 */
function sqlValue(
  column: DataProductColumn,
  plan: ColumnPlan,
  key: number | undefined,
  ctx: RowContext,
): string {
  const { random } = ctx;
  const name = column.name.toLowerCase();
  const nullable = !column.required && !column.primaryKey;
  // Drawn for every column, so one column's rule cannot shift the others' values.
  const nullDraw = random();
  if (nullable && key === undefined && nullDraw < 0.04) return 'NULL';
  switch (plan.kind) {
    case 'integer':
      return String(
        key !== undefined ? key + 1 : integerValue(name, random, ctx.rows),
      );
    case 'double':
      return String(doubleValue(name, random));
    case 'decimal':
      return decimalValue(name, plan, random);
    case 'boolean':
      return random() < 0.5 ? 'true' : 'false';
    case 'date': {
      if (/birth/u.test(name)) {
        return quoteLiteral(
          isoDate(Date.UTC(1950, 0, 1) + Math.floor(random() * 20000) * DAY_MS),
        );
      }
      const day =
        key !== undefined ? key % SPAN_DAYS : Math.floor(random() * SPAN_DAYS);
      return quoteLiteral(isoDate(EPOCH_DAY + day * DAY_MS));
    }
    case 'timestamp':
      return quoteLiteral(
        isoTimestamp(
          EPOCH_DAY + Math.floor(random() * SPAN_DAYS * 86_400) * 1000,
        ),
      );
    case 'time':
      return quoteLiteral(
        `${pad(Math.floor(random() * 24))}:${pad(
          Math.floor(random() * 60),
        )}:00`,
      );
    case 'json':
      return quoteLiteral(
        JSON.stringify(
          /address/u.test(name)
            ? {
                street: `${pick(random, STREETS)} ${
                  1 + Math.floor(random() * 120)
                }`,
                postcode: String(10000 + Math.floor(random() * 89999)),
                city: ctx.person.city,
                country: ctx.person.country,
              }
            : { value: Math.round(random() * 1000) / 10 },
        ),
      );
    case 'binary':
      return `from_hex(${quoteLiteral(
        Math.floor(random() * 0xffffffff)
          .toString(16)
          .padStart(8, '0'),
      )})`;
    default:
      return quoteLiteral(stringValue(column, plan, key, ctx));
  }
}

/** Rows of one group of a composite key (`order_id` repeats for `line_no` 1..4). */
const COMPOSITE_GROUP = 4;

/**
 * The statements that create a table and fill it with `rows` deterministic rows: the same
 * table and schema give the same rows on every machine and every start. Values fit each
 * column's type, name and examples (emails for email columns, amounts within the DECIMAL's
 * precision, dates over 2024 and 2025, examples of enumerations); primary keys are unique.
 */
export function tableStatements(table: EmbeddedTable, rows: number): string[] {
  const name = [table.catalog, table.database, table.table]
    .map(quoteIdentifier)
    .join('.');
  const plans = table.columns.map(planColumn);
  const statements = [
    `CREATE TABLE ${name} (${plans
      .map(p => `${quoteIdentifier(p.name)} ${p.sqlType}`)
      .join(', ')})`,
  ];
  if (plans.length === 0) return statements;
  const keys = table.columns
    .map((column, index) => (column.primaryKey ? index : -1))
    .filter(index => index >= 0);
  const salt = hashText(`${table.catalog}.${table.database}.${table.table}`);
  const random = createRandom(salt);
  const batch: string[] = [];
  const flush = () => {
    if (batch.length > 0) {
      statements.push(`INSERT INTO ${name} VALUES ${batch.join(', ')}`);
      batch.length = 0;
    }
  };
  for (let row = 0; row < rows; row += 1) {
    const [city, country] = pick(random, CITIES);
    const ctx: RowContext = {
      row,
      random,
      rows,
      person: {
        first: pick(random, FIRST_NAMES),
        last: pick(random, LAST_NAMES),
        city,
        country,
      },
    };
    const values = table.columns.map((column, index) => {
      const keyPart = keys.indexOf(index);
      let key: number | undefined;
      if (keyPart === 0) {
        key = keys.length > 1 ? Math.floor(row / COMPOSITE_GROUP) : row;
      } else if (keyPart === 1) {
        key = row % COMPOSITE_GROUP;
      }
      return sqlValue(column, plans[index], key, ctx);
    });
    batch.push(`(${values.join(', ')})`);
    if (batch.length >= 500) flush();
  }
  flush();
  return statements;
}
