/**
 * The client of the lake backend's agreements in force is shared with the control plane's
 * manifest checks: it lives in `@akili/plugin-akili-node`. This module keeps the names the
 * query API, the grants and the engine import.
 */
export {
  DEFAULT_AGREEMENTS_CACHE_MS,
  DEFAULT_AGREEMENTS_TIMEOUT_MS,
  LakeAgreementsClient,
} from '@akili/plugin-akili-node';
export type { LakeAgreementsSource as AgreementsSource } from '@akili/plugin-akili-node';
