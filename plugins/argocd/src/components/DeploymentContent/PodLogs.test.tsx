import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  BASE,
  renderForEntity,
  serveBackend,
} from '../../__testUtils__/renderEntity';
import { KubernetesWorkloads } from './KubernetesWorkloads';
import { ordersEntity } from '../../__testUtils__/fixtures';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const LOGS = `${BASE}/kubernetes/akili/v1/entities/:kind/:namespace/:name/pods/:podNamespace/:pod/logs`;

const listedPod = (name: string, containers: string[]) => ({
  metadata: {
    name,
    namespace: 'akili-acme',
    labels: { 'akili.io/product': 'orders' },
  },
  spec: { containers: containers.map(c => ({ name: c, image: 'app:1' })) },
  status: { phase: 'Running' },
});

type LogAnswer =
  | { text: string }
  | { status: number; name: string; message: string };

/** Serves the workloads and the logs route; `answer` decides each logs request in turn. */
function render(answer: (n: number) => LogAnswer) {
  serveBackend(server, {
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
                listedPod('orders-7c9d-b2x4q', ['serve']),
                listedPod('orders-7c9d-k8p2m', ['serve', 'sidecar']),
              ],
            },
          ],
        },
      ],
    } as any,
  });
  const asked: Array<{ path: string; query: Record<string, string> }> = [];
  server.use(
    http.get(LOGS, ({ request, params }) => {
      const url = new URL(request.url);
      asked.push({
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
      });
      const reply = answer(asked.length);
      if ('status' in reply) {
        return HttpResponse.json(
          {
            error: { name: reply.name, message: reply.message },
            request: { method: 'GET', url: url.pathname },
            response: { statusCode: reply.status },
          },
          { status: reply.status },
        );
      }
      return HttpResponse.json({
        cluster: url.searchParams.get('cluster'),
        namespace: params.podNamespace,
        pod: params.pod,
        container: url.searchParams.get('container') ?? 'serve',
        tailLines: Number(url.searchParams.get('tailLines') ?? 500),
        text: reply.text,
      });
    }),
  );
  renderForEntity(
    <KubernetesWorkloads entity={ordersEntity} refreshIntervalMs={60_000} />,
  );
  return asked;
}

const openLogs = async (name: string) =>
  userEvent.click(await screen.findByRole('button', { name }));

describe('pod logs on the Deployment tab', () => {
  it('opens the last lines of a pod through the tenant-bound logs route, in monospace', async () => {
    const asked = render(() => ({
      text: '2026-12-03T10:00:00Z INFO  starting orders\n2026-12-03T10:01:00Z INFO  health check ok',
    }));
    const table = await screen.findByRole('table', {
      name: 'Pod logs on akili',
    });
    expect(within(table).getByText('orders-7c9d-b2x4q')).toBeInTheDocument();

    await openLogs('Logs of orders-7c9d-b2x4q (serve)');
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText('Logs of orders-7c9d-b2x4q'),
    ).toBeInTheDocument();
    const log = await within(dialog).findByLabelText(
      'Log of orders-7c9d-b2x4q (serve)',
    );
    expect(log.tagName).toBe('PRE');
    expect(log).toHaveTextContent('INFO starting orders');
    expect(log).toHaveTextContent('health check ok');
    expect(asked).toEqual([
      {
        path: '/api/kubernetes/akili/v1/entities/dataproduct/acme/orders/pods/akili-acme/orders-7c9d-b2x4q/logs',
        query: { cluster: 'akili', container: 'serve', tailLines: '500' },
      },
    ]);

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('offers each container of a pod, and reads again for another container, line count or "Refresh"', async () => {
    const asked = render(n => ({ text: `answer ${n}` }));
    expect(
      await screen.findByRole('button', {
        name: 'Logs of orders-7c9d-k8p2m (serve)',
      }),
    ).toBeInTheDocument();
    await openLogs('Logs of orders-7c9d-k8p2m (sidecar)');
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByLabelText(
        'Log of orders-7c9d-k8p2m (sidecar)',
      ),
    ).toHaveTextContent('answer 1');
    expect(asked[0].query.container).toBe('sidecar');

    await userEvent.click(
      within(dialog).getByRole('button', { name: /^Last lines/ }),
    );
    await userEvent.click(await screen.findByRole('option', { name: '5000' }));
    await waitFor(() => expect(asked).toHaveLength(2));
    expect(asked[1].query).toEqual({
      cluster: 'akili',
      container: 'sidecar',
      tailLines: '5000',
    });

    await userEvent.click(
      within(dialog).getByRole('button', { name: /^Container/ }),
    );
    await userEvent.click(await screen.findByRole('option', { name: 'serve' }));
    await waitFor(() => expect(asked).toHaveLength(3));
    expect(asked[2].query.container).toBe('serve');
    expect(
      await within(dialog).findByLabelText('Log of orders-7c9d-k8p2m (serve)'),
    ).toHaveTextContent('answer 3');

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Refresh' }),
    );
    expect(
      await within(dialog).findByText('answer 4', { exact: false }),
    ).toBeInTheDocument();
    expect(asked).toHaveLength(4);
  });

  it('says when a container has logged nothing', async () => {
    render(() => ({ text: '' }));
    await openLogs('Logs of orders-7c9d-b2x4q (serve)');
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText(
        'serve of orders-7c9d-b2x4q has logged nothing yet.',
      ),
    ).toBeInTheDocument();
  });

  it('names Kubernetes when it does not answer (503), and shows the log after "Try again"', async () => {
    const asked = render(n =>
      n === 1
        ? {
            status: 503,
            name: 'ServiceUnavailableError',
            message:
              "Kubernetes (cluster 'akili') did not answer; caused by Error: connect ECONNREFUSED",
          }
        : { text: 'back again' },
    );
    await openLogs('Logs of orders-7c9d-b2x4q (serve)');
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText(/Kubernetes does not answer/),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        /did not answer; caused by Error: connect ECONNREFUSED/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Try again' }),
    );
    expect(
      await within(dialog).findByLabelText('Log of orders-7c9d-b2x4q (serve)'),
    ).toHaveTextContent('back again');
    expect(asked).toHaveLength(2);
  });

  it('says the pod is gone or not the product’s on a 404', async () => {
    render(() => ({
      status: 404,
      name: 'NotFoundError',
      message: 'No pod akili-acme/orders-7c9d-b2x4q of dataproduct:acme/orders',
    }));
    await openLogs('Logs of orders-7c9d-b2x4q (serve)');
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText(
        "orders-7c9d-b2x4q is no longer one of orders's pods, or no longer runs.",
      ),
    ).toBeInTheDocument();
  });
});
