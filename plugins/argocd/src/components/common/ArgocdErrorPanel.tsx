import {
  PluginErrorCase,
  PluginErrorPanel,
  PluginErrorPanelProps,
} from '@akili/plugin-akili-react/components';
import { isArgocdFailed, isArgocdUnavailable } from '../../lib/errors';

const cases: PluginErrorCase[] = [
  {
    matches: isArgocdUnavailable,
    severity: 'warning',
    title: 'ArgoCD did not answer',
    description: what => (
      <>
        ArgoCD is unreachable or too slow right now, so {what} could not be
        loaded. This is usually temporary; the product's workloads below are
        read from Kubernetes and may still show.
      </>
    ),
    showDetails: true,
  },
  {
    matches: isArgocdFailed,
    severity: 'warning',
    title: 'ArgoCD refused the portal',
    description: what => (
      <>
        ArgoCD answered but refused the portal's request for {what}: usually the
        portal's ArgoCD token (<code>argocd.token</code>) is no longer valid or
        its account lacks rights in the tenant's project. An administrator can
        check it.
      </>
    ),
    showDetails: true,
  },
];

/**
 * Why a deployment cannot be shown, in words people can act on: ArgoCD not answering (try
 * again), no access, or another failure with the server's message.
 */
export const ArgocdErrorPanel = (
  props: Omit<PluginErrorPanelProps, 'cases'>,
) => <PluginErrorPanel {...props} cases={cases} />;
