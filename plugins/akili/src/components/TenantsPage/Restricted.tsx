import { ReactNode } from 'react';
import { Progress, WarningPanel } from '@backstage/core-components';
import { Alert } from '@material-ui/lab';
import { errorMessage, isForbidden } from '../../lib/tenants';

/**
 * Members and audit trail are for the tenant's operators and platform admins: a 403 is
 * expected for everyone else, so it reads as a note rather than a failure.
 */
export const Restricted = (props: {
  tenant: string;
  what: string;
  loading: boolean;
  error?: unknown;
  children: ReactNode;
}) => {
  const { tenant, what, loading, error } = props;
  if (loading) {
    return <Progress />;
  }
  if (isForbidden(error)) {
    return (
      <Alert severity="info">
        Only operators of {tenant} and platform admins can see {what}.
      </Alert>
    );
  }
  if (error) {
    return (
      <WarningPanel
        severity="error"
        title={`The ${what.replace(
          /^the /,
          '',
        )} of ${tenant} could not be loaded`}
        message={errorMessage(error)}
      />
    );
  }
  return <>{props.children}</>;
};
