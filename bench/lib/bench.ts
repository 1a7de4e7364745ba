/*
 * What the benchmarks share: percentiles, milliseconds as text, and a fresh PostgreSQL database
 * on the test services' server.
 */
import knexFactory, { Knex } from 'knex';

/** The test services' PostgreSQL (scripts/test-services/up.sh exports it). */
export const BENCH_PG_URL =
  process.env.AKILI_TEST_PG_URL ??
  'postgresql://akili_test:akili_test@127.0.0.1:5432/postgres';

/** The `p`th percentile (0–100) of `values` (nearest rank; `values` need not be sorted). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(
      sorted.length - 1,
      Math.max(0, Math.ceil((p / 100) * sorted.length) - 1),
    )
  ];
}

/** `12.34 ms`. */
export const ms = (value: number) => `${value.toFixed(2)} ms`;

/** Drops and creates database `name` on the bench server; a knex client of it. */
export async function freshPostgresDatabase(
  name: string,
  pool: Knex.PoolConfig = { min: 0, max: 10 },
): Promise<Knex> {
  const admin = knexFactory({ client: 'pg', connection: BENCH_PG_URL });
  try {
    await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
    await admin.raw('CREATE DATABASE ??', [name]);
  } finally {
    await admin.destroy();
  }
  return knexFactory({ client: 'pg', connection: databaseUrl(name), pool });
}

/** The URL of database `name` on the bench server. */
export function databaseUrl(name: string): string {
  const url = new URL(BENCH_PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}
