// Times as the Akili pages show them: in the reader's time zone, relative in the text ("5 minutes
// ago") or absolute, and always the absolute time with its zone on hover ("2026-12-04 01:45:17
// UTC+01:00 (Europe/Paris)").

const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** A time as the APIs give it (ISO 8601 text), a `Date` or epoch milliseconds. */
export type TimeValue = string | number | Date;

function toDate(value: TimeValue): Date | undefined {
  const date =
    value instanceof Date
      ? value
      : new Date(typeof value === 'string' ? Date.parse(value) : value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The time zone the reader's browser is in, e.g. `Europe/Paris` (`UTC` when unknown). */
export function browserTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
}

/**
 * A point in time relative to `now` (epoch ms): "just now" within 45 s, then minutes, hours
 * and days ("5 minutes ago", "yesterday"); the absolute time beyond a month. Text that is not a
 * time comes back unchanged.
 */
export function formatRelative(
  value: TimeValue,
  now: number,
  timeZone?: string,
): string {
  const date = toDate(value);
  if (!date) {
    return String(value);
  }
  const seconds = Math.round((date.getTime() - now) / 1000);
  if (Math.abs(seconds) < 45) {
    return 'just now';
  }
  const minutes = Math.round(seconds / 60);
  if (Math.abs(minutes) < 60) {
    return relativeFormat.format(minutes, 'minute');
  }
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 24) {
    return relativeFormat.format(hours, 'hour');
  }
  const days = Math.round(hours / 24);
  if (Math.abs(days) < 30) {
    return relativeFormat.format(days, 'day');
  }
  return formatTimestamp(date, timeZone);
}

/**
 * A timestamp in the reader's locale and time zone (or `timeZone`), to the second; other text
 * unchanged.
 */
export function formatTimestamp(value: TimeValue, timeZone?: string): string {
  const date = toDate(value);
  if (!date) {
    return String(value);
  }
  return date.toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'medium',
    timeZone,
  });
}

/** A day in the reader's locale and time zone (or `timeZone`); other text unchanged. */
export function formatDate(value: TimeValue, timeZone?: string): string {
  const date = toDate(value);
  if (!date) {
    return String(value);
  }
  return date.toLocaleDateString(undefined, { dateStyle: 'medium', timeZone });
}

/**
 * A time of day to the millisecond, 24-hour, in the reader's time zone (or `timeZone`), as log
 * lines show it: `14:05:17.042`; other text unchanged.
 */
export function formatTimeOfDay(value: TimeValue, timeZone?: string): string {
  const date = toDate(value);
  if (!date) {
    return String(value);
  }
  const parts = zonedParts(date, timeZone ?? browserTimeZone());
  return `${parts.hour}:${parts.minute}:${parts.second}.${String(
    date.getUTCMilliseconds(),
  ).padStart(3, '0')}`;
}

function zonedParts(date: Date, timeZone: string): Record<string, string> {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'longOffset',
  }).formatToParts(date);
  return Object.fromEntries(parts.map(part => [part.type, part.value]));
}

/**
 * The exact time with its zone, for hovers: `2026-12-04 01:45:17 UTC+01:00 (Europe/Paris)`, in
 * the reader's time zone unless `timeZone` is given; other text unchanged.
 */
export function formatAbsoluteTime(
  value: TimeValue,
  timeZone?: string,
): string {
  const date = toDate(value);
  if (!date) {
    return String(value);
  }
  const zone = timeZone ?? browserTimeZone();
  const parts = zonedParts(date, zone);
  // "GMT+01:00", or "GMT" for UTC itself.
  const offset = (parts.timeZoneName ?? 'GMT').replace(/^GMT/, 'UTC');
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${
    parts.minute
  }:${parts.second} ${offset === 'UTC' ? 'UTC+00:00' : offset} (${zone})`;
}
