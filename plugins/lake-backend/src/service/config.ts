import { Config } from '@backstage/config';

/** The lake service's settings (the storage reads `lake.s3` itself). */
export interface LakeServiceConfig {
  /** How long a presigned download URL is valid (`lake.presign.expiresInSeconds`, default 300). */
  presignExpiresInSeconds: number;
  /** Whether the usage of every tenant is measured (`lake.usage.enabled`, default true). */
  usageEnabled: boolean;
  /** Minutes between measurements (`lake.usage.intervalMinutes`, default 60). */
  usageIntervalMinutes: number;
}

/** The longest a presigned URL may live: 1 hour (S3 allows 7 days; a download link need not). */
export const MAX_PRESIGN_SECONDS = 3600;

function wholeNumber(
  config: Config,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(
      `${key} must be a whole number from ${min} to ${max}, not ${value}`,
    );
  }
  return value;
}

/** Reads `lake.presign` and `lake.usage`; a bad value throws, naming the key. */
export function readLakeServiceConfig(config: Config): LakeServiceConfig {
  return {
    presignExpiresInSeconds: wholeNumber(
      config,
      'lake.presign.expiresInSeconds',
      300,
      10,
      MAX_PRESIGN_SECONDS,
    ),
    usageEnabled: config.getOptionalBoolean('lake.usage.enabled') !== false,
    usageIntervalMinutes: wholeNumber(
      config,
      'lake.usage.intervalMinutes',
      60,
      1,
      24 * 60,
    ),
  };
}
