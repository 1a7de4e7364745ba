export {
  TENANT_ID_COLUMN,
  TENANT_SETTING,
  TenantScopedDatabase,
} from './TenantScopedDatabase';
export {
  TENANT_ISOLATION_POLICY,
  disableTenantIsolation,
  enableTenantIsolation,
} from './tenantIsolation';
