import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import type { AccessAgreement } from '@akili/plugin-lake-common';
import { findAgreementFor, LakeAgreementsClient } from './LakeAgreementsClient';

function agreement(overrides: Partial<AccessAgreement> = {}): AccessAgreement {
  return {
    id: 'a1',
    status: 'approved',
    provider: {
      tenant: 'acme',
      product: 'dataproduct:acme/customer-360',
      port: 'customer_360',
    },
    consumer: { tenant: 'globex' },
    purpose: 'deliveries per customer',
    columns: ['customer_key'],
    until: '2030-01-01T00:00:00Z',
    requestedBy: 'user:default/gus',
    requestedAt: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

describe('LakeAgreementsClient', () => {
  let server: Server;
  let answer: (res: import('node:http').ServerResponse) => void;
  const seen: { url?: string; authorization?: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url, authorization: req.headers.authorization });
      answer(res);
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  });

  function client(options: { cacheMs?: number; now?: () => number } = {}) {
    const { port } = server.address() as AddressInfo;
    return new LakeAgreementsClient({
      discovery: mockServices.discovery.mock({
        getBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
      }),
      auth: mockServices.auth({ pluginId: 'akili' }),
      timeoutMs: 500,
      ...options,
    });
  }

  const json = (body: unknown) => (res: import('node:http').ServerResponse) =>
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify(body));

  it('asks about one consumer with the plugin’s token and keeps only its agreements in force', async () => {
    let now = Date.parse('2029-12-31T23:59:00Z');
    answer = json({
      items: [
        agreement(),
        agreement({ id: 'a2', consumer: { tenant: 'initech' } }),
        agreement({ id: 'a3', status: 'revoked' }),
        agreement({ id: 'a4', until: '2029-12-31T23:59:20Z' }),
      ],
    });
    const agreements = client({ now: () => now });
    expect((await agreements.inForce('globex')).map(a => a.id)).toEqual([
      'a1',
      'a4',
    ]);
    expect(seen.at(-1)!.url).toBe(
      '/api/lake/v1/agreements/in-force?consumer=globex',
    );
    expect(seen.at(-1)!.authorization).toMatch(
      /^Bearer mock-service-token:.*"sub":"plugin:akili".*"target":"lake"/,
    );
    // Cached, yet checked against the clock: a4 has expired since.
    now += 25_000;
    const calls = seen.length;
    expect((await agreements.inForce('globex')).map(a => a.id)).toEqual(['a1']);
    expect(seen.length).toBe(calls);
  });

  it('fails closed with a 503 naming the lake when it errs, answers nonsense or is too slow', async () => {
    answer = res => res.writeHead(500).end();
    await expect(client().inForce('globex')).rejects.toThrow(
      new ServiceUnavailableError(
        "The lake backend's access agreements (GET /api/lake/v1/agreements/in-force) could not be read: HTTP 500 Internal Server Error",
      ),
    );
    answer = json({ agreements: [] });
    await expect(client().inForce('globex')).rejects.toThrow(
      'could not be read: the answer has no items',
    );
    answer = () => {};
    await expect(client().inForce('globex')).rejects.toThrow(
      ServiceUnavailableError,
    );
  });
});

describe('findAgreementFor', () => {
  const agreements = [agreement()];

  it('matches the product (any letter case) and the port', () => {
    expect(
      findAgreementFor(agreements, {
        product: 'dataproduct:acme/customer-360',
        port: 'customer_360',
      }),
    ).toBe(agreements[0]);
    expect(
      findAgreementFor(agreements, {
        product: 'DataProduct:acme/customer-360',
        port: 'customer_360',
      }),
    ).toBe(agreements[0]);
    expect(
      findAgreementFor(agreements, {
        product: 'dataproduct:acme/customer-360',
        port: 'other',
      }),
    ).toBeUndefined();
    expect(
      findAgreementFor(agreements, {
        product: 'dataproduct:acme/customer-3600',
        port: 'customer_360',
      }),
    ).toBeUndefined();
  });

  it('takes any port of the product when none is named', () => {
    expect(
      findAgreementFor(agreements, {
        product: 'dataproduct:acme/customer-360',
      }),
    ).toBe(agreements[0]);
  });
});
