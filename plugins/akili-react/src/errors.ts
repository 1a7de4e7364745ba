import { ResponseError } from '@backstage/errors';

/**
 * What went wrong, as people read it: the server's own message for a `ResponseError`
 * ("Dagster rejected the run config: ...") rather than "Request failed with 400 Bad Request".
 *
 * @public
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

/**
 * The HTTP status of a failed API call, when it was one.
 *
 * @public
 */
export function errorStatus(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * The `error.name` of a Backstage error body, when there was one.
 *
 * @public
 */
export function errorName(error: unknown): string | undefined {
  return error instanceof ResponseError ? error.body?.error?.name : undefined;
}

/**
 * Whether the backend refused the call to this user (403).
 *
 * @public
 */
export function isForbidden(error: unknown): boolean {
  return errorStatus(error) === 403;
}

/**
 * Whether the backend does not know the thing asked for, or hides it from this user (404).
 *
 * @public
 */
export function isNotFound(error: unknown): boolean {
  return errorStatus(error) === 404;
}
