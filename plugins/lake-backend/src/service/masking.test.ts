import { maskPreview } from './masking';

const raw = {
  columns: [
    { name: 'customer_key', type: 'BYTE_ARRAY (UTF8)' },
    { name: 'snapshot_month', type: 'INT32 (DATE)' },
    { name: 'EMAIL', type: 'BYTE_ARRAY (UTF8)' },
    { name: 'secret_score', type: 'DOUBLE' },
    { name: 'added_later', type: 'BYTE_ARRAY (UTF8)' },
  ],
  rows: [
    ['k1', '2026-11-01', 'a@x.io', 0.5, 'v1'],
    ['k2', '2026-11-01', 'b@x.io', 0.7, 'v2'],
  ],
};

const declared = [
  { name: 'customer_key', classification: 'confidential' },
  { name: 'snapshot_month' },
  { name: 'email', classification: 'pii' },
  { name: 'secret_score', classification: 'sensitive-pii' },
];

describe('maskPreview', () => {
  it('masks pii and confidential columns for a caller without akili.query.unmask, and undeclared ones with them', () => {
    const preview = maskPreview(raw, declared, { unmask: false });
    expect(preview.masked).toEqual([
      'customer_key',
      'EMAIL',
      'secret_score',
      'added_later',
    ]);
    expect(preview.columns).toEqual([
      {
        name: 'customer_key',
        type: 'BYTE_ARRAY (UTF8)',
        classification: 'confidential',
        masked: true,
      },
      {
        name: 'snapshot_month',
        type: 'INT32 (DATE)',
        classification: 'internal',
        masked: false,
      },
      {
        name: 'EMAIL',
        type: 'BYTE_ARRAY (UTF8)',
        classification: 'pii',
        masked: true,
      },
      {
        name: 'secret_score',
        type: 'DOUBLE',
        classification: 'sensitive-pii',
        masked: true,
      },
      { name: 'added_later', type: 'BYTE_ARRAY (UTF8)', masked: true },
    ]);
    expect(preview.rows).toEqual([
      [null, '2026-11-01', null, null, null],
      [null, '2026-11-01', null, null, null],
    ]);
  });

  it('shows pii and confidential columns to a caller holding akili.query.unmask, never sensitive-pii (nor undeclared columns while it is masked)', () => {
    const preview = maskPreview(raw, declared, { unmask: true });
    expect(preview.masked).toEqual(['secret_score', 'added_later']);
    expect(preview.rows[0]).toEqual(['k1', '2026-11-01', 'a@x.io', null, null]);
  });

  it('shows undeclared columns when nothing declared is masked for the caller, as the query API leaves such a table as written', () => {
    const open = declared.filter(c => c.name !== 'secret_score');
    const preview = maskPreview(raw, open, { unmask: true });
    expect(preview.masked).toEqual([]);
    expect(preview.rows[1]).toEqual(['k2', '2026-11-01', 'b@x.io', 0.7, 'v2']);
    expect(maskPreview(raw, [], { unmask: false }).masked).toEqual([]);
  });

  it('takes the stricter of two declarations of one column and treats an unknown label as sensitive-pii', () => {
    const preview = maskPreview(
      raw,
      [
        { name: 'snapshot_month', classification: 'public' },
        { name: 'SNAPSHOT_MONTH', classification: 'pii' },
        { name: 'customer_key', classification: 'top-secret' },
      ],
      { unmask: true },
    );
    expect(preview.columns[0]).toMatchObject({
      classification: 'sensitive-pii',
      masked: true,
    });
    expect(preview.columns[1]).toMatchObject({
      classification: 'pii',
      masked: false,
    });
  });

  it('drops every column an access agreement does not name, and still masks what the caller may not see', () => {
    const preview = maskPreview(raw, declared, {
      unmask: false,
      onlyColumns: ['Snapshot_Month', 'customer_key'],
    });
    expect(preview.columns.map(c => c.name)).toEqual([
      'customer_key',
      'snapshot_month',
    ]);
    expect(preview.rows).toEqual([
      [null, '2026-11-01'],
      [null, '2026-11-01'],
    ]);
    expect(preview.masked).toEqual(['customer_key']);
  });
});
