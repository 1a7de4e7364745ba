import { akiliMeter } from '@akili/plugin-akili-node';
import { RunTracker } from './RunTracker';

/** The gauge of how far the run tracker is behind (seconds); in Prometheus `akili_dagster_tracker_lag_seconds`. */
export const DAGSTER_TRACKER_LAG = 'akili.dagster.tracker.lag';

/**
 * Reports {@link RunTracker.lagSeconds} in the gauge {@link DAGSTER_TRACKER_LAG}, without labels:
 * the worst tenant, never which one (tenant names stay out of metrics; the tracker's warnings
 * name it). Returns what stops the reporting.
 */
export function observeTrackerLag(
  tracker: Pick<RunTracker, 'lagSeconds'>,
): () => void {
  const meter = akiliMeter('dagster-backend');
  const gauge = meter.createObservableGauge(DAGSTER_TRACKER_LAG, {
    description:
      'Seconds since the Dagster run tracker last caught up with the tenant that is furthest behind',
    unit: 's',
  });
  const callback = (result: { observe(value: number): void }) => {
    const lag = tracker.lagSeconds();
    if (lag !== undefined) {
      result.observe(lag);
    }
  };
  gauge.addCallback(callback);
  return () => gauge.removeCallback(callback);
}
