import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AccessAgreement } from '@akili/plugin-lake-common';
import { AgreementsSource } from '../agreements/AgreementsClient';
import { readStarrocksConfig } from '../config';
import { createQueryEngine } from './createQueryEngine';
import { createMemorySink } from './formats';

jest.setTimeout(60_000);

const product = (tenant: string, name: string, port: object) => ({
  apiVersion: 'akili.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { namespace: tenant, name },
  spec: { outputPorts: [port] },
});

const entities = [
  product('acme', 'customer-360', {
    name: 'customers',
    kind: 'table',
    location: { table: { database: 'acme_c360', table: 'customer_360' } },
    schema: [
      { name: 'customer_id', type: 'integer', primaryKey: true },
      { name: 'email', type: 'string', classification: 'pii' },
      { name: 'margin', type: 'number', classification: 'confidential' },
    ],
  }),
  product('globex', 'shipments', {
    name: 'shipments',
    kind: 'table',
    location: { table: { database: 'globex_log', table: 'shipments' } },
    schema: [{ name: 'shipment_id', type: 'string', primaryKey: true }],
  }),
];

/**
 * The embedded engine of `make dev` holds, in a consumer tenant's database, the agreed columns of
 * another tenant's table under an agreement in force (so the query API's cross-tenant reads run
 * there too), and nothing of it without one or with the lake backend down.
 */
describe('createQueryEngine (embedded) with access agreements', () => {
  let inForce: AccessAgreement[] | 'down' = [];
  const agreements: AgreementsSource = {
    inForce: async tenant => {
      if (inForce === 'down') throw new Error('lake down');
      return inForce.filter(a => a.consumer.tenant === tenant);
    },
    invalidate: () => {},
  };
  const { engine } = createQueryEngine({
    config: readStarrocksConfig(
      new ConfigReader({
        starrocks: { engine: 'embedded', embedded: { rowsPerTable: 10 } },
      }),
    ),
    logger: mockServices.logger.mock(),
    catalog: catalogServiceMock({ entities: entities as any[] }),
    auth: mockServices.auth(),
    agreements,
  });

  afterAll(() => engine.close());

  async function columnsOf(tenant: string, sql: string) {
    const sink = createMemorySink();
    try {
      await engine.run({ tenant, sql }, sink);
    } catch (error) {
      return (error as Error).message;
    }
    return sink.result.columns.map(c => c.name);
  }

  it('adds the agreed columns of the provider table, and only under an agreement in force', async () => {
    const sql = 'SELECT * FROM acme_c360.customer_360';
    expect(await columnsOf('globex', sql)).toMatch(/customer_360/);
    inForce = [
      {
        id: 'ag-1',
        status: 'approved',
        provider: {
          tenant: 'acme',
          product: 'dataproduct:acme/customer-360',
          port: 'customers',
        },
        consumer: { tenant: 'globex' },
        purpose: 'p',
        columns: ['customer_id', 'email'],
        until: new Date(Date.now() + 60_000).toISOString(),
        requestedBy: 'user:default/gina',
        requestedAt: new Date().toISOString(),
      },
    ];
    expect(await columnsOf('globex', sql)).toEqual(['customer_id', 'email']);
    // initech has no agreement.
    expect(await columnsOf('initech', sql)).toMatch(/customer_360/);
    inForce = 'down';
    expect(await columnsOf('globex', sql)).toMatch(/customer_360/);
    expect(
      await columnsOf('globex', 'SELECT * FROM globex_log.shipments'),
    ).toEqual(['shipment_id']);
  });
});
