import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AKILI_HTTP_SERVER_DURATION } from '@akili/plugin-akili-node';
import {
  installTestMetrics,
  mockTenantQuotas,
  mockTenantStatus,
  TestMetrics,
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
import { STARROCKS_QUERIES } from './QueryService';

jest.setTimeout(60_000);

// A database of its own (Jest runs files in parallel).
const ACME = {
  database: 'akili_srm_acme',
  user: 'akili_srm_acme',
  password: 'm-pw',
} as const;

const product = {
  apiVersion: 'akili.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { namespace: 'acme', name: 'orders' },
  spec: {
    outputPorts: [
      {
        name: 'orders',
        kind: 'table',
        location: { table: { database: ACME.database, table: 'orders' } },
        schema: [],
      },
    ],
  },
};

describe('metrics of the StarRocks query API', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let admin: Connection;
  let testMetrics: TestMetrics;

  beforeAll(async () => {
    // Before the plugin starts: its instruments are made at start-up.
    testMetrics = installTestMetrics();
    const url = requireTestMysqlUrl();
    admin = await adminConnection();
    await admin.query(`DROP DATABASE IF EXISTS ${ACME.database}`);
    await admin.query(`CREATE DATABASE ${ACME.database}`);
    await admin.query(
      `CREATE TABLE ${ACME.database}.orders (id INT PRIMARY KEY, note VARCHAR(50))`,
    );
    await admin.query(
      `INSERT INTO ${ACME.database}.orders VALUES ${Array.from(
        { length: 100 },
        (_, i) => `(${i + 1}, 'n${i}')`,
      ).join(', ')}`,
    );
    await createReadOnlyUser(admin, ACME);
    ({ server } = await startTestBackend({
      features: [
        starrocksPlugin,
        userInfoFromDirectory({
          'user:default/carol': ['group:akili/acme.consumer'],
        }),
        mockTenantStatus({ acme: 'active' }).factory,
        mockTenantQuotas({
          acme: { queryRowLimit: 10_000, maxConcurrentQueries: 4 },
        }).factory,
        catalogServiceMock.factory({ entities: [product] }),
        mockServices.rootConfig.factory({
          data: {
            starrocks: {
              dialect: 'mariadb',
              maxRows: 100,
              queryTimeoutSeconds: 1,
              connectTimeoutSeconds: 2,
              tenants: {
                acme: {
                  host: url.hostname,
                  port: Number(url.port || 3306),
                  user: ACME.user,
                  password: ACME.password,
                },
              },
            },
          },
        }),
      ],
    }));
  });

  afterAll(async () => {
    await admin?.end();
    await testMetrics?.uninstall();
  });

  const query = (sql: string) =>
    request(server)
      .post('/api/starrocks/v1/tenants/acme/query')
      .set('Authorization', mockCredentials.user.header('user:default/carol'))
      .send({ sql });

  it('counts queries by outcome and requests by route pattern, with no tenant, user or SQL in the labels', async () => {
    expect((await query(`SELECT id FROM ${ACME.database}.orders`)).status).toBe(
      200,
    );
    expect(
      (await query(`SELECT note FROM ${ACME.database}.orders`)).status,
    ).toBe(200);
    // The guard refuses another database's table: nothing reaches the server.
    expect((await query('SELECT * FROM akili_other.secrets')).status).toBe(400);
    // The server refuses an unknown column.
    const failed = await query(`SELECT nope FROM ${ACME.database}.orders`);
    expect(failed.status).toBeGreaterThanOrEqual(400);
    // Longer than starrocks.queryTimeoutSeconds (1 s): 10^10 rows of a cross join.
    const slow = `SELECT count(*) AS n FROM ${['a', 'b', 'c', 'd', 'e']
      .map(alias => `${ACME.database}.orders ${alias}`)
      .join(', ')}`;
    expect((await query(slow)).status).toBe(504);

    const queries = await testMetrics.collect(STARROCKS_QUERIES);
    expect(
      Object.fromEntries(queries.map(p => [p.attributes.outcome, p.value])),
    ).toEqual({ ok: 2, rejected: 1, error: 1, timeout: 1 });
    for (const point of queries) {
      expect(Object.keys(point.attributes)).toEqual(['outcome']);
    }

    const requests = await testMetrics.collect(AKILI_HTTP_SERVER_DURATION);
    const byLabels = Object.fromEntries(
      requests.map(p => [
        `${p.attributes.plugin} ${p.attributes.method} ${p.attributes.route} ${p.attributes.status_class}`,
        p.value,
      ]),
    );
    expect(byLabels).toMatchObject({
      'starrocks POST /v1/tenants/:tenant/query 2xx': 2,
      'starrocks POST /v1/tenants/:tenant/query 5xx': 1,
    });
    expect(JSON.stringify(requests.map(p => p.attributes))).not.toMatch(
      /acme|carol|SELECT/,
    );
  });
});
