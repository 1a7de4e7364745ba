/**
 * @jest-environment node
 */
import { ResponseError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { PlatformHealthClient } from './PlatformHealthClient';

const baseUrl = 'http://localhost:7007/api/platform-health';
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('PlatformHealthClient', () => {
  const client = new PlatformHealthClient({
    discoveryApi: {
      getBaseUrl: async (id: string) => `http://localhost:7007/api/${id}`,
    },
    fetchApi: { fetch: (input: any, init?: any) => fetch(input, init) },
  });

  it('reads the dependencies and a history with its hours', async () => {
    const asked: string[] = [];
    server.use(
      http.get(`${baseUrl}/v1/dependencies`, () =>
        HttpResponse.json({ dependencies: [], frequencyMs: 30000 }),
      ),
      http.get(`${baseUrl}/v1/dependencies/:id/history`, ({ request }) => {
        asked.push(request.url);
        return HttpResponse.json({ id: 'argocd', hours: 6, checks: [] });
      }),
    );
    expect(await client.getDependencies()).toEqual({
      dependencies: [],
      frequencyMs: 30000,
    });
    expect(await client.getHistory('argocd', 6)).toEqual({
      id: 'argocd',
      hours: 6,
      checks: [],
    });
    await client.getHistory('ceph-s3');
    expect(asked).toEqual([
      `${baseUrl}/v1/dependencies/argocd/history?hours=6`,
      `${baseUrl}/v1/dependencies/ceph-s3/history`,
    ]);
  });

  it('throws a ResponseError with the status on a refusal', async () => {
    server.use(
      http.get(`${baseUrl}/v1/dependencies`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'user:default/carl needs role operator',
            },
          },
          { status: 403 },
        ),
      ),
    );
    const error = await client.getDependencies().catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
  });
});
