import {
  ActionDialog as AkiliActionDialog,
  ActionDialogProps,
} from '@akili/plugin-akili-react';
import { errorMessage, isNotConfigured, isUnavailable } from '../../lib/errors';

/** The message of a failed run action, for the dialog that stays open. */
function actionErrorMessage(error: unknown): string {
  if (isUnavailable(error)) {
    return `Dagster did not answer, nothing was changed. Try again in a moment. (${errorMessage(
      error,
    )})`;
  }
  if (isNotConfigured(error)) {
    return 'Runs are not set up in this portal: the backend has no dagster.baseUrl.';
  }
  return errorMessage(error);
}

/**
 * The shared one-action dialog, saying what a Dagster that is down or not set up means for the
 * action (e.g. what Dagster disliked in the run config stays in the dialog to be corrected).
 */
export const ActionDialog = (
  props: Omit<ActionDialogProps, 'describeError'>,
) => <AkiliActionDialog {...props} describeError={actionErrorMessage} />;
