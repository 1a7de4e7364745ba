import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { captureIo } from '../__testUtils__/captureIo';
import { startDataBackends } from '../__testUtils__/startDataBackends';
import { CliIo, ExitCode } from '../lib/io';
import { TABLE_SAMPLE_ROWS, runQuery } from './query';

jest.setTimeout(60_000);

const ORDERS = 'iceberg_acme.sales.orders';
const ROWS = 300;

describe('akili query against the query API with the embedded engine', () => {
  let backends: Awaited<ReturnType<typeof startDataBackends>>;
  let dir: string;

  beforeAll(async () => {
    backends = await startDataBackends({ rowsPerTable: ROWS });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'akili-query-'));
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await backends.stop();
  });

  const io = (token = backends.tokens.analyst, extra: Partial<CliIo> = {}) =>
    Object.assign(
      captureIo({ AKILI_URL: backends.url, AKILI_TOKEN: token }, dir),
      extra,
    );

  it('prints a table with NULL, masked columns and the truncation noted on stderr', async () => {
    const out = io();
    expect(
      await runQuery(
        {
          tenant: 'acme',
          sql: `SELECT order_id, customer_email, NULL AS nothing, repeat('x', 100) AS wide FROM ${ORDERS} ORDER BY order_id`,
          limit: 3,
          format: 'table',
        },
        out,
      ),
    ).toBe(ExitCode.Ok);
    const lines = out.stdout().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^order_id +customer_email +nothing +wide$/);
    expect(lines).toHaveLength(4);
    // The PII column is masked for the token: NULL; the wide column is cut at 40 characters.
    expect(lines[1]).toMatch(
      new RegExp(`^\\d+ +NULL +NULL +${'x'.repeat(39)}…$`),
    );
    expect(out.stderr()).toContain('3 rows in ');
    expect(out.stderr()).toContain('Truncated: the result had more rows');
    expect(out.stderr()).toContain(
      `Masked (NULL for you): ${ORDERS}.customer_email (pii)`,
    );
  });

  it('prints a large table in pieces: the first rows size the columns, the rest print as they come', async () => {
    const out = io(backends.tokens.olga);
    const writes: string[] = [];
    out.out = text => {
      writes.push(text);
    };
    expect(
      await runQuery(
        {
          tenant: 'acme',
          sql: `SELECT order_id, status, customer_email FROM ${ORDERS} ORDER BY order_id`,
          format: 'table',
        },
        out,
      ),
    ).toBe(ExitCode.Ok);
    // The header and the sample in one piece, then one write per row.
    expect(writes[0].trimEnd().split('\n')).toHaveLength(TABLE_SAMPLE_ROWS + 1);
    expect(writes).toHaveLength(1 + ROWS - TABLE_SAMPLE_ROWS);
    const lines = writes.join('').trimEnd().split('\n');
    expect(lines).toHaveLength(ROWS + 1);
    // Later rows keep the columns of the first ones.
    const statusAt = lines[0].indexOf('status');
    expect(lines[ROWS].slice(statusAt)).toMatch(/^\S/);
    expect(lines[ROWS].slice(statusAt - 2, statusAt)).toBe('  ');
    expect(out.stderr()).toContain(`${ROWS} rows in `);
    expect(out.stderr()).not.toContain('Truncated');
    // An operator sees PII: nothing is masked.
    expect(out.stderr()).not.toContain('Masked');
  });

  it('writes CSV, JSON and NDJSON, reading the statement from a file or stdin', async () => {
    fs.writeFileSync(
      path.join(dir, 'q.sql'),
      `SELECT order_id, customer_email FROM ${ORDERS} ORDER BY order_id`,
    );
    const csv = io();
    expect(
      await runQuery({ tenant: 'acme', file: 'q.sql', limit: 2 }, csv),
    ).toBe(ExitCode.Ok);
    // Not a terminal: CSV by default.
    expect(csv.stdout()).toMatch(
      /^order_id,customer_email\r\n\d+,\r\n\d+,\r\n$/,
    );
    expect(csv.stderr()).toContain('customer_email (pii)');

    const json = io(backends.tokens.analyst, {
      stdin: Readable.from([
        `SELECT order_id FROM ${ORDERS} ORDER BY order_id`,
      ]),
    });
    expect(
      await runQuery({ tenant: 'acme', limit: 2, format: 'json' }, json),
    ).toBe(ExitCode.Ok);
    const body = JSON.parse(json.stdout());
    expect(body).toMatchObject({
      columns: [{ name: 'order_id' }],
      rowCount: 2,
      truncated: true,
    });
    expect(body.rows).toHaveLength(2);

    const ndjson = io();
    expect(
      await runQuery(
        {
          tenant: 'acme',
          sql: `SELECT order_id FROM ${ORDERS} ORDER BY order_id`,
          limit: 2,
          format: 'ndjson',
        },
        ndjson,
      ),
    ).toBe(ExitCode.Ok);
    const lines = ndjson
      .stdout()
      .trimEnd()
      .split('\n')
      .map(l => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toEqual({
      columns: [expect.objectContaining({ name: 'order_id' })],
    });
    expect(lines[1]).toEqual(body.rows[0]);
    expect(lines[3]).toMatchObject({ rowCount: 2, truncated: true });
  });

  it('prints the refusal with its position (exit 1), 403 without the permission, 404 for another tenant', async () => {
    const refused = io();
    expect(
      await runQuery(
        { tenant: 'acme', sql: `DELETE FROM ${ORDERS}`, format: 'table' },
        refused,
      ),
    ).toBe(ExitCode.Refused);
    expect(refused.stderr()).toMatch(
      /^Refused \(400\): Query refused: .*\(line 1, column 1\)\n$/,
    );
    expect(refused.stdout()).toBe('');

    const forbidden = io(backends.tokens.ci);
    expect(
      await runQuery(
        { tenant: 'acme', sql: 'SELECT 1', format: 'csv' },
        forbidden,
      ),
    ).toBe(ExitCode.Auth);
    expect(forbidden.stderr()).toContain('Not allowed (403)');

    const other = io(backends.tokens.analyst);
    expect(
      await runQuery(
        { tenant: 'globex', sql: 'SELECT 1', format: 'csv' },
        other,
      ),
    ).toBe(ExitCode.NotFound);
  });

  it('says the quota on 429 (exit 1), and Ctrl-C aborts a running query (exit 130)', async () => {
    // A statement that runs for minutes unless stopped (300^5 rows) holds the tenant's one
    // query slot.
    const slow = `SELECT sum(a.order_id * b.order_id + c.order_id * d.order_id - e.order_id) AS s FROM ${ORDERS} a CROSS JOIN ${ORDERS} b CROSS JOIN ${ORDERS} c CROSS JOIN ${ORDERS} d CROSS JOIN ${ORDERS} e`;
    let interrupt: (() => void) | undefined;
    const first = io(backends.tokens.olga, {
      onInterrupt: handler => {
        interrupt = handler;
        return () => {
          interrupt = undefined;
        };
      },
    });
    const running = runQuery(
      { tenant: 'acme', sql: slow, format: 'table' },
      first,
    );
    // Wait until the portal runs it: a second query meets the quota.
    let second: ReturnType<typeof io> | undefined;
    for (let i = 0; i < 50; i++) {
      await new Promise(resolve => setTimeout(resolve, 100));
      second = io();
      const code = await runQuery(
        { tenant: 'acme', sql: 'SELECT 1 AS one', format: 'csv' },
        second,
      );
      if (code === ExitCode.Refused) break;
    }
    expect(second!.stderr()).toMatch(/^Refused \(429\): .*1/);
    expect(interrupt).toBeDefined();
    interrupt!();
    expect(await running).toBe(ExitCode.Interrupted);
    expect(first.stderr()).toContain('Interrupted');
    expect(interrupt).toBeUndefined();

    // The portal stopped the query: the slot is free again.
    let after = ExitCode.Refused;
    for (let i = 0; i < 50 && after !== ExitCode.Ok; i++) {
      await new Promise(resolve => setTimeout(resolve, 100));
      after = await runQuery(
        { tenant: 'acme', sql: 'SELECT 1 AS one', format: 'csv' },
        io(),
      );
    }
    expect(after).toBe(ExitCode.Ok);
  });

  it('refuses bad usage before calling the portal', async () => {
    const out = io();
    await expect(
      runQuery({ tenant: 'acme', sql: 'SELECT 1', file: 'q.sql' }, out),
    ).rejects.toThrow('Give the statement with --sql or --file, not both');
    await expect(
      runQuery({ tenant: 'acme', sql: 'SELECT 1', format: 'xml' }, out),
    ).rejects.toThrow(
      '--format must be one of table, csv, json, ndjson, not "xml"',
    );
    await expect(runQuery({ tenant: 'acme', sql: '  ' }, out)).rejects.toThrow(
      'The statement is empty',
    );
    await expect(runQuery({ sql: 'SELECT 1' }, out)).rejects.toThrow(
      '--tenant',
    );
    await expect(
      runQuery({ tenant: 'acme', file: 'missing.sql' }, out),
    ).rejects.toThrow('missing.sql: cannot read');
  });

  it('gives up on a silent portal after AKILI_TIMEOUT (exit 5)', async () => {
    const silent = http.createServer(() => {
      // Never answers.
    });
    await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const out = captureIo({
        AKILI_URL: `http://127.0.0.1:${port}`,
        AKILI_TOKEN: 'x',
        AKILI_TIMEOUT: '0.3',
      });
      expect(
        await runQuery({ tenant: 'acme', sql: 'SELECT 1', format: 'csv' }, out),
      ).toBe(ExitCode.Unavailable);
      expect(out.stderr()).toContain('did not answer within 0.3 s');
    } finally {
      silent.closeAllConnections();
      await new Promise(resolve => silent.close(resolve));
    }
  });
  it('exits 5 for a failing portal and for a result that breaks off', async () => {
    let answer: 'fail' | 'break' | 'cut' = 'fail';
    const failing = http.createServer((req, res) => {
      req.resume();
      if (answer === 'fail') {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: {
              name: 'ServiceUnavailableError',
              message: 'StarRocks is down',
            },
          }),
        );
        return;
      }
      // The query fails on the server after the first rows went out: the connection breaks.
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.write(
        `${JSON.stringify({ columns: [{ name: 'n', type: 'LONG' }] })}\n[1]\n`,
      );
      setTimeout(() => (answer === 'cut' ? res.end() : res.destroy()), 50);
    });
    await new Promise<void>(resolve => failing.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = failing.address() as AddressInfo;
      const env = { AKILI_URL: `http://127.0.0.1:${port}`, AKILI_TOKEN: 'x' };
      const failed = captureIo(env);
      expect(
        await runQuery(
          { tenant: 'acme', sql: 'SELECT 1', format: 'table' },
          failed,
        ),
      ).toBe(ExitCode.Unavailable);
      expect(failed.stderr()).toContain('failed (503): StarRocks is down');

      answer = 'break';
      const broken = captureIo(env);
      expect(
        await runQuery(
          { tenant: 'acme', sql: 'SELECT 1', format: 'ndjson' },
          broken,
        ),
      ).toBe(ExitCode.Unavailable);
      expect(broken.stdout()).toContain('[1]\n');
      expect(broken.stderr()).toContain('stopped before it was complete');

      // Ended cleanly but without the summary line: not taken as the whole result.
      answer = 'cut';
      const cut = captureIo(env);
      expect(
        await runQuery(
          { tenant: 'acme', sql: 'SELECT 1', format: 'table' },
          cut,
        ),
      ).toBe(ExitCode.Unavailable);
      expect(cut.stdout()).toBe('n\n1\n');
      expect(cut.stderr()).toContain('ended without its summary line');
    } finally {
      failing.closeAllConnections();
      await new Promise(resolve => failing.close(resolve));
    }
  });
});
