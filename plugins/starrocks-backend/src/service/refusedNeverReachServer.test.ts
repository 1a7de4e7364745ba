// The guard's own corpus of hostile statements and the policy it is checked against (test
// fixtures of the common package, not part of its API).
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import { hostileStatements } from '@akili/plugin-starrocks-common/src/guard/__fixtures__/hostile';
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import { acmePolicy } from '@akili/plugin-starrocks-common/src/guard/__fixtures__/policy';
import { QueryAuditPage } from '@akili/plugin-starrocks-common';
import { startQueryApi, testProduct } from '../__testUtils__/queryApi';

jest.setTimeout(120_000);

const PREFIX = 'akili_sra_h';
/** An allowed statement, distinct enough to find in the server's log. */
const CANARY = 'SELECT 42 AS akili_sra_canary';

/**
 * Every hostile statement of the guard's corpus, sent through the query route as a real client
 * would, is refused with a 400 naming the reason, and the server never sees it: checked on the
 * server's side, in MariaDB's general log (every statement it received), for the tenant's own
 * read-only user in the test's time window. An allowed statement does show up there, so the
 * check can fail.
 */
describe('refused statements never reach the server', () => {
  let api: Awaited<ReturnType<typeof startQueryApi>>;
  let saved: { general_log: number; log_output: string } | undefined;

  beforeAll(async () => {
    api = await startQueryApi({
      prefix: PREFIX,
      tenants: ['acme'],
      directory: {
        'user:default/carol': ['group:akili/acme.consumer'],
        'user:default/olga': ['group:akili/acme.operator'],
      },
      quotas: { acme: { queryRowLimit: 100, maxConcurrentQueries: 4 } },
      // Exactly the tables the corpus was written against: tenant acme may read these only.
      entities: [testProduct('acme', 'corpus', [...acmePolicy.readableTables])],
    });
    const [rows] = await api.admin.query(
      'SELECT @@GLOBAL.general_log AS general_log, @@GLOBAL.log_output AS log_output',
    );
    saved = (rows as Array<{ general_log: number; log_output: string }>)[0];
    await api.admin.query(
      `SET GLOBAL log_output = '${
        saved.log_output.includes('TABLE') ? saved.log_output : 'TABLE'
      }'`,
    );
    await api.admin.query('SET GLOBAL general_log = 1');
  });

  afterAll(async () => {
    if (saved) {
      await api.admin.query(`SET GLOBAL general_log = ${saved.general_log}`);
      await api.admin.query(`SET GLOBAL log_output = '${saved.log_output}'`);
    }
    await api?.admin.end();
  });

  /** What the server logged for the tenant's user since `since` (its own clock). */
  async function loggedSince(since: string) {
    const [rows] = await api.admin.query(
      `SELECT command_type AS command, CONVERT(argument USING utf8mb4) AS argument
         FROM mysql.general_log
        WHERE user_host LIKE ? AND event_time >= ?
        ORDER BY event_time`,
      [`${api.login('acme').user}[%`, since],
    );
    return rows as Array<{ command: string; argument: string }>;
  }

  async function serverNow(): Promise<string> {
    const [rows] = await api.admin.query(
      "SELECT DATE_FORMAT(NOW(6), '%Y-%m-%d %H:%i:%s.%f') AS now",
    );
    return (rows as Array<{ now: string }>)[0].now;
  }

  it(`refuses each of the ${hostileStatements.length} hostile statements with a reason, and none reaches the server`, async () => {
    expect(hostileStatements.length).toBeGreaterThanOrEqual(150);
    const since = await serverNow();
    const answers: Array<{ sql: string; status: number; message: string }> = [];
    for (const [sql] of hostileStatements) {
      const res = await api.query('acme', 'carol', { sql });
      answers.push({
        sql,
        status: res.status,
        message: res.body?.error?.message,
      });
    }
    const wrong = answers.filter(
      a =>
        a.status !== 400 ||
        !/^(Query refused: .+|request\/body\/sql .+)$/s.test(a.message),
    );
    expect(wrong).toEqual([]);

    // Nothing at all from the tenant's user: not a statement, not even a connection.
    expect(await loggedSince(since)).toEqual([]);

    // The refusals are in the tenant's audit trail (the empty statement is no request at all).
    const statements = hostileStatements.filter(([sql]) => sql.length > 0);
    let audited: string[] = [];
    for (let i = 0; i < 100 && audited.length < statements.length; i++) {
      if (i > 0) await new Promise(resolve => setTimeout(resolve, 50));
      audited = [];
      let cursor = '';
      do {
        const page: QueryAuditPage = (
          await api.get(
            `/v1/tenants/acme/audit?limit=200&outcome=refused${cursor}`,
            'olga',
          )
        ).body;
        audited.push(...page.items.map(e => e.statement));
        cursor = page.nextCursor ? `&cursor=${page.nextCursor}` : '';
      } while (cursor);
    }
    expect(audited.sort()).toEqual(statements.map(([sql]) => sql).sort());

    // The check can fail: an allowed statement is in the log, sent by that user.
    const allowed = await api.query('acme', 'carol', { sql: CANARY });
    expect(allowed.status).toBe(200);
    expect(allowed.body.rows).toEqual([[42]]);
    const logged = await loggedSince(since);
    expect(
      logged.filter(
        row => row.command === 'Query' && row.argument.includes(CANARY),
      ),
    ).toHaveLength(1);
  });
});
