import { Writable } from 'node:stream';
import { Connection } from 'mysql2/promise';
import {
  adminConnection,
  prepareTenantDatabases,
  requireTestMysqlUrl,
  testStarrocksConfig,
} from '../testUtils/testMysql';
import { mariadbDialect, QueryDialect } from './dialect';
import {
  createMemorySink,
  createResultSink,
  NdjsonSink,
  SINK_BATCH_CHARS,
  SINK_BUFFER_BYTES,
} from './formats';
import { QueryRunner } from './QueryRunner';
import { TenantPools } from './TenantPools';

jest.setTimeout(60_000);

/** Collects everything written, as text. */
class Collector extends Writable {
  chunks: Buffer[] = [];
  _write(chunk: Buffer, _encoding: string, callback: () => void) {
    this.chunks.push(chunk);
    callback();
  }
  get text() {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** A sink that keeps rows in memory (for assertions on values). */
function memorySink() {
  const sink = createMemorySink();
  return { sink, result: sink.result };
}

/** Polls the server until no statement containing `marker` runs; ms it took, or -1. */
async function goneFromProcesslist(
  admin: Connection,
  marker: string,
  withinMs: number,
): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < withinMs) {
    const [rows] = await admin.query(
      "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE ? AND INFO NOT LIKE '%PROCESSLIST%'",
      [`%${marker}%`],
    );
    if ((rows as unknown[]).length === 0) return Date.now() - started;
    await new Promise(r => setTimeout(r, 50));
  }
  return -1;
}

describe('QueryRunner against MariaDB', () => {
  let admin: Connection;
  let pools: TenantPools;
  let runner: QueryRunner;

  beforeAll(async () => {
    requireTestMysqlUrl();
    admin = await adminConnection();
    await prepareTenantDatabases(admin);
    const config = testStarrocksConfig(
      {},
      {
        down: {
          host: '127.0.0.1',
          port: 1,
          user: 'nobody',
          password: 'x',
        },
      },
    );
    pools = new TenantPools(config);
    runner = new QueryRunner({ pools, config });
  });

  afterAll(async () => {
    await pools?.close();
    await admin?.end();
  });

  it('answers a join whose columns share names (the row cap cannot wrap it), capped while reading', async () => {
    // `SELECT *` over a self-join: every column twice, which a derived table refuses.
    const sql =
      'SELECT * FROM orders a JOIN orders b ON a.id = b.id ORDER BY a.id';
    const all = memorySink();
    const whole = await runner.run({ tenant: 'acme', sql }, all.sink);
    expect(all.result.columns.map(c => c.name)).toEqual([
      'id',
      'customer',
      'amount',
      'created',
      'note',
      'id',
      'customer',
      'amount',
      'created',
      'note',
    ]);
    expect(all.result.rows.map(row => [row[0], row[5]])).toEqual([
      ['1', '1'],
      ['2', '2'],
      ['9007199254740993', '9007199254740993'],
    ]);
    expect(whole).toMatchObject({ rowCount: 3, truncated: false });

    const capped = memorySink();
    const cut = await runner.run(
      { tenant: 'acme', sql, limit: 2 },
      capped.sink,
    );
    expect(capped.result.rows).toHaveLength(2);
    expect(cut).toMatchObject({ rowCount: 2, truncated: true });
    expect(pools.activeQueries('acme')).toBe(0);
  });

  it('stops an unwrapped query on the server at the cap instead of reading every row', async () => {
    const { sink, result } = memorySink();
    const summary = await runner.run(
      {
        tenant: 'acme',
        // Five million rows, two columns named seq: unwrapped, so the server would send all.
        sql: 'SELECT seq, seq FROM seq_1_to_5000000',
        limit: 10,
        timeoutSeconds: 60,
      },
      sink,
    );
    expect(summary).toMatchObject({ rowCount: 10, truncated: true });
    expect(result.rows).toHaveLength(10);
    // The connection was killed mid-query and closed, not returned to the pool half-read; the
    // next query of the tenant runs normally.
    const next = memorySink();
    await runner.run({ tenant: 'acme', sql: 'SELECT 1 AS one' }, next.sink);
    expect(next.result.rows).toEqual([[1]]);
  });

  it('answers columns and rows with exact values as the tenant user', async () => {
    const { sink, result } = memorySink();
    const summary = await runner.run(
      {
        tenant: 'acme',
        sql: 'SELECT id, customer, amount, created, note, CURRENT_USER() AS who FROM orders ORDER BY id;',
      },
      sink,
    );
    expect(result.columns).toEqual([
      { name: 'id', type: 'LONGLONG' },
      { name: 'customer', type: 'VAR_STRING' },
      { name: 'amount', type: 'NEWDECIMAL' },
      { name: 'created', type: 'DATETIME' },
      { name: 'note', type: 'BLOB' },
      { name: 'who', type: 'VAR_STRING' },
    ]);
    expect(result.rows).toEqual([
      [
        '1',
        'acme corp',
        '12.50',
        '2026-01-02 03:04:05',
        'plain',
        'akili_sr_acme_ro@%',
      ],
      [
        '2',
        'Doe, "Jane"',
        '0.10',
        '2026-02-03 04:05:06',
        'two\nlines',
        'akili_sr_acme_ro@%',
      ],
      [
        '9007199254740993',
        'big id',
        '99999999.99',
        null,
        null,
        'akili_sr_acme_ro@%',
      ],
    ]);
    expect(summary).toMatchObject({ rowCount: 3, truncated: false });
    expect(pools.activeQueries('acme')).toBe(0);
  });

  it('cuts at the row cap and says so, and tells an exact fit from a cut', async () => {
    const cut = memorySink();
    const summary = await runner.run(
      { tenant: 'acme', sql: 'SELECT seq FROM seq_1_to_100', limit: 10 },
      cut.sink,
    );
    expect(summary).toMatchObject({ rowCount: 10, truncated: true });
    expect(cut.result.rows.map(r => r[0])).toEqual(
      Array.from({ length: 10 }, (_, i) => String(i + 1)),
    );
    const exact = memorySink();
    expect(
      await runner.run(
        { tenant: 'acme', sql: 'SELECT seq FROM seq_1_to_100', limit: 100 },
        exact.sink,
      ),
    ).toMatchObject({ rowCount: 100, truncated: false });
    // The tenant's quota bounds what the caller asks for.
    const quota = memorySink();
    expect(
      await runner.run(
        {
          tenant: 'acme',
          sql: 'SELECT seq FROM seq_1_to_100',
          limit: 50,
          maxRows: 20,
        },
        quota.sink,
      ),
    ).toMatchObject({ rowCount: 20, truncated: true });
  });

  it('runs a statement that cannot be wrapped and caps it while reading', async () => {
    const { sink, result } = memorySink();
    const summary = await runner.run(
      { tenant: 'acme', sql: 'SHOW TABLES', limit: 5 },
      sink,
    );
    expect(result.columns.map(c => c.name)).toEqual([
      'Tables_in_akili_sr_acme',
    ]);
    expect(result.rows).toEqual([['orders']]);
    expect(summary.truncated).toBe(false);
  });

  it("refuses tenant acme's user another tenant's database", async () => {
    const { sink } = memorySink();
    await expect(
      runner.run(
        { tenant: 'acme', sql: 'SELECT * FROM akili_sr_globex.orders' },
        sink,
      ),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringMatching(
        /^StarRocks refused the query: SELECT command denied to user 'akili_sr_acme_ro'@'(localhost|127\.0\.0\.1|%)' for table `akili_sr_globex`\.`orders`$/,
      ),
    });
    // ... while globex reads its own.
    const own = memorySink();
    await runner.run(
      {
        tenant: 'globex',
        sql: 'SELECT customer FROM akili_sr_globex.orders WHERE id = 1',
      },
      own.sink,
    );
    expect(own.result.rows).toEqual([['globex corp']]);
  });

  it("answers the server's message for a bad statement as bad input", async () => {
    const { sink } = memorySink();
    await expect(
      runner.run({ tenant: 'acme', sql: 'SELECT nope FROM orders' }, sink),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: "StarRocks refused the query: Unknown column 'nope' in 'SELECT'",
    });
    expect(pools.activeQueries('acme')).toBe(0);
  });

  it('stops a query at its timeout with a clear error', async () => {
    const { sink } = memorySink();
    const started = Date.now();
    const error = await runner
      .run({ tenant: 'acme', sql: 'SELECT SLEEP(5)', timeoutSeconds: 1 }, sink)
      .catch(e => e);
    const elapsed = Date.now() - started;
    expect(error).toMatchObject({
      name: 'QueryTimeoutError',
      statusCode: 504,
      message: 'The query ran longer than its limit of 1 s and was stopped',
    });
    expect(elapsed).toBeLessThan(2000);
    // eslint-disable-next-line no-console
    console.log(
      `timeout: SELECT SLEEP(5) with a 1 s limit failed after ${elapsed} ms`,
    );
  });

  it('kills the query on the server when the caller aborts', async () => {
    const { sink } = memorySink();
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 300);
    const error = await runner
      .run(
        {
          tenant: 'acme',
          sql: 'SELECT SLEEP(30) AS akili_cancel_probe',
          signal: controller.signal,
        },
        sink,
      )
      .catch(e => e);
    const rejectedAfter = Date.now() - started;
    expect(error).toMatchObject({
      name: 'QueryCancelledError',
      statusCode: 499,
    });
    expect(rejectedAfter).toBeLessThan(2000);
    // On the server: the query is gone (not merely our socket).
    let goneAfter = -1;
    for (let i = 0; i < 20; i++) {
      const [rows] = await admin.query(
        "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE '%akili_cancel_probe%' AND INFO NOT LIKE '%PROCESSLIST%'",
      );
      if ((rows as unknown[]).length === 0) {
        goneAfter = Date.now() - started;
        break;
      }
      await new Promise(r => setTimeout(r, 100));
    }
    expect(goneAfter).toBeGreaterThan(0);
    expect(goneAfter).toBeLessThan(2500);
    expect(pools.activeQueries('acme')).toBe(0);
    // eslint-disable-next-line no-console
    console.log(
      `cancel: aborted at 300 ms, run() rejected after ${rejectedAfter} ms, query gone from the processlist by ${goneAfter} ms`,
    );
  });

  it('refuses a query over the tenant concurrency limit at once, not for another tenant', async () => {
    const slow = () =>
      runner.run(
        { tenant: 'acme', sql: 'SELECT SLEEP(1)', maxConcurrent: 2 },
        memorySink().sink,
      );
    const first = slow();
    const second = slow();
    const started = Date.now();
    await expect(slow()).rejects.toMatchObject({
      name: 'TooManyQueriesError',
      statusCode: 429,
      message:
        'Tenant acme already runs 2 queries, its quota maxConcurrentQueries is 2: try again when one has finished',
    });
    expect(Date.now() - started).toBeLessThan(200);
    // Another tenant is not affected.
    await runner.run(
      { tenant: 'globex', sql: 'SELECT 1', maxConcurrent: 2 },
      memorySink().sink,
    );
    await Promise.all([first, second]);
    expect(pools.activeQueries('acme')).toBe(0);
    await runner.run(
      { tenant: 'acme', sql: 'SELECT 1', maxConcurrent: 2 },
      memorySink().sink,
    );
  });

  it('answers a clear 503 within seconds when the server is down', async () => {
    const started = Date.now();
    await expect(
      runner.run({ tenant: 'down', sql: 'SELECT 1' }, memorySink().sink),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message:
        'StarRocks of tenant down at 127.0.0.1:1 could not be reached (ECONNREFUSED)',
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(pools.activeQueries('down')).toBe(0);
  });

  it('names a tenant without configuration', async () => {
    await expect(
      runner.run({ tenant: 'initech', sql: 'SELECT 1' }, memorySink().sink),
    ).rejects.toMatchObject({
      name: 'StarrocksTenantNotConfiguredError',
      message:
        'StarRocks is not configured for tenant initech: set starrocks.tenants.initech in the app-config of the backend',
    });
  });

  it('writes exact CSV and NDJSON from the server', async () => {
    const sql =
      'SELECT id, customer, amount, created, note FROM orders ORDER BY id';
    const csv = new Collector();
    await runner.run({ tenant: 'acme', sql }, createResultSink('csv', csv));
    expect(csv.text).toBe(
      'id,customer,amount,created,note\r\n' +
        '1,acme corp,12.50,2026-01-02 03:04:05,plain\r\n' +
        '2,"Doe, ""Jane""",0.10,2026-02-03 04:05:06,"two\nlines"\r\n' +
        '9007199254740993,big id,99999999.99,,\r\n',
    );
    const ndjson = new Collector();
    await runner.run(
      { tenant: 'acme', sql, limit: 2 },
      createResultSink('ndjson', ndjson),
    );
    const lastLine = ndjson.text.slice(
      ndjson.text.lastIndexOf('\n', ndjson.text.length - 2) + 1,
    );
    expect(ndjson.text.slice(0, -lastLine.length)).toBe(
      '{"columns":[{"name":"id","type":"LONGLONG"},{"name":"customer","type":"VAR_STRING"},' +
        '{"name":"amount","type":"NEWDECIMAL"},{"name":"created","type":"DATETIME"},{"name":"note","type":"BLOB"}]}\n' +
        '["1","acme corp","12.50","2026-01-02 03:04:05","plain"]\n' +
        '["2","Doe, \\"Jane\\"","0.10","2026-02-03 04:05:06","two\\nlines"]\n',
    );
    expect(lastLine.endsWith('\n')).toBe(true);
    expect(JSON.parse(lastLine)).toEqual({
      rowCount: 2,
      truncated: true,
      // The two row lines above, as written.
      bytes: 120,
      durationMs: expect.any(Number),
      masked: [],
    });
  });

  it('streams 200,000 rows to a slow reader with bounded memory (the server stream pauses)', async () => {
    const total = 200_000;
    let written = 0;
    let consumed = 0;
    let maxInFlight = 0;
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, callback) {
        consumed += chunk.toString('utf8').split('\n').length - 1;
        // A reader slower than the server: every 200th chunk waits for a timer.
        if (consumed % 200 === 0) setTimeout(callback, 1);
        else setImmediate(callback);
      },
    });
    const sink = new NdjsonSink(slow);
    const row = sink.row.bind(sink);
    sink.row = values => {
      written += 1;
      maxInFlight = Math.max(maxInFlight, written - consumed);
      return row(values);
    };
    global.gc?.();
    const baseline = process.memoryUsage();
    let peakHeap = baseline.heapUsed;
    let peakRss = baseline.rss;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakHeap = Math.max(peakHeap, m.heapUsed);
      peakRss = Math.max(peakRss, m.rss);
    }, 20);
    const started = Date.now();
    const summary = await runner.run(
      {
        tenant: 'acme',
        sql: `SELECT seq, REPEAT('x', 200) AS pad FROM seq_1_to_${total}`,
        limit: total,
        maxRows: total,
        timeoutSeconds: 60,
      },
      sink,
    );
    clearInterval(sampler);
    const elapsed = Date.now() - started;
    expect(summary).toMatchObject({ rowCount: total, truncated: false });
    expect(consumed).toBe(total + 2); // columns line + rows + summary line
    expect(summary.pauses).toBeGreaterThan(10);
    // Without backpressure nearly all 200,000 rows would wait in the Writable's buffer; with it,
    // at most what the sink lets the output hold (rows are over 200 bytes each).
    expect(maxInFlight).toBeLessThan(
      (SINK_BUFFER_BYTES + SINK_BATCH_CHARS) / 200,
    );
    const heapGrowthMb = (peakHeap - baseline.heapUsed) / 1024 / 1024;
    expect(heapGrowthMb).toBeLessThan(64);
    // eslint-disable-next-line no-console
    console.log(
      `streaming: ${total} rows, ${(sink.bytesWritten / 1024 / 1024).toFixed(
        1,
      )} MB of NDJSON in ${elapsed} ms, ` +
        `${
          summary.pauses
        } pauses, at most ${maxInFlight} rows in flight, heap +${heapGrowthMb.toFixed(
          1,
        )} MB, ` +
        `rss +${((peakRss - baseline.rss) / 1024 / 1024).toFixed(1)} MB`,
    );
  });
  it('closes a connection that ran as an end user instead of returning it to the pool', async () => {
    // MariaDB has no EXECUTE AS; a session variable stands in for the irreversible identity.
    const dialect: QueryDialect = {
      ...mariadbDialect,
      executeAs: user => `SET @akili_run_as = '${user}'`,
    };
    const config = testStarrocksConfig();
    config.tenants.acme.poolSize = 1;
    const onePool = new TenantPools(config);
    try {
      const asUser = new QueryRunner({ pools: onePool, config, dialect });
      const first = memorySink();
      await asUser.run(
        {
          tenant: 'acme',
          sql: 'SELECT CONNECTION_ID(), @akili_run_as',
          runAs: 'jane',
        },
        first.sink,
      );
      expect(first.result.rows[0][1]).toBe('jane');
      const second = memorySink();
      await asUser.run(
        { tenant: 'acme', sql: 'SELECT CONNECTION_ID(), @akili_run_as' },
        second.sink,
      );
      expect(second.result.rows[0][0]).not.toBe(first.result.rows[0][0]);
      expect(second.result.rows[0][1]).toBeNull();
      // A connection without runAs goes back to the pool and is reused.
      const third = memorySink();
      await asUser.run(
        { tenant: 'acme', sql: 'SELECT CONNECTION_ID()' },
        third.sink,
      );
      expect(third.result.rows[0][0]).toBe(second.result.rows[0][0]);
    } finally {
      await onePool.close();
    }
  });

  it('kills a query itself when the server does not apply the timeout', async () => {
    // Stands in for a StarRocks that ignores the SET_VAR hint: no server-side timeout at all.
    const dialect: QueryDialect = {
      ...mariadbDialect,
      limitStatement: sql => sql,
    };
    const config = testStarrocksConfig();
    const backstopPools = new TenantPools(config);
    try {
      const backstop = new QueryRunner({
        pools: backstopPools,
        config,
        dialect,
      });
      const started = Date.now();
      const error = await backstop
        .run(
          {
            tenant: 'acme',
            sql: 'SELECT SLEEP(20) AS akili_backstop_probe',
            timeoutSeconds: 1,
          },
          memorySink().sink,
        )
        .catch(e => e);
      const elapsed = Date.now() - started;
      expect(error).toMatchObject({ name: 'QueryTimeoutError' });
      expect(elapsed).toBeGreaterThanOrEqual(3000);
      expect(elapsed).toBeLessThan(4500);
      expect(
        await goneFromProcesslist(admin, 'akili_backstop_probe', 1000),
      ).toBeGreaterThanOrEqual(0);
      expect(backstopPools.activeQueries('acme')).toBe(0);
    } finally {
      await backstopPools.close();
    }
  });

  it('stops and kills the query when the client goes away mid-stream', async () => {
    let lines = 0;
    const out = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, callback) {
        lines += chunk.toString('utf8').split('\n').length - 1;
        if (lines >= 1000) {
          callback();
          out.destroy();
          return;
        }
        setTimeout(callback, 1);
      },
    });
    const started = Date.now();
    const error = await runner
      .run(
        {
          tenant: 'acme',
          sql: "SELECT seq, 'akili_gone_probe' AS p FROM seq_1_to_5000000",
          limit: 5_000_000,
          maxRows: 5_000_000,
          timeoutSeconds: 60,
        },
        createResultSink('ndjson', out),
      )
      .catch(e => e);
    expect(error).toMatchObject({
      name: 'OutputClosedError',
      message: 'The output was closed before the result was complete',
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(
      await goneFromProcesslist(admin, 'akili_gone_probe', 2000),
    ).toBeGreaterThanOrEqual(0);
    expect(pools.activeQueries('acme')).toBe(0);
  });
});
