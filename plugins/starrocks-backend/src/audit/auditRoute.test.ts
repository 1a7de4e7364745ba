import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { requireTestDatabaseIds } from '@akili/plugin-akili-node/testUtils';
import {
  QueryAuditEntry,
  QueryAuditPage,
} from '@akili/plugin-starrocks-common';
import { startQueryApi } from '../__testUtils__/queryApi';

jest.setTimeout(60_000);

const directory = {
  'user:default/carol': ['group:akili/acme.consumer'],
  'user:default/dave': ['group:akili/acme.developer'],
  'user:default/olga': ['group:akili/acme.operator'],
  'user:default/gus': ['group:akili/globex.operator'],
  'user:default/bob': ['group:akili/globex.consumer'],
};

const quotas = {
  acme: { queryRowLimit: 1000, maxConcurrentQueries: 4 },
  globex: { queryRowLimit: 1000, maxConcurrentQueries: 4 },
};

describe.each(requireTestDatabaseIds())(
  'GET /api/starrocks/v1/tenants/:tenant/audit on %s',
  databaseId => {
    const databases = TestDatabases.create({ ids: [databaseId] });
    let api: Awaited<ReturnType<typeof startQueryApi>>;

    beforeAll(async () => {
      api = await startQueryApi({
        // Databases and users of this file only (Jest runs files in parallel on one MariaDB).
        prefix: `akili_sra_a${databaseId.startsWith('POSTGRES') ? 'p' : 's'}`,
        tenants: ['acme', 'globex'],
        directory,
        quotas,
        features: [
          mockServices.database.factory({
            knex: await databases.init(databaseId),
          }),
        ],
      });
    });

    afterAll(async () => {
      await api?.admin.end();
    });

    /** The audit page, once it holds at least `count` entries (they are written after the answer). */
    async function auditOf(
      tenant: string,
      user: string,
      query = '',
      count = 1,
    ): Promise<QueryAuditPage> {
      let page: QueryAuditPage = { items: [] };
      for (let i = 0; i < 100; i++) {
        const res = await api.get(`/v1/tenants/${tenant}/audit${query}`, user);
        expect(res.status).toBe(200);
        page = res.body;
        if (page.items.length >= count) break;
        await new Promise(resolve => setTimeout(resolve, 50));
      }
      return page;
    }

    it("records each query, refused ones too, and shows a tenant's operators their tenant's trail only", async () => {
      const own = api.login('acme').database;
      const other = api.login('globex').database;
      const ok = await api.query('acme', 'carol', {
        sql: `SELECT id, note FROM ${own}.orders ORDER BY id`,
      });
      expect(ok.status).toBe(200);
      expect(ok.body.queryId).toMatch(/^[0-9a-f-]{36}$/);
      const refused = await api.query('acme', 'carol', {
        sql: `SELECT note FROM ${other}.orders`,
      });
      expect(refused.status).toBe(400);
      const failed = await api.query('acme', 'dave', {
        sql: `SELECT missing_column FROM ${own}.orders`,
      });
      expect(failed.status).toBe(400);
      expect(
        (
          await api.query('globex', 'bob', {
            sql: `SELECT id FROM ${other}.orders`,
          })
        ).status,
      ).toBe(200);

      const page = await auditOf('acme', 'olga', '', 3);
      expect(page.items).toHaveLength(3);
      const [failedEntry, refusedEntry, okEntry] = page.items;
      expect(okEntry).toEqual<QueryAuditEntry>({
        id: ok.body.queryId,
        tenant: 'acme',
        actorRef: 'user:default/carol',
        statement: `SELECT id, note FROM ${own}.orders ORDER BY id`,
        products: ['dataproduct:acme/orders'],
        tables: [`default_catalog.${own}.orders`],
        outcome: 'succeeded',
        rowCount: 3,
        bytes: expect.any(Number),
        durationMs: expect.any(Number),
        startedAt: expect.any(String),
      });
      expect(okEntry.bytes).toBeGreaterThan(0);
      expect(refusedEntry).toMatchObject({
        actorRef: 'user:default/carol',
        statement: `SELECT note FROM ${other}.orders`,
        outcome: 'refused',
        message: expect.stringMatching(
          /^Query refused: .*akili_sra_a.?_globex/,
        ),
        products: [],
        tables: [],
        rowCount: 0,
      });
      expect(failedEntry).toMatchObject({
        actorRef: 'user:default/dave',
        outcome: 'failed',
        message: expect.stringMatching(/missing_column/),
        products: ['dataproduct:acme/orders'],
      });
      // Nothing of globex in acme's trail, and the other way round.
      expect(page.items.map(e => [e.tenant, e.actorRef])).toEqual([
        ['acme', 'user:default/dave'],
        ['acme', 'user:default/carol'],
        ['acme', 'user:default/carol'],
      ]);
      const globex = await auditOf('globex', 'gus');
      expect(globex.items.map(e => [e.tenant, e.actorRef])).toEqual([
        ['globex', 'user:default/bob'],
      ]);

      // Filters.
      const carols = await auditOf(
        'acme',
        'olga',
        '?actor=user:default/carol',
        2,
      );
      expect(carols.items.map(e => e.outcome)).toEqual([
        'refused',
        'succeeded',
      ]);
      const refusals = await auditOf('acme', 'olga', '?outcome=refused');
      expect(refusals.items.map(e => e.id)).toEqual([refusedEntry.id]);
    });

    it('pages newest first with a cursor', async () => {
      const own = api.login('acme').database;
      const before = (await auditOf('acme', 'olga', '?limit=200', 0)).items
        .length;
      for (const id of [1, 2, 3]) {
        expect(
          (
            await api.query('acme', 'dave', {
              sql: `SELECT id FROM ${own}.orders WHERE id = ${id}`,
            })
          ).status,
        ).toBe(200);
      }
      await auditOf('acme', 'olga', '?limit=200', before + 3);
      const first = await auditOf(
        'acme',
        'olga',
        '?limit=2&actor=user:default/dave',
        2,
      );
      expect(first.items.map(e => e.statement)).toEqual([
        `SELECT id FROM ${own}.orders WHERE id = 3`,
        `SELECT id FROM ${own}.orders WHERE id = 2`,
      ]);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await auditOf(
        'acme',
        'olga',
        `?limit=2&actor=user:default/dave&cursor=${first.nextCursor}`,
      );
      expect(second.items[0].statement).toBe(
        `SELECT id FROM ${own}.orders WHERE id = 1`,
      );
    });

    it('refuses consumers and developers, answers another tenant as a missing one, and names bad parameters', async () => {
      for (const user of ['carol', 'dave']) {
        const res = await api.get('/v1/tenants/acme/audit', user);
        expect({ user, status: res.status }).toEqual({ user, status: 403 });
      }
      const foreign = await api.get('/v1/tenants/acme/audit', 'gus');
      expect(foreign.status).toBe(404);
      expect(foreign.body.error.message).toBe("No tenant 'acme'");
      for (const [query, message] of [
        ['?limit=0', 'request/query/limit must be >= 1'],
        [
          '?outcome=won',
          'request/query/outcome must be equal to one of the allowed values: succeeded, refused, failed, cancelled, timeout',
        ],
        [
          '?cursor=abc',
          'request/query/cursor must match pattern "^[1-9][0-9]{0,17}$"',
        ],
        [
          '?actor=carol',
          'request/query/actor must match pattern "^(user:[^/\\s]+/[^\\s]+|token:[^\\s]+)$"',
        ],
        ['?colour=red', "Unknown query parameter 'colour'"],
      ]) {
        const res = await api.get(`/v1/tenants/acme/audit${query}`, 'olga');
        expect({
          query,
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({
          query,
          status: 400,
          message,
        });
      }
    });
  },
);
