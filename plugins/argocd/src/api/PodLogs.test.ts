/**
 * @jest-environment node
 */
import { ResponseError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ArgocdClient } from './ArgocdClient';

const BASE = 'http://localhost:7007/api';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = new ArgocdClient({
  discoveryApi: { getBaseUrl: async (id: string) => `${BASE}/${id}` },
  fetchApi: { fetch: (input: any, init?: any) => fetch(input, init) },
});

const LOGS = `${BASE}/kubernetes/akili/v1/entities/:kind/:namespace/:name/pods/:podNamespace/:pod/logs`;

describe('ArgocdClient.getPodLogs', () => {
  it("calls the Kubernetes backend's tenant-bound logs route with the product, the pod and the options", async () => {
    const asked: Array<{ params: unknown; query: unknown }> = [];
    server.use(
      http.get(LOGS, ({ request, params }) => {
        asked.push({
          params,
          query: Object.fromEntries(new URL(request.url).searchParams),
        });
        return HttpResponse.json({
          cluster: 'akili',
          namespace: 'akili-acme',
          pod: 'orders-1',
          container: 'serve',
          tailLines: 100,
          text: 'hello',
        });
      }),
    );
    await expect(
      client.getPodLogs({
        entity: { kind: 'DataProduct', namespace: 'acme', name: 'or ders' },
        cluster: 'akili',
        namespace: 'akili-acme',
        pod: 'orders-1',
        container: 'serve',
        tailLines: 100,
      }),
    ).resolves.toMatchObject({ text: 'hello', container: 'serve' });
    expect(asked).toEqual([
      {
        params: {
          kind: 'dataproduct',
          namespace: 'acme',
          name: 'or ders',
          podNamespace: 'akili-acme',
          pod: 'orders-1',
        },
        query: { cluster: 'akili', container: 'serve', tailLines: '100' },
      },
    ]);

    // Without a container or a line count, the backend's defaults apply.
    await client.getPodLogs({
      entity: { kind: 'DataProduct', namespace: 'acme', name: 'orders' },
      cluster: 'akili',
      namespace: 'akili-acme',
      pod: 'orders-1',
    });
    expect(asked[1].query).toEqual({ cluster: 'akili' });
  });

  it('rejects with a ResponseError carrying the status and the backend’s message', async () => {
    server.use(
      http.get(LOGS, () =>
        HttpResponse.json(
          {
            error: {
              name: 'ServiceUnavailableError',
              message: "Kubernetes (cluster 'akili') did not answer",
            },
            request: { method: 'GET', url: '' },
            response: { statusCode: 503 },
          },
          { status: 503 },
        ),
      ),
    );
    const error = await client
      .getPodLogs({
        entity: { kind: 'DataProduct', namespace: 'acme', name: 'orders' },
        cluster: 'akili',
        namespace: 'akili-acme',
        pod: 'orders-1',
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(503);
    expect(error.body.error.message).toBe(
      "Kubernetes (cluster 'akili') did not answer",
    );
  });
});
