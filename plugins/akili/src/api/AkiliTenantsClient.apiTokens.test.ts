/**
 * @jest-environment node
 */
import { ResponseError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { AkiliApiToken } from '@akili/plugin-akili-common';
import { AkiliTenantsClient } from './AkiliTenantsClient';

const baseUrl = 'http://localhost:7007/api/akili';
const id = 'acme.5c1f0d6e-3b7a-4f0e-9a51-2d8c4e6f7a90';
const token: AkiliApiToken = {
  id,
  tenant: 'acme',
  name: 'CI',
  permissions: ['akili.runs.read'],
  status: 'active',
  createdBy: 'user:default/jane',
  createdAt: '2025-03-01T09:00:00Z',
  expiresAt: '2025-05-30T09:00:00Z',
};

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('AkiliTenantsClient API tokens', () => {
  const seen: Request[] = [];
  const client = new AkiliTenantsClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
    fetchApi: {
      fetch: (input: RequestInfo | URL, init?: RequestInit) =>
        fetch(input, {
          ...init,
          headers: {
            ...(init?.headers as object),
            Authorization: 'Bearer user-token',
          },
        }),
    },
  });

  beforeEach(() => {
    seen.length = 0;
    server.events.removeAllListeners();
    server.events.on('request:start', ({ request }) => {
      seen.push(request.clone());
    });
  });

  it('lists, issues and revokes through /v1/tenants/:tenant/api-tokens', async () => {
    server.use(
      http.get(`${baseUrl}/v1/tenants/acme/api-tokens`, () =>
        HttpResponse.json({
          items: [token],
          grantablePermissions: ['akili.runs.read'],
        }),
      ),
      http.post(`${baseUrl}/v1/tenants/acme/api-tokens`, async ({ request }) =>
        HttpResponse.json(
          {
            token: { ...token, ...((await request.json()) as object) },
            secret: 'akili_x.y',
          },
          { status: 201 },
        ),
      ),
      http.delete(`${baseUrl}/v1/tenants/acme/api-tokens/:id`, ({ params }) =>
        HttpResponse.json({ ...token, id: params.id, status: 'revoked' }),
      ),
    );
    await expect(client.listApiTokens('acme')).resolves.toEqual({
      items: [token],
      grantablePermissions: ['akili.runs.read'],
    });
    const created = await client.createApiToken('acme', {
      name: 'CI',
      permissions: ['akili.runs.read'],
      expiresInDays: 30,
    });
    expect(created.secret).toBe('akili_x.y');
    expect(seen[1].method).toBe('POST');
    expect(await seen[1].json()).toEqual({
      name: 'CI',
      permissions: ['akili.runs.read'],
      expiresInDays: 30,
    });
    await expect(client.revokeApiToken('acme', id)).resolves.toMatchObject({
      id,
      status: 'revoked',
    });
    expect(seen[2].method).toBe('DELETE');
    expect(new URL(seen[2].url).pathname).toBe(
      `/api/akili/v1/tenants/acme/api-tokens/${id}`,
    );
    expect(seen.every(r => r.headers.get('authorization'))).toBe(true);
  });

  it('throws a ResponseError with the status for a refusal', async () => {
    server.use(
      http.get(`${baseUrl}/v1/tenants/acme/api-tokens`, () =>
        HttpResponse.json(
          {
            error: { name: 'NotAllowedError', message: 'operators only' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    const error = await client.listApiTokens('acme').catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
  });
});
