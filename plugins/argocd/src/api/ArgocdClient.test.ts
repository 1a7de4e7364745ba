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

describe('ArgocdClient', () => {
  it('reads the deployment and the drift of a product, encoding its namespace and name', async () => {
    const asked: string[] = [];
    server.use(
      http.get(
        `${BASE}/argocd/v1/products/:namespace/:name/deployment`,
        ({ request, params }) => {
          asked.push(new URL(request.url).pathname);
          expect(params).toEqual({ namespace: 'acme', name: 'or ders' });
          return HttpResponse.json({ status: 'not-configured' });
        },
      ),
      http.get(
        `${BASE}/argocd/v1/products/:namespace/:name/deployment/drift`,
        ({ request }) => {
          asked.push(new URL(request.url).pathname);
          return HttpResponse.json({ status: 'not-configured', resources: [] });
        },
      ),
    );
    await expect(client.getDeployment('acme', 'or ders')).resolves.toEqual({
      status: 'not-configured',
    });
    await expect(client.getDrift('acme', 'orders')).resolves.toEqual({
      status: 'not-configured',
      resources: [],
    });
    expect(asked).toEqual([
      '/api/argocd/v1/products/acme/or%20ders/deployment',
      '/api/argocd/v1/products/acme/orders/deployment/drift',
    ]);
  });

  it('posts a sync with a JSON body', async () => {
    let received: { body: unknown; contentType: string | null } | undefined;
    server.use(
      http.post(
        `${BASE}/argocd/v1/products/acme/orders/deployment/sync`,
        async ({ request }) => {
          received = {
            body: await request.json(),
            contentType: request.headers.get('content-type'),
          };
          return HttpResponse.json({
            application: 'acme-orders',
            revision: 'main',
            auditId: 'a1',
          });
        },
      ),
    );
    await expect(
      client.sync('acme', 'orders', { prune: true }),
    ).resolves.toMatchObject({ application: 'acme-orders', auditId: 'a1' });
    expect(received).toEqual({
      body: { prune: true },
      contentType: 'application/json',
    });
  });

  it("reads the identity from the akili backend's /v1/me", async () => {
    server.use(
      http.get(`${BASE}/akili/v1/me`, () =>
        HttpResponse.json({
          userEntityRef: 'user:default/jane',
          platformAdmin: false,
          tenants: [{ name: 'acme', roles: ['operator'] }],
        }),
      ),
    );
    await expect(client.getIdentity()).resolves.toMatchObject({
      tenants: [{ name: 'acme', roles: ['operator'] }],
    });
  });

  it('throws a ResponseError with the status, name and message of the error body', async () => {
    server.use(
      http.post(`${BASE}/argocd/v1/products/acme/orders/deployment/sync`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'Only operators of acme may sync its deployments',
            },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    const error = await client.sync('acme', 'orders').catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
    expect(error.body.error.name).toBe('NotAllowedError');
    expect(error.cause.message).toBe(
      'Only operators of acme may sync its deployments',
    );
  });
});
