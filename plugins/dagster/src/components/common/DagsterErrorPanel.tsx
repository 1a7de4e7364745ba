import {
  PluginErrorCase,
  PluginErrorPanel,
  PluginErrorPanelProps,
} from '@akili/plugin-akili-react/components';
import { isNotConfigured, isUnavailable } from '../../lib/errors';

const cases: PluginErrorCase[] = [
  {
    matches: isNotConfigured,
    severity: 'info',
    title: 'Runs are not set up in this portal',
    description: what => (
      <>
        The portal's backend has no Dagster to talk to, so it cannot show {what}
        . An administrator sets <code>dagster.baseUrl</code> (the URL of
        Dagster's webserver) in the backend's app-config.
      </>
    ),
  },
  {
    matches: isUnavailable,
    severity: 'warning',
    title: 'Dagster did not answer',
    description: what => (
      <>
        Dagster is unreachable or too slow right now, so {what} could not be
        loaded. This is usually temporary.
      </>
    ),
    showDetails: true,
  },
];

/**
 * Why runs cannot be shown, in words a data team can act on: Dagster not set up (and which
 * setting is missing), Dagster not answering (try again), no access, or nothing there.
 */
export const DagsterErrorPanel = (
  props: Omit<PluginErrorPanelProps, 'cases'>,
) => <PluginErrorPanel {...props} cases={cases} />;
