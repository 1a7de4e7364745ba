export {
  AKILI_API_TOKEN_SUBJECT_PREFIX,
  akiliApiTokenResolverServiceRef,
} from './types';
export type { AkiliApiTokenGrant, AkiliApiTokenResolver } from './types';
