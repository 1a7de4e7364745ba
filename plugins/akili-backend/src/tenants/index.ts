export { createTenantsRouter } from './router';
export type { TenantsRouterOptions } from './router';
export { TenantStore } from './TenantStore';
export type { CreateTenantOptions, TenantRecord } from './TenantStore';
export { MemberTracker, MEMBER_SEEN_THROTTLE_MS } from './MemberTracker';
export { readTenantsConfig } from './config';
export type { TenantsConfig } from './config';
export { seedTenants } from './seed';
