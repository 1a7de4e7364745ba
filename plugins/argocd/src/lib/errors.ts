import { errorStatus } from '@akili/plugin-akili-react';

export {
  errorMessage,
  errorStatus,
  isForbidden,
  isNotFound,
} from '@akili/plugin-akili-react';

/**
 * Whether ArgoCD did not answer, too slowly, or with a server error: the backend's 503. (The
 * routes this tab reads answer `not-configured` as a status, not as an error.)
 */
export function isArgocdUnavailable(error: unknown): boolean {
  return errorStatus(error) === 503;
}

/**
 * Whether ArgoCD answered but refused the portal (its token or its account's rights) or the
 * request: the backend's 502.
 */
export function isArgocdFailed(error: unknown): boolean {
  return errorStatus(error) === 502;
}
