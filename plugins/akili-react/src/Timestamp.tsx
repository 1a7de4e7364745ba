import type { ReactNode } from 'react';
import {
  formatAbsoluteTime,
  formatDate,
  formatRelative,
  formatTimeOfDay,
  formatTimestamp,
  TimeValue,
} from './time';

/** The props of {@link Timestamp}. */
export interface TimestampProps {
  /** The time: ISO 8601 text as the APIs give it, a `Date` or epoch milliseconds. */
  value: TimeValue | null | undefined;
  /**
   * How the text shows it: `datetime` (default, "4 Dec 2026, 02:45:17"), `relative`
   * ("5 minutes ago"), `date` ("4 Dec 2026") or `time` (a time of day to the millisecond,
   * "02:45:17.042", for log lines).
   */
  format?: 'datetime' | 'relative' | 'date' | 'time';
  /** "Now" for `relative`, in epoch milliseconds (default: the time of rendering). */
  now?: number;
  /** The IANA time zone to show it in (default: the browser's). */
  timeZone?: string;
  /** What to show when there is no time (default: `—`). */
  fallback?: ReactNode;
}

/**
 * A point in time in the reader's time zone, in a `<time>` element whose hover shows the
 * absolute time with its zone ("2026-12-04 01:45:17 UTC+01:00 (Europe/Paris)"). Text that is not
 * a time is shown as it is.
 */
export const Timestamp = (props: TimestampProps) => {
  const { value, format = 'datetime', timeZone } = props;
  if (value === undefined || value === null || value === '') {
    return <>{props.fallback ?? '—'}</>;
  }
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    return <>{String(value)}</>;
  }
  let text: string;
  switch (format) {
    case 'relative':
      text = formatRelative(date, props.now ?? Date.now(), timeZone);
      break;
    case 'date':
      text = formatDate(date, timeZone);
      break;
    case 'time':
      text = formatTimeOfDay(date, timeZone);
      break;
    case 'datetime':
    default:
      text = formatTimestamp(date, timeZone);
  }
  return (
    <time
      // The time as the API gave it; a Date or epoch milliseconds in ISO 8601.
      dateTime={typeof value === 'string' ? value : date.toISOString()}
      title={formatAbsoluteTime(date, timeZone)}
    >
      {text}
    </time>
  );
};
