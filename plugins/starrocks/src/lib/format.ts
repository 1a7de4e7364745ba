const numberFormat = new Intl.NumberFormat('en-US');

/** `100000` as "100,000". */
export function formatCount(value: number): string {
  return numberFormat.format(value);
}

/** Bytes as people read them: "512 B", "1.5 kB", "12.3 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** A duration: "850 ms", "2.4 s", "3 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A cell as text: NULL as "NULL" (the grid greys it). */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Who ran a query: `user:default/jane` as "jane", `user:ext/jo` as "ext/jo", `token:t1` as "token t1". */
export function formatActor(ref: string): string {
  const token = /^token:(.+)$/i.exec(ref);
  if (token) return `token ${token[1]}`;
  return ref.replace(/^user:/i, '').replace(/^default\//, '');
}

/**
 * What a person types in an actor filter, as the audit route takes it: "jane" is
 * `user:default/jane`, "ext/jo" is `user:ext/jo`; `user:...` and `token:...` stay as typed (the
 * backend names what it does not accept).
 */
export function actorRefOf(text: string): string | undefined {
  const value = text.trim();
  if (!value) return undefined;
  if (/^(user|token):/i.test(value)) return value;
  return value.includes('/') ? `user:${value}` : `user:default/${value}`;
}

// The Akili pages' one way of showing times.
export { formatTimestamp } from '@akili/plugin-akili-react';
