import { ResponseErrorPanel, WarningPanel } from '@backstage/core-components';
import { Box, Button, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  errorMessage,
  isForbidden,
  isNotConfigured,
  isNotFound,
} from '../../lib/errors';

/**
 * Why quality cannot be shown, in words people can act on: the quality backend not set up, no
 * access, nothing there, or another failure with the server's message.
 */
export const QualityErrorPanel = (props: {
  error: unknown;
  /** What could not be loaded: "the quality of orders". */
  what: string;
  forbidden?: string;
  notFound?: string;
  onRetry?: () => void;
}) => {
  const { error, what, onRetry } = props;
  const retry = onRetry ? (
    <Box mt={1}>
      <Button variant="outlined" onClick={onRetry}>
        Try again
      </Button>
    </Box>
  ) : null;

  if (isNotConfigured(error)) {
    return (
      <WarningPanel
        severity="info"
        title="Quality is not available in this portal"
        defaultExpanded
      >
        <Typography variant="body2">
          The portal's backend did not answer for the quality plugin, so it
          cannot show {what}. An administrator adds{' '}
          <code>@akili/plugin-quality-backend</code> to the backend (and its
          database must be reachable).
        </Typography>
        <Typography variant="caption" component="p">
          {errorMessage(error)}
        </Typography>
        {retry}
      </WarningPanel>
    );
  }
  if (isForbidden(error)) {
    return (
      <Alert severity="info">
        {props.forbidden ?? `You are not allowed to see ${what}.`}
      </Alert>
    );
  }
  if (isNotFound(error)) {
    return (
      <Alert severity="info">{props.notFound ?? errorMessage(error)}</Alert>
    );
  }
  return (
    <>
      <ResponseErrorPanel
        error={error instanceof Error ? error : new Error(String(error))}
        title={`Could not load ${what}`}
      />
      {retry}
    </>
  );
};
