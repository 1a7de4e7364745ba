import { errorStatus } from '@akili/plugin-akili-react';

export {
  errorMessage,
  errorStatus,
  isForbidden,
  isNotFound,
} from '@akili/plugin-akili-react';

/** Whether ArgoCD did not answer (or answered with a server error): the backend's 503. */
export function isArgocdUnavailable(error: unknown): boolean {
  return errorStatus(error) === 503;
}
