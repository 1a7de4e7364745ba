import { FormEvent, ReactNode, useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { errorMessage, isNotConfigured, isUnavailable } from '../../lib/errors';

let dialogCount = 0;

/** The message of a failed action, for the dialog that stays open. */
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
 * A dialog that runs one action: the submit button waits for it, and a failure stays in the
 * dialog with the server's message (e.g. what Dagster disliked in the run config), so the user
 * can correct it and try again.
 */
export const ActionDialog = (props: {
  title: string;
  submitLabel: string;
  canSubmit: boolean;
  destructive?: boolean;
  onClose: () => void;
  /** Resolves when done (the dialog closes), rejects to show the error. */
  onSubmit: () => Promise<void>;
  children: ReactNode;
}) => {
  const { title, submitLabel, canSubmit, destructive } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [titleId] = useState(() => `dagster-dialog-${++dialogCount}`);

  const close = () => {
    if (!busy) {
      props.onClose();
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!canSubmit || busy) {
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await props.onSubmit();
      setBusy(false);
      props.onClose();
    } catch (e) {
      setBusy(false);
      setError(e);
    }
  };

  return (
    <Dialog
      open
      onClose={close}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="sm"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>{title}</DialogTitle>
        <DialogContent>
          {props.children}
          {error !== undefined && (
            <Alert
              severity="error"
              role="alert"
              style={{ marginTop: 16, whiteSpace: 'pre-wrap' }}
            >
              {actionErrorMessage(error)}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={close} disabled={busy}>
            Cancel
          </Button>
          <Button
            type="submit"
            variant="contained"
            color={destructive ? 'secondary' : 'primary'}
            disabled={!canSubmit || busy}
          >
            {busy ? 'Working…' : submitLabel}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
