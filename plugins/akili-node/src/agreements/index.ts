export {
  DEFAULT_AGREEMENTS_CACHE_MS,
  DEFAULT_AGREEMENTS_TIMEOUT_MS,
  findAgreementFor,
  LakeAgreementsClient,
} from './LakeAgreementsClient';
export type { LakeAgreementsSource } from './LakeAgreementsClient';
