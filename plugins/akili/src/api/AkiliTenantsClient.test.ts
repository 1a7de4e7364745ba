/**
 * @jest-environment node
 */
import { ResponseError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { Tenant } from '@akili/plugin-akili-common';
import { AkiliTenantsClient } from './AkiliTenantsClient';

const baseUrl = 'http://localhost:7007/api/akili';

const acme: Tenant = {
  name: 'acme',
  title: 'ACME Corp',
  status: 'active',
  quotas: { queryRowLimit: 10000, maxConcurrentQueries: 4 },
  groups: [{ role: 'operator', group: 'akili-acme-operator' }],
  memberCount: 3,
  createdAt: '2025-01-01T00:00:00Z',
  createdBy: 'user:default/admin',
  updatedAt: '2025-01-01T00:00:00Z',
};

const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function errorResponse(statusCode: number, name: string, message: string) {
  return HttpResponse.json(
    { error: { name, message }, response: { statusCode } },
    { status: statusCode },
  );
}

describe('AkiliTenantsClient', () => {
  const token = 'Bearer user-token';
  const seen: Request[] = [];
  // fetchApi adds the user's token; this one marks requests so the test can tell.
  const fetchApi = {
    fetch: (input: RequestInfo | URL, init?: RequestInit) =>
      fetch(input, {
        ...init,
        headers: { ...(init?.headers as object), Authorization: token },
      }),
  };
  const discoveryApi = {
    getBaseUrl: jest.fn(async (_pluginId: string) => baseUrl),
  };
  const client = new AkiliTenantsClient({ discoveryApi, fetchApi });

  beforeEach(() => {
    seen.length = 0;
    server.events.removeAllListeners();
    server.events.on('request:start', ({ request }) => {
      seen.push(request.clone());
    });
  });

  it('reads the identity from /v1/me through the akili base URL and fetchApi', async () => {
    server.use(
      http.get(`${baseUrl}/v1/me`, () =>
        HttpResponse.json({
          userEntityRef: 'user:default/jane',
          platformAdmin: true,
          tenants: [{ name: 'acme', roles: ['operator'] }],
        }),
      ),
    );
    await expect(client.getIdentity()).resolves.toEqual({
      userEntityRef: 'user:default/jane',
      platformAdmin: true,
      tenants: [{ name: 'acme', roles: ['operator'] }],
    });
    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('akili');
    expect(seen[0].headers.get('authorization')).toBe(token);
  });

  it('lists and reads tenants', async () => {
    server.use(
      http.get(`${baseUrl}/v1/tenants`, () =>
        HttpResponse.json({ items: [acme] }),
      ),
      http.get(`${baseUrl}/v1/tenants/:tenant`, ({ params }) =>
        params.tenant === 'acme'
          ? HttpResponse.json(acme)
          : errorResponse(404, 'NotFoundError', 'No tenant globex'),
      ),
    );
    await expect(client.listTenants()).resolves.toEqual({ items: [acme] });
    await expect(client.getTenant('acme')).resolves.toEqual(acme);
  });

  it('asks whether a product name is free in a tenant, as the caller', async () => {
    server.use(
      http.get(
        `${baseUrl}/v1/tenants/:tenant/product-names/:name`,
        ({ params }) =>
          params.name === 'orders'
            ? HttpResponse.json({
                tenant: params.tenant,
                name: params.name,
                available: false,
                takenBy: 'catalog',
                message:
                  'dataproduct:acme/orders is in the catalog already: choose another name',
              })
            : HttpResponse.json({
                tenant: params.tenant,
                name: params.name,
                available: true,
                unchecked: ['gitlab'],
              }),
      ),
    );
    await expect(client.checkProductName('acme', 'orders')).resolves.toEqual({
      tenant: 'acme',
      name: 'orders',
      available: false,
      takenBy: 'catalog',
      message:
        'dataproduct:acme/orders is in the catalog already: choose another name',
    });
    await expect(
      client.checkProductName('acme', 'order-stats'),
    ).resolves.toMatchObject({ available: true, unchecked: ['gitlab'] });
    expect(new URL(seen[1].url).pathname).toBe(
      '/api/akili/v1/tenants/acme/product-names/order-stats',
    );
    expect(seen[1].headers.get('authorization')).toBe(token);
  });

  it('throws a ResponseError carrying the status and the server message', async () => {
    server.use(
      http.get(`${baseUrl}/v1/tenants/globex`, () =>
        errorResponse(404, 'NotFoundError', 'No tenant globex'),
      ),
    );
    const error = await client.getTenant('globex').catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
    expect(error.body.error.message).toBe('No tenant globex');
    expect(error.cause.message).toBe('No tenant globex');
  });

  it('creates a tenant with a JSON body and surfaces a 409', async () => {
    server.use(
      http.post(`${baseUrl}/v1/tenants`, async ({ request }) => {
        const body = (await request.json()) as { name: string };
        if (body.name === 'acme') {
          return errorResponse(409, 'ConflictError', 'Tenant acme exists');
        }
        return HttpResponse.json({ ...acme, ...body }, { status: 201 });
      }),
    );
    await expect(
      client.createTenant({ name: 'globex', title: 'Globex' }),
    ).resolves.toMatchObject({ name: 'globex', title: 'Globex' });
    expect(seen[0].headers.get('content-type')).toBe('application/json');
    expect(await seen[0].json()).toEqual({ name: 'globex', title: 'Globex' });

    const error = await client
      .createTenant({ name: 'acme', title: 'Again' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
  });

  it('patches, suspends and resumes a tenant', async () => {
    server.use(
      http.patch(`${baseUrl}/v1/tenants/acme`, async ({ request }) =>
        HttpResponse.json({ ...acme, ...((await request.json()) as object) }),
      ),
      http.post(`${baseUrl}/v1/tenants/acme/suspend`, async ({ request }) =>
        HttpResponse.json({
          ...acme,
          status: 'suspended',
          suspendedReason: ((await request.json()) as { reason: string })
            .reason,
        }),
      ),
      http.post(`${baseUrl}/v1/tenants/acme/resume`, () =>
        HttpResponse.json(acme),
      ),
    );
    await expect(
      client.updateTenant('acme', {
        quotas: { queryRowLimit: 500, maxConcurrentQueries: 2 },
      }),
    ).resolves.toMatchObject({
      quotas: { queryRowLimit: 500, maxConcurrentQueries: 2 },
    });
    expect(seen[0].method).toBe('PATCH');

    await expect(
      client.suspendTenant('acme', { reason: 'unpaid invoice' }),
    ).resolves.toMatchObject({
      status: 'suspended',
      suspendedReason: 'unpaid invoice',
    });
    await expect(client.resumeTenant('acme')).resolves.toMatchObject({
      status: 'active',
    });
    expect(seen.map(r => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
      'PATCH /api/akili/v1/tenants/acme',
      'POST /api/akili/v1/tenants/acme/suspend',
      'POST /api/akili/v1/tenants/acme/resume',
    ]);
  });

  it('lists members and surfaces a 403', async () => {
    server.use(
      http.get(`${baseUrl}/v1/tenants/acme/members`, () =>
        HttpResponse.json({
          items: [
            {
              userEntityRef: 'user:default/jane',
              roles: ['operator'],
              firstSeenAt: '2025-01-01T00:00:00Z',
              lastSeenAt: '2025-02-01T00:00:00Z',
            },
          ],
        }),
      ),
      http.get(`${baseUrl}/v1/tenants/globex/members`, () =>
        errorResponse(403, 'NotAllowedError', 'Not an operator of globex'),
      ),
    );
    const members = await client.listMembers('acme');
    expect(members.items.map(m => m.userEntityRef)).toEqual([
      'user:default/jane',
    ]);
    const error = await client.listMembers('globex').catch(e => e);
    expect(error.statusCode).toBe(403);
  });

  it("reads a tenant's domain events status", async () => {
    server.use(
      http.get(`${baseUrl}/v1/tenants/acme/events`, () =>
        HttpResponse.json({ tenant: 'acme', pending: 2, topics: [] }),
      ),
    );
    await expect(client.getEventsStatus('acme')).resolves.toEqual({
      tenant: 'acme',
      pending: 2,
      topics: [],
    });
  });

  it('pages the audit trail with limit and cursor', async () => {
    server.use(
      http.get(`${baseUrl}/v1/tenants/acme/audit`, ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        return HttpResponse.json(
          cursor ? { items: [] } : { items: [], nextCursor: 'page-2' },
        );
      }),
    );
    await expect(
      client.listAuditEntries('acme', { limit: 50 }),
    ).resolves.toEqual({ items: [], nextCursor: 'page-2' });
    await expect(
      client.listAuditEntries('acme', { limit: 50, cursor: 'page-2' }),
    ).resolves.toEqual({ items: [] });
    expect(seen.map(r => new URL(r.url).search)).toEqual([
      '?limit=50',
      '?limit=50&cursor=page-2',
    ]);
  });

  it('encodes the tenant name in the path', async () => {
    server.use(
      http.get(`${baseUrl}/v1/tenants/:tenant`, ({ params }) =>
        HttpResponse.json({ ...acme, name: params.tenant }),
      ),
    );
    await client.getTenant('a/b');
    expect(new URL(seen[0].url).pathname).toBe('/api/akili/v1/tenants/a%2Fb');
  });
});
