import { TenantQuotas } from '@akili/plugin-akili-common';
import { startQueryApi } from '../__testUtils__/queryApi';

jest.setTimeout(60_000);

const directory = {
  'user:default/carol': ['group:akili/acme.consumer'],
  'user:default/bob': ['group:akili/globex.consumer'],
};

describe("the tenant's quotas on the query route", () => {
  // Mutable: the control plane's answer, changed by an operator mid-test.
  const quotas: Record<string, TenantQuotas> = {
    acme: { queryRowLimit: 2, maxConcurrentQueries: 1 },
    globex: { queryRowLimit: 1000, maxConcurrentQueries: 4 },
  };
  let api: Awaited<ReturnType<typeof startQueryApi>>;
  let table: string;

  beforeAll(async () => {
    api = await startQueryApi({
      prefix: 'akili_sra_q',
      tenants: ['acme', 'globex'],
      directory,
      quotas,
      rows: 6,
    });
    table = `${api.login('acme').database}.orders`;
  });

  afterAll(async () => {
    await api?.admin.end();
  });

  it("cuts rows beyond the tenant's row limit, and applies a changed limit", async () => {
    const sql = `SELECT id FROM ${table} ORDER BY id`;
    const cut = await api.query('acme', 'carol', { sql });
    expect(cut.status).toBe(200);
    expect(cut.body).toMatchObject({
      rows: [[1], [2]],
      rowCount: 2,
      truncated: true,
    });
    // Asking for more does not lift the quota.
    const more = await api.query('acme', 'carol', { sql, limit: 100 });
    expect(more.body).toMatchObject({ rowCount: 2, truncated: true });

    quotas.acme = { ...quotas.acme, queryRowLimit: 4 };
    const raised = await api.query('acme', 'carol', { sql, limit: 100 });
    expect(raised.body).toMatchObject({ rowCount: 4, truncated: true });
    quotas.acme = { ...quotas.acme, queryRowLimit: 10 };
    const all = await api.query('acme', 'carol', { sql });
    expect(all.body).toMatchObject({ rowCount: 6, truncated: false });
    // Within the quota, the caller's own limit still applies.
    const few = await api.query('acme', 'carol', { sql, limit: 1 });
    expect(few.body).toMatchObject({ rowCount: 1, truncated: true });
  });

  it('answers 429 naming the quota to a query over the concurrency quota, and applies a changed quota', async () => {
    const lock = await api.admin.query(`LOCK TABLES ${table} WRITE`);
    expect(lock).toBeDefined();
    let blocked: Promise<{ status: number }> | undefined;
    try {
      // Waits on the table lock on the server: it holds the tenant's one slot.
      blocked = api
        .query('acme', 'carol', { sql: `SELECT id FROM ${table}` })
        .then(res => res);
      await waitForQueries(api.login('acme').user, 1);

      const over = await api.query('acme', 'carol', { sql: 'SELECT 1' });
      expect(over.status).toBe(429);
      expect(over.body.error.message).toBe(
        'Tenant acme already runs 1 queries, its quota maxConcurrentQueries is 1: try again when one has finished',
      );
      // Another tenant is not affected.
      expect(
        (await api.query('globex', 'bob', { sql: 'SELECT 1' })).status,
      ).toBe(200);

      // An operator raises the quota: the next query runs beside the blocked one.
      quotas.acme = { ...quotas.acme, maxConcurrentQueries: 2 };
      expect(
        (await api.query('acme', 'carol', { sql: 'SELECT 1' })).status,
      ).toBe(200);
    } finally {
      await api.admin.query('UNLOCK TABLES');
    }
    expect((await blocked!).status).toBe(200);
  });

  /** Waits until `user` has `count` statements running on the server. */
  async function waitForQueries(user: string, count: number) {
    for (let i = 0; i < 100; i++) {
      const [rows] = await api.admin.query(
        `SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE USER = ? AND COMMAND = 'Query'`,
        [user],
      );
      if (Number((rows as Array<{ n: number }>)[0].n) >= count) return;
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    throw new Error(`${user} never ran ${count} queries`);
  }
});
