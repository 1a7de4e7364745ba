import { mockCredentials } from '@backstage/backend-test-utils';
import { actionsRegistryServiceFactory } from '@backstage/backend-defaults/alpha';
import { Connection } from 'mysql2/promise';
import request from 'supertest';
import { startQueryApi } from '../__testUtils__/queryApi';
import { ACTION_MAX_ROWS } from './queryActions';

jest.setTimeout(60_000);

// Databases of their own (other test files use other prefixes; Jest runs files in parallel).
const PREFIX = 'akili_srx';
const ACME = { database: `${PREFIX}_acme` };
const GLOBEX = { database: `${PREFIX}_globex` };

/** A customers table with an email (pii) per tenant, 1,500 rows. */
async function addCustomers(admin: Connection) {
  for (const t of [ACME, GLOBEX]) {
    await admin.query(
      `CREATE TABLE ${t.database}.customers (id INT PRIMARY KEY, name VARCHAR(50), email VARCHAR(100))`,
    );
    await admin.query(
      `INSERT INTO ${t.database}.customers SELECT seq, CONCAT('name ', seq), CONCAT('secret-', seq, '@${t.database}')
       FROM ${t.database}.seq_1_to_1500`,
    );
  }
}

const product = (tenant: string, t: { database: string }) => ({
  apiVersion: 'akili.io/v1alpha1',
  kind: 'DataProduct',
  metadata: {
    namespace: tenant,
    name: 'customers',
    title: `${tenant} customers`,
  },
  spec: {
    outputPorts: [
      {
        name: 'customers',
        kind: 'table',
        description: 'One row per customer',
        location: { table: { database: t.database, table: 'customers' } },
        contract: { version: '1.0.0', status: 'active' },
        schema: [
          { name: 'id', type: 'integer', classification: 'public' },
          { name: 'name', type: 'string' },
          { name: 'email', type: 'string', classification: 'pii' },
        ],
      },
    ],
    quality: [
      {
        name: 'email-complete',
        type: 'completeness',
        column: 'email',
        metric: 'null_ratio',
        operator: '<=',
        threshold: 0.01,
        severity: 'error',
      },
    ],
  },
});

const directory = {
  'user:default/carol': ['group:akili/acme.consumer'],
  'user:default/dave': ['group:akili/acme.developer'],
  'user:default/bob': ['group:akili/globex.developer'],
};

const invoke = (
  server: Parameters<typeof request>[0],
  action: string,
  input: object,
  authorization: string,
) =>
  request(server)
    .post(
      `/api/starrocks/.backstage/actions/v1/actions/starrocks:${action}/invoke`,
    )
    .set('authorization', authorization)
    .send(input);

const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);

describe('query actions for AI assistants (the actions registry)', () => {
  let server: Awaited<ReturnType<typeof startQueryApi>>['server'];

  beforeAll(async () => {
    let admin: Connection;
    ({ server, admin } = await startQueryApi({
      prefix: PREFIX,
      tenants: ['acme', 'globex'],
      directory,
      quotas: {
        acme: { queryRowLimit: 10_000, maxConcurrentQueries: 4 },
        globex: { queryRowLimit: 10_000, maxConcurrentQueries: 4 },
      },
      entities: [product('acme', ACME), product('globex', GLOBEX)],
      features: [actionsRegistryServiceFactory],
    }));
    await addCustomers(admin);
    await admin.end();
  });

  it('lists the three actions with their schemas', async () => {
    const response = await request(server)
      .get('/api/starrocks/.backstage/actions/v1/actions')
      .set('authorization', as('carol'));
    expect(response.status).toBe(200);
    expect(
      response.body.actions.map((a: { id: string }) => a.id).sort(),
    ).toEqual([
      'starrocks:describe-data-product',
      'starrocks:list-data-products',
      'starrocks:run-query',
    ]);
  });

  it('lists only the products of the user’s own tenants, with what is masked for them', async () => {
    const response = await invoke(
      server,
      'list-data-products',
      {},
      as('carol'),
    );
    expect(response.status).toBe(200);
    expect(response.body.output.products).toEqual([
      {
        tenant: 'acme',
        entityRef: 'dataproduct:acme/customers',
        title: 'acme customers',
        ports: [
          {
            port: 'customers',
            description: 'One row per customer',
            qualifiedName: `default_catalog.${ACME.database}.customers`,
            columns: 3,
            maskedColumns: ['email'],
          },
        ],
      },
    ]);
    // Another tenant by name answers as a missing one, as the HTTP route does.
    const other = await invoke(
      server,
      'list-data-products',
      { tenant: 'globex' },
      as('carol'),
    );
    expect(other.status).toBe(404);
    expect(other.body.error.message).toBe("No tenant 'globex'");
  });

  it('describes a product of the user’s tenant, and another tenant’s as missing', async () => {
    const own = await invoke(
      server,
      'describe-data-product',
      { entityRef: 'dataproduct:acme/customers' },
      as('dave'),
    );
    expect(own.status).toBe(200);
    expect(own.body.output.ports[0]).toMatchObject({
      qualifiedName: `default_catalog.${ACME.database}.customers`,
      contract: { version: '1.0.0', status: 'active' },
      columns: [
        { name: 'id', classification: 'public', masked: false },
        { name: 'name', classification: 'internal', masked: false },
        {
          name: 'email',
          classification: 'pii',
          masked: false,
          rules: ['email-complete'],
        },
      ],
      rules: [{ name: 'email-complete', column: 'email', severity: 'error' }],
    });

    for (const entityRef of [
      'dataproduct:globex/customers',
      'dataproduct:acme/nothing-here',
      'component:acme/customers',
    ]) {
      const response = await invoke(
        server,
        'describe-data-product',
        { entityRef },
        as('carol'),
      );
      expect(response.status).toBe(404);
      expect(response.body.error.message).toMatch(/^No data product /);
      expect(JSON.stringify(response.body)).not.toContain('globex customers');
    }
  });

  it('runs a query as the user: masked for a consumer, capped rows, guard refusals named', async () => {
    const consumer = await invoke(
      server,
      'run-query',
      {
        tenant: 'acme',
        sql: 'SELECT id, email FROM akili_srx_acme.customers ORDER BY id',
      },
      as('carol'),
    );
    expect(consumer.status).toBe(200);
    const output = consumer.body.output;
    expect(output.columns.map((c: { name: string }) => c.name)).toEqual([
      'id',
      'email',
    ]);
    // The default cap for assistants: 100 of the 1,500 rows.
    expect(output.rows).toHaveLength(100);
    expect(output).toMatchObject({ rowCount: 100, truncated: true });
    expect(output.rows.every((row: unknown[]) => row[1] === null)).toBe(true);
    expect(output.masked).toEqual([
      {
        table: `default_catalog.${ACME.database}.customers`,
        column: 'email',
        classification: 'pii',
      },
    ]);
    expect(JSON.stringify(consumer.body)).not.toContain('secret-');

    const developer = await invoke(
      server,
      'run-query',
      {
        tenant: 'acme',
        sql: 'SELECT email FROM akili_srx_acme.customers WHERE id = 7',
        limit: 5,
      },
      as('dave'),
    );
    expect(developer.body.output.rows).toEqual([['secret-7@akili_srx_acme']]);

    const tooMany = await invoke(
      server,
      'run-query',
      { tenant: 'acme', sql: 'SELECT 1', limit: ACTION_MAX_ROWS + 1 },
      as('carol'),
    );
    expect(tooMany.status).toBe(400);

    const foreignTable = await invoke(
      server,
      'run-query',
      { tenant: 'acme', sql: 'SELECT * FROM akili_srx_globex.customers' },
      as('carol'),
    );
    expect(foreignTable.status).toBe(400);
    expect(foreignTable.body.error.message).toMatch(
      /^Query refused: .*akili_srx_globex.*\(line 1, column \d+\)$/,
    );

    const foreignTenant = await invoke(
      server,
      'run-query',
      { tenant: 'globex', sql: 'SELECT * FROM akili_srx_globex.customers' },
      as('carol'),
    );
    expect(foreignTenant.status).toBe(404);
    expect(JSON.stringify(foreignTenant.body)).not.toContain('secret-');
  });

  it('refuses to act for a plugin or service instead of a user', async () => {
    const response = await invoke(
      server,
      'run-query',
      { tenant: 'acme', sql: 'SELECT id FROM akili_srx_acme.customers' },
      mockCredentials.service.header({
        onBehalfOf: mockCredentials.service('plugin:catalog'),
        targetPluginId: 'starrocks',
      }),
    );
    expect(response.status).toBe(403);
    expect(response.body.error.message).toMatch(/signed-in user/);
    expect(JSON.stringify(response.body)).not.toContain('secret-');
  });
});
