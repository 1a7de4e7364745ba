export {
  TENANT_NAME_PATTERN,
  assertValidTenantName,
  isValidTenantName,
} from './tenantName';
export {
  TenancyService,
  tenancyServiceFactory,
  tenancyServiceRef,
} from './TenancyService';
export type {
  AkiliAuthentication,
  AkiliAuthorization,
  AkiliAuthorizeOptions,
  AkiliPrincipal,
  AkiliRequest,
} from './TenancyService';
export {
  AKILI_TENANT_STATUS_CACHE_MS,
  CachedTenantStatus,
  TenantRegistryClient,
  akiliTenantStatusServiceRef,
  createAkiliTenantStatusServiceFactory,
} from './tenantStatus';
export type {
  AkiliTenantRegistry,
  AkiliTenantStatusService,
} from './tenantStatus';
export {
  AKILI_TENANT_QUOTAS_CACHE_MS,
  CachedTenantQuotas,
  akiliTenantQuotasServiceRef,
  createAkiliTenantQuotasServiceFactory,
} from './tenantQuotas';
export type {
  AkiliTenantQuotaRegistry,
  AkiliTenantQuotasService,
} from './tenantQuotas';
