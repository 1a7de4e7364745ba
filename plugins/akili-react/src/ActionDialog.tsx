import { FormEvent, ReactNode, useId, useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { errorMessage } from './errors';

/**
 * Props of {@link ActionDialog}.
 *
 * @public
 */
export interface ActionDialogProps {
  /** Default true: render the dialog only while it should show. */
  open?: boolean;
  title: string;
  submitLabel: string;
  canSubmit: boolean;
  /** A change that is hard to undo (suspend, terminate): the submit button says so. */
  destructive?: boolean;
  onClose: () => void;
  /** Resolves when done (the dialog closes), rejects to show the error. */
  onSubmit: () => Promise<void>;
  /** How a failure reads in the dialog; default the server's message. */
  describeError?: (error: unknown) => string;
  children: ReactNode;
}

/**
 * A dialog that runs one action: the submit button waits for it, and a failure stays in the
 * dialog with the server's message, so the user can correct it and try again.
 *
 * @public
 */
export const ActionDialog = (props: ActionDialogProps) => {
  const { title, submitLabel, canSubmit, destructive } = props;
  const describeError = props.describeError ?? errorMessage;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const titleId = useId();

  const close = () => {
    if (!busy) {
      setError(undefined);
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
      open={props.open ?? true}
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
              {describeError(error)}
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
