import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, within } from '@testing-library/react';
import type { LakePreview } from '@akili/plugin-lake-common';
import { PreviewView } from './PreviewPanel';

const csv: LakePreview = {
  product: 'dataproduct:acme/orders-daily',
  port: 'exports',
  path: 'daily/2025-03-01.csv',
  format: 'csv',
  size: 12_000_000,
  columns: [
    { name: 'day', type: 'string', masked: false },
    { name: 'email', type: 'string', classification: 'pii', masked: false },
    { name: 'payload', type: 'string', masked: false },
  ],
  rows: [['2025-03-01', 'ann@example.com', { a: 1 }]],
  bytesRead: 4_096,
  truncated: true,
  masked: [],
};

describe('PreviewView', () => {
  it('shows a CSV preview without Parquet facts, unmasked for a role that may see PII', async () => {
    await renderInTestApp(<PreviewView preview={csv} />);
    expect(screen.getByText('First 1 row')).toBeInTheDocument();
    expect(screen.getByText('4.1 KB of 12 MB')).toBeInTheDocument();
    expect(screen.queryByText('Row groups')).not.toBeInTheDocument();
    expect(screen.queryByText(/Masked:/)).not.toBeInTheDocument();
    expect(
      within(screen.getByRole('table', { name: 'Schema' })).getByText('PII'),
    ).toBeInTheDocument();
    const cells = within(screen.getByRole('table', { name: 'First rows' }))
      .getAllByRole('cell')
      .map(c => c.textContent);
    expect(cells).toEqual(['2025-03-01', 'ann@example.com', '{"a":1}']);
  });

  it('says when a file has no rows', async () => {
    await renderInTestApp(
      <PreviewView preview={{ ...csv, rows: [], truncated: false }} />,
    );
    expect(screen.getByText('The file has no rows.')).toBeInTheDocument();
  });
});
