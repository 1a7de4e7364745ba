export {
  TENANT_NAME_PATTERN,
  assertValidTenantName,
  isValidTenantName,
} from './tenantName';
export {
  AKILI_TENANT_ROLES,
  hasTenantAccess,
  parseTenancy,
  tenantRoles,
} from './parseTenancy';
export type { AkiliTenancy, AkiliTenantRole } from './parseTenancy';
export {
  TenancyService,
  tenancyServiceFactory,
  tenancyServiceRef,
} from './TenancyService';
export type { AkiliIdentity, AkiliRequest } from './TenancyService';
