import type { OutputPortLocation } from '@akili/plugin-akili-common';

/**
 * An output port location as people read it: `iceberg_acme.sales.orders`,
 * `s3://bucket/prefix`, `kafka: topic`.
 */
export function formatLocation(
  location: OutputPortLocation | undefined,
): string {
  if (location?.table) {
    const { catalog, database, table } = location.table;
    return [catalog, database, table].filter(Boolean).join('.');
  }
  if (location?.s3) {
    const prefix = (location.s3.prefix ?? '').replace(/^\/+/, '');
    return `s3://${location.s3.bucket}/${prefix}`;
  }
  if (location?.kafka) {
    return `kafka: ${location.kafka.topic}`;
  }
  return 'not set';
}

/** The data format of a location (`parquet`, `avro`, ...), when the manifest says. */
export function locationFormat(
  location: OutputPortLocation | undefined,
): string | undefined {
  return location?.s3?.format ?? location?.kafka?.format;
}

/** The parts of an ISO 8601 duration. */
export interface DurationParts {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const ISO_DURATION =
  /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Parses an ISO 8601 duration such as `PT2H` or `P1DT30M`; undefined when it is not one. */
export function parseIsoDuration(text: string): DurationParts | undefined {
  const trimmed = text.trim().toUpperCase();
  const match = ISO_DURATION.exec(trimmed);
  // `P` and `PT` alone match the pattern but say nothing.
  if (!match || trimmed === 'P' || trimmed.endsWith('T')) {
    return undefined;
  }
  const n = (i: number) => (match[i] ? Number(match[i]) : 0);
  return {
    years: n(1),
    months: n(2),
    weeks: n(3),
    days: n(4),
    hours: n(5),
    minutes: n(6),
    seconds: n(7),
  };
}

const UNITS: Array<[keyof DurationParts, string]> = [
  ['years', 'year'],
  ['months', 'month'],
  ['weeks', 'week'],
  ['days', 'day'],
  ['hours', 'hour'],
  ['minutes', 'minute'],
  ['seconds', 'second'],
];

/**
 * An ISO 8601 duration in words: `PT2H` is "2 hours", `P1DT30M` "1 day 30 minutes".
 * Text that is not a duration comes back unchanged.
 */
export function formatDuration(iso: string): string {
  const parts = parseIsoDuration(iso);
  if (!parts) {
    return iso;
  }
  const words = UNITS.filter(([key]) => parts[key] > 0).map(
    ([key, unit]) => `${parts[key]} ${unit}${parts[key] === 1 ? '' : 's'}`,
  );
  return words.length > 0 ? words.join(' ') : '0 seconds';
}

/** An availability target as a percentage: `99.5%`. */
export function formatPercent(target: number): string {
  return `${target}%`;
}

/** A Dagster asset key path as Dagster shows it: `sales/orders`. */
export function formatAssetKey(key: string[]): string {
  return key.join('/');
}

const pad = (value: string) => value.padStart(2, '0');
const WEEKDAYS = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
];
const isNumber = (value: string) => /^\d+$/.test(value);

/**
 * A cron schedule in words for the common shapes (hourly, daily, weekly, every N minutes);
 * anything else is shown as the expression. The time zone defaults to UTC.
 */
export function describeSchedule(cron: string, timezone?: string): string {
  const tz = timezone || 'UTC';
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `${cron} (${tz})`;
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields;
  const everyDay = dayOfMonth === '*' && month === '*';
  const everyN = /^\*\/(\d+)$/.exec(minute);
  if (everyN && hour === '*' && everyDay && dayOfWeek === '*') {
    return `every ${everyN[1]} minutes`;
  }
  if (isNumber(minute) && hour === '*' && everyDay && dayOfWeek === '*') {
    return `hourly at minute ${Number(minute)}`;
  }
  if (isNumber(minute) && isNumber(hour) && everyDay) {
    const time = `${pad(hour)}:${pad(minute)} ${tz}`;
    if (dayOfWeek === '*') {
      return `daily at ${time}`;
    }
    if (isNumber(dayOfWeek) && Number(dayOfWeek) <= 7) {
      return `weekly on ${WEEKDAYS[Number(dayOfWeek) % 7]} at ${time}`;
    }
  }
  return `${cron} (${tz})`;
}
