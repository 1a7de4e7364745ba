/*
 * bench/query-stream: rows of a 10-column table moved from MariaDB (the MySQL-protocol peer that
 * stands in for StarRocks here) through the query API (`POST
 * /api/starrocks/v1/tenants/:tenant/query`, NDJSON, a real backend with the starrocks plugin,
 * read over HTTP) and, as the baseline in the same run, through mysql2's row stream directly.
 * Prints rows/s and time to first row for both, their ratio, and the backend's peak memory above
 * idle while the API streams (the HTTP client runs in a process of its own), for two row counts
 * so that memory can be seen not to grow with the rows.
 *
 *   make bench NAME=query-stream      (AKILI_BENCH_ROWS=200000 for a quicker run)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createConnection } from 'mysql2';
import { createConnection as createPromiseConnection } from 'mysql2/promise';
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
import starrocksPlugin from '@akili/plugin-starrocks-backend';

const ROWS = Number(process.env.AKILI_BENCH_ROWS ?? 1_000_000);
const SMALL = Math.max(1000, Math.round(ROWS / 5));
const TENANT = 'benchco';
const DATABASE = 'akili_bench_qs';
const READER = { user: 'akili_bench_qs_ro', password: 'bench-ro-pw' };
const USER = 'user:default/bench-consumer';

const now = () => performance.now();
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function mysqlUrl(): URL {
  const url = process.env.AKILI_TEST_MYSQL_URL;
  if (!url) {
    throw new Error(
      'AKILI_TEST_MYSQL_URL is not set: run `make bench NAME=query-stream` (it starts MariaDB)',
    );
  }
  return new URL(url);
}

/** The table, filled once with ROWS rows (kept between runs: filling takes a while). */
async function prepareTable(url: URL): Promise<void> {
  const admin = await createPromiseConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  });
  try {
    await admin.query(`CREATE DATABASE IF NOT EXISTS ${DATABASE}`);
    await admin.query(
      `CREATE TABLE IF NOT EXISTS ${DATABASE}.orders (
         id BIGINT PRIMARY KEY, customer VARCHAR(40), email VARCHAR(60),
         amount DECIMAL(12,2), quantity INT, created DATETIME, region CHAR(2),
         score DOUBLE, paid TINYINT, note VARCHAR(80))`,
    );
    const [[{ n }]] = (await admin.query(
      `SELECT COUNT(*) AS n FROM ${DATABASE}.orders`,
    )) as unknown as [[{ n: number }]];
    if (Number(n) !== ROWS) {
      const started = now();
      await admin.query(`TRUNCATE TABLE ${DATABASE}.orders`);
      // MariaDB's SEQUENCE engine generates the ids; the values vary with them.
      await admin.query(
        `INSERT INTO ${DATABASE}.orders
         SELECT seq, CONCAT('customer ', seq % 5000), CONCAT('c', seq, '@example.com'),
                (seq % 100000) / 100, seq % 17, '2026-01-01' + INTERVAL (seq % 86400) MINUTE,
                ELT(1 + seq % 4, 'EU', 'US', 'AP', 'LA'), seq / 7, seq % 2,
                CONCAT('order ', seq, ' of a benchmark, "quoted", with commas')
         FROM ${DATABASE}.seq_1_to_${ROWS}`,
      );
      console.log(
        `query-stream: filled ${DATABASE}.orders with ${ROWS} rows in ${(
          (now() - started) /
          1000
        ).toFixed(1)} s`,
      );
    }
    for (const host of ['%', 'localhost']) {
      await admin.query(`DROP USER IF EXISTS '${READER.user}'@'${host}'`);
      await admin.query(
        `CREATE USER '${READER.user}'@'${host}' IDENTIFIED BY '${READER.password}'`,
      );
      await admin.query(
        `GRANT SELECT ON ${DATABASE}.* TO '${READER.user}'@'${host}'`,
      );
    }
  } finally {
    await admin.end();
  }
}

interface Measured {
  rows: number;
  seconds: number;
  firstRowMs: number;
  peakAboveIdle?: number;
}

/** Samples the process's RSS while `fn` runs; answers the peak above the RSS at the start. */
async function withPeakMemory<T>(fn: () => Promise<T>): Promise<[T, number]> {
  global.gc?.();
  const idle = process.memoryUsage().rss;
  let peak = idle;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return [result, peak - idle];
  } finally {
    clearInterval(timer);
  }
}

/**
 * The HTTP client, in a process of its own (as a real client is, so that reading does not take
 * the backend's event loop): it posts the query, counts NDJSON lines as they arrive and prints
 * its figures as JSON.
 */
const CLIENT = `
const [url, authorization, body] = process.argv.slice(1);
(async () => {
  // A first request readies the client (fetch loads lazily) so the timing is the query's.
  await fetch(url, { method: 'POST', headers: { authorization } }).then(r => r.arrayBuffer());
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', body, headers: {
    authorization, accept: 'application/x-ndjson', 'content-type': 'application/json' } });
  if (!response.ok) throw new Error(response.status + ' ' + (await response.text()));
  let lines = 0, firstRowMs = 0;
  for await (const chunk of response.body) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) {
      lines += 1;
      if (lines === 2) firstRowMs = performance.now() - started;
    }
  }
  console.log(JSON.stringify({ lines, firstRowMs, seconds: (performance.now() - started) / 1000 }));
})().catch(error => { console.error(String(error)); process.exit(1); });
`;

/** The rows through the query API, read as NDJSON over HTTP by the client process. */
async function throughApi(
  baseUrl: string,
  authorization: string,
  rows: number,
): Promise<Measured> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      CLIENT,
      `${baseUrl}/api/starrocks/v1/tenants/${TENANT}/query`,
      authorization,
      JSON.stringify({ sql: `SELECT * FROM ${DATABASE}.orders`, limit: rows }),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout.on('data', chunk => {
    output += chunk;
  });
  const [code] = (await once(child, 'exit')) as [number];
  if (code !== 0) throw new Error(`the HTTP client failed (exit ${code})`);
  const measured = JSON.parse(output) as {
    lines: number;
    firstRowMs: number;
    seconds: number;
  };
  // The first line holds the columns, the last one the summary.
  return {
    rows: measured.lines - 2,
    seconds: measured.seconds,
    firstRowMs: measured.firstRowMs,
  };
}

/** The same rows through mysql2's row stream on one connection of the same user. */
function direct(url: URL, rows: number): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = now();
    const connection = createConnection({
      host: url.hostname,
      port: Number(url.port || 3306),
      user: READER.user,
      password: READER.password,
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
    });
    let count = 0;
    let firstRowMs = 0;
    connection
      .query(`SELECT * FROM ${DATABASE}.orders LIMIT ${rows}`)
      .stream()
      .on('data', () => {
        if (count === 0) firstRowMs = now() - started;
        count += 1;
      })
      .on('error', reject)
      .on('end', () => {
        connection.end();
        resolve({ rows: count, seconds: (now() - started) / 1000, firstRowMs });
      });
  });
}

const rate = (m: Measured) => m.rows / m.seconds;

function report(label: string, m: Measured): void {
  const memory =
    m.peakAboveIdle === undefined
      ? ''
      : `, peak memory above idle ${mb(m.peakAboveIdle)}`;
  console.log(
    `  ${label.padEnd(7)} ${m.rows} rows in ${m.seconds.toFixed(
      2,
    )} s: ${Math.round(rate(m))} rows/s, first row after ${m.firstRowMs.toFixed(
      1,
    )} ms${memory}`,
  );
}

async function main() {
  const url = mysqlUrl();
  await prepareTable(url);

  const { server } = await startTestBackend({
    features: [
      starrocksPlugin,
      userInfoFromDirectory({
        [USER]: [USER, `group:akili/${TENANT}.consumer`],
      }),
      mockTenantStatus({ [TENANT]: 'active' }).factory,
      // The control plane's quotas: enough rows for the run, the row ceiling is maxRows below.
      mockTenantQuotas({
        [TENANT]: { queryRowLimit: ROWS, maxConcurrentQueries: 4 },
      }).factory,
      catalogServiceMock.factory({
        entities: [
          {
            apiVersion: 'akili.io/v1alpha1',
            kind: 'DataProduct',
            metadata: { namespace: TENANT, name: 'orders' },
            spec: {
              outputPorts: [
                {
                  name: 'orders',
                  kind: 'table',
                  location: { table: { database: DATABASE, table: 'orders' } },
                  schema: [],
                },
              ],
            },
          },
        ],
      }),
      mockServices.rootConfig.factory({
        data: {
          starrocks: {
            dialect: 'mariadb',
            maxRows: ROWS,
            queryTimeoutSeconds: 600,
            tenants: {
              [TENANT]: {
                host: url.hostname,
                port: Number(url.port || 3306),
                user: READER.user,
                password: READER.password,
              },
            },
          },
        },
      }),
    ],
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const baseUrl = `http://localhost:${address.port}`;
  const authorization = mockCredentials.user.header(USER);

  // Warm both paths (JIT, pools, the server's buffer pool).
  await throughApi(baseUrl, authorization, 10_000);
  await direct(url, 10_000);

  console.log(
    `query-stream: ${DATABASE}.orders (10 columns), NDJSON over HTTP vs mysql2 stream`,
  );
  const results: Record<string, { api: Measured; direct: Measured }> = {};
  for (const rows of [SMALL, ROWS]) {
    const [api, peak] = await withPeakMemory(() =>
      throughApi(baseUrl, authorization, rows),
    );
    api.peakAboveIdle = peak;
    const baseline = await direct(url, rows);
    if (api.rows !== rows || baseline.rows !== rows) {
      throw new Error(
        `expected ${rows} rows, the API delivered ${api.rows} and mysql2 ${baseline.rows}`,
      );
    }
    console.log(` ${rows} rows:`);
    report('api', api);
    report('mysql2', baseline);
    results[rows] = { api, direct: baseline };
  }
  await server.close();

  const big = results[ROWS];
  const small = results[SMALL];
  const ratio = rate(big.api) / rate(big.direct);
  console.log(
    `query-stream: ${ROWS} rows x 10 columns, api ${Math.round(
      rate(big.api),
    )} rows/s vs mysql2 ${Math.round(
      rate(big.direct),
    )} rows/s, ratio ${ratio.toFixed(
      2,
    )} (goal >= 0.7); first row ${big.api.firstRowMs.toFixed(
      0,
    )} ms vs ${big.direct.firstRowMs.toFixed(
      0,
    )} ms; peak memory above idle ${mb(
      big.api.peakAboveIdle!,
    )} at ${ROWS} rows, ${mb(
      small.api.peakAboveIdle!,
    )} at ${SMALL} (goal < 150 MB, flat)`,
  );
  process.exit(0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
