import { errorName, errorStatus } from '@akili/plugin-akili-react';

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

/**
 * The `error.name` the query backend gives a tenant without `starrocks.tenants.<tenant>`
 * (`TenantNotConfiguredError` of `@akili/plugin-starrocks-backend`, which a frontend cannot
 * import).
 */
const TENANT_NOT_CONFIGURED = 'StarrocksTenantNotConfiguredError';

/** Whether the backend has no query engine for the tenant (503 `StarrocksTenantNotConfiguredError`). */
export function isNotConfigured(error: unknown): boolean {
  return (
    errorStatus(error) === 503 && errorName(error) === TENANT_NOT_CONFIGURED
  );
}

/** Whether StarRocks (or what the query needs) did not answer: any other 503. */
export function isUnavailable(error: unknown): boolean {
  return errorStatus(error) === 503 && !isNotConfigured(error);
}
