import { Knex } from 'knex';
import { assertTableName, isPostgres } from './dialect';
import { TENANT_ID_COLUMN, TENANT_SETTING } from './TenantScopedDatabase';

/**
 * The name of the row-level security policy installed by {@link enableTenantIsolation}.
 *
 * @public
 */
export const TENANT_ISOLATION_POLICY = 'tenant_isolation';

function notEmptyConstraint(table: string): string {
  return `${table.replace('.', '_')}_tenant_id_not_empty`;
}

/**
 * Makes a table tenant-isolated on PostgreSQL, for use in a plugin's knex migration after the
 * table (with a `tenant_id` text column) is created:
 *
 * - `tenant_id` becomes `NOT NULL` and gets `CHECK (tenant_id <> '')`, because
 *   `current_setting('app.tenant_id', true)` reads `''` (not NULL) in a session whose
 *   `SET LOCAL` has ended, and `''` must match no row;
 * - row-level security is enabled and forced, so the table owner is bound by it too;
 * - the policy `tenant_isolation` lets a row be seen, changed or written only when its
 *   `tenant_id` equals the transaction's `app.tenant_id`.
 *
 * Superusers and `BYPASSRLS` roles still skip policies: connect the application as an ordinary
 * role. A no-op on SQLite, which has no row-level security.
 *
 * @public
 */
export async function enableTenantIsolation(
  knex: Knex,
  table: string,
): Promise<void> {
  assertTableName(table);
  if (!isPostgres(knex)) {
    return;
  }
  const matchesTenant = `?? = current_setting('${TENANT_SETTING}', true)`;
  await knex.raw('ALTER TABLE ?? ALTER COLUMN ?? SET NOT NULL', [
    table,
    TENANT_ID_COLUMN,
  ]);
  await knex.raw(`ALTER TABLE ?? ADD CONSTRAINT ?? CHECK (?? <> '')`, [
    table,
    notEmptyConstraint(table),
    TENANT_ID_COLUMN,
  ]);
  await knex.raw('ALTER TABLE ?? ENABLE ROW LEVEL SECURITY', [table]);
  await knex.raw('ALTER TABLE ?? FORCE ROW LEVEL SECURITY', [table]);
  await knex.raw(
    `CREATE POLICY ?? ON ?? USING (${matchesTenant}) WITH CHECK (${matchesTenant})`,
    [TENANT_ISOLATION_POLICY, table, TENANT_ID_COLUMN, TENANT_ID_COLUMN],
  );
}

/**
 * Undoes {@link enableTenantIsolation}, for down migrations: drops the policy and the check,
 * and disables row-level security (`tenant_id` stays `NOT NULL`). A no-op on SQLite.
 *
 * @public
 */
export async function disableTenantIsolation(
  knex: Knex,
  table: string,
): Promise<void> {
  assertTableName(table);
  if (!isPostgres(knex)) {
    return;
  }
  await knex.raw('DROP POLICY IF EXISTS ?? ON ??', [
    TENANT_ISOLATION_POLICY,
    table,
  ]);
  await knex.raw('ALTER TABLE ?? NO FORCE ROW LEVEL SECURITY', [table]);
  await knex.raw('ALTER TABLE ?? DISABLE ROW LEVEL SECURITY', [table]);
  await knex.raw('ALTER TABLE ?? DROP CONSTRAINT IF EXISTS ??', [
    table,
    notEmptyConstraint(table),
  ]);
}
