import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { NotAllowedError, ServiceUnavailableError } from '@backstage/errors';
import { EventsService, eventsServiceRef } from '@backstage/plugin-events-node';
import { AccessAgreement } from '@akili/plugin-lake-common';
import Router from 'express-promise-router';
import { startQueryApi, testProduct } from '../__testUtils__/queryApi';
import { requireTestMysqlUrl } from '../testUtils/testMysql';

jest.setTimeout(120_000);

const P = 'akili_sra_ag';
const ACME_TABLE = `${P}_acme.customer_360`;
const QUALIFIED = `default_catalog.${ACME_TABLE}`;

/**
 * The lake backend's side of the seam, as a real route of the test backend: `GET
 * /api/lake/v1/agreements/in-force?consumer=` answering service principals only, with the
 * agreements the test puts in `served`. Events are published into the backend's one events
 * service, as the Akili events bridge does.
 */
const served = {
  items: [] as AccessAgreement[],
  down: false,
  calls: 0,
};
// One events service for the whole backend, as the Akili events bridge publishes into.
const events: EventsService = mockServices.events();
const sharedEvents = createServiceFactory({
  service: eventsServiceRef,
  deps: {},
  factory: () => events,
});
const lakeStandIn = createBackendPlugin({
  pluginId: 'lake',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
      },
      async init({ httpRouter, httpAuth }) {
        const router = Router();
        router.get('/v1/agreements/in-force', async (req, res) => {
          // As the lake backend: backend plugins only; this one calls as itself.
          const credentials = await httpAuth.credentials(req, {
            allow: ['service'],
          });
          if (credentials.principal.subject !== 'plugin:starrocks') {
            throw new NotAllowedError(credentials.principal.subject);
          }
          served.calls++;
          if (served.down) throw new ServiceUnavailableError('lake is down');
          res.json({
            items: served.items.filter(
              a => a.consumer.tenant === req.query.consumer,
            ),
          });
        });
        httpRouter.use(router);
      },
    });
  },
});

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
    columns: ['customer_id', 'segment', 'email'],
    until: new Date(Date.now() + 86_400_000).toISOString(),
    requestedBy: 'user:default/gina',
    requestedAt: new Date().toISOString(),
    ...overrides,
  };
}

async function publish(type: 'access.granted' | 'access.revoked') {
  await events.publish({
    topic: `akili.${type}`,
    eventPayload: {
      type,
      tenant: 'acme',
      data: {
        agreementId: 'ag-1',
        provider: agreement().provider,
        consumer: { tenant: 'globex' },
        columns: [],
        until: agreement().until,
      },
    },
  });
}

/**
 * The query API reads other tenants' tables under access agreements in force, only their agreed
 * columns, masked on top; everything else is refused as before. The server side (globex's
 * MariaDB user holding SELECT on acme's table) is granted here by hand, as the grant reconciler
 * does (tested in grants/GrantReconciler.test.ts).
 */
describe('query API with access agreements', () => {
  let api: Awaited<ReturnType<typeof startQueryApi>>;

  beforeAll(async () => {
    const orders = (tenant: string) =>
      testProduct(tenant, 'orders', [
        { database: `${P}_${tenant}`, table: 'orders' },
      ]);
    api = await startQueryApi({
      prefix: P,
      tenants: ['acme', 'globex', 'initech'],
      directory: {
        'user:default/carol': ['group:akili/acme.consumer'],
        'user:default/gina': ['group:akili/globex.consumer'],
        'user:default/gus': ['group:akili/globex.developer'],
        'user:default/ivan': ['group:akili/initech.consumer'],
      },
      quotas: {
        acme: { queryRowLimit: 100, maxConcurrentQueries: 4 },
        globex: { queryRowLimit: 100, maxConcurrentQueries: 4 },
        initech: { queryRowLimit: 100, maxConcurrentQueries: 4 },
      },
      entities: [
        orders('acme'),
        orders('globex'),
        orders('initech'),
        {
          apiVersion: 'akili.io/v1alpha1',
          kind: 'DataProduct',
          metadata: { namespace: 'acme', name: 'customer-360' },
          spec: {
            outputPorts: [
              {
                name: 'customers',
                kind: 'table',
                location: {
                  table: { database: `${P}_acme`, table: 'customer_360' },
                },
                schema: [
                  { name: 'customer_id', type: 'integer' },
                  { name: 'segment', type: 'string', classification: 'public' },
                  { name: 'email', type: 'string', classification: 'pii' },
                  {
                    name: 'margin',
                    type: 'number',
                    classification: 'confidential',
                  },
                ],
              },
            ],
          },
        },
      ],
      features: [lakeStandIn, sharedEvents],
      starrocks: {
        agreements: { enabled: true },
        // The plugin's own grant reconciler gives globex's user its SELECT (the admin login).
        grants: {
          enabled: true,
          user: decodeURIComponent(requireTestMysqlUrl().username),
          password: decodeURIComponent(requireTestMysqlUrl().password),
        },
      },
    });
    await api.admin.query(
      `CREATE TABLE ${ACME_TABLE} (customer_id INT, segment VARCHAR(20), email VARCHAR(50), margin DECIMAL(5,2), secret VARCHAR(20))`,
    );
    await api.admin.query(
      `INSERT INTO ${ACME_TABLE} VALUES (1, 'smb', 'a@acme.test', 0.31, 's1'), (2, 'ent', 'b@acme.test', 0.12, 's2')`,
    );
    // The test users also have a 'localhost' account, which the reconciler does not manage.
    await api.admin.query(
      `DROP USER IF EXISTS '${api.login('globex').user}'@'localhost'`,
    );
    // initech's server user may read acme's table (granted by hand): the query API still refuses.
    for (const host of ['%', 'localhost']) {
      await api.admin.query(
        `GRANT SELECT ON ${ACME_TABLE} TO '${
          api.login('initech').user
        }'@'${host}'`,
      );
    }
  });

  /** Waits until globex's StarRocks (MariaDB) user holds SELECT on acme's table, or not. */
  async function untilGranted(granted: boolean) {
    for (let i = 0; i < 100; i++) {
      const [rows] = await api.admin.query(
        "SELECT 1 FROM mysql.tables_priv WHERE User = ? AND Host = '%' AND Db = ? AND Table_name = 'customer_360'",
        [api.login('globex').user, `${P}_acme`],
      );
      if ((rows as unknown[]).length > 0 === granted) return;
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    throw new Error(`globex's grant did not become ${granted}`);
  }

  beforeEach(async () => {
    served.items = [agreement()];
    served.down = false;
    await publish('access.granted');
    await untilGranted(true);
  });

  afterAll(async () => {
    await api?.admin.end();
  });

  it('reads the agreed columns of the other tenant’s table, a pii one masked for a consumer', async () => {
    const res = await api.query('globex', 'gina', {
      sql: `SELECT customer_id, segment, email FROM ${ACME_TABLE} ORDER BY customer_id`,
    });
    expect(res.status).toBe(200);
    expect(res.body.rows).toEqual([
      [1, 'smb', null],
      [2, 'ent', null],
    ]);
    expect(res.body.masked).toEqual([
      { table: QUALIFIED, column: 'email', classification: 'pii' },
    ]);
    // A developer of globex holds unmask there: the agreed pii column reads.
    const dev = await api.query('globex', 'gus', {
      sql: `SELECT email FROM ${ACME_TABLE} ORDER BY customer_id`,
    });
    expect(dev.status).toBe(200);
    expect(dev.body.rows).toEqual([['a@acme.test'], ['b@acme.test']]);
  });

  it('expands SELECT * to the agreed columns only', async () => {
    const res = await api.query('globex', 'gus', {
      sql: `SELECT * FROM ${ACME_TABLE} c ORDER BY c.customer_id`,
    });
    expect(res.status).toBe(200);
    expect(res.body.columns.map((c: { name: string }) => c.name)).toEqual([
      'customer_id',
      'segment',
      'email',
    ]);
    expect(res.body.rows[0]).toEqual([1, 'smb', 'a@acme.test']);
  });

  it('refuses a declared column outside the agreement, naming it and what is agreed', async () => {
    for (const sql of [
      `SELECT margin FROM ${ACME_TABLE}`,
      `SELECT customer_id FROM ${ACME_TABLE} WHERE margin > 0.2`,
      `SELECT c.\`MARGIN\` FROM ${ACME_TABLE} c`,
    ]) {
      const res = await api.query('globex', 'gus', { sql });
      expect({ sql, status: res.status }).toEqual({ sql, status: 400 });
      expect(res.body.error.message).toMatch(
        new RegExp(
          `^Query refused: column '(margin|MARGIN)' of table ${QUALIFIED} is not in your tenant's access agreement, which allows customer_id, segment, email$`,
        ),
      );
    }
    // Not declared at all: the rewritten table has no such column, so nothing is read.
    const undeclared = await api.query('globex', 'gus', {
      sql: `SELECT secret FROM ${ACME_TABLE}`,
    });
    expect(undeclared.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(undeclared.body)).not.toContain('s1');
    // DESCRIBE would list every column.
    const describe = await api.query('globex', 'gus', {
      sql: `DESCRIBE ${ACME_TABLE}`,
    });
    expect(describe.status).toBe(400);
    expect(describe.body.error.message).toContain(
      `table ${QUALIFIED} is read under an access agreement`,
    );
  });

  it('sends nothing to the server for a refused column or DESCRIBE (MariaDB general log)', async () => {
    const [saved] = (
      await api.admin.query(
        'SELECT @@GLOBAL.general_log AS general_log, @@GLOBAL.log_output AS log_output',
      )
    )[0] as Array<{ general_log: number; log_output: string }>;
    await api.admin.query(
      `SET GLOBAL log_output = '${
        saved.log_output.includes('TABLE') ? saved.log_output : 'TABLE'
      }'`,
    );
    await api.admin.query('SET GLOBAL general_log = 1');
    try {
      const [[{ since }]] = (await api.admin.query(
        "SELECT DATE_FORMAT(NOW(6), '%Y-%m-%d %H:%i:%s.%f') AS since",
      )) as any;
      const logged = async () =>
        (
          (
            await api.admin.query(
              `SELECT CONVERT(argument USING utf8mb4) AS argument FROM mysql.general_log
                WHERE user_host LIKE ? AND event_time >= ? AND command_type = 'Query'`,
              [`${api.login('globex').user}[%`, since],
            )
          )[0] as Array<{ argument: string }>
        ).map(r => r.argument);
      for (const sql of [
        `SELECT margin FROM ${ACME_TABLE}`,
        `DESCRIBE ${ACME_TABLE}`,
      ]) {
        expect((await api.query('globex', 'gus', { sql })).status).toBe(400);
      }
      expect(await logged()).toEqual([]);
      // The check can fail: an allowed statement is logged, rewritten to the agreed columns.
      expect(
        (
          await api.query('globex', 'gus', {
            sql: `SELECT * FROM ${ACME_TABLE}`,
          })
        ).status,
      ).toBe(200);
      const sent = await logged();
      expect(sent).toHaveLength(1);
      expect(sent[0]).toContain(
        `(SELECT customer_id, segment, email FROM ${ACME_TABLE}) AS customer_360`,
      );
    } finally {
      await api.admin.query(`SET GLOBAL general_log = ${saved.general_log}`);
      await api.admin.query(`SET GLOBAL log_output = '${saved.log_output}'`);
    }
  });

  it('lists the agreed table with its agreed columns in the schema', async () => {
    const res = await api.get('/v1/tenants/globex/schema', 'gina');
    expect(res.status).toBe(200);
    const table = res.body.tables.find(
      (t: { entityRef: string }) =>
        t.entityRef === 'dataproduct:acme/customer-360',
    );
    expect(table.columns.map((c: { name: string }) => c.name)).toEqual([
      'customer_id',
      'segment',
      'email',
    ]);
  });

  it('refuses a tenant without agreement exactly as before, and the provider keeps its own reads', async () => {
    const initech = await api.query('initech', 'ivan', {
      sql: `SELECT customer_id FROM ${ACME_TABLE}`,
    });
    expect(initech.status).toBe(400);
    expect(initech.body.error.message).toBe(
      `Query refused: table '${QUALIFIED}' is not readable by this tenant (line 1, column 25)`,
    );
    // globex's agreement covers that one port: acme's other tables stay closed to it.
    const other = await api.query('globex', 'gus', {
      sql: `SELECT id FROM ${P}_acme.orders`,
    });
    expect(other.status).toBe(400);
    expect(other.body.error.message).toContain(
      `table 'default_catalog.${P}_acme.orders' is not readable by this tenant`,
    );
    // The agreement gives acme nothing of globex's.
    const acme = await api.query('acme', 'carol', {
      sql: `SELECT id FROM ${P}_globex.orders`,
    });
    expect(acme.status).toBe(400);
    const own = await api.query('acme', 'carol', {
      sql: `SELECT margin FROM ${ACME_TABLE} ORDER BY customer_id`,
    });
    expect(own.status).toBe(200);
    expect(own.body.rows).toEqual([[null], [null]]);
  });

  it('refuses after revocation: at once on the event, within the cache time without it', async () => {
    const sql = `SELECT customer_id FROM ${ACME_TABLE}`;
    expect((await api.query('globex', 'gina', { sql })).status).toBe(200);
    served.items = [];
    // Cached (at most 30 s) until the event arrives.
    expect((await api.query('globex', 'gina', { sql })).status).toBe(200);
    await publish('access.revoked');
    const res = await api.query('globex', 'gina', { sql });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('is not readable by this tenant');
    // The plugin's reconciler took the grant back on the same event.
    await untilGranted(false);
  });

  it('refuses after expiry without any event', async () => {
    served.items = [
      agreement({ until: new Date(Date.now() + 1000).toISOString() }),
    ];
    await publish('access.granted');
    const sql = `SELECT customer_id FROM ${ACME_TABLE}`;
    expect((await api.query('globex', 'gina', { sql })).status).toBe(200);
    await new Promise(resolve => setTimeout(resolve, 1100));
    expect((await api.query('globex', 'gina', { sql })).status).toBe(400);
  });

  it('with the lake backend down: own tables still read, other tenants’ fail closed with a 503 naming it', async () => {
    served.down = true;
    await publish('access.revoked');
    const own = await api.query('globex', 'gina', {
      sql: `SELECT id FROM ${P}_globex.orders ORDER BY id`,
    });
    expect(own.status).toBe(200);
    const cross = await api.query('globex', 'gina', {
      sql: `SELECT customer_id FROM ${ACME_TABLE}`,
    });
    expect(cross.status).toBe(503);
    expect(cross.body.error.message).toMatch(
      /Other tenants' tables cannot be read now: The lake backend's access agreements \(GET \/api\/lake\/v1\/agreements\/in-force\) could not be read: HTTP 503/,
    );
    // A refusal for another reason is still a 400.
    const bad = await api.query('globex', 'gina', { sql: 'SELECT sleep(1)' });
    expect(bad.status).toBe(400);
  });
});
