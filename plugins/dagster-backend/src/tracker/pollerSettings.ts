import {
  LifecycleService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';

/** The longest look-back of a poller of Dagster: 90 days. */
export const MAX_LOOKBACK_HOURS = 24 * 90;

/** How one of the plugin's pollers of Dagster (runs, asset checks) is configured. */
export interface PollerSettings {
  enabled: boolean;
  intervalSeconds: number;
  lookbackHours: number;
}

/**
 * Reads a poller's settings under `key` (`dagster.tracker`, `dagster.qualityChecks`): `enabled`
 * (default true), the interval under `intervalKey` (a whole number of seconds, at least 5) and
 * `lookbackHours` (0 to 2160). A bad value throws, naming the key.
 */
export function readPollerSettings(
  config: Config,
  key: string,
  options: { intervalKey: string; defaultIntervalSeconds: number },
): PollerSettings {
  const settings = config.getOptionalConfig(key);
  const intervalSeconds =
    settings?.getOptionalNumber(options.intervalKey) ??
    options.defaultIntervalSeconds;
  if (!Number.isInteger(intervalSeconds) || intervalSeconds < 5) {
    throw new Error(
      `${key}.${options.intervalKey} must be a whole number of at least 5, not ${intervalSeconds}`,
    );
  }
  const lookbackHours = settings?.getOptionalNumber('lookbackHours') ?? 0;
  if (!(lookbackHours >= 0 && lookbackHours <= MAX_LOOKBACK_HOURS)) {
    throw new Error(
      `${key}.lookbackHours must be between 0 and ${MAX_LOOKBACK_HOURS}, not ${lookbackHours}`,
    );
  }
  return {
    enabled: settings?.getOptionalBoolean('enabled') !== false,
    intervalSeconds,
    lookbackHours,
  };
}

/**
 * Schedules a poller at start-up: `runOnce` every `intervalSeconds`, logging (constant message)
 * how many things a round reported when it reported any.
 */
export function schedulePoller(
  deps: {
    scheduler: SchedulerService;
    lifecycle: LifecycleService;
    logger: LoggerService;
  },
  poller: {
    id: string;
    intervalSeconds: number;
    timeoutMinutes: number;
    initialDelaySeconds: number;
    runOnce: () => Promise<{ reported: number }>;
    reportedMessage: string;
  },
): void {
  deps.lifecycle.addStartupHook(async () => {
    await deps.scheduler.scheduleTask({
      id: poller.id,
      frequency: { seconds: poller.intervalSeconds },
      timeout: { minutes: poller.timeoutMinutes },
      initialDelay: { seconds: poller.initialDelaySeconds },
      fn: async () => {
        const { reported } = await poller.runOnce();
        if (reported > 0) {
          deps.logger.info(poller.reportedMessage, { reported });
        }
      },
    });
  });
}
