import { ResponseError } from '@backstage/errors';
import { DAGSTER_ERROR_NAMES } from '@akili/plugin-dagster-common';

/**
 * What went wrong, as people read it: the server's own message for a `ResponseError`
 * ("Dagster rejected the run config: ...") rather than "Request failed with 400 Bad Request".
 */
export function errorMessage(error: unknown): string {
  if (error instanceof ResponseError) {
    return error.cause?.message || error.message;
  }
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}

/** The HTTP status of a failed API call, when it was one. */
export function errorStatus(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The `error.name` of a Backstage error body, when there was one. */
function errorName(error: unknown): string | undefined {
  if (error instanceof ResponseError) {
    return error.body?.error?.name;
  }
  return undefined;
}

/** Whether the backend refused the call to this user (403). */
export function isForbidden(error: unknown): boolean {
  return errorStatus(error) === 403;
}

/** Whether the backend does not know the thing asked for, or hides it from this user (404). */
export function isNotFound(error: unknown): boolean {
  return errorStatus(error) === 404;
}

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
