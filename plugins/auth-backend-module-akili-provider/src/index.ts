/**
 * Authentik (OIDC) sign-in for Akili: maps Authentik groups to Akili tenant ownership refs.
 *
 * @packageDocumentation
 */

export { authModuleAkiliProvider as default } from './module';
export {
  readAkiliSignInConfig,
  DEFAULT_GROUP_PATTERN,
  DEFAULT_PLATFORM_ADMIN_GROUP,
} from './config';
export type { AkiliSignInConfig } from './config';
export {
  groupsToAkiliIdentity,
  toAkiliUsername,
  validateGroupPattern,
  AKILI_ROLES,
  AKILI_GROUP_NAMESPACE,
  AKILI_PLATFORM_ADMIN_REF,
} from './groups';
export type {
  AkiliRole,
  AkiliGroupMappingOptions,
  AkiliIgnoredGroup,
  AkiliIdentity,
} from './groups';
export { createAkiliSignInResolver } from './resolver';
