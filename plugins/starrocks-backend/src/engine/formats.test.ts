import { PassThrough } from 'node:stream';
import { MaskedColumn } from '@akili/plugin-starrocks-common';
import {
  createResultSink,
  csvField,
  formatFromAccept,
  ResultFormat,
  SINK_BATCH_CHARS,
  SINK_BUFFER_BYTES,
  spreadsheetSafeField,
} from './formats';
import { CellValue, ColumnInfo, QuerySummary } from './types';

const columns: ColumnInfo[] = [
  { name: 'id', type: 'LONGLONG' },
  { name: 'name, "quoted"', type: 'VAR_STRING' },
];
const rows: CellValue[][] = [
  [1, 'plain'],
  ['9007199254740993', 'a "b", c\r\nd'],
  [null, ''],
];
const summary: QuerySummary = {
  rowCount: 3,
  bytes: 40,
  truncated: true,
  durationMs: 1,
  pauses: 0,
};
const masked: MaskedColumn[] = [
  {
    table: 'default_catalog.acme.customers',
    column: 'email',
    classification: 'pii',
  },
];

async function render(
  format: ResultFormat,
  options?: { masked?: MaskedColumn[] },
): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', c => chunks.push(c));
  const sink = createResultSink(format, out, options);
  sink.columns(columns);
  for (const row of rows) sink.row(row);
  await sink.end(summary);
  expect(sink.bytesWritten).toBe(Buffer.concat(chunks).length);
  return Buffer.concat(chunks).toString('utf8');
}

describe('formats', () => {
  it('hands rows over in batches, yet at once when no more rows come', async () => {
    const writes: string[] = [];
    const out = new PassThrough({ highWaterMark: 16 * 1024 });
    const write = out.write.bind(out);
    out.write = ((chunk: string) => {
      writes.push(chunk);
      return write(chunk);
    }) as typeof out.write;
    const sink = createResultSink('ndjson', out);
    sink.columns(columns);
    sink.row([1, 'a']);
    expect(writes).toEqual([]);
    // A slow query: the row goes out once the current burst has been handled.
    await new Promise(resolve => setImmediate(resolve));
    expect(writes).toEqual([
      '{"columns":[{"name":"id","type":"LONGLONG"},{"name":"name, \\"quoted\\"","type":"VAR_STRING"}]}\n[1,"a"]\n',
    ]);

    // A fast one: rows collect up to a batch; the sink asks for a pause only past its buffer.
    const long = 'x'.repeat(1000);
    let room = true;
    let rowsWritten = 0;
    while (room) {
      room = sink.row([2, long]);
      rowsWritten += 1;
    }
    expect(writes.length).toBeGreaterThan(2);
    expect(writes[1].length).toBeGreaterThanOrEqual(SINK_BATCH_CHARS);
    expect(out.writableLength).toBeGreaterThanOrEqual(SINK_BUFFER_BYTES);
    expect(rowsWritten * 1000).toBeLessThan(
      SINK_BUFFER_BYTES + 2 * SINK_BATCH_CHARS,
    );
    out.resume();
    await sink.end(summary);
  });

  it('writes CSV after RFC 4180', async () => {
    expect(await render('csv')).toBe(
      'id,"name, ""quoted"""\r\n' +
        '1,plain\r\n' +
        '9007199254740993,"a ""b"", c\r\nd"\r\n' +
        ',\r\n',
    );
    expect(csvField('x\ny')).toBe('"x\ny"');
  });

  it('writes NDJSON: columns, one array per row, a summary object', async () => {
    expect(await render('ndjson')).toBe(
      '{"columns":[{"name":"id","type":"LONGLONG"},{"name":"name, \\"quoted\\"","type":"VAR_STRING"}]}\n' +
        '[1,"plain"]\n' +
        '["9007199254740993","a \\"b\\", c\\r\\nd"]\n' +
        '[null,""]\n' +
        // bytes: the three row lines, as written.
        '{"rowCount":3,"truncated":true,"bytes":61,"durationMs":1,"masked":[]}\n',
    );
    expect((await render('ndjson', { masked })).split('\n').at(-2)).toBe(
      '{"rowCount":3,"truncated":true,"bytes":61,"durationMs":1,"masked":[{"table":"default_catalog.acme.customers","column":"email","classification":"pii"}]}',
    );
  });

  it('writes JSON in one piece', async () => {
    expect(JSON.parse(await render('json', { masked }))).toEqual({
      columns,
      rows,
      rowCount: 3,
      truncated: true,
      // The `rows` array as written.
      bytes: Buffer.byteLength(JSON.stringify(rows)),
      durationMs: 1,
      masked,
    });
  });

  it('keeps formulas in data as text in CSV for spreadsheets, numbers as numbers', () => {
    expect(spreadsheetSafeField('=1+1')).toBe("'=1+1");
    expect(spreadsheetSafeField('+41 22')).toBe("'+41 22");
    expect(spreadsheetSafeField('-2+3')).toBe("'-2+3");
    expect(spreadsheetSafeField('@cmd')).toBe("'@cmd");
    expect(spreadsheetSafeField('\tx')).toBe("'\tx");
    expect(spreadsheetSafeField('=A1,"b"')).toBe('"\'=A1,""b"""');
    for (const value of ['-5', '+5.25', '-1e-3', 'plain', '', 3, -3, null]) {
      expect(spreadsheetSafeField(value)).toBe(csvField(value));
    }
  });

  it('picks the format from Accept', () => {
    expect(formatFromAccept('application/x-ndjson')).toBe('ndjson');
    expect(formatFromAccept('text/csv;q=0.9, application/json')).toBe('csv');
    expect(formatFromAccept('*/*')).toBe('json');
    expect(formatFromAccept(undefined)).toBe('json');
  });
});
