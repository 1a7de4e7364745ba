import { Config } from '@backstage/config';
import { isValidTenantName } from '@akili/plugin-akili-common';

/** Default `lake.agreements.bucketPolicies.intervalMinutes`. */
export const DEFAULT_BUCKET_POLICY_INTERVAL_MINUTES = 5;

/** `lake.agreements.bucketPolicies` and the tenants' `rgwUser`. */
export interface BucketPolicyConfig {
  /** `lake.agreements.bucketPolicies.enabled` (default false). */
  enabled: boolean;
  /** `lake.agreements.bucketPolicies.intervalMinutes` (default 5). */
  intervalMinutes: number;
  /** Tenant → its RGW user id (`lake.tenants.<tenant>.rgwUser`), for the tenants that have one. */
  rgwUsers: Record<string, string>;
  /** The tenants of `lake.tenants` (their buckets are reconciled even with no agreement). */
  tenants: string[];
}

/** An RGW (IAM) user id: letters, digits and `_+=,.@-`, at most 64. */
const RGW_USER = /^[A-Za-z0-9_+=,.@-]{1,64}$/;

/** Reads the bucket policy settings; a bad value throws an error naming its key. */
export function readBucketPolicyConfig(config: Config): BucketPolicyConfig {
  const lake = config.getOptionalConfig('lake');
  const section = lake?.getOptionalConfig('agreements.bucketPolicies');
  const enabled = section?.getOptionalBoolean('enabled') ?? false;
  const intervalMinutes =
    section?.getOptionalNumber('intervalMinutes') ??
    DEFAULT_BUCKET_POLICY_INTERVAL_MINUTES;
  if (
    !Number.isInteger(intervalMinutes) ||
    intervalMinutes < 1 ||
    intervalMinutes > 1440
  ) {
    throw new Error(
      `lake.agreements.bucketPolicies.intervalMinutes must be a whole number of minutes between 1 and 1440, not ${intervalMinutes}`,
    );
  }
  const rgwUsers: Record<string, string> = {};
  const tenants = lake?.getOptionalConfig('tenants');
  for (const tenant of tenants?.keys() ?? []) {
    const key = `lake.tenants.${tenant}.rgwUser`;
    const rgwUser = tenants!.getConfig(tenant).getOptionalString('rgwUser');
    if (rgwUser === undefined) continue;
    if (!isValidTenantName(tenant)) {
      throw new Error(`${key}: "${tenant}" is not a valid tenant name`);
    }
    if (!RGW_USER.test(rgwUser)) {
      throw new Error(
        `${key}: "${rgwUser}" is not an RGW user id (letters, digits and _+=,.@-, at most 64)`,
      );
    }
    rgwUsers[tenant] = rgwUser;
  }
  return {
    enabled,
    intervalMinutes,
    rgwUsers,
    tenants: (tenants?.keys() ?? []).filter(isValidTenantName),
  };
}
