import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  requireTestDatabaseIds,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import type { LakeAgreementsSource } from '@akili/plugin-akili-node';
import { Knex } from 'knex';
import { akiliPlugin } from '../plugin';

jest.setTimeout(60_000);

const directory: Record<string, string[]> = {
  'user:default/dev': ['user:default/dev', 'group:akili/acme.developer'],
  'user:default/gus': ['user:default/gus', 'group:akili/globex.developer'],
};

const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);

/** A product of `tenant` whose input ports read `inputs` (`product` and `port`). */
function manifestText(
  tenant: string,
  name: string,
  inputs: { product: string; port: string }[],
): string {
  const ports = inputs
    .map(
      (input, i) => `    - name: in_${i}
      product: ${input.product}
      port: ${input.port}`,
    )
    .join('\n');
  return `apiVersion: akili.io/v1alpha1
kind: DataProduct
metadata:
  name: ${name}
  namespace: ${tenant}
  title: ${name}
spec:
  type: consumer-aligned
  lifecycle: experimental
  owner: ${tenant}-ops
  domain: logistics
  version: 1.0.0
  inputPorts:
${ports}
  outputPorts:
    - name: out
      kind: table
      location:
        table: { catalog: iceberg_${tenant}, database: logistics, table: ${name} }
      schema:
        - { name: id, type: string, required: true }
`;
}

type AccessAgreement = Awaited<
  ReturnType<LakeAgreementsSource['inForce']>
>[number];

const DAY = 24 * 3600_000;

function agreement(
  overrides: {
    consumer?: string;
    product?: string;
    port?: string;
    status?: AccessAgreement['status'];
    until?: string;
  } = {},
): AccessAgreement {
  const product = overrides.product ?? 'dataproduct:acme/orders';
  return {
    id: `a-${Math.random().toString(36).slice(2)}`,
    status: overrides.status ?? 'approved',
    provider: {
      tenant: product.split(':')[1].split('/')[0],
      product,
      port: overrides.port ?? 'orders',
    },
    consumer: { tenant: overrides.consumer ?? 'globex' },
    purpose: 'shipments per order',
    columns: ['order_id'],
    until: overrides.until ?? new Date(Date.now() + 30 * DAY).toISOString(),
    requestedBy: 'user:default/gus',
    requestedAt: new Date().toISOString(),
  };
}

/**
 * The lake backend's `GET /api/lake/v1/agreements/in-force?consumer=` as the lake answers it:
 * service tokens of backend plugins only (403 otherwise). It answers every agreement it holds
 * in `items` (not filtered), so the tests also see that the akili plugin keeps only those in
 * force of the consumer asked about.
 */
interface Lake {
  items: AccessAgreement[];
  mode: 'up' | 'down' | 'hang';
  calls: { consumer: string | null; subject?: string; target?: string }[];
}

function subjectOf(req: IncomingMessage) {
  const header = req.headers.authorization ?? '';
  const prefix = 'Bearer mock-service-token:';
  if (!header.startsWith(prefix)) return undefined;
  try {
    return JSON.parse(header.slice(prefix.length)) as {
      sub?: string;
      target?: string;
    };
  } catch {
    return undefined;
  }
}

describe.each(requireTestDatabaseIds())(
  'manifests reading other tenants’ products on %s',
  databaseId => {
    const databases = TestDatabases.create({ ids: [databaseId] });
    let knex: Knex;
    let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
    let lakeServer: Server;
    const lake: Lake = { items: [], mode: 'up', calls: [] };

    beforeAll(async () => {
      lakeServer = createServer((req, res) => {
        const url = new URL(req.url!, 'http://lake');
        const token = subjectOf(req);
        lake.calls.push({
          consumer: url.searchParams.get('consumer'),
          subject: token?.sub,
          target: token?.target,
        });
        if (lake.mode === 'hang') return;
        if (lake.mode === 'down') {
          res.writeHead(503).end('lake restarting');
          return;
        }
        if (url.pathname !== '/api/lake/v1/agreements/in-force') {
          res.writeHead(404).end();
          return;
        }
        if (!token?.sub?.startsWith('plugin:')) {
          res.writeHead(403, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              error: {
                name: 'NotAllowedError',
                message:
                  'Only backend plugins may read the agreements in force',
              },
            }),
          );
          return;
        }
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ items: lake.items }));
      });
      await new Promise<void>(resolve =>
        lakeServer.listen(0, '127.0.0.1', resolve),
      );
      const lakePort = (lakeServer.address() as AddressInfo).port;

      knex = await databases.init(databaseId);
      ({ server } = await startTestBackend({
        features: [
          akiliPlugin,
          userInfoFromDirectory(directory),
          mockServices.discovery.mock({
            getBaseUrl: async id => `http://127.0.0.1:${lakePort}/api/${id}`,
            getExternalBaseUrl: async id =>
              `http://127.0.0.1:${lakePort}/api/${id}`,
          }).factory,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              akili: {
                tenants: {
                  seed: [
                    { name: 'acme', title: 'ACME' },
                    { name: 'globex', title: 'Globex' },
                  ],
                },
              },
            },
          }),
          catalogServiceMock.factory({ entities: [] }),
        ],
      }));
    });

    afterAll(async () => {
      lakeServer.closeAllConnections();
      await new Promise(resolve => lakeServer.close(resolve));
    });

    beforeEach(() => {
      lake.items = [];
      lake.mode = 'up';
      lake.calls = [];
    });

    const submit = (tenant: string, text: string, auth: string, query = '') =>
      request(server)
        .post(`/api/akili/v1/tenants/${tenant}/products${query}`)
        .set('Authorization', auth)
        .set('Content-Type', 'application/yaml')
        .send(text);

    const shipments = (name = 'shipments') =>
      manifestText('globex', name, [
        { product: 'acme/orders', port: 'orders' },
      ]);

    it('refuses an input port on another tenant’s product without an agreement in force, saying what to request', async () => {
      for (const query of ['', '?dryRun=true']) {
        const res = await submit('globex', shipments(), as('gus'), query);
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toBe(
          "The manifest reads products of other tenants without an access agreement: spec.inputPorts[0].product: input port 'in_0' reads port 'orders' of dataproduct:acme/orders of tenant acme, but tenant globex has no access agreement in force for it; request access to port 'orders' of dataproduct:acme/orders on the product's Access tab, and submit again once acme approves",
        );
      }
      // Asked with the akili plugin's own token, about the submitting tenant only.
      expect(lake.calls.length).toBeGreaterThan(0);
      expect(lake.calls[0]).toEqual({
        consumer: 'globex',
        subject: 'plugin:akili',
        target: 'lake',
      });
      // Nothing was registered.
      const entry = await request(server)
        .get('/api/akili/v1/tenants/globex/products/shipments')
        .set('Authorization', as('gus'));
      expect(entry.status).toBe(404);
    });

    it('does not count agreements of another port, another consumer, not approved or expired', async () => {
      lake.items = [
        agreement({ port: 'daily' }),
        // acme's own agreement on the product does not lend globex anything.
        agreement({ consumer: 'acme' }),
        agreement({ status: 'requested' }),
        agreement({ status: 'revoked' }),
        agreement({ until: new Date(Date.now() - 1000).toISOString() }),
        agreement({ product: 'dataproduct:acme/customers' }),
      ];
      const res = await submit('globex', shipments(), as('gus'));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(
        /^The manifest reads products of other tenants without an access agreement: spec\.inputPorts\[0\]\.product: input port 'in_0' reads port 'orders' of dataproduct:acme\/orders/,
      );
    });

    it('names every input port that lacks an agreement, and only those', async () => {
      lake.items = [agreement({ port: 'orders' })];
      const res = await submit(
        'globex',
        manifestText('globex', 'mixed', [
          { product: 'dataproduct:acme/orders', port: 'orders' },
          { product: 'acme/orders', port: 'daily' },
          { product: 'returns', port: 'out' },
          { product: 'initech/billing', port: 'invoices' },
        ]),
        as('gus'),
      );
      expect(res.status).toBe(400);
      const message: string = res.body.error.message;
      expect(message).not.toContain('spec.inputPorts[0]');
      expect(message).toContain(
        "spec.inputPorts[1].product: input port 'in_1' reads port 'daily' of dataproduct:acme/orders of tenant acme",
      );
      // globex's own product needs no agreement.
      expect(message).not.toContain('spec.inputPorts[2]');
      expect(message).toContain(
        "spec.inputPorts[3].product: input port 'in_3' reads port 'invoices' of dataproduct:initech/billing of tenant initech",
      );
    });

    it('accepts the manifest with an agreement in force for the product and port', async () => {
      lake.items = [agreement({ port: 'orders' })];
      const res = await submit('globex', shipments(), as('gus'));
      expect(res.body.error?.message).toBeUndefined();
      expect(res.status).toBe(201);
      expect(res.body.product.entityRef).toBe('dataproduct:globex/shipments');
    });

    it('does not ask the lake for inputs of the tenant’s own products', async () => {
      lake.mode = 'down';
      const res = await submit(
        'acme',
        manifestText('acme', 'kpis', [{ product: 'orders', port: 'orders' }]),
        as('dev'),
      );
      expect(res.status).toBe(201);
      expect(lake.calls).toEqual([]);
    });

    it('answers 503 naming the lake backend when it is down or does not answer, never accepting', async () => {
      lake.mode = 'down';
      let res = await submit('globex', shipments('down'), as('gus'));
      expect(res.status).toBe(503);
      expect(res.body.error.name).toBe('ServiceUnavailableError');
      expect(res.body.error.message).toBe(
        "The lake backend's access agreements (GET /api/lake/v1/agreements/in-force) could not be read: HTTP 503 Service Unavailable",
      );

      lake.mode = 'hang';
      const started = Date.now();
      res = await submit('globex', shipments('slow'), as('gus'));
      expect(res.status).toBe(503);
      expect(res.body.error.message).toMatch(
        /lake backend's access agreements .* could not be read/,
      );
      expect(Date.now() - started).toBeLessThan(6_000);
      for (const name of ['down', 'slow']) {
        const entry = await request(server)
          .get(`/api/akili/v1/tenants/globex/products/${name}`)
          .set('Authorization', as('gus'));
        expect(entry.status).toBe(404);
      }
    });
  },
);
