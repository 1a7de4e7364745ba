import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  AkiliApiTokenRecord,
  ApiTokenRegistryClient,
  CachedApiTokenResolver,
} from './resolver';

const ID = 'acme.0b6c2d1e-1234-4abc-8def-0123456789ab';
const asToken = (id: string) => mockCredentials.service(`akili-token:${id}`);

function registry(records: Record<string, AkiliApiTokenRecord>) {
  return {
    grants: jest.fn(async (ids: string[]) => {
      const found = new Map<string, AkiliApiTokenRecord>();
      for (const id of ids) {
        if (records[id]) {
          found.set(id, records[id]);
        }
      }
      return found;
    }),
  };
}

describe('CachedApiTokenResolver', () => {
  const start = Date.parse('2030-01-01T00:00:00Z');
  const record: AkiliApiTokenRecord = {
    tokenId: ID,
    tenant: 'acme',
    permissions: ['akili.runs.read'],
    expiresAt: new Date(start + 3_600_000),
  };

  it('resolves a token principal to its grant, and nothing else', async () => {
    const reg = registry({ [ID]: record });
    const resolver = new CachedApiTokenResolver({
      registry: reg,
      now: () => start,
    });
    await expect(resolver.resolve(asToken(ID))).resolves.toEqual({
      tokenId: ID,
      tenant: 'acme',
      permissions: ['akili.runs.read'],
    });
    for (const other of [
      mockCredentials.service('plugin:catalog'),
      mockCredentials.service('akili-automation'),
      asToken('acme'),
      asToken('not-a-tenant!.0b6c2d1e-1234-4abc-8def-0123456789ab'),
    ]) {
      await expect(resolver.resolve(other)).resolves.toBeUndefined();
    }
    await expect(
      resolver.resolve(mockCredentials.user() as any),
    ).resolves.toBeUndefined();
    // Only the token principal was looked up.
    expect(reg.grants).toHaveBeenCalledTimes(1);
  });

  it('remembers an answer for at most 30 s: a revocation takes effect after that', async () => {
    let now = start;
    const records: Record<string, AkiliApiTokenRecord> = { [ID]: record };
    const reg = registry(records);
    const resolver = new CachedApiTokenResolver({
      registry: reg,
      cacheTtlMs: 60_000, // capped at 30 s
      now: () => now,
    });
    expect(await resolver.resolve(asToken(ID))).toBeDefined();
    delete records[ID];
    now += 29_999;
    expect(await resolver.resolve(asToken(ID))).toBeDefined();
    now += 1;
    expect(await resolver.resolve(asToken(ID))).toBeUndefined();
    expect(reg.grants).toHaveBeenCalledTimes(2);
  });

  it('never uses a grant past its expiry, cached or not', async () => {
    let now = start;
    const resolver = new CachedApiTokenResolver({
      registry: registry({
        [ID]: { ...record, expiresAt: new Date(start + 10_000) },
      }),
      now: () => now,
    });
    expect(await resolver.resolve(asToken(ID))).toBeDefined();
    now += 10_000;
    expect(await resolver.resolve(asToken(ID))).toBeUndefined();
  });

  it('fails closed and does not remember failures', async () => {
    const reg = registry({ [ID]: record });
    reg.grants.mockRejectedValueOnce(
      new ServiceUnavailableError('registry down'),
    );
    const resolver = new CachedApiTokenResolver({
      registry: reg,
      now: () => start,
    });
    await expect(resolver.resolve(asToken(ID))).rejects.toThrow(
      'registry down',
    );
    await expect(resolver.resolve(asToken(ID))).resolves.toBeDefined();
  });
});

describe('ApiTokenRegistryClient', () => {
  let server: Server;
  let answer: (res: import('node:http').ServerResponse) => void;
  let seen: { body?: any; authorization?: string };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let text = '';
      req.on('data', chunk => (text += chunk));
      req.on('end', () => {
        seen = {
          body: JSON.parse(text),
          authorization: req.headers.authorization,
        };
        answer(res);
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
    return new ApiTokenRegistryClient({
      discovery: mockServices.discovery.mock({
        getBaseUrl: async () => `http://127.0.0.1:${port}/api/akili`,
      }),
      auth: mockServices.auth(),
    });
  }

  const json = (body: unknown) => (res: import('node:http').ServerResponse) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  };

  it('asks with a service token and keeps only well-formed grants of the token’s own tenant', async () => {
    const other = 'globex.0b6c2d1e-1234-4abc-8def-0123456789ab';
    answer = json({
      tokens: {
        [ID]: {
          tenant: 'acme',
          permissions: ['akili.runs.read'],
          expiresAt: '2030-01-01T00:00:00.000Z',
        },
        // An answer naming another tenant than the id's is not believed.
        [other]: {
          tenant: 'acme',
          permissions: ['akili.runs.read'],
          expiresAt: '2030-01-01T00:00:00.000Z',
        },
      },
    });
    const grants = await client().grants([ID, other]);
    expect([...grants.keys()]).toEqual([ID]);
    expect(grants.get(ID)).toEqual({
      tokenId: ID,
      tenant: 'acme',
      permissions: ['akili.runs.read'],
      expiresAt: new Date('2030-01-01T00:00:00.000Z'),
    });
    expect(seen.body).toEqual({ ids: [ID, other] });
    expect(seen.authorization).toMatch(/^Bearer .+/);
  });

  it('fails closed when the registry errs or answers nonsense', async () => {
    answer = res => {
      res.statusCode = 500;
      res.end('boom');
    };
    await expect(client().grants([ID])).rejects.toThrow(
      new ServiceUnavailableError(
        'The Akili API token registry could not be asked: it answered HTTP 500',
      ),
    );
    answer = json([]);
    await expect(client().grants([ID])).rejects.toThrow(
      'answered without a tokens map',
    );
  });
});
