import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import { readExampleFilesPorts } from './examplePorts';
import {
  PARQUET_ROW_GROUP_ROWS,
  PARQUET_ROWS,
  SAMPLE_ROWS,
  SeedFile,
  planExampleFiles,
} from './seed';

const sha = (body: Uint8Array) =>
  createHash('sha256').update(body).digest('hex');
const text = (body: Uint8Array) => new TextDecoder().decode(body);
const arrayBuffer = (body: Uint8Array) =>
  body.buffer.slice(
    body.byteOffset,
    body.byteOffset + body.byteLength,
  ) as ArrayBuffer;

/** RFC 4180 parser (quoted cells with `""`, CRLF rows), for reading the seeded CSV back. */
function parseCsv(csv: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i];
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && csv[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('the example files ports', () => {
  it('are churn-features training snapshots (acme, Parquet) and the shipments carrier files (globex, CSV)', () => {
    const ports = readExampleFilesPorts();
    expect(
      ports.map(p => [
        p.tenant,
        p.product,
        p.port,
        p.bucket,
        p.prefix,
        p.format,
      ]),
    ).toEqual([
      [
        'acme',
        'churn-features',
        'training_snapshots',
        'akili-acme',
        'data-products/churn-features/training/',
        'parquet',
      ],
      [
        'globex',
        'shipments',
        'carrier_files',
        'akili-globex',
        'data-products/shipments/carrier-files/',
        'csv',
      ],
    ]);
  });

  describe('refuse a manifest', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lake-dev-examples-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const write = (tenant: string, s3: string) => {
      fs.mkdirSync(path.join(dir, tenant, 'p'), { recursive: true });
      fs.writeFileSync(
        path.join(dir, tenant, 'p', 'dataproduct.yaml'),
        `metadata: { name: p }
spec:
  outputPorts:
    - name: out
      kind: files
      location: { s3: ${s3} }
      schema: [{ name: a, type: string }]
`,
      );
      return path.join(dir, tenant, 'p', 'dataproduct.yaml');
    };

    it("whose files port is in another tenant's bucket", () => {
      const file = write(
        'globex',
        '{ bucket: akili-acme, prefix: x/, format: csv }',
      );
      expect(() => readExampleFilesPorts(dir)).toThrow(
        `${file}: output port out: bucket "akili-acme" is not tenant globex's own bucket`,
      );
    });

    it('whose format cannot be seeded', () => {
      const file = write(
        'acme',
        '{ bucket: akili-acme, prefix: x/, format: avro }',
      );
      expect(() => readExampleFilesPorts(dir)).toThrow(
        `${file}: output port out: format "avro" cannot be seeded (parquet, csv or jsonl)`,
      );
    });

    it('that is not YAML', () => {
      fs.mkdirSync(path.join(dir, 'acme', 'p'), { recursive: true });
      const file = path.join(dir, 'acme', 'p', 'dataproduct.yaml');
      fs.writeFileSync(file, 'spec: [unclosed');
      expect(() => readExampleFilesPorts(dir)).toThrow(
        `${file}: not valid YAML`,
      );
    });
  });
});

describe('planExampleFiles', () => {
  let files: SeedFile[];
  const byKey = (key: string) => files.find(f => f.key === key)!;
  const acme = 'data-products/churn-features/training/';

  beforeAll(() => {
    files = planExampleFiles();
  });

  it('writes the same bytes every time', () => {
    const again = planExampleFiles();
    expect(again.map(f => [f.bucket, f.key, sha(f.body)])).toEqual(
      files.map(f => [f.bucket, f.key, sha(f.body)]),
    );
  });

  it("puts every file under its port's prefix in its own tenant's bucket", () => {
    for (const file of files) {
      expect(file.bucket).toBe(`akili-${file.tenant}`);
      expect(file.key.startsWith(file.prefix)).toBe(true);
      expect(file.key).not.toMatch(/\.\.|\/\/|^\//);
    }
    expect(files.map(f => `${f.bucket}/${f.key}`)).toEqual(
      expect.arrayContaining([
        `akili-acme/${acme}snapshot_month=2026-06-01/part-0000.parquet`,
        `akili-acme/${acme}snapshot_month=2026-11-01/part-0000.parquet`,
        `akili-acme/${acme}snapshot_month=2026-11-01/part-0001.parquet`,
        `akili-acme/${acme}samples/snapshot_month=2026-11-01.csv`,
        `akili-acme/${acme}samples/snapshot_month=2026-11-01.jsonl`,
        'akili-globex/data-products/shipments/carrier-files/landed_date=2026-11-30/part-0000.csv',
      ]),
    );
  });

  it('writes Parquet with the declared schema, several row groups and the partition value in the rows', async () => {
    const parquet = files.filter(f => f.key.endsWith('.parquet'));
    expect(parquet).toHaveLength(7);
    const june = byKey(`${acme}snapshot_month=2026-06-01/part-0000.parquet`);
    const metadata = parquetMetadata(arrayBuffer(june.body));
    expect(Number(metadata.num_rows)).toBe(PARQUET_ROWS);
    expect(metadata.row_groups).toHaveLength(
      PARQUET_ROWS / PARQUET_ROW_GROUP_ROWS,
    );
    const tree = parquetSchema(metadata);
    expect(tree.children.map(c => c.element.name)).toEqual([
      'customer_key',
      'snapshot_month',
      'features',
      'churned_next_90d',
    ]);
    // The `features` group holds the `features` port's columns but the key.
    expect(tree.children[2].children.map(c => c.element.name)).toEqual([
      'days_since_last_order',
      'orders_12m',
      'revenue_12m_index',
      'return_rate',
      'sessions_90d',
      'cart_abandon_rate_90d',
      'late_delivery_share_90d',
      'is_b2b',
      'feature_ts',
    ]);

    const rows = await parquetReadObjects({ file: arrayBuffer(june.body) });
    expect(rows).toHaveLength(PARQUET_ROWS);
    for (const row of rows) {
      expect(row.customer_key).toMatch(/^[0-9a-f]{64}$/);
      expect((row.snapshot_month as Date).toISOString()).toBe(
        '2026-06-01T00:00:00.000Z',
      );
      expect(row.features.return_rate).toBeGreaterThanOrEqual(0);
      expect(row.features.return_rate).toBeLessThanOrEqual(1);
      expect(typeof row.features.is_b2b).toBe('boolean');
    }
    expect(new Set(rows.map(r => r.customer_key)).size).toBe(PARQUET_ROWS);
    // The quality rule churn_rate_plausible: 5-35% of a labelled snapshot churns.
    const churn = rows.filter(r => r.churned_next_90d).length / rows.length;
    expect(churn).toBeGreaterThan(0.05);
    expect(churn).toBeLessThan(0.35);
  });

  it('keeps the same customers in every snapshot and leaves the label of the last three months null', async () => {
    const read = async (month: string) =>
      parquetReadObjects({
        file: arrayBuffer(
          byKey(`${acme}snapshot_month=${month}/part-0000.parquet`).body,
        ),
      });
    const august = await read('2026-08-01');
    const september = await read('2026-09-01');
    const november = await read('2026-11-01');
    expect(september.map(r => r.customer_key)).toEqual(
      august.map(r => r.customer_key),
    );
    expect(november.map(r => r.customer_key)).toEqual(
      august.map(r => r.customer_key),
    );
    expect(august.some(r => r.churned_next_90d === null)).toBe(false);
    expect(september.every(r => r.churned_next_90d === null)).toBe(true);
    expect(november.every(r => r.churned_next_90d === null)).toBe(true);
    // The second part of the latest month has other customers.
    const second = await parquetReadObjects({
      file: arrayBuffer(
        byKey(`${acme}snapshot_month=2026-11-01/part-0001.parquet`).body,
      ),
    });
    const first = new Set(november.map(r => r.customer_key));
    expect(second.some(r => first.has(r.customer_key))).toBe(false);
  });

  it('writes the CSV and JSON lines samples with the first rows of the latest snapshot', async () => {
    const latest = await parquetReadObjects({
      file: arrayBuffer(
        byKey(`${acme}snapshot_month=2026-11-01/part-0000.parquet`).body,
      ),
    });
    const jsonl = text(
      byKey(`${acme}samples/snapshot_month=2026-11-01.jsonl`).body,
    )
      .trimEnd()
      .split('\n')
      .map(line => JSON.parse(line));
    const [header, ...csv] = parseCsv(
      text(byKey(`${acme}samples/snapshot_month=2026-11-01.csv`).body),
    );
    expect(header).toEqual([
      'customer_key',
      'snapshot_month',
      'features',
      'churned_next_90d',
    ]);
    expect(jsonl).toHaveLength(SAMPLE_ROWS);
    expect(csv).toHaveLength(SAMPLE_ROWS);
    jsonl.forEach((row, i) => {
      expect(row.customer_key).toBe(latest[i].customer_key);
      expect(row.snapshot_month).toBe('2026-11-01');
      expect(row.features.orders_12m).toBe(latest[i].features.orders_12m);
      expect(row.features.feature_ts).toBe(
        (latest[i].features.feature_ts as Date)
          .toISOString()
          .replace('.000Z', 'Z'),
      );
      expect(csv[i][0]).toBe(row.customer_key);
      expect(JSON.parse(csv[i][2])).toEqual(row.features);
      expect(csv[i][3]).toBe(''); // null label
    });
  });

  it('writes the carrier files as CSV with the declared header and plausible values', () => {
    const carrier = files.filter(f => f.tenant === 'globex');
    expect(carrier.map(f => f.key.slice(f.prefix.length))).toEqual([
      'landed_date=2026-11-26/part-0000.csv',
      'landed_date=2026-11-27/part-0000.csv',
      'landed_date=2026-11-28/part-0000.csv',
      'landed_date=2026-11-29/part-0000.csv',
      'landed_date=2026-11-30/part-0000.csv',
      'landed_date=2026-11-30/part-0001.csv',
    ]);
    const [header, ...rows] = parseCsv(text(carrier[0].body));
    expect(header).toEqual([
      'landed_date',
      'shipment_id',
      'carrier',
      'tracking_number',
      'carrier_status_code',
      'status',
      'event_at',
      'location_code',
      'consignee_name',
      'source_file',
    ]);
    expect(rows.length).toBe(carrier[0].rows);
    for (const row of rows) {
      expect(row).toHaveLength(header.length);
      expect(row[0]).toBe('2026-11-26');
      expect(row[1]).toMatch(/^GX-2024-\d{8}$/);
      expect(['dhl', 'dpd', 'ups', 'gls', 'own-fleet']).toContain(row[2]);
      expect(row[6]).toMatch(/^2026-11-26T\d\d:\d\d:\d\dZ$/);
    }
    // The personal column holds names for the preview to mask.
    expect(
      rows.filter(r => /^[A-Z][a-z]+ [A-Z][a-z]+$/.test(r[8])).length,
    ).toBeGreaterThan(rows.length * 0.9);
  });
});
