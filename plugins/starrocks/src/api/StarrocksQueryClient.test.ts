/**
 * @jest-environment node
 */
import { ResponseError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { StarrocksQueryClient } from './StarrocksQueryClient';

const baseUrl = 'http://localhost:7007/api/starrocks';
const queryUrl = `${baseUrl}/v1/tenants/acme/query`;
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const encoder = new TextEncoder();

describe('StarrocksQueryClient', () => {
  const seen: Request[] = [];
  const fetchApi = { fetch: (input: any, init?: any) => fetch(input, init) };
  const discoveryApi = {
    getBaseUrl: async (id: string) => `http://localhost:7007/api/${id}`,
  };
  const client = new StarrocksQueryClient({ discoveryApi, fetchApi });

  beforeEach(() => {
    seen.length = 0;
    server.events.removeAllListeners();
    server.events.on('request:start', ({ request }) => {
      seen.push(request.clone());
    });
  });

  it('streams NDJSON rows as they arrive, lines split across chunks, and reads the summary', async () => {
    let release!: () => void;
    const gate = new Promise<void>(resolve => (release = resolve));
    server.use(
      http.post(queryUrl, () => {
        const stream = new ReadableStream<Uint8Array>({
          async start(controller) {
            controller.enqueue(
              encoder.encode(
                '{"columns":[{"name":"id","type":"LONGLONG"},{"name":"name","type":"VAR_STRING"}]}\n[1,"a',
              ),
            );
            controller.enqueue(encoder.encode('da"]\n[2,null]\n'));
            await gate;
            controller.enqueue(
              encoder.encode(
                '[3,"lin"]\n{"rowCount":3,"truncated":true,"bytes":120,"durationMs":42,',
              ),
            );
            controller.enqueue(
              encoder.encode(
                '"masked":[{"table":"def.acme.orders","column":"email","classification":"pii"}]}\n',
              ),
            );
            controller.close();
          },
        });
        return new HttpResponse(stream, {
          headers: { 'Content-Type': 'application/x-ndjson' },
        });
      }),
    );
    const columns: unknown[] = [];
    const rows: unknown[] = [];
    const done = client.streamQuery(
      'acme',
      { sql: 'SELECT 1', limit: 10 },
      {
        onColumns: c => columns.push(c),
        onRows: batch => {
          rows.push(...batch);
          // The first rows arrive before the server has sent the rest.
          if (rows.length === 2) release();
        },
      },
    );
    const summary = await done;
    expect(columns).toEqual([
      [
        { name: 'id', type: 'LONGLONG' },
        { name: 'name', type: 'VAR_STRING' },
      ],
    ]);
    expect(rows).toEqual([
      [1, 'ada'],
      [2, null],
      [3, 'lin'],
    ]);
    expect(summary).toEqual({
      rowCount: 3,
      truncated: true,
      bytes: 120,
      durationMs: 42,
      masked: [
        { table: 'def.acme.orders', column: 'email', classification: 'pii' },
      ],
    });
    expect(seen[0].headers.get('accept')).toBe('application/x-ndjson');
    expect(seen[0].headers.get('content-type')).toBe('application/json');
    expect(await seen[0].json()).toEqual({ sql: 'SELECT 1', limit: 10 });
  });

  it('fills bytes and duration itself while the server does not send them', async () => {
    const body = '{"columns":[]}\n[1]\n{"rowCount":1,"truncated":false}\n';
    server.use(http.post(queryUrl, () => new HttpResponse(body)));
    const summary = await client.streamQuery('acme', { sql: 'SELECT 1' });
    expect(summary.bytes).toBe(encoder.encode(body).byteLength);
    expect(summary.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('fails when the stream stops before its summary line', async () => {
    server.use(
      http.post(queryUrl, () => new HttpResponse('{"columns":[]}\n[1]\n')),
    );
    await expect(
      client.streamQuery('acme', { sql: 'SELECT 1' }),
    ).rejects.toThrow(/stopped before its end/);
  });

  it('aborts the request mid-stream: the read rejects with an AbortError', async () => {
    const controller = new AbortController();
    server.use(
      http.post(
        queryUrl,
        () =>
          new HttpResponse(
            new ReadableStream<Uint8Array>({
              start(stream) {
                // The first row, then nothing more: a long-running query.
                stream.enqueue(encoder.encode('{"columns":[]}\n[1]\n'));
              },
            }),
          ),
      ),
    );
    const rows: unknown[] = [];
    const error = await client
      .streamQuery(
        'acme',
        { sql: 'SELECT 1' },
        {
          signal: controller.signal,
          onRows: batch => {
            rows.push(...batch);
            controller.abort();
          },
        },
      )
      .catch(e => e);
    expect(error.name).toBe('AbortError');
    expect(rows).toEqual([[1]]);
  });

  it('throws a ResponseError with the refusal message for a 400', async () => {
    server.use(
      http.post(queryUrl, () =>
        HttpResponse.json(
          {
            error: {
              name: 'InputError',
              message:
                'Query refused: function sleep is not allowed (line 2, column 8)',
            },
            response: { statusCode: 400 },
          },
          { status: 400 },
        ),
      ),
    );
    const error = await client
      .streamQuery('acme', { sql: 'SELECT\n  1, sleep(1)' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(400);
    expect(error.body.error.message).toMatch(/line 2, column 8/);
  });

  it('downloads CSV with Accept: text/csv', async () => {
    server.use(
      http.post(
        queryUrl,
        () =>
          new HttpResponse('id,name\n1,ada\n', {
            headers: { 'Content-Type': 'text/csv' },
          }),
      ),
    );
    const blob = await client.downloadCsv('acme', { sql: 'SELECT 1' });
    expect(await blob.text()).toBe('id,name\n1,ada\n');
    expect(seen[0].headers.get('accept')).toBe('text/csv');
  });

  it('reads the schema and encodes the tenant', async () => {
    server.use(
      http.get(`${baseUrl}/v1/tenants/a%2Fb/schema`, () =>
        HttpResponse.json({ tenant: 'a/b', tables: [] }),
      ),
    );
    await expect(client.getSchema('a/b')).resolves.toMatchObject({
      tables: [],
    });
  });

  it('reads a page of the audit trail with its filters and cursor in the query string', async () => {
    server.use(
      http.get(`${baseUrl}/v1/tenants/acme/audit`, () =>
        HttpResponse.json({ items: [], nextCursor: '41' }),
      ),
    );
    await expect(
      client.listAudit('acme', {
        limit: 50,
        cursor: '42',
        actor: 'user:default/jane',
        outcome: 'refused',
      }),
    ).resolves.toEqual({ items: [], nextCursor: '41' });
    const url = new URL(seen[0].url);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      limit: '50',
      cursor: '42',
      actor: 'user:default/jane',
      outcome: 'refused',
    });

    await client.listAudit('acme');
    expect(new URL(seen[1].url).search).toBe('');
  });

  it('throws a ResponseError with the status for a refused audit read', async () => {
    server.use(
      http.get(`${baseUrl}/v1/tenants/acme/audit`, () =>
        HttpResponse.json(
          {
            error: { name: 'NotAllowedError', message: 'Not allowed' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    const error = await client.listAudit('acme').catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
  });
});
