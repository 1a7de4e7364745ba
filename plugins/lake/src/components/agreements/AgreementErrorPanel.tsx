import {
  PluginErrorCase,
  PluginErrorPanel,
  PluginErrorPanelProps,
} from '@akili/plugin-akili-react/components';
import { errorName, errorStatus } from '@akili/plugin-akili-react';
import { LAKE_ERROR_NAMES } from '@akili/plugin-lake-common';

/** The lake backend (or what it stands on) did not answer: 503. */
export function isLakeUnavailable(error: unknown): boolean {
  return errorStatus(error) === 503;
}

/** The lake's storage refused the portal's own credentials: 502, the deployment's fault. */
export function isLakeMisconfigured(error: unknown): boolean {
  return (
    errorStatus(error) === 502 ||
    errorName(error) === LAKE_ERROR_NAMES.credentials
  );
}

const cases: PluginErrorCase[] = [
  {
    matches: isLakeUnavailable,
    severity: 'warning',
    title: 'The lake service did not answer',
    description: what => (
      <>
        The portal's lake service is unreachable or too slow right now, so{' '}
        {what} could not be loaded. This is usually temporary: try again in a
        minute.
      </>
    ),
    showDetails: true,
  },
  {
    matches: isLakeMisconfigured,
    severity: 'warning',
    title: 'The lake refused the portal',
    description: what => (
      <>
        The lake's storage refused the portal's own credentials, so {what} could
        not be loaded. This is not about your access: a platform admin has to
        fix the portal's lake settings.
      </>
    ),
    showDetails: true,
  },
];

/**
 * Why agreements cannot be shown: the lake not answering (503), the portal's lake settings
 * wrong (502), no access (403), nothing there (404) or another failure.
 */
export const AgreementErrorPanel = (
  props: Omit<PluginErrorPanelProps, 'cases'>,
) => <PluginErrorPanel {...props} cases={cases} />;
