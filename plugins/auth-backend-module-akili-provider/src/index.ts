/**
 * Authentik (OIDC) sign-in for Akili: maps Authentik groups to Akili tenant ownership refs.
 *
 * @packageDocumentation
 */

export { authModuleAkiliProvider as default } from './module';
export { readAkiliSignInConfig } from './config';
export type { AkiliSignInConfig } from './config';
export {
  groupsToAkiliIdentity,
  tenantsNamedByGroups,
  toAkiliUsername,
} from './groups';
export type {
  AkiliGroupMappingOptions,
  AkiliIgnoredGroup,
  AkiliIdentity,
  AkiliTenantStatus,
} from './groups';
export { TenantRegistryClient } from './TenantRegistryClient';
export type { TenantRegistry } from './TenantRegistryClient';
export { createAkiliSignInResolver } from './resolver';
