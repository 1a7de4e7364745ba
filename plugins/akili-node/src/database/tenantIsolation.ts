import { Knex } from 'knex';
import { assertTableName, isPostgres } from './dialect';
import {
  PLATFORM_SCOPE_SETTING,
  TENANT_ID_COLUMN,
  TENANT_SETTING,
} from './TenantScopedDatabase';

/**
 * The name of the row-level security policy installed by {@link enableTenantIsolation}.
 *
 * @public
 */
export const TENANT_ISOLATION_POLICY = 'tenant_isolation';

/**
 * The name of the SELECT-only policy that {@link enableTenantIsolation} adds with
 * `platformReadable: true`.
 *
 * @public
 */
export const TENANT_PLATFORM_READ_POLICY = 'tenant_platform_read';

/**
 * Options of {@link enableTenantIsolation}.
 *
 * @public
 */
export interface TenantIsolationOptions {
  /**
   * Lets a platform-scope transaction (`TenantScopedDatabase.withPlatformScope`) read every
   * tenant's rows of this table. Reading only: writes still need the row's tenant. Leave it off
   * unless platform admins must list across tenants (a tenant directory, an audit view).
   */
  platformReadable?: boolean;
}

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
 *   `tenant_id` equals the transaction's `app.tenant_id`;
 * - with `platformReadable: true`, a second policy `tenant_platform_read`, `FOR SELECT` only,
 *   lets a transaction that set `app.platform_scope` to `on` read every row. Policies of one
 *   command are OR-ed, but INSERT, UPDATE and DELETE have only `tenant_isolation`, so the
 *   platform scope never writes.
 *
 * Superusers and `BYPASSRLS` roles still skip policies: connect the application as an ordinary
 * role. A no-op on SQLite, which has no row-level security.
 *
 * @public
 */
export async function enableTenantIsolation(
  knex: Knex,
  table: string,
  options: TenantIsolationOptions = {},
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
  if (options.platformReadable) {
    await knex.raw(
      `CREATE POLICY ?? ON ?? FOR SELECT USING (current_setting('${PLATFORM_SCOPE_SETTING}', true) = 'on')`,
      [TENANT_PLATFORM_READ_POLICY, table],
    );
  }
}

/**
 * Undoes {@link enableTenantIsolation}, for down migrations: drops the policies and the check,
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
  for (const policy of [TENANT_ISOLATION_POLICY, TENANT_PLATFORM_READ_POLICY]) {
    await knex.raw('DROP POLICY IF EXISTS ?? ON ??', [policy, table]);
  }
  await knex.raw('ALTER TABLE ?? NO FORCE ROW LEVEL SECURITY', [table]);
  await knex.raw('ALTER TABLE ?? DISABLE ROW LEVEL SECURITY', [table]);
  await knex.raw('ALTER TABLE ?? DROP CONSTRAINT IF EXISTS ??', [
    table,
    notEmptyConstraint(table),
  ]);
}
