import {
  describeSchedule,
  formatAssetKey,
  formatDuration,
  formatLocation,
  locationFormat,
  parseIsoDuration,
} from './format';

describe('formatLocation', () => {
  it('joins catalog, database and table of a table location', () => {
    expect(
      formatLocation({
        table: { catalog: 'iceberg_acme', database: 'sales', table: 'orders' },
      }),
    ).toBe('iceberg_acme.sales.orders');
  });

  it('leaves the catalog out for the internal catalog', () => {
    expect(
      formatLocation({ table: { database: 'sales', table: 'orders' } }),
    ).toBe('sales.orders');
  });

  it('writes an s3 URL without doubled slashes', () => {
    expect(
      formatLocation({
        s3: {
          bucket: 'acme-lake',
          prefix: '/exports/orders/',
          format: 'parquet',
        },
      }),
    ).toBe('s3://acme-lake/exports/orders/');
  });

  it('names the kafka topic', () => {
    expect(formatLocation({ kafka: { topic: 'acme.web.events' } })).toBe(
      'kafka: acme.web.events',
    );
  });

  it('says so when no location is set', () => {
    expect(formatLocation({})).toBe('not set');
    expect(formatLocation(undefined)).toBe('not set');
  });

  it('reads the data format of files and topics', () => {
    expect(
      locationFormat({ s3: { bucket: 'b', prefix: 'p', format: 'parquet' } }),
    ).toBe('parquet');
    expect(locationFormat({ kafka: { topic: 't', format: 'avro' } })).toBe(
      'avro',
    );
    expect(
      locationFormat({ table: { database: 'd', table: 't' } }),
    ).toBeUndefined();
  });
});

describe('durations', () => {
  it('parses ISO 8601 durations', () => {
    expect(parseIsoDuration('P1DT2H30M')).toEqual({
      years: 0,
      months: 0,
      weeks: 0,
      days: 1,
      hours: 2,
      minutes: 30,
      seconds: 0,
    });
    expect(parseIsoDuration('2 hours')).toBeUndefined();
    expect(parseIsoDuration('P')).toBeUndefined();
    expect(parseIsoDuration('PT')).toBeUndefined();
  });

  it('puts durations in words', () => {
    expect(formatDuration('PT2H')).toBe('2 hours');
    expect(formatDuration('PT1H')).toBe('1 hour');
    expect(formatDuration('PT15M')).toBe('15 minutes');
    expect(formatDuration('P1DT12H')).toBe('1 day 12 hours');
    expect(formatDuration('P2W')).toBe('2 weeks');
    expect(formatDuration('PT0S')).toBe('0 seconds');
  });

  it('returns text that is not a duration unchanged', () => {
    expect(formatDuration('soon')).toBe('soon');
  });
});

describe('describeSchedule', () => {
  it('describes common cron shapes in words', () => {
    expect(describeSchedule('*/15 * * * *')).toBe('every 15 minutes');
    expect(describeSchedule('5 * * * *')).toBe('hourly at minute 5');
    expect(describeSchedule('30 2 * * *', 'Europe/Berlin')).toBe(
      'daily at 02:30 Europe/Berlin',
    );
    expect(describeSchedule('0 6 * * 1')).toBe('weekly on Monday at 06:00 UTC');
    expect(describeSchedule('0 6 * * 7')).toBe('weekly on Sunday at 06:00 UTC');
  });

  it('shows other expressions as they are, with the time zone', () => {
    expect(describeSchedule('0 6 1 * *')).toBe('0 6 1 * * (UTC)');
    expect(describeSchedule('@daily')).toBe('@daily (UTC)');
  });
});

describe('formatAssetKey', () => {
  it('joins the path with slashes', () => {
    expect(formatAssetKey(['sales', 'orders'])).toBe('sales/orders');
  });
});
