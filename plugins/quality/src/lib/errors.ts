import { errorName, errorStatus } from '@akili/plugin-akili-react';

export {
  errorMessage,
  errorStatus,
  isForbidden,
  isNotFound,
} from '@akili/plugin-akili-react';

/**
 * Whether the portal's backend has no quality plugin to answer: a 404 without Backstage's
 * `NotFoundError` body (no route), or a 503 (the store is not reachable).
 */
export function isNotConfigured(error: unknown): boolean {
  const status = errorStatus(error);
  if (status === 404) {
    return errorName(error) !== 'NotFoundError';
  }
  return status === 503;
}
