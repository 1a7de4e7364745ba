import { ReactNode } from 'react';
import { ResponseErrorPanel, WarningPanel } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { errorMessage, isForbidden, isNotFound } from './errors';

/**
 * A failure a plugin explains in its own words, e.g. "Runs are not set up in this portal"
 * when its backend says Dagster is not configured.
 *
 * @public
 */
export interface PluginErrorCase {
  /** Whether this case explains the error. */
  matches: (error: unknown) => boolean;
  /** `info` for a setup to do, `warning` for a passing failure. */
  severity: 'info' | 'warning';
  title: string;
  /** What happened and who can do what about it; `what` is the prop of the panel. */
  description: (what: string) => ReactNode;
  /** Also show the server's message and, with `onRetry`, a "Try again" button. */
  showDetails?: boolean;
}

/** The props of {@link PluginErrorPanel}. @public */
export interface PluginErrorPanelProps {
  error: unknown;
  /** What could not be loaded: "the runs of orders". */
  what: string;
  /** The plugin's own cases, tried in order before 403, 404 and the rest. */
  cases?: readonly PluginErrorCase[];
  /** Shown for a 403 instead of "You are not allowed to see ...". */
  forbidden?: string;
  /** Shown for a 404 instead of the server's message. */
  notFound?: string;
  onRetry?: () => void;
}

/**
 * Why a plugin's view cannot be shown, in words people can act on: the plugin's own cases
 * (its backend not set up, an outside system not answering), no access (403), nothing there
 * (404), or another failure with the server's message and a "Try again" button.
 *
 * @public
 */
export function PluginErrorPanel(props: PluginErrorPanelProps) {
  const { error, what, cases = [], onRetry } = props;
  const retry = onRetry ? (
    <Box mt={1}>
      <Button variant="outlined" onClick={onRetry}>
        Try again
      </Button>
    </Box>
  ) : null;

  const known = cases.find(c => c.matches(error));
  if (known) {
    return (
      <WarningPanel
        severity={known.severity}
        title={known.title}
        defaultExpanded
      >
        <Typography variant="body2">{known.description(what)}</Typography>
        {known.showDetails && (
          <>
            <Typography variant="caption" component="p">
              {errorMessage(error)}
            </Typography>
            {retry}
          </>
        )}
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
}
