import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ConfigReader } from '@backstage/config';
import { AccessAgreement } from '@akili/plugin-lake-common';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Connection, createConnection } from 'mysql2/promise';
import { LakeAgreementsClient } from '../agreements/AgreementsClient';
import { readStarrocksConfig } from '../config';
import { adminConnection, requireTestMysqlUrl } from '../testUtils/testMysql';
import { GrantReconciler } from './GrantReconciler';

jest.setTimeout(60_000);

const P = 'akili_srg';
const ACME = `${P}_acme`;
const GLOBEX = `${P}_globex`;
const GLOBEX_USER = `${P}_globex`;
const WEIRD = 'odd`name; DROP';

const product = (tenant: string, name: string, ports: object[]) => ({
  apiVersion: 'akili.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { namespace: tenant, name },
  spec: { outputPorts: ports },
});
const tablePort = (name: string, database: string, table: string) => ({
  name,
  kind: 'table',
  location: { table: { database, table } },
});

const entities = [
  product('acme', 'customer-360', [
    tablePort('customers', ACME, 'customer_360'),
    tablePort('odd', ACME, WEIRD),
  ]),
  product('acme', 'orders', [tablePort('orders', ACME, 'orders')]),
  product('globex', 'shipments', [tablePort('shipments', GLOBEX, 'shipments')]),
];

function agreement(overrides: Partial<AccessAgreement> = {}): AccessAgreement {
  return {
    id: 'ag-1',
    status: 'approved',
    provider: {
      tenant: 'acme',
      product: 'dataproduct:acme/customer-360',
      port: 'customers',
    },
    consumer: { tenant: 'globex', product: 'dataproduct:globex/shipments' },
    purpose: 'shipment addresses',
    columns: ['customer_id', 'segment'],
    until: new Date(Date.now() + 86_400_000).toISOString(),
    requestedBy: 'user:default/gina',
    requestedAt: new Date().toISOString(),
    ...overrides,
  };
}

/**
 * The grants against real MariaDB: the reconciler grants and revokes through an admin login, and
 * the consumer tenant's own login is what is checked (the server allows or refuses it). The
 * agreements come from a real HTTP server answering the lake backend's in-force route.
 */
describe('GrantReconciler', () => {
  let admin: Connection;
  let lake: Server;
  let served: { items: AccessAgreement[]; down: boolean; calls: number };
  let reconciler: GrantReconciler;
  let client: LakeAgreementsClient;

  beforeAll(async () => {
    const url = requireTestMysqlUrl();
    admin = await adminConnection();
    for (const db of [ACME, GLOBEX]) {
      await admin.query(`DROP DATABASE IF EXISTS ${db}`);
      await admin.query(`CREATE DATABASE ${db}`);
    }
    await admin.query(
      `CREATE TABLE ${ACME}.customer_360 (customer_id INT, segment VARCHAR(20), email VARCHAR(50))`,
    );
    await admin.query(
      `INSERT INTO ${ACME}.customer_360 VALUES (1, 'smb', 'a@acme.test')`,
    );
    await admin.query(`CREATE TABLE ${ACME}.orders (id INT)`);
    await admin.query(`CREATE TABLE ${ACME}.\`odd\`\`name; DROP\` (id INT)`);
    await admin.query(`CREATE TABLE ${GLOBEX}.shipments (id INT)`);
    await admin.query(`INSERT INTO ${GLOBEX}.shipments VALUES (7)`);
    await admin.query(`DROP USER IF EXISTS '${GLOBEX_USER}'@'%'`);
    await admin.query(`DROP USER IF EXISTS '${GLOBEX_USER}'@'localhost'`);
    await admin.query(
      `CREATE USER '${GLOBEX_USER}'@'%' IDENTIFIED BY 'globex-pw'`,
    );
    await admin.query(`GRANT SELECT ON ${GLOBEX}.* TO '${GLOBEX_USER}'@'%'`);

    served = { items: [], down: false, calls: 0 };
    lake = createServer((req, res) => {
      served.calls++;
      const u = new URL(req.url!, 'http://x');
      if (
        served.down ||
        u.pathname !== '/api/lake/v1/agreements/in-force' ||
        !req.headers.authorization?.startsWith('Bearer ')
      ) {
        res.writeHead(served.down ? 503 : 404).end();
        return;
      }
      const consumer = u.searchParams.get('consumer');
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          items: served.items.filter(a => a.consumer.tenant === consumer),
        }),
      );
    });
    await new Promise<void>(resolve => lake.listen(0, '127.0.0.1', resolve));
    const port = (lake.address() as AddressInfo).port;

    const config = readStarrocksConfig(
      new ConfigReader({
        starrocks: {
          dialect: 'mariadb',
          connectTimeoutSeconds: 2,
          tenants: {
            acme: {
              host: url.hostname,
              port: Number(url.port || 3306),
              user: `${P}_acme`,
              password: 'x',
            },
            globex: {
              host: url.hostname,
              port: Number(url.port || 3306),
              user: GLOBEX_USER,
              password: 'globex-pw',
            },
          },
          grants: {
            enabled: true,
            user: decodeURIComponent(url.username),
            password: decodeURIComponent(url.password),
          },
        },
      }),
    );
    const auth = mockServices.auth();
    client = new LakeAgreementsClient({
      discovery: {
        getBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
        getExternalBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
      },
      auth,
      cacheMs: 0,
    });
    reconciler = new GrantReconciler({
      config,
      grants: config.grants!,
      agreements: client,
      catalog: catalogServiceMock({ entities: entities as any[] }),
      auth,
      logger: mockServices.logger.mock(),
    });
  });

  afterAll(async () => {
    await admin?.query(`DROP USER IF EXISTS '${GLOBEX_USER}'@'%'`);
    for (const db of [ACME, GLOBEX]) {
      await admin?.query(`DROP DATABASE IF EXISTS ${db}`);
    }
    await admin?.end();
    await new Promise(resolve => lake?.close(resolve));
  });

  /** What globex's own login gets from `sql`: rows, or the server's error code. */
  async function asGlobex(sql: string): Promise<unknown> {
    const url = requireTestMysqlUrl();
    const c = await createConnection({
      host: url.hostname,
      port: Number(url.port || 3306),
      user: GLOBEX_USER,
      password: 'globex-pw',
    });
    try {
      const [rows] = await c.query(sql);
      return rows;
    } catch (error) {
      return (error as { code?: string }).code;
    } finally {
      await c.end();
    }
  }
  const readCustomers = `SELECT customer_id, segment FROM ${ACME}.customer_360`;

  it('grants SELECT on the agreed table, idempotently, and the consumer login can read it', async () => {
    served.items = [];
    await reconciler.reconcileTenant('globex');
    expect(await asGlobex(readCustomers)).toBe('ER_TABLEACCESS_DENIED_ERROR');

    served.items = [agreement()];
    expect(await reconciler.reconcileTenant('globex')).toEqual({
      tenant: 'globex',
      granted: [`${ACME}.customer_360`],
      revoked: [],
    });
    expect(await asGlobex(readCustomers)).toEqual([
      { customer_id: 1, segment: 'smb' },
    ]);
    // Nothing to do the second time; another acme table stays refused.
    expect(await reconciler.reconcileTenant('globex')).toEqual({
      tenant: 'globex',
      granted: [],
      revoked: [],
    });
    expect(await asGlobex(`SELECT * FROM ${ACME}.orders`)).toBe(
      'ER_TABLEACCESS_DENIED_ERROR',
    );
    // The provider tenant gets nothing from the consumer's agreement.
    expect(await reconciler.reconcileTenant('acme')).toEqual({
      tenant: 'acme',
      granted: [],
      revoked: [],
    });
  });

  it('revokes on revocation: the server refuses the consumer login again, its own tables still read', async () => {
    served.items = [agreement()];
    await reconciler.reconcileTenant('globex');
    served.items = [agreement({ status: 'revoked' })];
    expect(await reconciler.reconcileTenant('globex')).toEqual({
      tenant: 'globex',
      granted: [],
      revoked: [`${ACME}.customer_360`],
    });
    expect(await asGlobex(readCustomers)).toBe('ER_TABLEACCESS_DENIED_ERROR');
    expect(await asGlobex(`SELECT id FROM ${GLOBEX}.shipments`)).toEqual([
      { id: 7 },
    ]);
  });

  it('revokes at expiry, even with the lake backend down (the last agreements read, by the clock)', async () => {
    served.items = [
      agreement({ until: new Date(Date.now() + 1500).toISOString() }),
    ];
    expect((await reconciler.reconcileTenant('globex')).granted).toEqual([
      `${ACME}.customer_360`,
    ]);
    served.down = true;
    await new Promise(resolve => setTimeout(resolve, 1600));
    try {
      expect((await reconciler.reconcileTenant('globex')).revoked).toEqual([
        `${ACME}.customer_360`,
      ]);
    } finally {
      served.down = false;
    }
    expect(await asGlobex(readCustomers)).toBe('ER_TABLEACCESS_DENIED_ERROR');
  });

  it('removes a grant made by hand with no agreement and restores one revoked by hand', async () => {
    served.items = [agreement()];
    await reconciler.reconcileTenant('globex');
    await admin.query(
      `REVOKE SELECT ON ${ACME}.customer_360 FROM '${GLOBEX_USER}'@'%'`,
    );
    await admin.query(`GRANT SELECT ON ${ACME}.orders TO '${GLOBEX_USER}'@'%'`);
    expect(await asGlobex(`SELECT * FROM ${ACME}.orders`)).toEqual([]);
    expect(await reconciler.reconcileAll()).toEqual([
      { tenant: 'acme', granted: [], revoked: [] },
      {
        tenant: 'globex',
        granted: [`${ACME}.customer_360`],
        revoked: [`${ACME}.orders`],
      },
    ]);
    expect(await reconciler.reconcileAll()).toEqual([
      { tenant: 'acme', granted: [], revoked: [] },
      { tenant: 'globex', granted: [], revoked: [] },
    ]);
    expect(await asGlobex(`SELECT * FROM ${ACME}.orders`)).toBe(
      'ER_TABLEACCESS_DENIED_ERROR',
    );
    expect(await asGlobex(readCustomers)).toEqual([
      { customer_id: 1, segment: 'smb' },
    ]);
  });

  it('quotes a table name from a manifest safely', async () => {
    served.items = [
      agreement({
        id: 'ag-odd',
        provider: { ...agreement().provider, port: 'odd' },
      }),
    ];
    expect((await reconciler.reconcileTenant('globex')).granted).toEqual([
      `${ACME}.${WEIRD}`,
    ]);
    expect(
      await asGlobex(`SELECT COUNT(*) AS n FROM ${ACME}.\`odd\`\`name; DROP\``),
    ).toEqual([{ n: 0 }]);
    served.items = [];
    expect((await reconciler.reconcileTenant('globex')).revoked).toEqual([
      `${ACME}.${WEIRD}`,
    ]);
    // Both acme tables are still there.
    const [rows] = await admin.query(`SHOW TABLES FROM ${ACME}`);
    expect((rows as object[]).length).toBe(3);
  });

  it('fails naming the lake backend when it never answered', async () => {
    const fresh = new GrantReconciler({
      config: readStarrocksConfig(
        new ConfigReader({
          starrocks: {
            dialect: 'mariadb',
            tenants: { globex: { host: 'h', user: 'u', password: 'p' } },
            grants: { enabled: true, user: 'admin' },
          },
        }),
      ),
      grants: {
        enabled: true,
        host: 'h',
        port: 1,
        user: 'a',
        password: '',
        userHost: '%',
        intervalMinutes: 5,
      },
      agreements: client,
      catalog: catalogServiceMock({ entities: entities as any[] }),
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
    });
    served.down = true;
    try {
      await expect(fresh.reconcileTenant('globex')).rejects.toThrow(
        /lake backend's access agreements .* could not be read: HTTP 503/,
      );
    } finally {
      served.down = false;
    }
  });
});
