const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/**
 * A size for people: `512 B`, `1.5 KB`, `23 MB`, `1.2 TB` (powers of 1,000, as S3 and the
 * storage quota count); a negative size (growth) keeps its sign.
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  let digits = 2;
  if (unit === 0 || value >= 100) digits = 0;
  else if (value >= 10) digits = 1;
  const text = value.toFixed(digits).replace(/\.0+$|(\.\d*?)0+$/, '$1');
  return `${sign}${text} ${BYTE_UNITS[unit]}`;
}

/** Growth over a period: `+1.2 GB`, `-300 MB`, `no change`; `—` when unknown. */
export function formatGrowth(bytes: number | undefined): string {
  if (bytes === undefined) return '—';
  if (bytes === 0) return 'no change';
  return bytes > 0 ? `+${formatBytes(bytes)}` : formatBytes(bytes);
}

/** A count with thousands separators: `100,000`. */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

/** A share as a whole percentage, `0 %` to `100 %` and beyond. */
export function formatPercent(share: number): string {
  return `${Math.round(share * 100)} %`;
}

/** A preview cell: JSON values as text, objects as JSON. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
