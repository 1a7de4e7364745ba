/**
 * @jest-environment node
 */
import { ResponseError } from '@backstage/errors';
import { DagsterRunsClient } from './DagsterRunsClient';

const bases: Record<string, string> = {
  dagster: 'http://localhost:7007/api/dagster',
  akili: 'http://localhost:7007/api/akili',
};

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
  const discoveryApi = { getBaseUrl: jest.fn(async (id: string) => bases[id]) };
  return {
    client: new DagsterRunsClient({ discoveryApi, fetchApi }),
    calls,
    discoveryApi,
  };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

describe('DagsterRunsClient', () => {
  it('sends the run list filters as the backend reads them', async () => {
    const { client, calls } = setup(() => json({ items: [], target: {} }));
    await client.listProductRuns('acme', 'orders', {
      statuses: ['SUCCESS', 'FAILURE'],
      createdAfter: '2025-03-01T00:00:00.000Z',
      limit: 25,
      cursor: 'c2',
    });
    await client.listTenantRuns('acme', {
      job: 'orders_job',
      product: 'dataproduct:acme/orders',
    });
    expect(
      calls.map(c => `${c.method} ${c.url.pathname}${c.url.search}`),
    ).toEqual([
      'GET /api/dagster/v1/products/acme/orders/runs?status=SUCCESS%2CFAILURE&createdAfter=2025-03-01T00%3A00%3A00.000Z&limit=25&cursor=c2',
      'GET /api/dagster/v1/tenants/acme/runs?job=orders_job&product=dataproduct%3Aacme%2Forders',
    ]);
  });

  it('posts launches, re-executions and terminations with JSON bodies', async () => {
    const { client, calls } = setup(() => json({ runId: 'r2' }, 201));
    await client.launchRun('acme', 'orders', {
      job: 'orders_job',
      runConfig: { ops: {} },
    });
    await client.reexecuteRun('r1', { strategy: 'ALL_STEPS' });
    await client.terminateRun('r1');
    expect(calls.map(c => [c.method, c.url.pathname, c.body])).toEqual([
      [
        'POST',
        '/api/dagster/v1/products/acme/orders/runs',
        { job: 'orders_job', runConfig: { ops: {} } },
      ],
      ['POST', '/api/dagster/v1/runs/r1/reexecute', { strategy: 'ALL_STEPS' }],
      ['POST', '/api/dagster/v1/runs/r1/terminate', {}],
    ]);
  });

  it('reads runs, logs with levels, permissions and encodes path parts', async () => {
    const { client, calls } = setup(() => json({}));
    await client.getRun('a/b');
    await client.getRunLogs('r1', {
      cursor: '17',
      limit: 200,
      levels: ['ERROR', 'WARNING'],
    });
    await client.getRunLogs('r1');
    await client.getRunPermissions('acme');
    expect(calls.map(c => `${c.url.pathname}${c.url.search}`)).toEqual([
      '/api/dagster/v1/runs/a%2Fb',
      '/api/dagster/v1/runs/r1/logs?cursor=17&limit=200&levels=ERROR%2CWARNING',
      '/api/dagster/v1/runs/r1/logs',
      '/api/dagster/v1/tenants/acme/run-permissions',
    ]);
  });

  it("reads the identity from the akili backend's /v1/me", async () => {
    const { client, calls, discoveryApi } = setup(() =>
      json({
        userEntityRef: 'user:default/jane',
        platformAdmin: false,
        tenants: [],
      }),
    );
    await expect(client.getIdentity()).resolves.toMatchObject({
      userEntityRef: 'user:default/jane',
    });
    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('akili');
    expect(calls[0].url.pathname).toBe('/api/akili/v1/me');
  });

  it("lists the tenant names from the akili backend's /v1/tenants", async () => {
    const { client, calls } = setup(() =>
      json({ items: [{ name: 'acme' }, { name: 'globex' }] }),
    );
    await expect(client.listTenantNames()).resolves.toEqual(['acme', 'globex']);
    expect(calls[0].url.pathname).toBe('/api/akili/v1/tenants');
  });

  it('throws a ResponseError with the status, name and message of the error body', async () => {
    const { client } = setup(() =>
      json(
        {
          error: {
            name: 'DagsterUnavailableError',
            message: 'Dagster did not answer',
          },
          response: { statusCode: 503 },
        },
        503,
      ),
    );
    const error = await client.getRun('r1').catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(503);
    expect(error.body.error.name).toBe('DagsterUnavailableError');
    expect(error.cause.message).toBe('Dagster did not answer');
  });
});
