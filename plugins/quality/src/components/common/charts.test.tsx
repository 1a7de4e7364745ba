import { trendSegments } from './charts';
import { trendDays } from '../../__testUtils__/fakeQualityApi';
import { formatMinutes, parseProductRef } from '../../lib/format';

describe('trendSegments', () => {
  it('breaks the line on days without results instead of drawing them as zero', () => {
    const segments = trendSegments(trendDays(10, [0, 4, 5, 9]));
    expect(segments.map(s => s.map(p => p.index))).toEqual([
      [1, 2, 3],
      [6, 7, 8],
    ]);
  });

  it('has no segment without any result', () => {
    expect(trendSegments(trendDays(3, [0, 1, 2]))).toEqual([]);
  });
});

describe('format', () => {
  it('formats durations coarsely', () => {
    expect(formatMinutes(42)).toBe('42 min');
    expect(formatMinutes(200)).toBe('3 h 20 min');
    expect(formatMinutes(3000)).toBe('2 d 2 h');
    expect(formatMinutes(null)).toBe('—');
  });

  it('reads product refs, bare names in the given tenant', () => {
    expect(parseProductRef('dataproduct:acme/orders')).toEqual({
      namespace: 'acme',
      name: 'orders',
    });
    expect(parseProductRef('orders', 'acme')).toEqual({
      namespace: 'acme',
      name: 'orders',
    });
  });
});
