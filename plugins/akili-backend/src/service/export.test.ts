import request from 'supertest';
import { parse } from 'yaml';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { validateOdcs, validateOdps } from '@akili/plugin-akili-common';
import {
  mockApiTokenHeader,
  mockApiTokenResolverFactory,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import { akiliPlugin } from '../plugin';

const orders = {
  apiVersion: 'akili.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'orders', namespace: 'acme', title: 'Shop orders' },
  spec: {
    type: 'source-aligned',
    lifecycle: 'production',
    owner: 'acme-sales-analytics',
    domain: 'sales',
    outputPorts: [
      {
        name: 'orders',
        kind: 'table',
        location: {
          table: {
            catalog: 'iceberg_acme',
            database: 'sales',
            table: 'orders',
          },
        },
        schema: [
          {
            name: 'order_id',
            type: 'string',
            required: true,
            primaryKey: true,
          },
          { name: 'email', type: 'string', classification: 'pii' },
        ],
      },
    ],
    quality: [
      {
        name: 'order-id-complete',
        type: 'completeness',
        column: 'order_id',
        metric: 'null_ratio',
        operator: '<=',
        threshold: 0,
        severity: 'error',
      },
    ],
  },
};

describe('GET /api/akili/v1/products/:namespace/:name/export', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        akiliPlugin,
        userInfoFromDirectory({
          'user:default/ada': ['user:default/ada', 'group:akili/acme.consumer'],
          'user:default/bob': [
            'user:default/bob',
            'group:akili/globex.developer',
          ],
        }),
        // Callers outside the portal: API tokens of one tenant with named permissions.
        mockApiTokenResolverFactory([
          {
            tokenId: 'acme.reader',
            tenant: 'acme',
            permissions: ['akili.product.read'],
          },
          {
            tokenId: 'acme.submitter',
            tenant: 'acme',
            permissions: ['akili.product.submit'],
          },
          {
            tokenId: 'globex.reader',
            tenant: 'globex',
            permissions: ['akili.product.read'],
          },
        ]),
        mockServices.rootConfig.factory({
          data: {
            akili: {
              tenants: {
                seed: [
                  { name: 'acme', title: 'ACME Retail' },
                  { name: 'globex', title: 'Globex Logistics' },
                ],
              },
            },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            orders,
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: { name: 'orders', namespace: 'acme' },
              spec: {},
            },
          ],
        }),
      ],
    }));
  });

  const get = (url: string, user = 'ada') =>
    request(server)
      .get(url)
      .set(
        'Authorization',
        mockCredentials.user.header(`user:default/${user}`),
      );

  it('exports ODPS that the official schema accepts', async () => {
    const res = await get('/api/akili/v1/products/acme/orders/export');
    expect(res.status).toBe(200);
    expect(res.body.kind).toBe('DataProduct');
    expect(res.body.tenant).toBe('acme');
    expect(validateOdps(res.body)).toEqual([]);
  });

  it('exports the ODCS contract of a port, as YAML when asked', async () => {
    const res = await get(
      '/api/akili/v1/products/acme/orders/export?format=odcs&port=orders',
    ).set('Accept', 'application/yaml');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/yaml');
    const contract = parse(res.text);
    expect(contract.kind).toBe('DataContract');
    expect(validateOdcs(contract)).toEqual([]);
    const columns = contract.schema[0].properties.map(
      (p: { name: string }) => p.name,
    );
    expect(columns).toEqual(['order_id', 'email']);
  });

  it('answers 404 for unknown products and 400 for bad requests', async () => {
    expect((await get('/api/akili/v1/products/acme/nope/export')).status).toBe(
      404,
    );
    const bad = await get(
      '/api/akili/v1/products/acme/orders/export?format=csv',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(
      'request/query/format must be equal to one of the allowed values: odps, odcs',
    );
    const noPort = await get(
      '/api/akili/v1/products/acme/orders/export?format=odcs&port=x',
    );
    expect(noPort.status).toBe(400);
    expect(noPort.body.error.message).toContain(
      'port must name an output port of dataproduct:acme/orders: orders',
    );
    expect(
      (await get('/api/akili/v1/products/ACME/orders/export')).status,
    ).toBe(400);
  });

  it("answers 404 to a user outside the product's tenant, whatever the catalog would give", async () => {
    // The catalog mock here applies no permission policy: the route's own tenant check is what
    // keeps Globex out.
    const res = await get('/api/akili/v1/products/acme/orders/export', 'bob');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(
      'No data product dataproduct:acme/orders',
    );
    expect(JSON.stringify(res.body)).not.toContain('Shop orders');
    const nobody = await get(
      '/api/akili/v1/products/acme/orders/export',
      'eve',
    );
    expect(nobody.status).toBe(404);
    // The same answer as for a tenant that does not exist.
    const missing = await get(
      '/api/akili/v1/products/initech/orders/export',
      'bob',
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error).toEqual({
      name: 'NotFoundError',
      message: 'No data product dataproduct:initech/orders',
    });
    expect(res.body.error).toEqual({
      name: 'NotFoundError',
      message: 'No data product dataproduct:acme/orders',
    });
  });

  it('lets a service principal into no tenant: only an API token of the product’s tenant with akili.product.read reads it', async () => {
    const as = (header: string) =>
      request(server)
        .get('/api/akili/v1/products/acme/orders/export')
        .set('Authorization', header);
    const reader = await as(mockApiTokenHeader('acme.reader'));
    expect(reader.status).toBe(200);
    expect(reader.body.tenant).toBe('acme');
    // Another tenant's token: as if there were no such product.
    const foreign = await as(mockApiTokenHeader('globex.reader'));
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.message).toBe(
      'No data product dataproduct:acme/orders',
    );
    // The tenant's token without the permission.
    const submitter = await as(mockApiTokenHeader('acme.submitter'));
    expect(submitter.status).toBe(403);
    expect(submitter.body.error.message).toBe(
      "token:acme.submitter does not grant akili.product.read in tenant 'acme'",
    );
    // A static token or a plugin on its own behalf: never into a tenant.
    for (const subject of ['external:cli', 'plugin:catalog']) {
      const service = await as(
        mockCredentials.service.header({
          onBehalfOf: mockCredentials.service(subject),
          targetPluginId: 'akili',
        }),
      );
      expect(service.status).toBe(403);
      expect(JSON.stringify(service.body)).not.toContain('Shop orders');
    }
  });
});
