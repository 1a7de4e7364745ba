import { CustomErrorBase } from '@backstage/errors';
import { DAGSTER_ERROR_NAMES } from '@akili/plugin-dagster-common';

/** `dagster.baseUrl` is not set: 503, named so the portal can say what to configure. */
export class DagsterNotConfiguredError extends CustomErrorBase {
  name = DAGSTER_ERROR_NAMES.notConfigured;
  readonly statusCode = 503;
}

/**
 * Dagster did not answer in time, refused the connection, or answered with something that is
 * not a GraphQL answer: 503.
 */
export class DagsterUnavailableError extends CustomErrorBase {
  name = DAGSTER_ERROR_NAMES.unavailable;
  readonly statusCode = 503;
}

/**
 * Dagster did not answer a request it may have received (no answer in time, a connection dropped
 * while waiting): a 503 like any other, but an action asked of it may or may not have happened.
 */
export class DagsterNoAnswerError extends DagsterUnavailableError {
  readonly outcomeUnknown = true;
}

/**
 * Dagster answered, but with a failure of its own (a `PythonError`, or an operation it
 * rejected): 502, the upstream failed.
 */
export class DagsterFailedError extends CustomErrorBase {
  name = 'DagsterFailedError';
  readonly statusCode = 502;
}
