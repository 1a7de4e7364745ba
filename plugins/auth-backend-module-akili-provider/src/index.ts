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
} from './groups';
export type {
  AkiliGroupMappingOptions,
  AkiliIgnoredGroup,
  AkiliIdentity,
} from './groups';
export { createAkiliSignInResolver } from './resolver';
