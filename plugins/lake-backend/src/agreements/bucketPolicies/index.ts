import {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AccessAgreementStore } from '../AccessAgreementStore';
import {
  BucketPolicyReconciler,
  BucketPolicyStorage,
} from './BucketPolicyReconciler';
import { readBucketPolicyConfig } from './config';

export {
  BucketPolicyReconciler,
  type BucketPolicyChange,
  type BucketPolicyStorage,
  type InForceAgreements,
} from './BucketPolicyReconciler';
export {
  readBucketPolicyConfig,
  DEFAULT_BUCKET_POLICY_INTERVAL_MINUTES,
  type BucketPolicyConfig,
} from './config';
export { AGREEMENT_SID_PREFIX } from './policyDocument';

/**
 * Starts the bucket policy enforcement of the agreements when
 * `lake.agreements.bucketPolicies.enabled` (and the lake has storage): a round at start and
 * every `intervalMinutes` (one instance at a time), and one after each agreement transition
 * (approve, revoke, withdraw, reject, expiry). Reads the config even when off, so a bad value
 * stops the backend with its key named. Returns the reconciler, or undefined when off.
 */
export async function startBucketPolicies(options: {
  config: Config;
  storage: BucketPolicyStorage | undefined;
  store: AccessAgreementStore;
  catalog: CatalogService;
  auth: AuthService;
  scheduler: SchedulerService;
  logger: LoggerService;
}): Promise<BucketPolicyReconciler | undefined> {
  const settings = readBucketPolicyConfig(options.config);
  if (!settings.enabled) return undefined;
  const logger = options.logger.child({ task: 'lake-bucket-policies' });
  if (!options.storage) {
    logger.warn(
      'lake.agreements.bucketPolicies.enabled is set but the lake is not configured (lake.s3): bucket policies are off',
    );
    return undefined;
  }
  const reconciler = new BucketPolicyReconciler({
    storage: options.storage,
    agreements: options.store,
    catalog: options.catalog,
    auth: options.auth,
    logger,
    rgwUsers: settings.rgwUsers,
    tenants: settings.tenants,
  });
  options.store.onTransition(() => reconciler.reconcileSoon());
  await options.scheduler.scheduleTask({
    id: 'lake-bucket-policies',
    frequency: { minutes: settings.intervalMinutes },
    timeout: { minutes: 5 },
    fn: async () => {
      try {
        await reconciler.reconcile();
      } catch (error) {
        logger.warn('Bucket policies could not be reconciled', {
          error: String(error),
        });
      }
    },
  });
  logger.info('Access agreements enforced in the bucket policies', {
    intervalMinutes: settings.intervalMinutes,
    consumerTenants: Object.keys(settings.rgwUsers).join(','),
  });
  return reconciler;
}
