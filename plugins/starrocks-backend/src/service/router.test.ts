import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
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

jest.setTimeout(60_000);

// Databases of their own (the engine tests use others, and Jest runs files in parallel).
const TENANTS = {
  acme: {
    database: 'akili_srr_acme',
    user: 'akili_srr_acme',
    password: 'a-pw',
  },
  globex: {
    database: 'akili_srr_globex',
    user: 'akili_srr_globex',
    password: 'g-pw',
  },
} as const;

async function prepare(admin: Connection) {
  for (const t of Object.values(TENANTS)) {
    await admin.query(`DROP DATABASE IF EXISTS ${t.database}`);
    await admin.query(`CREATE DATABASE ${t.database}`);
    await admin.query(
      `CREATE TABLE ${t.database}.orders (id INT PRIMARY KEY, note VARCHAR(50))`,
    );
    await admin.query(
      `INSERT INTO ${t.database}.orders VALUES (1, 'secret of ${t.database}'), (2, 'b'), (3, 'c')`,
    );
    await createReadOnlyUser(admin, t);
  }
}

const product = (tenant: keyof typeof TENANTS) => ({
  apiVersion: 'akili.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { namespace: tenant, name: 'orders' },
  spec: {
    outputPorts: [
      {
        name: 'orders',
        kind: 'table',
        location: {
          table: { database: TENANTS[tenant].database, table: 'orders' },
        },
        schema: [],
      },
    ],
  },
});

const directory = {
  'user:default/carol': ['group:akili/acme.consumer'],
  'user:default/bob': ['group:akili/globex.developer'],
  'user:default/nobody': [],
};
const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);

describe('POST /api/starrocks/v1/tenants/:tenant/query', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let admin: Connection;

  beforeAll(async () => {
    const url = requireTestMysqlUrl();
    admin = await adminConnection();
    await prepare(admin);
    const tenant = (t: (typeof TENANTS)[keyof typeof TENANTS]) => ({
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
        catalogServiceMock.factory({
          entities: [product('acme'), product('globex')],
        }),
        mockServices.rootConfig.factory({
          data: {
            starrocks: {
              dialect: 'mariadb',
              maxRows: 100,
              connectTimeoutSeconds: 2,
              tenants: {
                acme: tenant(TENANTS.acme),
                globex: tenant(TENANTS.globex),
              },
            },
          },
        }),
      ],
    }));
  });

  afterAll(async () => {
    await admin?.end();
  });

  const query = (
    tenant: string,
    user: string,
    body: object,
    accept?: string,
  ) => {
    const r = request(server)
      .post(`/api/starrocks/v1/tenants/${tenant}/query`)
      .set('Authorization', as(user));
    return (accept ? r.set('Accept', accept) : r).send(body);
  };

  it("answers a consumer's query over the tenant's own product table as JSON", async () => {
    const res = await query('acme', 'carol', {
      sql: 'SELECT id, note FROM akili_srr_acme.orders ORDER BY id',
      limit: 2,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      columns: [{ name: 'id' }, { name: 'note' }],
      rows: [
        [1, 'secret of akili_srr_acme'],
        [2, 'b'],
      ],
      truncated: true,
    });
  });

  it('streams CSV when asked', async () => {
    const res = await query(
      'acme',
      'carol',
      { sql: 'SELECT id FROM akili_srr_acme.orders ORDER BY id' },
      'text/csv',
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.text).toBe('id\r\n1\r\n2\r\n3\r\n');
  });

  it('writes CSV for spreadsheets when asked: formulas in the data stay text', async () => {
    const sql = `SELECT '=HYPERLINK("http://x")' AS f, '@SUM(A1)' AS g, -5 AS n, '-5.50' AS d, 'plain' AS p`;
    const raw = await query('acme', 'carol', { sql }, 'text/csv');
    expect(raw.text).toBe(
      'f,g,n,d,p\r\n"=HYPERLINK(""http://x"")",@SUM(A1),-5,-5.50,plain\r\n',
    );
    const safe = await query(
      'acme',
      'carol',
      { sql, spreadsheetSafe: true },
      'text/csv',
    );
    expect(safe.text).toBe(
      'f,g,n,d,p\r\n"\'=HYPERLINK(""http://x"")",\'@SUM(A1),-5,-5.50,plain\r\n',
    );
  });

  it("refuses another tenant's table, fully qualified or not, before the server sees it", async () => {
    for (const sql of [
      'SELECT note FROM akili_srr_globex.orders',
      'SELECT note FROM default_catalog.akili_srr_globex.orders',
      'SELECT * FROM akili_srr_acme.orders WHERE id IN (SELECT id FROM akili_srr_globex.orders)',
    ]) {
      const res = await query('acme', 'carol', { sql });
      expect({ sql, status: res.status }).toEqual({ sql, status: 400 });
      expect(res.body.error.message).toMatch(
        /^Query refused: .*akili_srr_globex/,
      );
      expect(res.text).not.toContain('secret of akili_srr_globex');
    }
    const write = await query('acme', 'carol', {
      sql: 'DELETE FROM akili_srr_acme.orders',
    });
    expect(write.status).toBe(400);
    const [rows] = await admin.query(
      'SELECT COUNT(*) AS n FROM akili_srr_acme.orders',
    );
    expect((rows as Array<{ n: number }>)[0].n).toBe(3);
  });

  it('answers another tenant like a missing one, and refuses users of no tenant role', async () => {
    const foreign = await query('globex', 'carol', {
      sql: 'SELECT 1 FROM akili_srr_globex.orders',
    });
    const missing = await query('nowhere', 'carol', {
      sql: 'SELECT 1 FROM akili_srr_globex.orders',
    });
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(foreign.body.error.message).toBe("No tenant 'globex'");
    expect(missing.body.error.message).toBe("No tenant 'nowhere'");
    const nobody = await query('acme', 'nobody', { sql: 'SELECT 1' });
    expect(nobody.status).toBe(404);
  });

  it('names what is wrong with a bad request', async () => {
    const res = await query('acme', 'carol', {
      sql: 'SELECT 1',
      colour: 'red',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'request/body must NOT have additional properties',
    );
    const long = await query('acme', 'carol', {
      sql: `SELECT 1 ${'+ 1 '.repeat(30_000)}`,
    });
    expect(long.status).toBe(400);
    expect(long.body.error.message).toBe(
      'request/body/sql must NOT have more than 100000 characters',
    );
    const empty = await query('acme', 'carol', {});
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toBe(
      "request/body must have required property 'sql'",
    );
    // A body that is not JSON (curl -d without a Content-Type) is named as such.
    const form = await request(server)
      .post('/api/starrocks/v1/tenants/acme/query')
      .set('Authorization', as('carol'))
      .type('form')
      .send('sql=SELECT 1');
    expect(form.status).toBe(400);
    expect(form.body.error.message).toBe(
      'unsupported media type application/x-www-form-urlencoded',
    );
    const served = await request(server)
      .get('/api/starrocks/openapi.json')
      .set('Authorization', as('carol'));
    expect(served.status).toBe(200);
    expect(Object.keys(served.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/starrocks/v1/tenants/{tenant}/query',
        '/api/starrocks/v1/tenants/{tenant}/audit',
      ]),
    );
    const badLimit = await query('acme', 'carol', {
      sql: 'SELECT 1',
      limit: 0,
    });
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error.message).toBe('request/body/limit must be >= 1');
  });
});
