import { errorStatus } from '@akili/plugin-akili-react';

export {
  errorMessage,
  errorStatus,
  isForbidden,
  isNotFound,
} from '@akili/plugin-akili-react';

/** Whether the SQL guard refused the statement (400 `Query refused: ...`). */
export function isRefused(error: unknown): boolean {
  return errorStatus(error) === 400;
}

/** Whether the tenant runs as many queries as its quota allows (429). */
export function isOverQuota(error: unknown): boolean {
  return errorStatus(error) === 429;
}

/** Whether the backend has no query engine for the tenant (503). */
export function isNotConfigured(error: unknown): boolean {
  return errorStatus(error) === 503;
}
