import {
  PluginErrorCase,
  PluginErrorPanel,
  PluginErrorPanelProps,
} from '@akili/plugin-akili-react/components';
import {
  isLakeBadGateway,
  isLakeCredentialsError,
  isLakeNotConfigured,
  isLakeUnavailable,
} from '../../lib/errors';

/** The deployment has no lake: the same for files, storage and agreements. */
export const lakeNotConfiguredCase: PluginErrorCase = {
  matches: isLakeNotConfigured,
  severity: 'info',
  title: 'The data lake is not set up in this portal',
  description: what => (
    <>
      The portal's backend has no S3 lake to read, so it cannot show {what}. An
      administrator sets <code>lake.s3</code> (the endpoint and the portal's
      credentials) in the backend's app-config.
    </>
  ),
};

const cases: PluginErrorCase[] = [
  lakeNotConfiguredCase,
  {
    matches: isLakeUnavailable,
    severity: 'warning',
    title: 'The data lake (Ceph S3) did not answer',
    description: what => (
      <>
        The lake's S3 endpoint is unreachable or too slow right now, so {what}{' '}
        could not be loaded. This is usually temporary.
      </>
    ),
    showDetails: true,
  },
  {
    matches: isLakeCredentialsError,
    severity: 'warning',
    title: "The data lake refused the portal's credentials",
    description: what => (
      <>
        S3 refused the key the portal uses for this tenant, so {what} could not
        be loaded. This is a fault of the deployment, not of your access: tell
        the platform team (the lake's credentials in the backend's app-config).
      </>
    ),
    showDetails: true,
  },
  {
    matches: isLakeBadGateway,
    severity: 'warning',
    title: 'The data lake answered with an error',
    description: what => <>S3 failed while reading {what}.</>,
    showDetails: true,
  },
];

/**
 * Why files or storage cannot be shown, in words people can act on: no lake set up (which
 * setting), the lake not answering (its endpoint named), S3 refusing the portal's credentials
 * (the deployment's fault), no access, or nothing there.
 */
export const LakeErrorPanel = (props: Omit<PluginErrorPanelProps, 'cases'>) => (
  <PluginErrorPanel {...props} cases={cases} />
);
