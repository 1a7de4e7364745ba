import type {
  TenantAuditAction,
  TenantQuotas,
} from '@akili/plugin-akili-common';

export {
  errorMessage,
  errorStatus,
  isForbidden,
  isNotFound,
} from '@akili/plugin-akili-react';

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

/** Bytes in a GB as the lake counts storage: powers of 1,000 (S3 and the lake's Storage page). */
export const BYTES_PER_GB = 1_000_000_000;

/**
 * Checks a lake storage quota entered in GB: empty is no quota; otherwise a positive number of
 * GB (decimals allowed, e.g. 0.5) that comes to at least one byte and at most what the registry
 * keeps (2^53 - 1 bytes, about 9 PB).
 */
export function storageQuotaError(text: string): string | undefined {
  if (!text.trim()) {
    return undefined;
  }
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    return 'A number of GB greater than 0, or empty for no quota';
  }
  const bytes = Math.round(value * BYTES_PER_GB);
  if (bytes < 1) {
    return 'At least 1 byte (0.000000001 GB)';
  }
  if (bytes > Number.MAX_SAFE_INTEGER) {
    return 'At most 9,007,199 GB';
  }
  return undefined;
}

/** A valid GB text (see {@link storageQuotaError}) as bytes; `undefined` when empty. */
export function storageQuotaBytes(text: string): number | undefined {
  return text.trim() ? Math.round(Number(text) * BYTES_PER_GB) : undefined;
}

/** Bytes as the GB text of the form: `5000000000` is "5", `1500000` is "0.0015". */
export function storageQuotaText(bytes: number | undefined): string {
  return bytes === undefined ? '' : String(bytes / BYTES_PER_GB);
}

/** A storage quota for people: "5 GB (5,000,000,000 bytes)", or "No quota". */
export function formatStorageQuota(bytes: number | undefined): string {
  if (bytes === undefined) {
    return 'No quota';
  }
  const gb = new Intl.NumberFormat('en-US', {
    maximumFractionDigits: 3,
  }).format(bytes / BYTES_PER_GB);
  return `${gb} GB (${formatCount(bytes)} bytes)`;
}

const ACTION_LABELS: Record<TenantAuditAction, string> = {
  'tenant.created': 'Created',
  'tenant.updated': 'Updated',
  'tenant.suspended': 'Suspended',
  'tenant.resumed': 'Resumed',
  'dead-letter.retry-requested': 'Dead letter retry requested',
  'dead-letter.retried': 'Dead letter retried',
  'dead-letter.retry-failed': 'Dead letter retry failed',
  'api-token.issued': 'API token issued',
  'api-token.revoked': 'API token revoked',
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
  'quotas.storageQuotaBytes': 'Lake storage quota (bytes)',
  queryRowLimit: 'Query row limit',
  maxConcurrentQueries: 'Concurrent queries',
  storageQuotaBytes: 'Lake storage quota (bytes)',
  deadLetterId: 'Dead letter',
  topic: 'Topic',
  eventId: 'Event',
  eventType: 'Event type',
  tokenId: 'Token',
  permissions: 'Permissions',
  expiresAt: 'Expires',
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

/** Plain values of an audit entry, nested objects (quotas) field by field. */
function valueLines(details: Json, prefix = ''): AuditDetailLine[] {
  return Object.entries(details).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return isRecord(value)
      ? valueLines(value, path)
      : [
          {
            kind: 'value' as const,
            field: fieldLabel(path),
            value: formatValue(value),
          },
        ];
  });
}

/**
 * The details of an audit entry as lines people can read: a field changed from one value to
 * another ("Query row limit: 10,000 → 500", from `changes`, see `TenantAuditEntry`), or a plain
 * value ("Reason: unpaid invoice").
 */
export function describeAuditDetails(
  details: Record<string, unknown> | undefined,
): AuditDetailLine[] {
  if (!isRecord(details)) {
    return [];
  }
  const { changes, ...values } = details;
  const changeLines: AuditDetailLine[] = isRecord(changes)
    ? Object.entries(changes).map(([path, change]) => {
        const { before, after } = isRecord(change) ? change : ({} as Json);
        return {
          kind: 'change',
          field: fieldLabel(path),
          before: formatValue(before),
          after: formatValue(after),
        };
      })
    : [];
  return [...changeLines, ...valueLines(values)];
}

/** A user entity ref as people read it: `user:default/jane` is "jane"; `system` stays. */
export function formatUser(ref: string): string {
  return ref.replace(/^user:/i, '').replace(/^default\//, '');
}

const DEAD_LETTER_REASONS: Record<string, string> = {
  'invalid-json': 'Not JSON',
  'invalid-event': 'Not a valid event',
  'tenant-mismatch': 'Event of another tenant',
  'handler-failed': 'Consumer failed',
};

/** Why a consumer gave up on a message, in words: `handler-failed` is "Consumer failed". */
export function deadLetterReasonLabel(reason: string): string {
  return DEAD_LETTER_REASONS[reason] ?? reason;
}
