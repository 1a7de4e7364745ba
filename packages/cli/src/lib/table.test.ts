import { MAX_COLUMN_WIDTH, fitCell, renderTable } from './table';

describe('renderTable', () => {
  it('pads columns to the widest value, cut at the bound with an ellipsis', () => {
    const long = 'y'.repeat(MAX_COLUMN_WIDTH + 10);
    expect(
      renderTable(
        ['id', 'note'],
        [
          ['1', 'short'],
          ['22', long],
        ],
      ),
    ).toEqual([
      `id  note`,
      `1   short`,
      `22  ${'y'.repeat(MAX_COLUMN_WIDTH - 1)}…`,
    ]);
  });

  it('shows control characters as spaces, so data cannot break rows or drive the terminal', () => {
    expect(fitCell('a\nb\u001b[31mc', 10)).toBe('a b [31mc ');
  });
});
