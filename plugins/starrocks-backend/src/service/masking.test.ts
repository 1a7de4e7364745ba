import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  mockApiTokenHeader,
  mockApiTokenResolverFactory,
  mockTenantQuotas,
  mockTenantStatus,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import { Connection } from 'mysql2/promise';
import request from 'supertest';
import { starrocksPlugin } from '../plugin';
import {
  adminConnection,
  createReadOnlyUser,
  requireTestMysqlUrl,
} from '../testUtils/testMysql';
import { MASKED_COLUMNS_HEADER } from './router';

jest.setTimeout(60_000);

// Databases of their own (other test files use other prefixes; Jest runs files in parallel).
const ACME = {
  database: 'akili_srm_acme',
  user: 'akili_srm_acme',
  password: 'a-pw',
};
const GLOBEX = {
  database: 'akili_srm_globex',
  user: 'akili_srm_globex',
  password: 'g-pw',
};
const CUSTOMERS = `${ACME.database}.customers`;
const ORDERS = `${ACME.database}.orders`;

// Values that must never reach a caller who may not see them.
const EMAILS = ['ann@example.com', 'bob@example.com'];
const MARGINS = ['0.42', '0.13'];
const HEALTH = ['diabetes', 'asthma'];
const NOTES = ['undeclared-note-1', 'undeclared-note-2'];

async function prepare(admin: Connection) {
  for (const t of [ACME, GLOBEX]) {
    await admin.query(`DROP DATABASE IF EXISTS ${t.database}`);
    await admin.query(`CREATE DATABASE ${t.database}`);
    await createReadOnlyUser(admin, t);
  }
  await admin.query(
    `CREATE TABLE ${CUSTOMERS} (id INT PRIMARY KEY, name VARCHAR(50), email VARCHAR(100),
       margin DECIMAL(4,2), health VARCHAR(50), note VARCHAR(50))`,
  );
  await admin.query(
    `INSERT INTO ${CUSTOMERS} VALUES
       (1, 'Ann', 'ann@example.com', 0.42, 'diabetes', 'undeclared-note-1'),
       (2, 'Bob', 'bob@example.com', 0.13, 'asthma', 'undeclared-note-2')`,
  );
  await admin.query(
    `CREATE TABLE ${ORDERS} (id INT PRIMARY KEY, customer_id INT, total DECIMAL(8,2), code VARCHAR(10))`,
  );
  await admin.query(
    `INSERT INTO ${ORDERS} VALUES (10, 1, 99.50, 'x1'), (11, 2, 5.00, 'x2')`,
  );
  await admin.query(
    `CREATE TABLE ${GLOBEX.database}.leads (id INT, email VARCHAR(100))`,
  );
}

const customersProduct = {
  apiVersion: 'akili.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { namespace: 'acme', name: 'customers', title: 'Customers' },
  spec: {
    outputPorts: [
      {
        name: 'customers',
        title: 'Customer master',
        description: 'One row per customer',
        kind: 'table',
        location: { table: { database: ACME.database, table: 'customers' } },
        contract: { version: '1.2.0', status: 'active', usage: 'analytics' },
        schema: [
          { name: 'id', type: 'integer', classification: 'public' },
          { name: 'name', type: 'string', description: 'Display name' },
          { name: 'email', type: 'string', classification: 'pii' },
          { name: 'margin', type: 'decimal', classification: 'confidential' },
          { name: 'health', type: 'string', classification: 'sensitive-pii' },
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
};
const ordersProduct = {
  apiVersion: 'akili.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { namespace: 'acme', name: 'orders' },
  spec: {
    outputPorts: [
      {
        name: 'orders',
        kind: 'table',
        location: { table: { database: ACME.database, table: 'orders' } },
        schema: [
          { name: 'id', type: 'integer' },
          { name: 'customer_id', type: 'integer' },
          { name: 'total', type: 'decimal' },
        ],
      },
    ],
  },
};
const leadsProduct = {
  apiVersion: 'akili.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { namespace: 'globex', name: 'leads' },
  spec: {
    outputPorts: [
      {
        name: 'leads',
        kind: 'table',
        location: { table: { database: GLOBEX.database, table: 'leads' } },
        schema: [{ name: 'email', type: 'string', classification: 'pii' }],
      },
    ],
  },
};

const directory = {
  'user:default/carol': ['group:akili/acme.consumer'],
  'user:default/dave': ['group:akili/acme.developer'],
  'user:default/olga': ['group:akili/acme.operator'],
  'user:default/root': ['group:akili/platform-admin'],
  'user:default/bob': ['group:akili/globex.developer'],
  'user:default/nobody': [],
};
const tokens = [
  { tokenId: 'run-only', tenant: 'acme', permissions: ['akili.query.run'] },
  {
    tokenId: 'unmasking',
    tenant: 'acme',
    permissions: ['akili.query.run', 'akili.query.unmask'],
  },
  { tokenId: 'globex', tenant: 'globex', permissions: ['akili.query.run'] },
];
const auth = (who: string) =>
  who.startsWith('token:')
    ? mockApiTokenHeader(who.slice('token:'.length))
    : mockCredentials.user.header(`user:default/${who}`);

const maskedFor = {
  consumer: [
    {
      table: `default_catalog.${CUSTOMERS}`,
      column: 'email',
      classification: 'pii',
    },
    {
      table: `default_catalog.${CUSTOMERS}`,
      column: 'margin',
      classification: 'confidential',
    },
    {
      table: `default_catalog.${CUSTOMERS}`,
      column: 'health',
      classification: 'sensitive-pii',
    },
  ],
  developer: [
    {
      table: `default_catalog.${CUSTOMERS}`,
      column: 'health',
      classification: 'sensitive-pii',
    },
  ],
};

describe('masking and the schema browser', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let admin: Connection;

  beforeAll(async () => {
    const url = requireTestMysqlUrl();
    admin = await adminConnection();
    await prepare(admin);
    const tenant = (t: typeof ACME) => ({
      host: url.hostname,
      port: Number(url.port || 3306),
      user: t.user,
      password: t.password,
    });
    ({ server } = await startTestBackend({
      features: [
        starrocksPlugin,
        userInfoFromDirectory(directory),
        mockTenantStatus({ acme: 'active', globex: 'active' }).factory,
        mockTenantQuotas({
          acme: { queryRowLimit: 10_000, maxConcurrentQueries: 4 },
          globex: { queryRowLimit: 10_000, maxConcurrentQueries: 4 },
        }).factory,
        mockApiTokenResolverFactory(tokens),
        catalogServiceMock.factory({
          entities: [customersProduct, ordersProduct, leadsProduct],
        }),
        mockServices.rootConfig.factory({
          data: {
            starrocks: {
              dialect: 'mariadb',
              maxRows: 100,
              connectTimeoutSeconds: 2,
              tenants: { acme: tenant(ACME), globex: tenant(GLOBEX) },
            },
          },
        }),
      ],
    }));
  });

  afterAll(async () => {
    await admin?.end();
  });

  const query = (who: string, sql: string, accept?: string) => {
    const r = request(server)
      .post('/api/starrocks/v1/tenants/acme/query')
      .set('Authorization', auth(who));
    return (accept ? r.set('Accept', accept) : r).send({ sql });
  };
  const expectNoSecrets = (text: string, secrets: string[]) => {
    for (const secret of secrets) expect(text).not.toContain(secret);
  };

  describe('query results', () => {
    it('gives a consumer NULL for pii, confidential and sensitive-pii, and only declared columns', async () => {
      const res = await query(
        'carol',
        `SELECT * FROM ${CUSTOMERS} ORDER BY id`,
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        columns: ['id', 'name', 'email', 'margin', 'health'].map(name => ({
          name,
        })),
        rows: [
          [1, 'Ann', null, null, null],
          [2, 'Bob', null, null, null],
        ],
        rowCount: 2,
        truncated: false,
        masked: maskedFor.consumer,
      });
      expect(res.body.bytes).toBeGreaterThan(0);
      expect(res.body.durationMs).toEqual(expect.any(Number));
      expectNoSecrets(res.text, [...EMAILS, ...MARGINS, ...HEALTH, ...NOTES]);
    });

    it('gives a developer pii and confidential, never sensitive-pii', async () => {
      const res = await query(
        'dave',
        `SELECT id, email, margin, health FROM ${CUSTOMERS} ORDER BY id`,
      );
      expect(res.status).toBe(200);
      expect(res.body.rows).toEqual([
        [1, 'ann@example.com', '0.42', null],
        [2, 'bob@example.com', '0.13', null],
      ]);
      expect(res.body.masked).toEqual(maskedFor.developer);
      // Operators and platform admins likewise.
      for (const who of ['olga', 'root']) {
        const other = await query(
          who,
          `SELECT email, health FROM ${CUSTOMERS} WHERE id = 1`,
        );
        expect(other.body.rows).toEqual([['ann@example.com', null]]);
      }
    });

    it('masks for an API token unless it was granted akili.query.unmask', async () => {
      const sql = `SELECT email FROM ${CUSTOMERS} WHERE id = 1`;
      const runOnly = await query('token:run-only', sql);
      expect(runOnly.status).toBe(200);
      expect(runOnly.body.rows).toEqual([[null]]);
      const unmasking = await query('token:unmasking', sql);
      expect(unmasking.body.rows).toEqual([['ann@example.com']]);
    });

    it.each([
      [
        'an alias',
        `SELECT c.email AS e, c.margin m FROM ${CUSTOMERS} AS c ORDER BY c.id`,
      ],
      [
        'expressions',
        `SELECT CONCAT(name, ':', email), LOWER(email), SUBSTRING(health, 1, 3), margin * 100, COALESCE(email, 'none') FROM ${CUSTOMERS}`,
      ],
      [
        'a scalar subquery',
        `SELECT (SELECT MAX(email) FROM ${CUSTOMERS}) AS m`,
      ],
      [
        'a derived table',
        `SELECT q.x FROM (SELECT email AS x FROM ${CUSTOMERS}) q`,
      ],
      [
        'a CTE',
        `WITH c AS (SELECT * FROM ${CUSTOMERS}) SELECT email, health FROM c`,
      ],
      [
        'a CTE named like the table',
        `WITH customers AS (SELECT email FROM ${CUSTOMERS}) SELECT * FROM customers`,
      ],
      [
        'UNION',
        `SELECT email FROM ${CUSTOMERS} UNION SELECT health FROM ${CUSTOMERS} UNION SELECT name FROM ${CUSTOMERS}`,
      ],
      [
        'a JOIN',
        `SELECT o.id, c.email, c.margin FROM ${ORDERS} o JOIN ${CUSTOMERS} c ON c.id = o.customer_id`,
      ],
      [
        'a self-join under two aliases',
        `SELECT a.email, b.health FROM ${CUSTOMERS} a JOIN ${CUSTOMERS} b ON a.id = b.id`,
      ],
      ['a table-qualified column', `SELECT customers.email FROM ${CUSTOMERS}`],
      [
        'aggregates',
        `SELECT GROUP_CONCAT(email), MAX(margin), MIN(health), COUNT(DISTINCT email) FROM ${CUSTOMERS}`,
      ],
      ['EXPLAIN', `EXPLAIN SELECT email FROM ${CUSTOMERS}`],
    ])('masks through %s', async (_label, sql) => {
      const res = await query('carol', sql);
      expect(res.status).toBe(200);
      expect(res.body.rowCount).toBeGreaterThan(0);
      expect(res.body.masked).toEqual(maskedFor.consumer);
      expectNoSecrets(res.text, [...EMAILS, ...MARGINS, ...HEALTH]);
    });

    it('leaves no oracle: predicates, grouping and ordering on a masked column see NULL', async () => {
      const count = async (sql: string) => {
        const res = await query('carol', sql);
        expect({ sql, status: res.status }).toEqual({ sql, status: 200 });
        return res.body.rows;
      };
      for (const where of [
        "email = 'ann@example.com'",
        "email LIKE 'a%'",
        'email IS NOT NULL',
        'margin > 0',
        "health IN ('diabetes', 'asthma')",
        "LOCATE('@', email) > 0",
      ]) {
        expect(
          await count(`SELECT COUNT(*) AS n FROM ${CUSTOMERS} WHERE ${where}`),
        ).toEqual([['0']]);
      }
      expect(
        await count(
          `SELECT COUNT(*) FROM ${ORDERS} o WHERE EXISTS (SELECT 1 FROM ${CUSTOMERS} c WHERE c.id = o.customer_id AND c.email = 'ann@example.com')`,
        ),
      ).toEqual([['0']]);
      expect(
        await count(
          `SELECT COUNT(*) FROM ${CUSTOMERS} a JOIN ${CUSTOMERS} b USING (email)`,
        ),
      ).toEqual([['0']]);
      expect(
        await count(`SELECT COUNT(*) FROM ${CUSTOMERS} GROUP BY email`),
      ).toEqual([['2']]);
      // A developer's predicate does see the value.
      const dev = await query(
        'dave',
        `SELECT COUNT(*) FROM ${CUSTOMERS} WHERE email = 'ann@example.com'`,
      );
      expect(dev.body.rows).toEqual([['1']]);
    });

    it('fails closed on undeclared columns and database-qualified column references', async () => {
      for (const sql of [
        `SELECT note FROM ${CUSTOMERS}`,
        `SELECT ${CUSTOMERS}.email FROM ${CUSTOMERS}`,
        `SELECT c.note FROM ${CUSTOMERS} c`,
      ]) {
        const res = await query('carol', sql);
        expect({ sql, status: res.status }).toEqual({ sql, status: 400 });
        expect(res.body.error.message).toMatch(/Unknown column/);
        expectNoSecrets(res.text, [...EMAILS, ...NOTES]);
      }
    });

    it('leaves a table with nothing masked as written, and DESCRIBE as metadata', async () => {
      const orders = await query(
        'carol',
        `SELECT * FROM ${ORDERS} ORDER BY id`,
      );
      expect(orders.body.columns.map((c: { name: string }) => c.name)).toEqual([
        'id',
        'customer_id',
        'total',
        'code',
      ]);
      expect(orders.body.masked).toEqual([]);
      const describe = await query('carol', `DESCRIBE ${CUSTOMERS}`);
      expect(describe.status).toBe(200);
      expect(describe.body.rows.map((r: unknown[]) => r[0])).toContain('email');
      expect(describe.body.masked).toEqual([]);
    });

    it('names the masked columns in NDJSON and, for CSV, in a header', async () => {
      const ndjson = await query(
        'carol',
        `SELECT id, email FROM ${CUSTOMERS} ORDER BY id`,
        'application/x-ndjson',
      );
      const lines = ndjson.text.trim().split('\n');
      expect(lines.slice(1, 3)).toEqual(['[1,null]', '[2,null]']);
      expect(JSON.parse(lines[3])).toMatchObject({
        rowCount: 2,
        truncated: false,
        bytes: expect.any(Number),
        durationMs: expect.any(Number),
        masked: maskedFor.consumer,
      });
      const csv = await query(
        'carol',
        `SELECT id, email FROM ${CUSTOMERS} ORDER BY id`,
        'text/csv',
      );
      expect(csv.text).toBe('id,email\r\n1,\r\n2,\r\n');
      expect(
        JSON.parse(csv.headers[MASKED_COLUMNS_HEADER.toLowerCase()]),
      ).toEqual(maskedFor.consumer);
    });
  });

  describe('GET /api/starrocks/v1/tenants/:tenant/schema', () => {
    const schema = (who: string, tenant = 'acme') =>
      request(server)
        .get(`/api/starrocks/v1/tenants/${tenant}/schema`)
        .set('Authorization', auth(who));

    it("lists the tenant's tables with descriptions, classifications, contract, rules and masking", async () => {
      const res = await schema('carol');
      expect(res.status).toBe(200);
      expect(res.body.tenant).toBe('acme');
      expect(res.body.unmaskedClassifications).toEqual(['public', 'internal']);
      expect(
        res.body.tables.map((t: { qualifiedName: string }) => t.qualifiedName),
      ).toEqual([`default_catalog.${CUSTOMERS}`, `default_catalog.${ORDERS}`]);
      const [customers] = res.body.tables;
      expect(customers).toMatchObject({
        entityRef: 'dataproduct:acme/customers',
        productTitle: 'Customers',
        port: 'customers',
        portTitle: 'Customer master',
        description: 'One row per customer',
        database: ACME.database,
        table: 'customers',
        contract: { version: '1.2.0', status: 'active', usage: 'analytics' },
        rules: [{ name: 'email-complete', column: 'email' }],
      });
      expect(
        customers.columns.map(
          (c: {
            name: string;
            classification: string;
            masked: boolean;
            rules: string[];
          }) => [c.name, c.classification, c.masked, c.rules],
        ),
      ).toEqual([
        ['id', 'public', false, []],
        ['name', 'internal', false, []],
        ['email', 'pii', true, ['email-complete']],
        ['margin', 'confidential', true, []],
        ['health', 'sensitive-pii', true, []],
      ]);
      expect(customers.columns[1].description).toBe('Display name');
    });

    it('shows a developer what they see unmasked', async () => {
      const res = await schema('dave');
      expect(res.body.unmaskedClassifications).toEqual([
        'public',
        'internal',
        'confidential',
        'pii',
      ]);
      expect(
        res.body.tables[0].columns
          .filter((c: { masked: boolean }) => c.masked)
          .map((c: { name: string }) => c.name),
      ).toEqual(['health']);
      const token = await schema('token:run-only');
      expect(token.status).toBe(200);
      expect(token.body.unmaskedClassifications).toEqual([
        'public',
        'internal',
      ]);
    });

    it("answers another tenant's schema like a missing tenant's", async () => {
      for (const [who, tenant] of [
        ['carol', 'globex'],
        ['carol', 'nowhere'],
        ['token:globex', 'acme'],
        ['nobody', 'acme'],
      ]) {
        const res = await schema(who, tenant);
        expect({ who, tenant, status: res.status }).toEqual({
          who,
          tenant,
          status: 404,
        });
        expect(res.body.error.message).toBe(`No tenant '${tenant}'`);
        expect(res.text).not.toContain('leads');
      }
      const bob = await schema('bob', 'globex');
      expect(bob.status).toBe(200);
      expect(bob.body.tables.map((t: { table: string }) => t.table)).toEqual([
        'leads',
      ]);
    });
  });
});
