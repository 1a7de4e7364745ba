export {
  AKILI_API_TOKEN_SUBJECT_PREFIX,
  akiliApiTokenResolverServiceRef,
  createAkiliApiTokenResolverServiceFactory,
} from './types';
export type { AkiliApiTokenGrant, AkiliApiTokenResolver } from './types';
export {
  AKILI_API_TOKEN_CACHE_MS,
  ApiTokenRegistryClient,
  CachedApiTokenResolver,
} from './resolver';
export type { AkiliApiTokenRecord, AkiliApiTokenRegistry } from './resolver';
export {
  AKILI_API_TOKEN_PREFIX,
  hashAkiliApiToken,
  newAkiliApiTokenId,
  signAkiliApiToken,
  tenantOfAkiliApiTokenId,
  verifyAkiliApiToken,
} from './tokenFormat';
export type { AkiliApiTokenClaims } from './tokenFormat';
export { readAkiliApiTokensConfig } from './config';
export type { AkiliApiTokensConfig } from './config';
export {
  AKILI_API_TOKEN_HANDLER_TYPE,
  akiliApiTokenHandlerServiceFactory,
  createAkiliApiTokenHandler,
} from './handler';
