import { Knex } from 'knex';

import {
  OUTCOME_CREDIT,
  QualityOutcome,
  SEVERITY_WEIGHTS,
} from '@akili/plugin-quality-common';

function isPostgres(knex: Knex): boolean {
  return knex.client.dialect === 'postgresql';
}

/**
 * SQL fragments of the quality store. Everything here is built from constants of this package
 * and of `@akili/plugin-quality-common` (column aliases, severities, outcomes, weights), never
 * from input: values from requests travel as bindings.
 */

const WORD = /^[a-z][a-z0-9_.-]*$/;
const COLUMN = /^[a-z_]+\.[a-z_]+$/;

function literal(text: string): string {
  if (!WORD.test(text)) {
    throw new Error(`Not a SQL word: ${text}`);
  }
  return `'${text}'`;
}

function column(name: string): string {
  if (!COLUMN.test(name)) {
    throw new Error(`Not a qualified column: ${name}`);
  }
  return name;
}

function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) {
    throw new Error(`Not a finite number: ${value}`);
  }
  return String(value);
}

/** `CASE <severity> WHEN 'error' THEN 3 ...`: a rule's weight, from `SEVERITY_WEIGHTS`. */
export function weightSql(severity: string): string {
  const whens = Object.entries(SEVERITY_WEIGHTS).map(
    ([name, weight]) => `WHEN ${literal(name)} THEN ${numberLiteral(weight)}`,
  );
  return `(CASE ${column(severity)} ${whens.join(' ')} ELSE 0 END)`;
}

/** `CASE <outcome> WHEN 'pass' THEN 1 ...`: what an outcome earns, from `OUTCOME_CREDIT`. */
export function creditSql(outcome: string): string {
  const whens = Object.entries(OUTCOME_CREDIT).map(
    ([name, credit]) => `WHEN ${literal(name)} THEN ${numberLiteral(credit)}`,
  );
  return `(CASE ${column(outcome)} ${whens.join(' ')} ELSE 0 END)`;
}

/** Outcomes that fail a rule: the check failed, or could not run. */
export const FAILING_OUTCOMES: readonly QualityOutcome[] = ['fail', 'error'];
/** Outcomes that degrade a product when the rule is not an `error` rule. */
export const DEGRADING_OUTCOMES: readonly QualityOutcome[] = [
  'fail',
  'error',
  'warn',
];

export function inList(expression: string, values: readonly string[]): string {
  return `${column(expression)} IN (${values.map(literal).join(', ')})`;
}

/**
 * The select list that scores a set of contract rules (alias `severity`, the rule's severity)
 * by their outcomes (alias `outcome`, `NULL` when the rule has none): the sums the score is made
 * of, counts for coverage and status. See `scoreOf`.
 */
export function scoreColumns(severity: string, outcome: string): string {
  const has = `${column(outcome)} IS NOT NULL`;
  const failingError = `(${column(severity)} = ${literal('error')} AND ${inList(
    outcome,
    FAILING_OUTCOMES,
  )})`;
  return [
    `COUNT(*) AS rules`,
    `COUNT(${column(outcome)}) AS with_results`,
    `SUM(CASE WHEN ${has} THEN ${weightSql(severity)} * ${creditSql(
      outcome,
    )} ELSE 0 END) AS earned`,
    `SUM(CASE WHEN ${has} THEN ${weightSql(severity)} ELSE 0 END) AS weighed`,
    `SUM(CASE WHEN ${inList(
      outcome,
      FAILING_OUTCOMES,
    )} THEN 1 ELSE 0 END) AS failing`,
    `SUM(CASE WHEN ${failingError} THEN 1 ELSE 0 END) AS failing_error`,
    `SUM(CASE WHEN ${inList(
      outcome,
      DEGRADING_OUTCOMES,
    )} AND NOT ${failingError} THEN 1 ELSE 0 END) AS degraded`,
  ].join(', ');
}

/** The row `scoreColumns` selects (PostgreSQL answers sums and counts as text). */
export interface ScoreRow {
  rules: number | string;
  with_results: number | string | null;
  earned: number | string | null;
  weighed: number | string | null;
  failing: number | string | null;
  failing_error: number | string | null;
  degraded: number | string | null;
}

/** The counts of a {@link ScoreRow} as numbers, and its score (as `qualityScore` rounds it). */
export function scoreOf(row: Partial<ScoreRow> | undefined) {
  const n = (value: unknown) => (value === null ? 0 : Number(value ?? 0));
  const earned = n(row?.earned);
  const weighed = n(row?.weighed);
  return {
    rules: n(row?.rules),
    withResults: n(row?.with_results),
    failing: n(row?.failing),
    failingErrorRules: n(row?.failing_error),
    degradedRules: n(row?.degraded),
    // The division of the two SQL sums, rounded to one decimal like `qualityScore`.
    score: weighed > 0 ? Math.round((earned / weighed) * 1000) / 10 : null,
  };
}

/**
 * A timestamp column as epoch milliseconds: PostgreSQL `timestamptz`; on SQLite the epoch
 * milliseconds knex stores for a `Date`, or ISO text when a writer stored a string.
 */
export function epochMsSql(knex: Knex, timestamp: string): string {
  const c = column(timestamp);
  if (isPostgres(knex)) {
    return `(EXTRACT(EPOCH FROM ${c}) * 1000)`;
  }
  return `(CASE WHEN typeof(${c}) IN ('integer', 'real') THEN ${c} ELSE (julianday(${c}) - 2440587.5) * 86400000.0 END)`;
}

/**
 * A product's freshness in SQL (`quality_products` as `p`), at the epoch milliseconds bound to
 * its one `?`: `no-slo`, `unknown` (never ran successfully), `stale` or `fresh`.
 */
export function freshnessSql(knex: Knex, products: string = 'p'): string {
  const maxDelay = column(`${products}.max_delay_minutes`);
  const lastSuccess = column(`${products}.last_success_at`);
  return `(CASE WHEN ${maxDelay} IS NULL THEN 'no-slo' WHEN ${lastSuccess} IS NULL THEN 'unknown' WHEN ${epochMsSql(
    knex,
    lastSuccess,
  )} + ${maxDelay} * 60000 < ? THEN 'stale' ELSE 'fresh' END)`;
}

/** Mean minutes from one timestamp column to another over the rows where both are set. */
export function meanMinutesSql(knex: Knex, from: string, to: string): string {
  return `AVG((${epochMsSql(knex, to)} - ${epochMsSql(knex, from)}) / 60000.0)`;
}
