// Times as the Akili pages show them: relative in the text ("5 minutes ago"), absolute in the
// reader's locale and time zone on hover.

const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/**
 * A point in time relative to `now` (epoch ms): "just now" within 45 s, then minutes, hours
 * and days ("5 minutes ago", "yesterday"); the absolute time beyond a month. Text that is not a
 * time comes back unchanged.
 */
export function formatRelative(iso: string, now: number): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) {
    return iso;
  }
  const seconds = Math.round((time - now) / 1000);
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
  return formatTimestamp(iso);
}

/** A timestamp in the reader's locale and time zone, to the second; other text unchanged. */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  return date.toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'medium',
  });
}
