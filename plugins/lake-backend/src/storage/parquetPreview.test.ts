import { parquetWriteBuffer } from 'hyparquet-writer';
import {
  RangeSource,
  coalescingAsyncBuffer,
  parquetTypeName,
  previewParquet,
  toJsonSafe,
} from './parquetPreview';

/** An in-memory file read by ranges, counting what is read. */
function memorySource(buffer: ArrayBuffer) {
  const bytes = new Uint8Array(buffer);
  const reads: Array<[number, number]> = [];
  const source: RangeSource & { reads: typeof reads; bytesRead(): number } = {
    byteLength: bytes.length,
    reads,
    bytesRead: () => reads.reduce((sum, [s, e]) => sum + e - s, 0),
    async read(start, end) {
      reads.push([start, end]);
      return bytes.slice(start, end);
    },
  };
  return source;
}

describe('previewParquet', () => {
  it('reads the schema, row groups, writer and first rows, values made JSON-safe', async () => {
    const n = 2500;
    const file = parquetWriteBuffer({
      columnData: [
        {
          name: 'id',
          data: BigInt64Array.from(
            { length: n },
            (_, i) => BigInt(i) + (i === 1 ? 9007199254740993n : 0n),
          ),
          type: 'INT64',
        },
        {
          name: 'name',
          data: Array.from({ length: n }, (_, i) => `row ${i}`),
          type: 'STRING',
        },
        {
          name: 'at',
          data: Array.from(
            { length: n },
            (_, i) => new Date(Date.UTC(2026, 0, 1) + i * 1000),
          ),
          type: 'TIMESTAMP',
        },
        {
          name: 'score',
          data: Array.from({ length: n }, (_, i) => (i === 2 ? null : i / 2)),
          type: 'DOUBLE',
        },
        {
          name: 'flag',
          data: Array.from({ length: n }, (_, i) => i % 2 === 0),
          type: 'BOOLEAN',
        },
      ],
      rowGroupSize: 1000,
      createdBy: 'akili-test 1.0',
    });
    const source = memorySource(file);
    const preview = await previewParquet(source, { rows: 3 });
    expect(preview.columns).toEqual([
      { name: 'id', type: 'INT64' },
      { name: 'name', type: 'BYTE_ARRAY (UTF8)' },
      { name: 'at', type: 'INT64 (TIMESTAMP_MILLIS)' },
      { name: 'score', type: 'DOUBLE' },
      { name: 'flag', type: 'BOOLEAN' },
    ]);
    expect(preview.rows).toEqual([
      [0, 'row 0', '2026-01-01T00:00:00.000Z', 0, true],
      ['9007199254740994', 'row 1', '2026-01-01T00:00:01.000Z', 0.5, false],
      [2, 'row 2', '2026-01-01T00:00:02.000Z', null, true],
    ]);
    expect(preview.totalRows).toBe(n);
    expect(preview.rowGroups.map(g => g.rows)).toEqual([1000, 1000, 500]);
    expect(preview.rowGroups.every(g => g.bytes > 0)).toBe(true);
    expect(preview.createdBy).toBe('akili-test 1.0');
    expect(preview.truncated).toBe(true);
    // The footer read of a file this small holds all of it: nothing is read twice.
    expect(source.bytesRead()).toBe(file.byteLength);
    expect(source.reads).toHaveLength(1);
  });

  it('shows a DATE as its day, not as midnight UTC', async () => {
    const file = parquetWriteBuffer({
      columnData: [{ name: 'day', data: [new Date('2026-06-01T00:00:00Z')] }],
      schema: [
        { name: 'root', num_children: 1 },
        {
          name: 'day',
          repetition_type: 'REQUIRED',
          type: 'INT32',
          converted_type: 'DATE',
        },
      ],
    });
    const preview = await previewParquet(memorySource(file), { rows: 1 });
    expect(preview.columns).toEqual([{ name: 'day', type: 'INT32 (DATE)' }]);
    expect(preview.rows).toEqual([['2026-06-01']]);
  });

  it('returns every row of a small file, not truncated', async () => {
    const file = parquetWriteBuffer({
      columnData: [{ name: 'x', data: [1, 2, 3], type: 'INT32' }],
    });
    const preview = await previewParquet(memorySource(file), { rows: 10 });
    expect(preview.rows).toEqual([[1], [2], [3]]);
    expect(preview.truncated).toBe(false);
  });

  it('reads the footer and the first pages only of a large file with many row groups', async () => {
    const n = 100_000;
    const file = parquetWriteBuffer({
      columnData: [
        {
          name: 'id',
          data: Int32Array.from({ length: n }, (_, i) => i),
          type: 'INT32',
        },
        {
          name: 'payload',
          data: Array.from(
            { length: n },
            (_, i) => `payload-${(i * 2654435761) % 1000003}-${i}`,
          ),
          type: 'STRING',
        },
      ],
      rowGroupSize: 5_000,
    });
    const source = memorySource(file);
    const preview = await previewParquet(source, { rows: 50 });
    expect(preview.rows).toHaveLength(50);
    expect(preview.rows[49]).toEqual([49, expect.stringMatching(/^payload-/)]);
    expect(preview.rowGroups).toHaveLength(20);
    expect(source.bytesRead()).toBeLessThan(file.byteLength / 10);
  });

  it('is a LakePreviewError for a file that is not Parquet, or whose footer is corrupt', async () => {
    const notParquet = new TextEncoder().encode('a,b\n1,2\n'.repeat(10));
    await expect(
      previewParquet(memorySource(notParquet.buffer as ArrayBuffer), {
        rows: 5,
      }),
    ).rejects.toMatchObject({
      name: 'LakePreviewError',
      message: expect.stringContaining('Not a readable Parquet file'),
    });
    const file = new Uint8Array(
      parquetWriteBuffer({
        columnData: [{ name: 'x', data: [1, 2, 3], type: 'INT32' }],
      }),
    );
    const corrupt = file.slice();
    // Garble the footer's metadata (keep the trailing length and PAR1).
    for (let i = corrupt.length - 40; i < corrupt.length - 8; i++)
      corrupt[i] = 0xff;
    await expect(
      previewParquet(memorySource(corrupt.buffer), { rows: 5 }),
    ).rejects.toMatchObject({ name: 'LakePreviewError' });
    await expect(
      previewParquet(memorySource(new ArrayBuffer(4)), { rows: 5 }),
    ).rejects.toMatchObject({
      name: 'LakePreviewError',
      message: 'Not a Parquet file: it is 4 bytes long',
    });
  });
});

describe('coalescingAsyncBuffer', () => {
  it('reads ranges asked for in the same tick and close together in one request', async () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i % 256);
    const source = memorySource(bytes.buffer);
    const buffer = coalescingAsyncBuffer(source, 10);
    const [a, b, c] = await Promise.all([
      buffer.slice(100, 110),
      buffer.slice(115, 120),
      buffer.slice(500, 510),
    ]);
    expect(source.reads).toEqual([
      [100, 120],
      [500, 510],
    ]);
    expect([...new Uint8Array(a)]).toEqual([...bytes.slice(100, 110)]);
    expect([...new Uint8Array(b)]).toEqual([...bytes.slice(115, 120)]);
    expect([...new Uint8Array(c)]).toEqual([...bytes.slice(500, 510)]);
    await expect(buffer.slice(990, 1001)).rejects.toMatchObject({
      name: 'LakePreviewError',
    });
  });
});

describe('toJsonSafe and parquetTypeName', () => {
  it('makes values JSON-safe', () => {
    expect(toJsonSafe(12n)).toBe(12);
    expect(toJsonSafe(2n ** 63n - 1n)).toBe('9223372036854775807');
    expect(toJsonSafe(new Date('2026-01-02T03:04:05Z'))).toBe(
      '2026-01-02T03:04:05.000Z',
    );
    expect(toJsonSafe(new TextEncoder().encode('héllo'))).toBe('héllo');
    expect(toJsonSafe(Uint8Array.from([0, 255, 1]))).toBe('base64:AP8B');
    expect(toJsonSafe(NaN)).toBe('NaN');
    expect(toJsonSafe({ a: [1n, undefined] })).toEqual({ a: [1, null] });
    expect(JSON.parse(JSON.stringify(toJsonSafe({ x: -Infinity })))).toEqual({
      x: '-Infinity',
    });
  });

  it('names physical and logical types', () => {
    expect(
      parquetTypeName({
        name: 'a',
        type: 'INT64',
        logical_type: {
          type: 'TIMESTAMP',
          unit: 'MICROS',
          isAdjustedToUTC: true,
        },
      }),
    ).toBe('INT64 (TIMESTAMP(MICROS, UTC))');
    expect(
      parquetTypeName({
        name: 'a',
        type: 'FIXED_LEN_BYTE_ARRAY',
        type_length: 16,
        logical_type: { type: 'DECIMAL', precision: 38, scale: 2 },
      }),
    ).toBe('FIXED_LEN_BYTE_ARRAY(16) (DECIMAL(38, 2))');
    expect(
      parquetTypeName({ name: 'a', converted_type: 'LIST', num_children: 1 }),
    ).toBe('LIST');
    expect(parquetTypeName({ name: 'a', num_children: 2 })).toBe('STRUCT');
  });
});
