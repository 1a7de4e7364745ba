import { formatBytes, formatGrowth, formatPercent } from './format';

describe('format', () => {
  it('formats sizes in powers of 1,000', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1_500)).toBe('1.5 KB');
    expect(formatBytes(1_500_000)).toBe('1.5 MB');
    expect(formatBytes(65_536)).toBe('65.5 KB');
    expect(formatBytes(123_456_789)).toBe('123 MB');
    expect(formatBytes(2_000_000_000_000)).toBe('2 TB');
    expect(formatBytes(-20_000_000)).toBe('-20 MB');
  });

  it('formats growth and shares', () => {
    expect(formatGrowth(undefined)).toBe('—');
    expect(formatGrowth(0)).toBe('no change');
    expect(formatGrowth(4_200_000_000)).toBe('+4.2 GB');
    expect(formatPercent(0.854)).toBe('85 %');
  });
});
