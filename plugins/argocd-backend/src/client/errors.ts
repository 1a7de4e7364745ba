import { CustomErrorBase } from '@backstage/errors';
import { ARGOCD_ERROR_NAMES } from '@akili/plugin-argocd-common';

/** `argocd.baseUrl` is not set and something must be asked of ArgoCD (a sync): 503. */
export class ArgoCdNotConfiguredError extends CustomErrorBase {
  name = ARGOCD_ERROR_NAMES.notConfigured;
  readonly statusCode = 503;
}

/**
 * ArgoCD did not answer in time, refused the connection, or answered with a server error or
 * something that is not an ArgoCD answer: 503.
 */
export class ArgoCdUnavailableError extends CustomErrorBase {
  name = ARGOCD_ERROR_NAMES.unavailable;
  readonly statusCode = 503;
}

/**
 * ArgoCD answered, but refused the portal: its token is not valid (401), its account lacks the
 * rights (403), or ArgoCD rejected the request (400): 502, the upstream failed.
 */
export class ArgoCdFailedError extends CustomErrorBase {
  name = ARGOCD_ERROR_NAMES.failed;
  readonly statusCode = 502;
}

/** ArgoCD answered 404 (the client's callers turn it into their own answer). */
export class ArgoCdNotFoundError extends CustomErrorBase {
  name = 'ArgoCdNotFoundError';
  readonly statusCode = 404;
}

/** ArgoCD refused a sync because another operation is running: 409. */
export class ArgoCdConflictError extends CustomErrorBase {
  name = ARGOCD_ERROR_NAMES.conflict;
  readonly statusCode = 409;
}
