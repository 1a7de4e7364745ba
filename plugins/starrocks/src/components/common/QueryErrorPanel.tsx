import { ResponseErrorPanel, WarningPanel } from '@backstage/core-components';
import { Typography } from '@material-ui/core';
import { Alert, AlertTitle } from '@material-ui/lab';
import {
  errorMessage,
  isForbidden,
  isNotConfigured,
  isNotFound,
  isOverQuota,
  isRefused,
  isUnavailable,
} from '../../lib/errors';

/**
 * Why a query or the schema could not be had, in words a data consumer can act on: the guard
 * refused the statement (with its reason), the tenant's concurrency quota is used up, querying is
 * not set up for the tenant, or the user may not query it.
 */
export const QueryErrorPanel = (props: {
  error: unknown;
  tenant: string;
  /** What failed: "the query", "the tables of acme". */
  what: string;
}) => {
  const { error, tenant, what } = props;
  const message = errorMessage(error);
  if (isRefused(error)) {
    return (
      <Alert severity="error" role="alert">
        <AlertTitle>Query refused</AlertTitle>
        {message.replace(/^Query refused:\s*/, '')}
      </Alert>
    );
  }
  if (isOverQuota(error)) {
    return (
      <Alert severity="warning" role="alert">
        <AlertTitle>Too many queries running</AlertTitle>
        {tenant} already runs as many queries as its quota allows. Run this one
        again when one of them has finished.
      </Alert>
    );
  }
  if (isNotConfigured(error)) {
    return (
      <WarningPanel
        severity="info"
        title={`Querying is not set up for ${tenant}`}
        defaultExpanded
      >
        <Typography variant="body2">
          The portal's backend has no query engine for {tenant}, so it cannot
          run {what}. An administrator configures the tenant's read-only
          StarRocks user under <code>starrocks.tenants</code> in the backend's
          app-config.
        </Typography>
        <Typography variant="caption" component="p">
          {message}
        </Typography>
      </WarningPanel>
    );
  }
  if (isUnavailable(error)) {
    return (
      <WarningPanel
        severity="warning"
        title="StarRocks did not answer"
        defaultExpanded
      >
        <Typography variant="body2">
          StarRocks, the query engine, did not answer in time for {what}. This
          is usually temporary: try again in a moment.
        </Typography>
        <Typography variant="caption" component="p">
          {message}
        </Typography>
      </WarningPanel>
    );
  }
  if (isForbidden(error) || isNotFound(error)) {
    return (
      <Alert severity="info" role="alert">
        You cannot query the data products of {tenant}: querying is for its
        members (consumers, developers and operators).
      </Alert>
    );
  }
  return (
    <ResponseErrorPanel
      error={error instanceof Error ? error : new Error(String(error))}
      title={`Could not run ${what}`}
    />
  );
};
