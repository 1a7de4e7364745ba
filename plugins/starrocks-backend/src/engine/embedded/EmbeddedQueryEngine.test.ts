import { Writable } from 'node:stream';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { InputError, NotAllowedError } from '@backstage/errors';
import { guardQuery } from '@akili/plugin-starrocks-common';
import { readStarrocksConfig } from '../../config';
import {
  QueryCancelledError,
  QueryTimeoutError,
  TooManyQueriesError,
} from '../errors';
import { createMemorySink, NdjsonSink } from '../formats';
import { QueryRequest } from '../QueryRunner';
import { ResultSink } from '../types';
import {
  EmbeddedQueryEngine,
  EmbeddedTableSource,
} from './EmbeddedQueryEngine';
import { EmbeddedTable } from './exampleData';

jest.setTimeout(60_000);

const ORDERS: EmbeddedTable = {
  catalog: 'iceberg_acme',
  database: 'sales',
  table: 'orders',
  columns: [
    { name: 'order_id', type: 'integer', physicalType: 'BIGINT', primaryKey: true },
    { name: 'customer_email', type: 'string', physicalType: 'VARCHAR(320)', required: true },
    { name: 'status', type: 'string', physicalType: 'VARCHAR(16)', required: true, examples: ['placed', 'paid', 'shipped'] },
    { name: 'order_ts', type: 'timestamp', physicalType: 'DATETIME', required: true },
    { name: 'gross_amount_eur', type: 'decimal', physicalType: 'DECIMAL(8,2)', required: true },
    { name: 'is_gift', type: 'boolean' },
  ],
}; // prettier-ignore
const KPIS: EmbeddedTable = {
  catalog: 'default_catalog',
  database: 'acme_bi',
  table: 'kpis',
  columns: [
    { name: 'day', type: 'date', primaryKey: true },
    { name: 'orders', type: 'integer', required: true },
  ],
};
const SHIPMENTS: EmbeddedTable = {
  catalog: 'iceberg_globex',
  database: 'logistics',
  table: 'shipments',
  columns: [{ name: 'shipment_id', type: 'string', primaryKey: true }],
};

const ROWS = 300;

function config(extra: Record<string, unknown> = {}) {
  return readStarrocksConfig(
    new ConfigReader({
      starrocks: {
        engine: 'embedded',
        queryTimeoutSeconds: 10,
        maxRows: 1000,
        embedded: { rowsPerTable: ROWS },
        ...extra,
      },
    }),
  );
}

const TABLES: Record<string, EmbeddedTable[]> = {
  acme: [ORDERS, KPIS],
  globex: [SHIPMENTS],
};
const source: EmbeddedTableSource = async tenant => TABLES[tenant] ?? [];

/** A sink that keeps rows in memory (for assertions on values). */
function memorySink() {
  const sink = createMemorySink();
  return { sink, result: sink.result };
}

/** Runs a statement for a tenant and answers its rows. */
async function query(
  engine: EmbeddedQueryEngine,
  tenant: string,
  sql: string,
  extra: Partial<QueryRequest> = {},
) {
  const { sink, result } = memorySink();
  await engine.run({ tenant, sql, ...extra }, sink);
  return result;
}

/** A statement that runs for minutes unless stopped. */
const SLOW = 'SELECT sum(i * i) AS s FROM range(100000000000) t(i)';

describe('EmbeddedQueryEngine on DuckDB', () => {
  let engine: EmbeddedQueryEngine;

  beforeAll(() => {
    engine = new EmbeddedQueryEngine({ config: config(), tables: source });
  });

  afterAll(async () => {
    await engine.close();
  });

  it('builds a tenant database ahead when warmed, once, and queries use it', async () => {
    let reads = 0;
    const counting: EmbeddedTableSource = async tenant => {
      reads += 1;
      return TABLES[tenant] ?? [];
    };
    const logger = mockServices.logger.mock();
    const warmed = new EmbeddedQueryEngine({
      config: config(),
      tables: counting,
      logger,
    });
    try {
      warmed.warm('acme');
      warmed.warm('acme');
      const result = await query(
        warmed,
        'acme',
        'SELECT count(*) AS n FROM iceberg_acme.sales.orders',
      );
      expect(result.rows).toEqual([[String(ROWS)]]);
      // Each call reads the tenant's tables (to see changes); the database is built once.
      expect(reads).toBe(3);
      const builds = logger.info.mock.calls.filter(
        ([message]) =>
          message === 'Built the embedded example database of a tenant',
      );
      expect(builds).toHaveLength(1);
    } finally {
      await warmed.close();
    }
  });

  it('answers MySQL-protocol type names and values as the MySQL path does', async () => {
    const result = await query(
      engine,
      'acme',
      `SELECT 9007199254740993::BIGINT AS big, 12.5::DECIMAL(12,2) AS amount,
        DATE '2024-01-02' AS d, TIMESTAMP '2024-01-02 03:04:05' AS ts, true AS flag,
        'AB'::BLOB AS raw, [1, 2] AS list, 1.5::DOUBLE AS dbl, 42::INTEGER AS n,
        'text' AS s, NULL AS nothing`,
    );
    expect(result.columns).toEqual([
      { name: 'big', type: 'LONGLONG' },
      { name: 'amount', type: 'NEWDECIMAL' },
      { name: 'd', type: 'DATE' },
      { name: 'ts', type: 'DATETIME' },
      { name: 'flag', type: 'TINY' },
      { name: 'raw', type: 'BLOB' },
      { name: 'list', type: 'JSON' },
      { name: 'dbl', type: 'DOUBLE' },
      { name: 'n', type: 'LONG' },
      { name: 's', type: 'VAR_STRING' },
      // DuckDB types a bare NULL as INTEGER.
      { name: 'nothing', type: 'LONG' },
    ]);
    expect(result.rows).toEqual([
      [
        '9007199254740993',
        '12.50',
        '2024-01-02',
        '2024-01-02 03:04:05',
        1,
        Buffer.from('AB').toString('base64'),
        '[1,2]',
        1.5,
        42,
        'text',
        null,
      ],
    ]);
    expect(result.summary).toMatchObject({ rowCount: 1, truncated: false });
  });

  it('holds the generated example rows: typed, fitting their names, unique keys, the same every time', async () => {
    const sql = 'SELECT * FROM iceberg_acme.sales.orders ORDER BY order_id';
    const first = await query(engine, 'acme', sql);
    expect(first.rows).toHaveLength(ROWS);
    expect(first.columns.map(c => c.type)).toEqual([
      'LONGLONG',
      'VAR_STRING',
      'VAR_STRING',
      'DATETIME',
      'NEWDECIMAL',
      'TINY',
    ]);
    const ids = first.rows.map(r => r[0]);
    expect(new Set(ids).size).toBe(ROWS);
    for (const [, email, status, ts, amount, gift] of first.rows) {
      expect(email).toMatch(/^[a-z]+\.[a-z]+\d+@example\.com$/);
      expect(['placed', 'paid', 'shipped']).toContain(status);
      expect(ts).toMatch(/^202[45]-\d\d-\d\d \d\d:\d\d:\d\d$/);
      expect(amount).toMatch(/^\d{1,6}\.\d\d$/);
      expect([0, 1, null]).toContain(gift);
    }
    // Two-part names resolve in the default catalog, as on StarRocks.
    const kpis = await query(
      engine,
      'acme',
      'SELECT count(*) AS n, count(DISTINCT day) AS days FROM acme_bi.kpis',
    );
    expect(kpis.rows).toEqual([[String(ROWS), String(ROWS)]]);

    const again = new EmbeddedQueryEngine({ config: config(), tables: source });
    try {
      expect((await query(again, 'acme', sql)).rows).toEqual(first.rows);
    } finally {
      await again.close();
    }
  });

  it('cuts at the row cap and says so, and tells an exact fit from a cut', async () => {
    const cut = await query(
      engine,
      'acme',
      'SELECT order_id FROM iceberg_acme.sales.orders -- trailing comment',
      { limit: 10 },
    );
    expect(cut.rows).toHaveLength(10);
    expect(cut.summary).toMatchObject({ rowCount: 10, truncated: true });
    const exact = await query(
      engine,
      'acme',
      'SELECT order_id FROM iceberg_acme.sales.orders;',
      { limit: ROWS },
    );
    expect(exact.summary).toMatchObject({ rowCount: ROWS, truncated: false });
    // Not wrappable: capped while reading.
    const described = await query(
      engine,
      'acme',
      'DESCRIBE iceberg_acme.sales.orders',
      { limit: 2 },
    );
    expect(described.rows.map(r => r[0])).toEqual([
      'order_id',
      'customer_email',
    ]);
    expect(described.summary).toMatchObject({ truncated: true });
    await expect(
      query(engine, 'acme', 'SELECT 1', { limit: 0 }),
    ).rejects.toThrow('limit must be a positive whole number, not 0');
  });

  it("has only the tenant's own tables in the tenant's database", async () => {
    await expect(
      query(engine, 'acme', 'SELECT * FROM iceberg_globex.logistics.shipments'),
    ).rejects.toThrow(InputError);
    await expect(
      query(engine, 'globex', 'SELECT * FROM iceberg_acme.sales.orders'),
    ).rejects.toThrow(/Catalog "iceberg_acme" does not exist/);
    const acme = await query(
      engine,
      'acme',
      "SELECT database_name || '.' || schema_name || '.' || table_name FROM duckdb_tables() ORDER BY 1",
    );
    expect(acme.rows.flat()).toEqual([
      'default_catalog.acme_bi.kpis',
      'iceberg_acme.sales.orders',
    ]);
    const globex = await query(
      engine,
      'globex',
      'SELECT database_name FROM duckdb_databases() WHERE NOT internal ORDER BY 1',
    );
    expect(globex.rows.flat()).toEqual([
      'default_catalog',
      'iceberg_globex',
      'memory',
    ]);
  });

  it.each([
    ["SELECT * FROM read_csv('/etc/passwd')", NotAllowedError],
    ["SELECT * FROM read_text('/etc/hostname')", NotAllowedError],
    ["SELECT * FROM glob('/etc/*')", NotAllowedError],
    ["COPY (SELECT 1) TO '/tmp/akili-embedded-copy.csv'", NotAllowedError],
    ["ATTACH '/tmp/akili-embedded-attach.db' AS other", NotAllowedError],
    ['INSTALL httpfs', NotAllowedError],
    ['SET enable_external_access = true', InputError],
    ['RESET lock_configuration', InputError],
  ])(
    'refuses file and configuration access in the engine: %s',
    async (sql, type) => {
      await expect(query(engine, 'acme', sql)).rejects.toThrow(type);
      // And the guard refuses them before any engine sees them.
      expect(
        guardQuery(sql, {
          readableTables: [ORDERS],
          defaultCatalog: 'default_catalog',
        }).ok,
      ).toBe(false);
    },
  );

  it('stops a query at its timeout by interrupting it', async () => {
    const started = Date.now();
    await expect(
      query(engine, 'acme', SLOW, { timeoutSeconds: 1 }),
    ).rejects.toThrow(
      new QueryTimeoutError(
        'The query ran longer than its limit of 1 s and was stopped',
      ),
    );
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(elapsed).toBeLessThan(2500);
    expect(engine.activeQueries('acme')).toBe(0);
  });

  it('stops a running query when the caller aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 300);
    const error = await query(engine, 'acme', SLOW, {
      signal: controller.signal,
    }).catch(e => e);
    expect(error).toBeInstanceOf(QueryCancelledError);
    expect(error.statusCode).toBe(499);
    expect(Date.now() - started).toBeLessThan(1500);
    // The engine is still usable and the slot is free.
    expect((await query(engine, 'acme', 'SELECT 1 AS one')).rows).toEqual([
      [1],
    ]);
    expect(engine.activeQueries('acme')).toBe(0);
  });

  it('stops a query that waits for a full sink when the caller aborts', async () => {
    const controller = new AbortController();
    let rows = 0;
    const sink: ResultSink = {
      columns: () => {},
      row: () => {
        rows += 1;
        if (rows === 1) setTimeout(() => controller.abort(), 100);
        return false; // full, and never drains
      },
      onDrain: () => {},
      end: async () => {},
    };
    await expect(
      engine.run(
        {
          tenant: 'acme',
          sql: 'SELECT i FROM range(1000000) t(i)',
          limit: 1000000,
          maxRows: 1000000,
          signal: controller.signal,
        },
        sink,
      ),
    ).rejects.toThrow(QueryCancelledError);
    // It waited at the row that filled the sink and read no further.
    expect(rows).toBe(1);
  });

  it('refuses a query over the tenant concurrency limit at once (429), not for another tenant', async () => {
    const controller = new AbortController();
    const slow = () =>
      query(engine, 'acme', SLOW, {
        maxConcurrent: 2,
        signal: controller.signal,
      }).catch(e => e);
    const first = slow();
    const second = slow();
    await new Promise(r => setTimeout(r, 100));
    expect(engine.activeQueries('acme')).toBe(2);
    const refused = await query(engine, 'acme', 'SELECT 1', {
      maxConcurrent: 2,
    }).catch(e => e);
    expect(refused).toBeInstanceOf(TooManyQueriesError);
    expect(refused.statusCode).toBe(429);
    expect(refused.message).toBe(
      'Tenant acme already runs 2 queries, its quota maxConcurrentQueries is 2: try again when one has finished',
    );
    expect(
      (await query(engine, 'globex', 'SELECT 1 AS one', { maxConcurrent: 2 }))
        .rows,
    ).toEqual([[1]]);
    controller.abort();
    expect(await first).toBeInstanceOf(QueryCancelledError);
    expect(await second).toBeInstanceOf(QueryCancelledError);
    expect(engine.activeQueries('acme')).toBe(0);
  });

  it("answers DuckDB's message for a bad statement as bad input, and runs one statement only", async () => {
    await expect(query(engine, 'acme', 'SELEC 1')).rejects.toThrow(
      /^The embedded engine \(DuckDB\) refused the query: Parser Error: syntax error/,
    );
    await expect(
      query(
        engine,
        'acme',
        'DESCRIBE iceberg_acme.sales.orders; DROP TABLE iceberg_acme.sales.orders',
      ),
    ).rejects.toThrow('The embedded engine runs exactly one statement, not 2');
    expect(
      (
        await query(
          engine,
          'acme',
          'SELECT count(*) FROM iceberg_acme.sales.orders',
        )
      ).rows,
    ).toEqual([[String(ROWS)]]);
  });

  it('streams 200,000 rows to a slow reader with backpressure', async () => {
    const total = 200_000;
    let written = 0;
    let consumed = 0;
    let maxInFlight = 0;
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, callback) {
        consumed += chunk.toString('utf8').split('\n').length - 1;
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
    const baseline = process.memoryUsage().heapUsed;
    let peakHeap = baseline;
    const sampler = setInterval(() => {
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }, 20);
    const started = Date.now();
    const summary = await engine.run(
      {
        tenant: 'acme',
        sql: `SELECT i AS seq, repeat('x', 200) AS pad FROM range(1, ${
          total + 1
        }) t(i)`,
        limit: total,
        maxRows: total,
        timeoutSeconds: 60,
      },
      sink,
    );
    clearInterval(sampler);
    expect(summary).toMatchObject({ rowCount: total, truncated: false });
    expect(consumed).toBe(total + 2); // columns line + rows + summary line
    expect(summary.pauses).toBeGreaterThan(10);
    // Without backpressure nearly all 200,000 rows would pile up in the Writable; with it, what
    // the sink lets the output hold plus at most one DuckDB chunk (2,048 rows).
    expect(maxInFlight).toBeLessThan(10_000);
    const heapGrowthMb = (peakHeap - baseline) / 1024 / 1024;
    expect(heapGrowthMb).toBeLessThan(64);
    // eslint-disable-next-line no-console
    console.log(
      `embedded streaming: ${total} rows in ${Date.now() - started} ms, ${
        summary.pauses
      } pauses, at most ${maxInFlight} rows in flight, heap +${heapGrowthMb.toFixed(
        1,
      )} MB`,
    );
  });

  it("rebuilds a tenant's database when its tables in the catalog change", async () => {
    let tables: EmbeddedTable[] = [KPIS];
    const changing = new EmbeddedQueryEngine({
      config: config(),
      tables: async () => tables,
    });
    try {
      await expect(
        query(
          changing,
          'acme',
          'SELECT count(*) FROM iceberg_acme.sales.orders',
        ),
      ).rejects.toThrow(/Catalog "iceberg_acme" does not exist/);
      tables = [KPIS, ORDERS];
      expect(
        (
          await query(
            changing,
            'acme',
            'SELECT count(*) FROM iceberg_acme.sales.orders',
          )
        ).rows,
      ).toEqual([[String(ROWS)]]);
    } finally {
      await changing.close();
    }
  });
});
