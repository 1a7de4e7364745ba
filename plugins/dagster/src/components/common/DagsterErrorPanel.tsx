import { ResponseErrorPanel, WarningPanel } from '@backstage/core-components';
import { Box, Button, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  errorMessage,
  isForbidden,
  isNotConfigured,
  isNotFound,
  isUnavailable,
} from '../../lib/errors';

/**
 * Why runs cannot be shown, in words a data team can act on: Dagster not set up (and which
 * setting is missing), Dagster not answering (try again), no access, or nothing there.
 */
export const DagsterErrorPanel = (props: {
  error: unknown;
  /** What could not be loaded: "the runs of orders". */
  what: string;
  /** Shown for a 403 instead of the default. */
  forbidden?: string;
  /** Shown for a 404 instead of the default. */
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
        title="Runs are not set up in this portal"
        defaultExpanded
      >
        <Typography variant="body2">
          The portal's backend has no Dagster to talk to, so it cannot show{' '}
          {what}. An administrator sets <code>dagster.baseUrl</code> (the URL of
          Dagster's webserver) in the backend's app-config.
        </Typography>
      </WarningPanel>
    );
  }
  if (isUnavailable(error)) {
    return (
      <WarningPanel
        severity="warning"
        title="Dagster did not answer"
        defaultExpanded
        message={
          <>
            <Typography variant="body2">
              Dagster is unreachable or too slow right now, so {what} could not
              be loaded. This is usually temporary.
            </Typography>
            <Typography variant="caption" component="p">
              {errorMessage(error)}
            </Typography>
            {retry}
          </>
        }
      />
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
      <Alert severity="info">
        {props.notFound ?? `${errorMessage(error)}`}
      </Alert>
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
