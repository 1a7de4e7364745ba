import {
  PluginErrorCase,
  PluginErrorPanel,
  PluginErrorPanelProps,
} from '@akili/plugin-akili-react/components';
import { isNotConfigured } from '../../lib/errors';

const cases: PluginErrorCase[] = [
  {
    matches: isNotConfigured,
    severity: 'info',
    title: 'Quality is not available in this portal',
    description: what => (
      <>
        The portal's backend did not answer for the quality plugin, so it cannot
        show {what}. An administrator adds{' '}
        <code>@akili/plugin-quality-backend</code> to the backend (and its
        database must be reachable).
      </>
    ),
    showDetails: true,
  },
];

/**
 * Why quality cannot be shown, in words people can act on: the quality backend not set up, no
 * access, nothing there, or another failure with the server's message.
 */
export const QualityErrorPanel = (
  props: Omit<PluginErrorPanelProps, 'cases'>,
) => <PluginErrorPanel {...props} cases={cases} />;
