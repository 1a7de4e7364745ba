import { Meter, metrics } from '@opentelemetry/api';

/**
 * The OpenTelemetry meter of an Akili component, named `akili-<component>` (e.g.
 * `akili-dagster-backend`).
 *
 * @remarks
 *
 * A no-op until an SDK is registered (the backend's `instrumentation.js`, loaded with
 * `node --require`). Instruments made before the SDK is registered stay no-ops, so ask for the
 * meter when a service is created (plugin start-up), never at module load.
 *
 * Labels never carry a tenant, a user, an entity name or SQL: tenant names are customer names and
 * their number grows with the platform; the logs carry those (see the README, "Metrics").
 *
 * @public
 */
export function akiliMeter(component: string): Meter {
  return metrics.getMeter(`akili-${component}`);
}

/**
 * An HTTP status as its class, the label of the Akili request metrics: `2xx` ... `5xx`.
 *
 * @public
 */
export function httpStatusClass(status: number): string {
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    return 'other';
  }
  return `${Math.floor(status / 100)}xx`;
}
