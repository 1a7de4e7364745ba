export {
  PLATFORM_SCOPE_SETTING,
  TENANT_ID_COLUMN,
  TENANT_SETTING,
  TenantScopedDatabase,
} from './TenantScopedDatabase';
export {
  TENANT_APPEND_ONLY_POLICIES,
  TENANT_ISOLATION_POLICY,
  TENANT_PLATFORM_READ_POLICY,
  disableTenantIsolation,
  enableTenantIsolation,
} from './tenantIsolation';
export type { TenantIsolationOptions } from './tenantIsolation';
export { prepareTenantRole, readTenantRole } from './tenantRole';
export { toIsoTimestamp } from './dialect';
export { toDatabaseUnavailableError } from './databaseUnavailable';
export {
  akiliTenantDatabaseServiceRef,
  createAkiliTenantDatabaseServiceFactory,
} from './tenantDatabaseService';
export type { AkiliTenantDatabaseService } from './tenantDatabaseService';
