import { akiliMigrationsV1 } from '../migrations/v1';

export type { TenantIsolationOptions } from '../migrations/v1';

/**
 * The name of the row-level security policy of a tenant-isolated table (every command).
 *
 * @public
 */
export const TENANT_ISOLATION_POLICY = 'tenant_isolation';

/**
 * The name of the SELECT-only policy of a `platformReadable` table.
 *
 * @public
 */
export const TENANT_PLATFORM_READ_POLICY = 'tenant_platform_read';

/**
 * The names of the two policies of an append-only table: the tenant reads (SELECT) and appends
 * (INSERT) its rows; nothing updates or deletes them.
 *
 * @public
 */
export const TENANT_APPEND_ONLY_POLICIES = {
  read: 'tenant_read',
  append: 'tenant_append',
} as const;

/**
 * @deprecated Migrations call the frozen `akiliMigrationsV1.enableTenantIsolation` (the same
 * function); this alias goes once no migration uses it.
 * @public
 */
export const enableTenantIsolation = akiliMigrationsV1.enableTenantIsolation;

/**
 * @deprecated Migrations call the frozen `akiliMigrationsV1.disableTenantIsolation`.
 * @public
 */
export const disableTenantIsolation = akiliMigrationsV1.disableTenantIsolation;
