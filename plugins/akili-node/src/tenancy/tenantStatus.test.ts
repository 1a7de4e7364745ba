import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  AKILI_TENANT_STATUS_CACHE_MS,
  CachedTenantStatus,
  TenantRegistryClient,
} from './tenantStatus';

describe('TenantRegistryClient', () => {
  let server: Server;
  let handle: (body: any, res: import('node:http').ServerResponse) => void;
  let seen: { authorization?: string; body?: any };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let text = '';
      req.on('data', chunk => (text += chunk));
      req.on('end', () => {
        seen = {
          authorization: req.headers.authorization,
          body: JSON.parse(text),
        };
        handle(seen.body, res);
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  });

  function client() {
    const { port } = server.address() as AddressInfo;
    return new TenantRegistryClient({
      discovery: mockServices.discovery.mock({
        getBaseUrl: async () => `http://127.0.0.1:${port}/api/akili`,
      }),
      auth: mockServices.auth(),
    });
  }

  it('asks with a service token and keeps only active or suspended tenants', async () => {
    handle = (_body, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          tenants: {
            acme: { status: 'active' },
            globex: { status: 'suspended' },
            typo: null,
          },
        }),
      );
    };
    const statuses = await client().statuses(['acme', 'globex', 'typo']);
    expect([...statuses]).toEqual([
      ['acme', 'active'],
      ['globex', 'suspended'],
    ]);
    expect(seen.body).toEqual({ tenants: ['acme', 'globex', 'typo'] });
    expect(seen.authorization).toMatch(/^Bearer .+/);
  });

  it('does not call the registry for no tenants', async () => {
    handle = () => {
      throw new Error('should not be called');
    };
    await expect(client().statuses([])).resolves.toEqual(new Map());
  });

  it('fails closed with the reason when the registry errs or answers nonsense', async () => {
    handle = (_body, res) => {
      res.statusCode = 500;
      res.end('boom');
    };
    await expect(client().statuses(['acme'])).rejects.toThrow(
      new ServiceUnavailableError(
        'The Akili tenant registry could not be asked about tenants acme: it answered HTTP 500',
      ),
    );
    handle = (_body, res) => res.end('[]');
    await expect(client().statuses(['acme'])).rejects.toThrow(
      'answered without a tenants map',
    );
  });

  it('reads the quotas of the tenants that exist, and fails closed on missing or bad quotas', async () => {
    const answer = (acmeQuotas: unknown) => {
      handle = (_body, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            tenants: {
              acme: { status: 'active', quotas: acmeQuotas },
              typo: null,
            },
          }),
        );
      };
    };
    answer({ queryRowLimit: 500, maxConcurrentQueries: 2 });
    expect([...(await client().quotas(['acme', 'typo']))]).toEqual([
      ['acme', { queryRowLimit: 500, maxConcurrentQueries: 2 }],
    ]);
    for (const bad of [
      undefined,
      { queryRowLimit: 500 },
      { queryRowLimit: 0, maxConcurrentQueries: 2 },
      { queryRowLimit: '500', maxConcurrentQueries: 2 },
      { queryRowLimit: 500, maxConcurrentQueries: 2, storageQuotaBytes: 0 },
      { queryRowLimit: 500, maxConcurrentQueries: 2, storageQuotaBytes: -1 },
      { queryRowLimit: 500, maxConcurrentQueries: 2, storageQuotaBytes: 1.5 },
      {
        queryRowLimit: 500,
        maxConcurrentQueries: 2,
        storageQuotaBytes: '5000000000',
      },
      {
        queryRowLimit: 500,
        maxConcurrentQueries: 2,
        storageQuotaBytes: 2 ** 53,
      },
    ]) {
      answer(bad);
      await expect(client().quotas(['acme'])).rejects.toThrow(
        new ServiceUnavailableError(
          'The Akili tenant registry answered without valid quotas for tenant acme',
        ),
      );
    }
  });

  it('carries the storage quota in bytes, and none when the registry has none', async () => {
    handle = (_body, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          tenants: {
            acme: {
              status: 'active',
              quotas: {
                queryRowLimit: 500,
                maxConcurrentQueries: 2,
                storageQuotaBytes: 5 * 2 ** 40,
              },
            },
            globex: {
              status: 'active',
              quotas: {
                queryRowLimit: 500,
                maxConcurrentQueries: 2,
                storageQuotaBytes: null,
              },
            },
            initech: {
              status: 'active',
              quotas: { queryRowLimit: 500, maxConcurrentQueries: 2 },
            },
          },
        }),
      );
    };
    const quotas = await client().quotas(['acme', 'globex', 'initech']);
    expect(quotas.get('acme')).toEqual({
      queryRowLimit: 500,
      maxConcurrentQueries: 2,
      storageQuotaBytes: 5 * 2 ** 40,
    });
    expect(quotas.get('globex')).toEqual({
      queryRowLimit: 500,
      maxConcurrentQueries: 2,
    });
    expect(quotas.get('initech')).not.toHaveProperty('storageQuotaBytes');
  });

  it('gives up on a registry that does not answer within 5 seconds', async () => {
    handle = () => {};
    const started = Date.now();
    await expect(client().statuses(['acme'])).rejects.toThrow(
      'could not be asked about tenants acme: no answer within 5 s',
    );
    await expect(client().quotas(['acme'])).rejects.toThrow(
      new ServiceUnavailableError(
        'The Akili tenant registry could not be asked about tenants acme: no answer within 5 s',
      ),
    );
    expect(Date.now() - started).toBeLessThan(12_000);
  }, 20_000);
});

describe('CachedTenantStatus', () => {
  function setUp(ttl?: number) {
    let now = 1_000_000;
    const answers = new Map<string, 'active' | 'suspended'>([
      ['acme', 'active'],
    ]);
    const registry = {
      statuses: jest.fn(async (tenants: string[]) => {
        const found = new Map<string, 'active' | 'suspended'>();
        for (const t of tenants) {
          if (answers.has(t)) found.set(t, answers.get(t)!);
        }
        return found;
      }),
    };
    const status = new CachedTenantStatus({
      registry,
      cacheTtlMs: ttl,
      now: () => now,
    });
    return {
      status,
      registry,
      answers,
      advance: (ms: number) => {
        now += ms;
      },
    };
  }

  it('remembers a status for less than 30 s, then asks again', async () => {
    const { status, registry, answers, advance } = setUp();
    expect(await status.status('acme')).toBe('active');
    answers.set('acme', 'suspended');
    advance(AKILI_TENANT_STATUS_CACHE_MS - 1);
    expect(await status.status('acme')).toBe('active');
    advance(1);
    expect(await status.status('acme')).toBe('suspended');
    expect(registry.statuses).toHaveBeenCalledTimes(2);
    expect(await status.status('nowhere')).toBeUndefined();
  });

  it('never remembers longer than 30 s, shares concurrent look-ups, forgets failures and on demand', async () => {
    const { status, registry, answers, advance } = setUp(10 * 60_000);
    await Promise.all([status.status('acme'), status.status('acme')]);
    expect(registry.statuses).toHaveBeenCalledTimes(1);
    answers.set('acme', 'suspended');
    advance(AKILI_TENANT_STATUS_CACHE_MS);
    expect(await status.status('acme')).toBe('suspended');

    answers.set('acme', 'active');
    status.invalidate('acme');
    expect(await status.status('acme')).toBe('active');

    registry.statuses.mockRejectedValueOnce(new Error('down'));
    status.invalidate();
    await expect(status.status('acme')).rejects.toThrow('down');
    expect(await status.status('acme')).toBe('active');
  });
});
