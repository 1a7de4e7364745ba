import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import {
  DEPLOYED_SHA,
  acmeConsumer,
  acmeOperator,
  deployed,
  notDeployed,
  ordersApplication,
  ordersDrift,
  syncResponse,
} from '../../__testUtils__/fixtures';
import {
  BackendAnswers,
  renderForEntity,
  serveBackend,
} from '../../__testUtils__/renderEntity';
import { DeploymentContent } from './DeploymentContent';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const DEPLOYMENT_PATH = '/api/argocd/v1/products/acme/orders/deployment';

function render(
  answers: BackendAnswers,
  options: { allow?: (permission: string) => boolean } = {},
) {
  const received = serveBackend(server, answers);
  const rendered = renderForEntity(
    <DeploymentContent
      pollIntervalMs={50}
      kubernetesRefreshIntervalMs={60_000}
    />,
    options,
  );
  return { received, rendered };
}

/** Lets answers that are on their way arrive before asserting that something is absent. */
const settle = () => new Promise(resolve => setTimeout(resolve, 300));

const paths = (received: { method: string; path: string }[]) =>
  received.map(r => `${r.method} ${r.path}`);

describe('DeploymentContent', () => {
  it("shows the Application's status, source, last sync and link to ArgoCD", async () => {
    render({ deployment: deployed, identity: acmeConsumer });
    expect(
      await screen.findByText('ArgoCD Application acme-orders'),
    ).toBeInTheDocument();
    const status = screen.getByLabelText('Application status');
    expect(
      within(status).getByText('Out of sync').closest('[title]'),
    ).toHaveAttribute('title', 'Sync status: OutOfSync');
    expect(within(status).getByText('Degraded')).toBeInTheDocument();
    expect(
      screen.getByText('Deployment orders has 1/2 ready'),
    ).toBeInTheDocument();

    // Short sha, full sha on hover.
    const revisions = screen.getAllByText('3f2a9c1');
    expect(revisions[0]).toHaveAttribute('title', DEPLOYED_SHA);
    expect(screen.getByText('main')).toBeInTheDocument();
    expect(
      screen.getByText(
        /gitlab\.example\.com\/data-products\/acme\/orders\.git · deploy/,
      ),
    ).toBeInTheDocument();

    const lastSync = screen.getByLabelText('Last sync');
    expect(within(lastSync).getByText('Succeeded')).toBeInTheDocument();
    expect(within(lastSync).getByText('by jane.doe')).toBeInTheDocument();
    expect(
      within(lastSync).getByText('successfully synced (all tasks run)'),
    ).toBeInTheDocument();
    // Relative time, the absolute one on hover.
    const started = lastSync.querySelector('time');
    expect(started).toHaveAttribute('dateTime', '2026-12-03T14:00:00Z');
    expect(started?.getAttribute('title')).toMatch(/2026/);

    expect(
      screen.getByRole('link', { name: /Open in ArgoCD/ }),
    ).toHaveAttribute('href', ordersApplication.url);
  });

  it('lists the resources and the sync history, newest first', async () => {
    render({ deployment: deployed, identity: acmeConsumer });
    const resources = await screen.findByRole('table', { name: 'Resources' });
    const rows = within(resources).getAllByRole('row').slice(1);
    expect(rows.map(row => row.textContent)).toEqual([
      'apps/Deploymentakili-acme/ordersOut of syncDegradedNo',
      'Serviceakili-acme/ordersSyncedHealthyNo',
      'ConfigMapakili-acme/orders-legacyOut of sync—Yes',
    ]);

    const history = screen.getByRole('table', { name: 'Sync history' });
    const entries = within(history).getAllByRole('row').slice(1);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toHaveTextContent('3f2a9c1');
    expect(entries[0]).toHaveTextContent('jane.doe');
    expect(entries[1]).toHaveTextContent('9b8a7c6');
    expect(entries[1]).toHaveTextContent('automated sync');
  });

  it('loads the drift when an out-of-sync resource is first opened, and shows live against desired', async () => {
    const { received } = render({
      deployment: deployed,
      drift: ordersDrift,
      identity: acmeConsumer,
    });
    await screen.findByRole('table', { name: 'Resources' });
    expect(paths(received)).not.toContain(`GET ${DEPLOYMENT_PATH}/drift`);
    // Only out-of-sync resources open.
    expect(
      screen.queryByRole('button', { name: 'Show drift of Service orders' }),
    ).not.toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Show drift of Deployment orders' }),
    );
    const drift = await screen.findByRole('table', {
      name: 'Drift of Deployment orders',
    });
    const changes = within(drift).getAllByRole('row').slice(1);
    expect(changes.map(row => row.textContent)).toEqual([
      'spec.replicas12',
      'spec.template.spec.containers[0].imageregistry.example.com/acme/orders:1.3.0registry.example.com/acme/orders:1.4.0',
    ]);

    await userEvent.click(
      screen.getByRole('button', {
        name: 'Show drift of ConfigMap orders-legacy',
      }),
    );
    expect(
      await screen.findByText(
        /no longer in Git: a sync with pruning deletes it/,
      ),
    ).toBeInTheDocument();
    expect(
      paths(received).filter(p => p === `GET ${DEPLOYMENT_PATH}/drift`),
    ).toHaveLength(1);

    await userEvent.click(
      screen.getByRole('button', { name: 'Hide drift of Deployment orders' }),
    );
    expect(
      screen.queryByRole('table', { name: 'Drift of Deployment orders' }),
    ).not.toBeInTheDocument();
  });

  it('says when the drift cannot be loaded because ArgoCD does not answer', async () => {
    render({
      deployment: deployed,
      drift: {
        status: 503,
        name: 'ServiceUnavailableError',
        message: 'ArgoCD did not answer within 10 s',
      },
      identity: acmeConsumer,
    });
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Show drift of Deployment orders',
      }),
    );
    expect(
      await screen.findByText(/ArgoCD did not answer$/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('ArgoCD did not answer within 10 s'),
    ).toBeInTheDocument();
  });

  it('says what to configure when ArgoCD is not set up', async () => {
    render({ deployment: { status: 'not-configured' } });
    expect(
      await screen.findByText(/Deployments are not set up in this portal/),
    ).toBeInTheDocument();
    expect(screen.getByText('argocd.baseUrl')).toBeInTheDocument();
  });

  it('says what the product needs when it has no Application', async () => {
    render({ deployment: notDeployed });
    expect(
      await screen.findByText(/orders is not deployed by ArgoCD/),
    ).toBeInTheDocument();
    const needs = screen.getByRole('list', {
      name: 'What the Application needs',
    });
    expect(needs).toHaveTextContent('in the ArgoCD project akili-acme');
    expect(needs).toHaveTextContent(
      'with the destination namespace akili-acme',
    );
    expect(needs).toHaveTextContent(
      'with the labels akili.io/tenant=acme, akili.io/product=orders',
    );
  });

  it('names ArgoCD when it is down (503) and loads again on "Try again"', async () => {
    const { received } = render({
      deployment: {
        status: 503,
        name: 'ServiceUnavailableError',
        message: 'ArgoCD at https://argocd.example.com did not answer',
      },
    });
    expect(
      await screen.findByText(/ArgoCD did not answer$/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('ArgoCD at https://argocd.example.com did not answer'),
    ).toBeInTheDocument();

    serveBackend(server, { deployment: deployed, identity: acmeConsumer });
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(
      await screen.findByText('ArgoCD Application acme-orders'),
    ).toBeInTheDocument();
    expect(
      paths(received).filter(p => p === `GET ${DEPLOYMENT_PATH}`),
    ).toHaveLength(1);
  });

  it("says when ArgoCD refuses the portal's token (502)", async () => {
    render({
      deployment: {
        status: 502,
        name: 'ArgoCdFailedError',
        message: "ArgoCD refused the portal's token (401)",
      },
    });
    expect(
      await screen.findByText(/ArgoCD refused the portal$/),
    ).toBeInTheDocument();
    expect(
      screen.getByText("ArgoCD refused the portal's token (401)"),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Try again' }),
    ).toBeInTheDocument();
  });

  it('tells a user outside the tenant that they may not see the deployment (403)', async () => {
    render({
      deployment: {
        status: 403,
        name: 'NotAllowedError',
        message: 'not a member of acme',
      },
    });
    expect(
      await screen.findByText(
        'Only members of the tenant acme can see the deployment of orders.',
      ),
    ).toBeInTheDocument();
  });

  it('hides "Sync" from a consumer of the tenant, even one who operates another tenant', async () => {
    const { received } = render({
      deployment: deployed,
      identity: acmeConsumer,
    });
    await screen.findByText('ArgoCD Application acme-orders');
    await waitFor(() =>
      expect(paths(received)).toContain('GET /api/akili/v1/me'),
    );
    await screen.findByRole('table', { name: 'Resources' });
    await settle();
    expect(
      screen.queryByRole('button', { name: 'Sync' }),
    ).not.toBeInTheDocument();
  });

  it("follows the backend's canSync for this product over the user's roles", async () => {
    const first = render({
      deployment: { ...deployed, canSync: false },
      identity: acmeOperator,
    });
    await screen.findByRole('table', { name: 'Resources' });
    await settle();
    expect(
      screen.queryByRole('button', { name: 'Sync' }),
    ).not.toBeInTheDocument();
    expect(paths(first.received)).not.toContain('GET /api/akili/v1/me');
    first.rendered.unmount();

    render({
      deployment: { ...deployed, canSync: true },
      identity: acmeConsumer,
    });
    expect(await screen.findByRole('button', { name: 'Sync' })).toBeEnabled();
  });

  it('lets an operator sync after confirming, and shows the outcome', async () => {
    const { received } = render({
      deployment: deployed,
      identity: acmeOperator,
      sync: syncResponse,
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Sync' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('Sync acme-orders?')).toBeInTheDocument();
    expect(paths(received)).not.toContain(`POST ${DEPLOYMENT_PATH}/sync`);

    serveBackend(server, {
      deployment: {
        status: 'deployed',
        application: {
          ...ordersApplication,
          operation: syncResponse.operation,
        },
      },
      identity: acmeOperator,
      sync: syncResponse,
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Sync now' }),
    );

    expect(await screen.findByRole('status')).toHaveTextContent(
      'Sync of acme-orders to 3f2a9c1 started (Running).',
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    // The Application is read again and shows the sync in progress.
    const progress = await screen.findByLabelText('Sync in progress');
    expect(within(progress).getByText('Running')).toBeInTheDocument();
    expect(
      within(progress).getByText('by olivia.operator'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sync' })).toBeDisabled();
  });

  it("keeps the backend's refusal in the dialog", async () => {
    const { received } = render({
      deployment: deployed,
      identity: acmeOperator,
      sync: {
        status: 409,
        name: 'ConflictError',
        message: 'Another operation is already in progress on acme-orders',
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Sync' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Sync now' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Another operation is already in progress on acme-orders',
    );
    expect(received).toContainEqual({
      method: 'POST',
      path: `${DEPLOYMENT_PATH}/sync`,
      body: {},
    });
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  it("shows the product's Kubernetes workloads through the Kubernetes plugin", async () => {
    const { received } = render({
      deployment: { status: 'not-configured' },
      kubernetes: {
        items: [
          {
            cluster: { name: 'akili' },
            podMetrics: [],
            errors: [],
            resources: [
              {
                type: 'pods',
                resources: [
                  {
                    metadata: {
                      name: 'orders-6d9f7-abcde',
                      namespace: 'akili-acme',
                      labels: { 'backstage.io/kubernetes-id': 'orders' },
                    },
                    status: { phase: 'Running' },
                  },
                ],
              },
            ],
          },
        ],
      } as any,
    });
    expect(await screen.findByText('Kubernetes workloads')).toBeInTheDocument();
    expect(await screen.findByText('akili')).toBeInTheDocument();
    expect(received.map(r => r.path)).toContain(
      '/api/kubernetes/services/orders',
    );
  });
});
