import { errorName, errorStatus } from '@akili/plugin-akili-react';
import { DAGSTER_ERROR_NAMES } from '@akili/plugin-dagster-common';

export {
  errorMessage,
  errorStatus,
  isForbidden,
  isNotFound,
} from '@akili/plugin-akili-react';

/** Whether the backend has no Dagster to talk to: `dagster.baseUrl` is not set. */
export function isNotConfigured(error: unknown): boolean {
  return (
    errorStatus(error) === 503 &&
    errorName(error) === DAGSTER_ERROR_NAMES.notConfigured
  );
}

/** Whether Dagster did not answer, or answered with a server error. */
export function isUnavailable(error: unknown): boolean {
  return (
    errorStatus(error) === 503 &&
    errorName(error) === DAGSTER_ERROR_NAMES.unavailable
  );
}
