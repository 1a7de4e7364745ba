/**
 * @jest-environment node
 */
import { ResponseError } from '@backstage/errors';
import { QualityClient } from './QualityClient';

const bases: Record<string, string> = {
  quality: 'http://localhost:7007/api/quality',
  akili: 'http://localhost:7007/api/akili',
};

function setup(answer: () => Response) {
  const calls: { method: string; url: URL; body?: unknown }[] = [];
  const fetchApi = {
    fetch: jest.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const url = new URL(String(input));
      calls.push({
        method: init.method ?? 'GET',
        url,
        body: init.body ? JSON.parse(String(init.body)) : undefined,
      });
      return answer();
    }),
  };
  const discoveryApi = { getBaseUrl: jest.fn(async (id: string) => bases[id]) };
  return { client: new QualityClient({ discoveryApi, fetchApi }), calls };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

describe('QualityClient', () => {
  it('reads the quality routes with their query strings, encoding path parts', async () => {
    const { client, calls } = setup(() => json({ items: [] }));
    await client.getSummary('acme', 'orders');
    await client.getTrend('acme', 'orders', 90);
    await client.listResults('acme', 'orders', { rule: 'a b', limit: 30 });
    await client.listProductIncidents('acme', 'orders');
    await client.getTenantScores('acme');
    await client.getDashboard('acme', 30);
    await client.listTenantIncidents('acme', {
      state: 'assigned',
      product: 'orders',
      limit: 50,
      cursor: 'c2',
    });
    await client.getIncident('acme', '1/2');
    expect(
      calls.map(c => `${c.method} ${c.url.pathname}${c.url.search}`),
    ).toEqual([
      'GET /api/quality/v1/products/acme/orders/summary',
      'GET /api/quality/v1/products/acme/orders/trend?days=90',
      'GET /api/quality/v1/products/acme/orders/results?rule=a+b&limit=30',
      'GET /api/quality/v1/products/acme/orders/incidents?state=open',
      'GET /api/quality/v1/tenants/acme/scores',
      'GET /api/quality/v1/tenants/acme/dashboard?days=30',
      'GET /api/quality/v1/tenants/acme/incidents?state=assigned&product=orders&limit=50&cursor=c2',
      'GET /api/quality/v1/tenants/acme/incidents/1%2F2',
    ]);
  });

  it('posts incident actions with their JSON bodies', async () => {
    const { client, calls } = setup(() => json({ incident: {}, timeline: [] }));
    await client.acknowledgeIncident('acme', '7');
    await client.assignIncident('acme', '7', 'user:default/omar');
    await client.resolveIncident('acme', '7', {
      reason: 'other',
      comment: 'fixed',
    });
    await client.commentIncident('acme', '7', 'hi');
    expect(calls.map(c => [c.method, c.url.pathname, c.body])).toEqual([
      ['POST', '/api/quality/v1/tenants/acme/incidents/7/acknowledge', {}],
      [
        'POST',
        '/api/quality/v1/tenants/acme/incidents/7/assign',
        { assignee: 'user:default/omar' },
      ],
      [
        'POST',
        '/api/quality/v1/tenants/acme/incidents/7/resolve',
        { reason: 'other', comment: 'fixed' },
      ],
      [
        'POST',
        '/api/quality/v1/tenants/acme/incidents/7/comments',
        { comment: 'hi' },
      ],
    ]);
  });

  it('reads identity and tenants from the akili backend', async () => {
    const { client, calls } = setup(() =>
      json({ items: [{ name: 'acme' }], userEntityRef: 'user:default/x' }),
    );
    await client.getIdentity();
    await expect(client.listTenantNames()).resolves.toEqual(['acme']);
    expect(calls.map(c => c.url.pathname)).toEqual([
      '/api/akili/v1/me',
      '/api/akili/v1/tenants',
    ]);
  });

  it('throws a ResponseError with the status and message of the error body', async () => {
    const { client } = setup(() =>
      json(
        {
          error: { name: 'NotAllowedError', message: 'not an operator' },
          response: { statusCode: 403 },
        },
        403,
      ),
    );
    const error = await client.acknowledgeIncident('acme', '7').catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
    expect(error.cause.message).toBe('not an operator');
  });
});
