import { CustomErrorBase } from '@backstage/errors';

/** `argocd.baseUrl` is not set and something must be asked of ArgoCD (a sync): 503. */
export class ArgoCdNotConfiguredError extends CustomErrorBase {
  name = 'ArgoCdNotConfiguredError';
  readonly statusCode = 503;
}

/**
 * ArgoCD did not answer in time, refused the connection, or answered with a server error or
 * something that is not an ArgoCD answer: 503.
 */
export class ArgoCdUnavailableError extends CustomErrorBase {
  name = 'ArgoCdUnavailableError';
  readonly statusCode = 503;
}

/**
 * ArgoCD answered, but refused the portal: its token is not valid (401), its account lacks the
 * rights (403), or ArgoCD rejected the request (400): 502, the upstream failed.
 */
export class ArgoCdFailedError extends CustomErrorBase {
  name = 'ArgoCdFailedError';
  readonly statusCode = 502;
}

/** ArgoCD answered 404 (the client's callers turn it into their own answer). */
export class ArgoCdNotFoundError extends CustomErrorBase {
  name = 'ArgoCdNotFoundError';
  readonly statusCode = 404;
}

/** ArgoCD refused a sync because another operation is running: 409. */
export class ArgoCdConflictError extends CustomErrorBase {
  name = 'ArgoCdConflictError';
  readonly statusCode = 409;
}
