import {
  PluginErrorCase,
  PluginErrorPanel,
  PluginErrorPanelProps,
} from '@akili/plugin-akili-react/components';
import {
  isLakeBadGateway,
  isLakeCredentialsError,
  isLakeUnavailable,
} from '../../lib/errors';
import { lakeNotConfiguredCase } from '../common/LakeErrorPanel';

const cases: PluginErrorCase[] = [
  lakeNotConfiguredCase,
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
    matches: error => isLakeCredentialsError(error) || isLakeBadGateway(error),
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
 * Why agreements cannot be shown: no lake set up, the lake not answering (503), the portal's lake settings
 * wrong (502), no access (403), nothing there (404) or another failure.
 */
export const AgreementErrorPanel = (
  props: Omit<PluginErrorPanelProps, 'cases'>,
) => <PluginErrorPanel {...props} cases={cases} />;
