import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { TenantQuotas } from '@akili/plugin-akili-common';
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

/** A table of a test product's output port. */
export interface TestPortTable {
  catalog?: string;
  database: string;
  table: string;
}

/** A data product of `tenant` with one output port per table. */
export function testProduct(
  tenant: string,
  name: string,
  tables: TestPortTable[],
) {
  return {
    apiVersion: 'akili.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { namespace: tenant, name },
    spec: {
      outputPorts: tables.map((table, i) => ({
        name: `port_${i}`,
        kind: 'table',
        location: { table },
        schema: [],
      })),
    },
  };
}

/**
 * The whole query plugin in a test backend over MariaDB: per tenant a database `<prefix>_<tenant>`
 * with an `orders` table of `rows` rows, a read-only user of the same name, and a product
 * `orders` over that table (unless `entities` are given). Quotas and statuses come from mutable
 * tables; users and their groups from `directory`. `features` add to it (e.g. the plugin's
 * database).
 */
export async function startQueryApi(options: {
  /** Prefix of the test's MariaDB databases and users, unique per test file. */
  prefix: string;
  tenants: string[];
  directory: Record<string, string[]>;
  quotas: Record<string, TenantQuotas>;
  rows?: number;
  entities?: object[];
  features?: Parameters<typeof startTestBackend>[0]['features'];
  config?: Record<string, unknown>;
  /** More keys of the `starrocks` section (agreements, grants). */
  starrocks?: Record<string, unknown>;
}) {
  const url = requireTestMysqlUrl();
  const admin: Connection = await adminConnection();
  const rows = options.rows ?? 3;
  const login = (tenant: string) => ({
    database: `${options.prefix}_${tenant}`,
    user: `${options.prefix}_${tenant}`,
    password: `${tenant}-pw`,
  });
  for (const tenant of options.tenants) {
    const t = login(tenant);
    await admin.query(`DROP DATABASE IF EXISTS ${t.database}`);
    await admin.query(`CREATE DATABASE ${t.database}`);
    await admin.query(
      `CREATE TABLE ${t.database}.orders (id INT PRIMARY KEY, note VARCHAR(50))`,
    );
    for (let id = 1; id <= rows; id++) {
      await admin.query(`INSERT INTO ${t.database}.orders VALUES (?, ?)`, [
        id,
        `${tenant} order ${id}`,
      ]);
    }
    await createReadOnlyUser(admin, t);
  }
  const statuses = Object.fromEntries(
    options.tenants.map(tenant => [tenant, 'active' as const]),
  );
  const { server } = await startTestBackend({
    features: [
      starrocksPlugin,
      userInfoFromDirectory(options.directory),
      mockTenantStatus(statuses).factory,
      mockTenantQuotas(options.quotas).factory,
      catalogServiceMock.factory({
        entities: (options.entities ??
          options.tenants.map(tenant =>
            testProduct(tenant, 'orders', [
              { database: login(tenant).database, table: 'orders' },
            ]),
          )) as any[],
      }),
      mockServices.rootConfig.factory({
        data: {
          starrocks: {
            dialect: 'mariadb',
            maxRows: 1000,
            connectTimeoutSeconds: 2,
            ...options.starrocks,
            tenants: Object.fromEntries(
              options.tenants.map(tenant => [
                tenant,
                {
                  host: url.hostname,
                  port: Number(url.port || 3306),
                  user: login(tenant).user,
                  password: login(tenant).password,
                },
              ]),
            ),
          },
          ...options.config,
        },
      }),
      ...(options.features ?? []),
    ],
  });
  const as = (user: string) =>
    mockCredentials.user.header(`user:default/${user}`);
  return {
    server,
    admin,
    login,
    query: (tenant: string, user: string, body: object) =>
      request(server)
        .post(`/api/starrocks/v1/tenants/${tenant}/query`)
        .set('Authorization', as(user))
        .send(body),
    get: (path: string, user: string) =>
      request(server)
        .get(`/api/starrocks${path}`)
        .set('Authorization', as(user)),
  };
}
