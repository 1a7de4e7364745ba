import { screen } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { akiliDeploymentSyncPermission } from '@akili/plugin-argocd-common';
import {
  kubernetesClustersReadPermission,
  kubernetesResourcesReadPermission,
} from '@backstage/plugin-kubernetes-common';
import { acmeOperator, deployed } from '../../__testUtils__/fixtures';
import {
  BackendAnswers,
  renderForEntity,
  serveBackend,
} from '../../__testUtils__/renderEntity';
import { DeploymentContent } from './DeploymentContent';

// usePermission caches decisions (SWR) for the whole test file: the denials live in their own
// file, so no earlier test's ALLOW answers for them, and the Kubernetes denial comes first (the
// sync test asks for the Kubernetes permissions too and does not care about their answer).

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function render(
  answers: BackendAnswers,
  options: { allow?: (permission: string) => boolean } = {},
) {
  const received = serveBackend(server, answers);
  const rendered = renderForEntity(<DeploymentContent />, options);
  return { received, rendered };
}

describe('DeploymentContent permissions', () => {
  it('does not ask Kubernetes for workloads the user may not see', async () => {
    const { received } = render(
      { deployment: { status: 'not-configured' } },
      {
        allow: name =>
          name !== kubernetesResourcesReadPermission.name &&
          name !== kubernetesClustersReadPermission.name,
      },
    );
    expect(
      await screen.findByText(
        'You are not allowed to see the Kubernetes workloads of orders.',
      ),
    ).toBeInTheDocument();
    expect(received.map(r => r.path)).not.toContain(
      '/api/kubernetes/services/orders',
    );
  });
  it('hides "Sync" when the permission policy denies akili.deployment.sync', async () => {
    render(
      { deployment: deployed, identity: acmeOperator },
      { allow: name => name !== akiliDeploymentSyncPermission.name },
    );
    await screen.findByText('ArgoCD Application acme-orders');
    await screen.findByRole('table', { name: 'Resources' });
    expect(
      screen.queryByRole('button', { name: 'Sync' }),
    ).not.toBeInTheDocument();
  });
});
