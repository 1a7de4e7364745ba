/**
 * @jest-environment node
 */
import { ResponseError } from '@backstage/errors';
import { LakeClient } from './LakeClient';

function setup(answer: (url: URL, init: RequestInit) => Response) {
  const calls: { method: string; url: URL; body?: unknown }[] = [];
  const fetchApi = {
    fetch: jest.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const url = new URL(String(input));
      calls.push({
        method: init.method ?? 'GET',
        url,
        body: init.body ? JSON.parse(String(init.body)) : undefined,
      });
      return answer(url, init);
    }),
  };
  const discoveryApi = {
    getBaseUrl: jest.fn(
      async (id: string) => `http://localhost:7007/api/${id}`,
    ),
  };
  return {
    client: new LakeClient({ discoveryApi, fetchApi }),
    calls,
    discoveryApi,
  };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

describe('LakeClient', () => {
  it('reads ports, listings and previews with encoded path parts and query', async () => {
    const { client, calls, discoveryApi } = setup(() => json({}));
    await client.getPorts('acme', 'churn-features');
    await client.listObjects('acme', 'churn-features', 'training snapshots', {
      path: 'dt=2025-01-01/',
      cursor: 'c/2',
      limit: 200,
    });
    await client.listObjects('acme', 'churn-features', 'p');
    await client.getPreview(
      'acme',
      'churn-features',
      'p',
      'a b/part-0.parquet',
      {
        rows: 20,
      },
    );
    await client.getTenantUsage('acme');
    await client.listUsage();
    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('lake');
    expect(
      calls.map(c => `${c.method} ${c.url.pathname}${c.url.search}`),
    ).toEqual([
      'GET /api/lake/v1/products/acme/churn-features/ports',
      'GET /api/lake/v1/products/acme/churn-features/ports/training%20snapshots/objects?path=dt%3D2025-01-01%2F&cursor=c%2F2&limit=200',
      'GET /api/lake/v1/products/acme/churn-features/ports/p/objects',
      'GET /api/lake/v1/products/acme/churn-features/ports/p/preview?path=a+b%2Fpart-0.parquet&rows=20',
      'GET /api/lake/v1/tenants/acme/usage',
      'GET /api/lake/v1/usage',
    ]);
  });

  it('posts downloads and agreement decisions with JSON bodies', async () => {
    const { client, calls } = setup(() => json({ id: 'a1' }));
    await client.createDownload('acme', 'churn', 'p', 'x/y.parquet');
    await client.requestAgreement({
      provider: { product: 'dataproduct:acme/customer-360', port: 'customers' },
      consumer: { tenant: 'globex', product: 'dataproduct:globex/shipments' },
      purpose: 'Delivery addresses',
      columns: ['customer_key'],
      until: '2027-01-01T00:00:00.000Z',
    });
    await client.approveAgreement('a1');
    await client.approveAgreement('a1', 'ok');
    await client.approveAgreement('a1', undefined, ['customer_key']);
    await client.rejectAgreement('a1', 'no');
    await client.revokeAgreement('a/1', 'ended');
    await client.withdrawAgreement('a1');
    expect(calls.map(c => [c.method, c.url.pathname, c.body])).toEqual([
      [
        'POST',
        '/api/lake/v1/products/acme/churn/ports/p/download',
        { path: 'x/y.parquet' },
      ],
      [
        'POST',
        '/api/lake/v1/agreements',
        expect.objectContaining({ purpose: 'Delivery addresses' }),
      ],
      ['POST', '/api/lake/v1/agreements/a1/approve', {}],
      ['POST', '/api/lake/v1/agreements/a1/approve', { note: 'ok' }],
      [
        'POST',
        '/api/lake/v1/agreements/a1/approve',
        { columns: ['customer_key'] },
      ],
      ['POST', '/api/lake/v1/agreements/a1/reject', { note: 'no' }],
      ['POST', '/api/lake/v1/agreements/a%2F1/revoke', { reason: 'ended' }],
      ['POST', '/api/lake/v1/agreements/a1/withdraw', {}],
    ]);
  });

  it('lists and reads agreements', async () => {
    const { client, calls } = setup(() => json({ items: [] }));
    await client.listAgreements({
      tenant: 'globex',
      side: 'consumer',
      status: 'approved',
      product: 'dataproduct:acme/customer-360',
    });
    await client.listAgreements({ tenant: 'acme' });
    await client.getAgreement('a1');
    expect(calls.map(c => `${c.url.pathname}${c.url.search}`)).toEqual([
      '/api/lake/v1/agreements?tenant=globex&side=consumer&status=approved&product=dataproduct%3Aacme%2Fcustomer-360',
      '/api/lake/v1/agreements?tenant=acme',
      '/api/lake/v1/agreements/a1',
    ]);
  });

  it('reads the identity and tenant names from the akili backend', async () => {
    const { client, calls } = setup(url =>
      url.pathname.endsWith('/tenants')
        ? json({ items: [{ name: 'acme' }, { name: 'globex' }] })
        : json({
            userEntityRef: 'user:default/ann',
            platformAdmin: false,
            tenants: [],
          }),
    );
    await expect(client.getIdentity()).resolves.toMatchObject({
      userEntityRef: 'user:default/ann',
    });
    await expect(client.listTenantNames()).resolves.toEqual(['acme', 'globex']);
    expect(calls.map(c => c.url.pathname)).toEqual([
      '/api/akili/v1/me',
      '/api/akili/v1/tenants',
    ]);
  });

  it('throws a ResponseError with the status and name of the error body', async () => {
    const { client } = setup(() =>
      json(
        {
          error: { name: 'LakeCredentialsError', message: 'S3 refused' },
          response: { statusCode: 502 },
        },
        502,
      ),
    );
    const error = await client.getPorts('acme', 'x').catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(502);
    expect(error.body.error.name).toBe('LakeCredentialsError');
  });
});
