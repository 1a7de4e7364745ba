import {
  createdAfter,
  filtersToQuery,
  formatDuration,
  formatRelative,
  parseLaunchedBy,
  parseProductRef,
  parseStatuses,
  parseTimeRange,
  runDurationMs,
} from './runs';

describe('runs helpers', () => {
  it('formats durations from seconds to days', () => {
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(4_250)).toBe('4.2s');
    expect(formatDuration(42_000)).toBe('42s');
    expect(formatDuration(65_000)).toBe('1m 05s');
    expect(formatDuration(3_723_000)).toBe('1h 02m');
    expect(formatDuration(26 * 3_600_000)).toBe('1d 2h');
  });

  it('counts the duration of a run in flight on from its start', () => {
    const now = Date.parse('2025-03-01T10:10:00Z');
    expect(
      runDurationMs(
        {
          status: 'STARTED',
          startedAt: '2025-03-01T10:00:00Z',
          durationMs: 1_000,
        },
        now,
      ),
    ).toBe(600_000);
    expect(
      runDurationMs(
        {
          status: 'SUCCESS',
          startedAt: '2025-03-01T10:00:00Z',
          endedAt: '2025-03-01T10:01:00Z',
          durationMs: 60_000,
        },
        now,
      ),
    ).toBe(60_000);
    expect(runDurationMs({ status: 'QUEUED' }, now)).toBeUndefined();
  });

  it('tells users, schedules and sensors apart', () => {
    expect(parseLaunchedBy('user:default/jane')).toEqual({
      kind: 'user',
      ref: 'user:default/jane',
    });
    expect(parseLaunchedBy('schedule:daily')).toEqual({
      kind: 'schedule',
      name: 'daily',
    });
    expect(parseLaunchedBy('sensor:s3:new')).toEqual({
      kind: 'sensor',
      name: 's3:new',
    });
    expect(parseLaunchedBy('backfill')).toEqual({
      kind: 'other',
      text: 'backfill',
    });
    expect(parseLaunchedBy(undefined)).toBeUndefined();
  });

  it('parses product refs, statuses and time ranges from URLs', () => {
    expect(parseProductRef('dataproduct:acme/orders')).toEqual({
      namespace: 'acme',
      name: 'orders',
    });
    expect(parseProductRef('orders')).toBeUndefined();
    expect(parseStatuses('success,FAILURE,bogus')).toEqual([
      'SUCCESS',
      'FAILURE',
    ]);
    expect(parseTimeRange('7d')).toBe('7d');
    expect(parseTimeRange('1y')).toBe('all');
  });

  it('turns filters into the backend query', () => {
    const now = Date.parse('2025-03-02T00:00:00Z');
    expect(createdAfter('24h', now)).toBe('2025-03-01T00:00:00.000Z');
    expect(
      filtersToQuery({ statuses: [], range: 'all', job: '' }, now),
    ).toEqual({
      statuses: undefined,
      createdAfter: undefined,
      product: undefined,
      job: undefined,
    });
  });

  it('says how long ago in words', () => {
    const now = Date.parse('2025-03-02T12:00:00Z');
    expect(formatRelative('2025-03-02T11:59:30Z', now)).toBe('just now');
    expect(formatRelative('2025-03-02T11:55:00Z', now)).toBe('5 minutes ago');
    expect(formatRelative('2025-03-01T12:00:00Z', now)).toBe('yesterday');
  });
});
