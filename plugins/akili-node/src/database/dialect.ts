import { InputError } from '@backstage/errors';
import { Knex } from 'knex';

/** Whether a knex instance (or transaction) talks to PostgreSQL. */
export function isPostgres(knex: Knex): boolean {
  return knex.client.dialect === 'postgresql';
}

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

/**
 * Returns a plain (optionally schema-qualified) table name unchanged, or throws an `InputError`.
 * Table names reach SQL only as knex identifier bindings (`??`), but a strict shape keeps
 * derived names (constraints) predictable too.
 */
export function assertTableName(table: string): string {
  if (typeof table !== 'string' || !TABLE_NAME.test(table)) {
    throw new InputError(
      `Invalid table name ${JSON.stringify(
        table,
      )}: expected an identifier, optionally schema-qualified`,
    );
  }
  return table;
}

/**
 * A timestamp column's value as ISO 8601: PostgreSQL gives `Date`s, SQLite the epoch
 * milliseconds knex stored, or `CURRENT_TIMESTAMP` text (UTC, no zone) for column defaults.
 *
 * @public
 */
export function toIsoTimestamp(value: Date | string | number): string {
  if (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)
  ) {
    return new Date(`${value.replace(' ', 'T')}Z`).toISOString();
  }
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
