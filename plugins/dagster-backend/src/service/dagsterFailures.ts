import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { DagsterFailedError } from '../client/errors';

/** A member of one of Dagster's result unions, as the operations select it. */
export type DagsterTyped = { __typename: string; message?: string };

/** Longest part of Dagster's own text that goes into the backend log. */
const MAX_LOGGED_TEXT = 4000;
/** At most this many run config errors, each at most this long, go back to the caller. */
const MAX_CONFIG_ERRORS = 20;
const MAX_CONFIG_ERROR_LENGTH = 500;

/** A Python class name, the only part of a `PythonError` that is shown. */
const PYTHON_CLASS_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;

const clip = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max)}…` : text;

/** What the portal asked Dagster, in the caller's own terms. */
export interface DagsterFailureContext {
  /** The GraphQL operation, for the log. */
  operation: string;
  /**
   * What the portal was doing, built only from the caller's request and the run or product the
   * caller may see ("launching orders_hourly of dataproduct:acme/orders"), never from Dagster.
   */
  doing: string;
  /** The job the portal named, when it named one (its own code location and repository). */
  job?: { location: string; repository: string; name: string };
  logger: LoggerService;
}

/**
 * A typed failure of Dagster as the answer the portal gives. Dagster's own text can name what
 * the caller may not see: a `PythonError`'s message and stack trace (file paths, other code
 * locations, "Found: ..." lists of jobs), an `InvalidSubsetError`'s suggestions from the asset
 * graph. So the answer is built from what the caller asked (`context`) and Dagster's type name;
 * Dagster's text goes to the backend log. The one exception is `RunConfigValidationInvalid`:
 * its field errors are about the run config the caller sent for a job of their own tenant's code
 * location (checked before launching), and they are what the caller needs to fix it.
 */
export function dagsterFailure(
  result: DagsterTyped & Record<string, unknown>,
  context: DagsterFailureContext,
): Error {
  const { doing } = context;
  const className =
    typeof result.className === 'string' &&
    PYTHON_CLASS_NAME.test(result.className)
      ? result.className
      : undefined;
  context.logger.warn('Dagster answered an operation with a failure', {
    operation: context.operation,
    doing,
    type: result.__typename,
    ...(typeof result.className === 'string'
      ? { className: clip(result.className, 200) }
      : {}),
    ...(result.message
      ? { dagsterMessage: clip(String(result.message), MAX_LOGGED_TEXT) }
      : {}),
    ...(Array.isArray(result.stack)
      ? { dagsterStack: clip(result.stack.join(''), MAX_LOGGED_TEXT) }
      : {}),
  });
  switch (result.__typename) {
    case 'RunConfigValidationInvalid': {
      const errors =
        (result.errors as Array<{ message: string; path?: string[] }>) ?? [];
      const shown = errors
        .slice(0, MAX_CONFIG_ERRORS)
        .map(e =>
          clip(
            e.path?.length ? `${e.path.join('.')}: ${e.message}` : e.message,
            MAX_CONFIG_ERROR_LENGTH,
          ),
        );
      if (errors.length > shown.length) {
        shown.push(`and ${errors.length - shown.length} more`);
      }
      return new InputError(
        `Dagster rejected the run config of ${
          context.job?.name ?? 'the job'
        }: ${shown.join('; ')}`,
      );
    }
    case 'InvalidSubsetError':
      return new InputError(
        `Dagster refused ${doing}: the selected assets or steps are not part of the job`,
      );
    case 'InvalidStepError':
    case 'InvalidOutputError':
    case 'ConflictingExecutionParamsError':
    case 'PresetNotFoundError':
    case 'NoModeProvidedError':
    case 'InvalidPipelineRunsFilterError':
      return new InputError(`Dagster refused ${doing} (${result.__typename})`);
    case 'PipelineNotFoundError':
      return new NotFoundError(
        context.job
          ? `Dagster has no job ${context.job.name} in ${context.job.location}/${context.job.repository} (${doing})`
          : `Dagster has no such job (${doing})`,
      );
    case 'RunNotFoundError':
      return new NotFoundError(`Dagster found no such run (${doing})`);
    case 'RunConflict':
      return new ConflictError(
        `Dagster refused ${doing}: a run with that id exists`,
      );
    case 'UnauthorizedError':
      return new NotAllowedError(
        `Dagster refused ${doing} for the portal's credentials`,
      );
    case 'PythonError':
      return new DagsterFailedError(
        `Dagster failed ${doing}${
          className ? ` (${className})` : ''
        }; the portal's log has Dagster's error`,
      );
    default:
      return new DagsterFailedError(
        `Dagster answered ${doing} with ${result.__typename}`,
      );
  }
}
