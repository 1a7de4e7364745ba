import { createHmac } from 'node:crypto';
import { DataProductColumn } from '@akili/plugin-akili-common';

/** A value of a seeded row: what Parquet, CSV and JSON lines writers take. */
export type SeedValue =
  | string
  | number
  | boolean
  | Date
  | null
  | { [name: string]: SeedValue };

/** Where a row is: the seed derives every value from this, so the same input gives the same files. */
export interface RowContext {
  /** Row number inside its partition (a composite key with the partition column repeats it). */
  row: number;
  /** Row number across all files of the port (unique keys use it). */
  serial: number;
  /** The partition's date (UTC midnight). */
  partition: Date;
  /** Index of the partition, oldest first, and how many there are. */
  partitionIndex: number;
  partitions: number;
}

/** FNV-1a: a stable 32-bit hash of a string, the seed of a column's random stream. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a small deterministic PRNG, numbers in [0, 1). */
export function randomStream(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The key of the dev pseudonymisation (an HMAC like the products' own, with a dev key). */
const PSEUDONYM_KEY = 'akili-lake-dev-server-pseudonymisation';

const FIRST_NAMES = [
  'Ada',
  'Bruno',
  'Chloe',
  'Dmitri',
  'Elena',
  'Farid',
  'Grace',
  'Hana',
  'Ivan',
  'Julia',
  'Kofi',
  'Lena',
  'Mateo',
  'Nora',
  'Omar',
  'Priya',
];
const LAST_NAMES = [
  'Almeida',
  'Becker',
  'Chen',
  'Dubois',
  'Eriksen',
  'Fischer',
  'Garcia',
  'Haddad',
  'Ito',
  'Jensen',
  'Kowalski',
  'Larsen',
  'Moreau',
  'Novak',
  'Okafor',
  'Romano',
];
const STREETS = [
  'Main St',
  'Oak Ave',
  'Lakeview Dr',
  'Elm St',
  'Harbor Rd',
  'Maple Ln',
  'Cedar Ct',
  'Pine St',
];
const CITIES = [
  'Chicago, IL',
  'Indianapolis, IN',
  'St. Louis, MO',
  'Milwaukee, WI',
  'Detroit, MI',
  'Columbus, OH',
];
const COUNTRIES = ['US', 'US', 'US', 'CA', 'MX', 'DE'];
const DAY_MS = 86_400_000;

type Generator = (ctx: RowContext, random: () => number) => SeedValue;

function pick<T>(values: readonly T[], random: () => number): T {
  return values[Math.floor(random() * values.length)];
}

function between(min: number, max: number, random: () => number): number {
  return min + random() * (max - min);
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** `DECIMAL(p,s)` → s, else undefined. */
export function decimalScale(physicalType?: string): number | undefined {
  const match = /DECIMAL\s*\(\s*\d+\s*,\s*(\d+)\s*\)/i.exec(physicalType ?? '');
  return match ? Number(match[1]) : undefined;
}

/** Replaces the last run of digits of an example with a number that differs per row. */
function likeExample(example: string, n: number): string {
  const match = /(\d+)(?!.*\d)/.exec(example);
  if (!match) return `${example}-${n}`;
  const digits = match[1];
  const value = String((Number(digits) + n) % 10 ** digits.length).padStart(
    digits.length,
    '0',
  );
  return (
    example.slice(0, match.index) +
    value +
    example.slice(match.index + digits.length)
  );
}

const NUMBER_WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
};

/**
 * How many of the latest partitions hold only nulls in a column, from its description, e.g.
 * churn-features' label: "Null for the last three months".
 */
function nullInLatest(column: DataProductColumn): number {
  const match = /null for the (?:last|latest|most recent) (\w+)/i.exec(
    column.description ?? '',
  );
  if (!match) return 0;
  return NUMBER_WORDS[match[1].toLowerCase()] ?? (Number(match[1]) || 0);
}

function stringGenerator(
  column: DataProductColumn,
  unique: boolean,
): Generator {
  const name = column.name.toLowerCase();
  const examples = column.examples ?? [];
  if (/_key$/.test(name) || name === 'key') {
    // A pseudonymous key: HMAC-SHA256 hex of the entity's number, stable across partitions.
    return ctx =>
      createHmac('sha256', PSEUDONYM_KEY)
        .update(`${column.name}:${unique ? ctx.serial : ctx.row}`)
        .digest('hex');
  }
  if (examples.length === 1 || (unique && examples.length > 0)) {
    return ctx => likeExample(examples[0], unique ? ctx.serial : ctx.row);
  }
  if (examples.length > 1) return (_ctx, random) => pick(examples, random);
  if (/email/.test(name)) {
    return (_ctx, random) =>
      `${pick(FIRST_NAMES, random)}.${pick(
        LAST_NAMES,
        random,
      )}@example.com`.toLowerCase();
  }
  if (/name$/.test(name)) {
    return (_ctx, random) =>
      `${pick(FIRST_NAMES, random)} ${pick(LAST_NAMES, random)}`;
  }
  if (/address/.test(name)) {
    return (_ctx, random) =>
      `${Math.floor(between(1, 9999, random))} ${pick(STREETS, random)}, ${pick(
        CITIES,
        random,
      )}`;
  }
  if (/country/.test(name)) return (_ctx, random) => pick(COUNTRIES, random);
  if (/postcode|zip/.test(name)) {
    return (_ctx, random) => String(Math.floor(between(10, 99, random)));
  }
  if (/tracking/.test(name)) {
    return (_ctx, random) =>
      `1Z${Math.floor(between(1e15, 9.9e15, random))
        .toString(36)
        .toUpperCase()}`;
  }
  if (/file|path/.test(name)) {
    return ctx =>
      `inbound/${ctx.partition.toISOString().slice(0, 10)}/file-${
        ctx.row % 7
      }.csv`;
  }
  return ctx => `${column.name}-${unique ? ctx.serial : ctx.row}`;
}

function integerGenerator(column: DataProductColumn): Generator {
  const name = column.name.toLowerCase();
  if (/days_since/.test(name)) {
    return (_ctx, random) =>
      random() < 0.03 ? 9999 : Math.floor(random() ** 2 * 365);
  }
  if (/sessions/.test(name))
    return (_ctx, random) => Math.floor(random() * 150);
  if (/orders|count|num_|_12m|_90d/.test(name)) {
    return (_ctx, random) => Math.floor(random() ** 2 * 40);
  }
  if (/year/.test(name)) return ctx => ctx.partition.getUTCFullYear();
  return (_ctx, random) => Math.floor(random() * 1000);
}

function numberGenerator(column: DataProductColumn): Generator {
  const name = column.name.toLowerCase();
  const scale = decimalScale(column.physicalType);
  const digits = scale ?? 4;
  if (/rate|share|ratio|pct|probability|score/.test(name)) {
    return (_ctx, random) => round(random() ** 2, digits);
  }
  if (/index/.test(name))
    return (_ctx, random) => round(between(0.4, 2.2, random), digits);
  if (/weight|kg/.test(name))
    return (_ctx, random) => round(between(0.2, 35, random), digits);
  if (/amount|revenue|price|value|total/.test(name)) {
    return (_ctx, random) =>
      round(between(5, 5000, random), Math.min(digits, 2));
  }
  return (_ctx, random) => round(random() * 100, digits);
}

function booleanGenerator(column: DataProductColumn): Generator {
  const name = column.name.toLowerCase();
  let share = 0.5;
  if (/churn|late|fraud|error|exception/.test(name)) share = 0.15;
  else if (/^is_|^has_/.test(name)) share = 0.25;
  return (_ctx, random) => random() < share;
}

/**
 * A value generator for a column, from its name and logical type: pseudonymous keys for
 * `*_key`, ids shaped like the column's example, names and addresses for personal data, shares
 * in [0, 1] for `*_rate`, dates in the row's partition, and so on. `unique` makes keys and ids
 * differ in every row of the port. Object columns take the columns given in `fields`.
 */
export function columnGenerator(
  column: DataProductColumn,
  options: {
    unique: boolean;
    isPartition: boolean;
    fields?: DataProductColumn[];
  },
): Generator {
  const inner = baseGenerator(column, options);
  const nullLatest = nullInLatest(column);
  const nullable =
    !column.required && !column.primaryKey && !options.isPartition;
  return (ctx, random) => {
    const value = inner(ctx, random);
    if (nullable && ctx.partitionIndex >= ctx.partitions - nullLatest)
      return null;
    // A few nulls in optional columns, so previews show how they look.
    if (nullable && nullLatest === 0 && random() < 0.04) return null;
    return value;
  };
}

function baseGenerator(
  column: DataProductColumn,
  options: {
    unique: boolean;
    isPartition: boolean;
    fields?: DataProductColumn[];
  },
): Generator {
  const name = column.name.toLowerCase();
  switch (column.type) {
    case 'string':
      return stringGenerator(column, options.unique);
    case 'integer':
      return integerGenerator(column);
    case 'number':
    case 'decimal':
      return numberGenerator(column);
    case 'boolean':
      return booleanGenerator(column);
    case 'date':
      if (options.isPartition) return ctx => ctx.partition;
      if (/promised|due|expected/.test(name)) {
        return (ctx, random) =>
          new Date(
            ctx.partition.getTime() +
              Math.floor(between(1, 6, random)) * DAY_MS,
          );
      }
      return ctx => ctx.partition;
    case 'timestamp':
      // Within the partition's day, at whole seconds.
      return (ctx, random) =>
        new Date(
          ctx.partition.getTime() + Math.floor(random() * 86_400) * 1000,
        );
    case 'time':
      return (_ctx, random) => {
        const s = Math.floor(random() * 86_400);
        const two = (n: number) => String(n).padStart(2, '0');
        return `${two(Math.floor(s / 3600))}:${two(
          Math.floor(s / 60) % 60,
        )}:${two(s % 60)}`;
      };
    case 'object': {
      const fields = options.fields ?? [];
      const generators = fields.map(field => ({
        name: field.name,
        generate: columnGenerator(field, { unique: false, isPartition: false }),
      }));
      return (ctx, random) =>
        Object.fromEntries(
          generators.map(g => [g.name, g.generate(ctx, random)]),
        );
    }
    default:
      return ctx => `${column.name}-${ctx.row}`;
  }
}
