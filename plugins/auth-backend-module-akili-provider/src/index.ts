/**
 * Authentik (OIDC) and guest sign-in for Akili: users are their OIDC subject, and their groups
 * (Authentik's, or the guest's configured ones) map to Akili tenant ownership refs.
 *
 * @packageDocumentation
 */

export { authModuleAkiliProvider as default } from './module';
export { readAkiliGuestConfig, readAkiliSignInConfig } from './config';
export type { AkiliGuestConfig, AkiliSignInConfig } from './config';
export { groupsToAkiliIdentity, tenantsNamedByGroups } from './groups';
export type {
  AkiliGroupMappingOptions,
  AkiliIgnoredGroup,
  AkiliIdentity,
  AkiliTenantStatus,
} from './groups';
export { displayNameFromClaims, userEntityRefFromSubject } from './subject';
export { createAkiliSignInResolver, issueAkiliToken } from './resolver';
export type { AkiliSignInSubject } from './resolver';
export { createAkiliGuestProviderFactory } from './guest';
