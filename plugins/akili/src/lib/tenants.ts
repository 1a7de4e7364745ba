import { ResponseError } from '@backstage/errors';
import type {
  TenantAuditAction,
  TenantQuotas,
} from '@akili/plugin-akili-common';

/**
 * What went wrong, as people read it: the server's own message for a `ResponseError`
 * ("Tenant acme already exists") rather than "Request failed with 409 Conflict".
 */
export function errorMessage(error: unknown): string {
  if (error instanceof ResponseError) {
    return error.cause?.message || error.message;
  }
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}

/** The HTTP status of a failed API call, when it was one. */
export function errorStatus(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Whether the backend refused the call to this user (403). */
export function isForbidden(error: unknown): boolean {
  return errorStatus(error) === 403;
}

/** Whether the backend does not know the thing asked for, or hides it (404). */
export function isNotFound(error: unknown): boolean {
  return errorStatus(error) === 404;
}

const numberFormat = new Intl.NumberFormat('en-US');

/** `10000` as "10,000". */
export function formatCount(value: number): string {
  return numberFormat.format(value);
}

/** A tenant's quotas in one line: "10,000 rows per query, 4 concurrent queries". */
export function formatQuotas(quotas: TenantQuotas): string {
  return `${formatCount(quotas.queryRowLimit)} rows per query, ${formatCount(
    quotas.maxConcurrentQueries,
  )} concurrent ${quotas.maxConcurrentQueries === 1 ? 'query' : 'queries'}`;
}

/**
 * A timestamp in the reader's locale and time zone ("12 Mar 2025, 14:05"); text that is not
 * a date comes back unchanged.
 */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  return date.toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

/** Checks a quota entered in a form: a whole number of at least 1. */
export function quotaError(text: string): string | undefined {
  if (!text.trim()) {
    return 'Required';
  }
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    return 'A whole number of at least 1';
  }
  return undefined;
}

const ACTION_LABELS: Record<TenantAuditAction, string> = {
  'tenant.created': 'Created',
  'tenant.updated': 'Updated',
  'tenant.suspended': 'Suspended',
  'tenant.resumed': 'Resumed',
};

/** An audit action as a word: `tenant.suspended` is "Suspended". */
export function auditActionLabel(action: string): string {
  return ACTION_LABELS[action as TenantAuditAction] ?? action;
}

const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  title: 'Title',
  description: 'Description',
  status: 'Status',
  reason: 'Reason',
  suspendedReason: 'Reason',
  quotas: 'Quotas',
  'quotas.queryRowLimit': 'Query row limit',
  'quotas.maxConcurrentQueries': 'Concurrent queries',
  queryRowLimit: 'Query row limit',
  maxConcurrentQueries: 'Concurrent queries',
};

/** One line of an audit entry's details: a changed field, or a plain value. */
export type AuditDetailLine =
  | { kind: 'change'; field: string; before: string; after: string }
  | { kind: 'value'; field: string; value: string };

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fieldLabel(path: string): string {
  return FIELD_LABELS[path] ?? FIELD_LABELS[path.split('.').pop()!] ?? path;
}

function formatValue(value: unknown): string {
  if (value === undefined || value === null || value === '') {
    return 'none';
  }
  if (typeof value === 'number') {
    return formatCount(value);
  }
  if (Array.isArray(value)) {
    return value.map(formatValue).join(', ');
  }
  if (isRecord(value)) {
    return Object.entries(value)
      .map(([key, inner]) => `${fieldLabel(key)}: ${formatValue(inner)}`)
      .join(', ');
  }
  return String(value);
}

/** `{ quotas: { a: 1 } }` as `{ 'quotas.a': 1 }`. */
function flatten(value: Json, prefix = ''): Json {
  const out: Json = {};
  for (const [key, inner] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isRecord(inner)) {
      Object.assign(out, flatten(inner, path));
    } else {
      out[path] = inner;
    }
  }
  return out;
}

/** `{ before, after }` or `{ from, to }`: the change of one field. */
function asChange(
  value: unknown,
): { before: unknown; after: unknown } | undefined {
  if (!isRecord(value)) {
    return undefined;
  }
  const keys = Object.keys(value);
  if (
    keys.length > 0 &&
    keys.every(key => key === 'before' || key === 'after')
  ) {
    return { before: value.before, after: value.after };
  }
  if (keys.length > 0 && keys.every(key => key === 'from' || key === 'to')) {
    return { before: value.from, after: value.to };
  }
  return undefined;
}

function changeLines(before: Json, after: Json): AuditDetailLine[] {
  const flatBefore = flatten(before);
  const flatAfter = flatten(after);
  const fields = [
    ...new Set([...Object.keys(flatBefore), ...Object.keys(flatAfter)]),
  ];
  return fields
    .filter(
      field =>
        JSON.stringify(flatBefore[field]) !== JSON.stringify(flatAfter[field]),
    )
    .map(field => ({
      kind: 'change',
      field: fieldLabel(field),
      before: formatValue(flatBefore[field]),
      after: formatValue(flatAfter[field]),
    }));
}

function detailLines(details: Json, prefix = ''): AuditDetailLine[] {
  const lines: AuditDetailLine[] = [];
  for (const [key, value] of Object.entries(details)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const change = asChange(value);
    if (change) {
      if (isRecord(change.before) || isRecord(change.after)) {
        lines.push(
          ...changeLines(
            { [path]: isRecord(change.before) ? change.before : {} },
            { [path]: isRecord(change.after) ? change.after : {} },
          ),
        );
      } else {
        lines.push({
          kind: 'change',
          field: fieldLabel(path),
          before: formatValue(change.before),
          after: formatValue(change.after),
        });
      }
    } else if (isRecord(value)) {
      lines.push(...detailLines(value, path));
    } else {
      lines.push({
        kind: 'value',
        field: fieldLabel(path),
        value: formatValue(value),
      });
    }
  }
  return lines;
}

/**
 * The details of an audit entry as lines people can read: a field changed from one value to
 * another ("Query row limit: 10,000 → 500"), or a plain value ("Reason: unpaid invoice").
 *
 * @remarks
 *
 * Accepts the shapes an audit trail commonly records: `{ before: {...}, after: {...} }` (only
 * the fields that differ are shown), `{ changes: { field: { before, after } } }`, per-field
 * `{ before, after }` or `{ from, to }` pairs, and plain values. Nested objects such as
 * `quotas` are read field by field.
 */
export function describeAuditDetails(
  details: Record<string, unknown> | undefined,
): AuditDetailLine[] {
  if (!isRecord(details)) {
    return [];
  }
  const { before, after, changes, ...rest } = details;
  const lines: AuditDetailLine[] = [];
  if (isRecord(before) || isRecord(after)) {
    lines.push(
      ...changeLines(
        isRecord(before) ? before : {},
        isRecord(after) ? after : {},
      ),
    );
  } else if (before !== undefined || after !== undefined) {
    rest.before = before;
    rest.after = after;
  }
  if (isRecord(changes)) {
    lines.push(...detailLines(changes));
  } else if (changes !== undefined) {
    rest.changes = changes;
  }
  lines.push(...detailLines(rest));
  return lines;
}

/** A user entity ref as people read it: `user:default/jane` is "jane"; `system` stays. */
export function formatUser(ref: string): string {
  return ref.replace(/^user:/i, '').replace(/^default\//, '');
}
