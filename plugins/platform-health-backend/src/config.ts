import { RootConfigService } from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';

/** Default of `platformHealth.frequency`. */
export const DEFAULT_PLATFORM_HEALTH_FREQUENCY: HumanDuration = { seconds: 30 };
/** Default of `platformHealth.timeoutMs`. */
export const DEFAULT_PLATFORM_HEALTH_TIMEOUT_MS = 5000;

/** `platformHealth`, checked, with defaults filled in. */
export interface PlatformHealthSettings {
  frequency: HumanDuration;
  frequencyMs: number;
  timeoutMs: number;
  degradedLatencyMs: number;
}

function positiveWholeNumber(
  config: RootConfigService,
  key: string,
  fallback: number,
): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 1 || value > 600_000) {
    throw new Error(
      `${key} must be a whole number of milliseconds between 1 and 600000, not ${value}`,
    );
  }
  return value;
}

/** Reads `platformHealth`; a bad value throws an error naming its key. */
export function readPlatformHealthSettings(
  config: RootConfigService,
): PlatformHealthSettings {
  let frequency = DEFAULT_PLATFORM_HEALTH_FREQUENCY;
  if (config.has('platformHealth.frequency')) {
    // Backstage's reader: a HumanDuration object or a duration string ('30s', 'PT30S').
    frequency = readDurationFromConfig(config, {
      key: 'platformHealth.frequency',
    });
  }
  const frequencyMs = durationToMilliseconds(frequency);
  if (!(frequencyMs >= 100)) {
    throw new Error(
      'platformHealth.frequency must be a duration of at least 100 milliseconds',
    );
  }
  const timeoutMs = positiveWholeNumber(
    config,
    'platformHealth.timeoutMs',
    DEFAULT_PLATFORM_HEALTH_TIMEOUT_MS,
  );
  const degradedLatencyMs = positiveWholeNumber(
    config,
    'platformHealth.degradedLatencyMs',
    Math.max(1, Math.floor(timeoutMs / 2)),
  );
  return { frequency, frequencyMs, timeoutMs, degradedLatencyMs };
}
