import { ResponseError } from '@backstage/errors';
import {
  auditActionLabel,
  describeAuditDetails,
  errorMessage,
  formatQuotas,
  formatStorageQuota,
  isForbidden,
  quotaError,
  storageQuotaBytes,
  storageQuotaError,
  storageQuotaText,
} from './tenants';

async function responseError(statusCode: number, message: string) {
  const body = JSON.stringify({
    error: { name: 'NotAllowedError', message },
    response: { statusCode },
  });
  return ResponseError.fromResponse({
    status: statusCode,
    statusText: 'Forbidden',
    headers: { get: () => 'application/json' },
    text: async () => body,
  } as unknown as Response);
}

describe('errorMessage and isForbidden', () => {
  it("prefer the server's message and read the status", async () => {
    const error = await responseError(403, 'Not an operator of acme');
    expect(errorMessage(error)).toBe('Not an operator of acme');
    expect(isForbidden(error)).toBe(true);
    expect(errorMessage(new Error('offline'))).toBe('offline');
    expect(isForbidden(new Error('offline'))).toBe(false);
  });
});

describe('formatQuotas', () => {
  it('reads as a sentence with thousands separators', () => {
    expect(
      formatQuotas({ queryRowLimit: 10000, maxConcurrentQueries: 4 }),
    ).toBe('10,000 rows per query, 4 concurrent queries');
    expect(formatQuotas({ queryRowLimit: 5, maxConcurrentQueries: 1 })).toBe(
      '5 rows per query, 1 concurrent query',
    );
  });
});

describe('quotaError', () => {
  it('accepts whole numbers of at least 1', () => {
    expect(quotaError('10')).toBeUndefined();
    expect(quotaError('')).toBe('Required');
    expect(quotaError('0')).toBe('A whole number of at least 1');
    expect(quotaError('2.5')).toBe('A whole number of at least 1');
    expect(quotaError('abc')).toBe('A whole number of at least 1');
  });
});

describe('auditActionLabel', () => {
  it('names known actions and passes others through', () => {
    expect(auditActionLabel('tenant.suspended')).toBe('Suspended');
    expect(auditActionLabel('tenant.renamed')).toBe('tenant.renamed');
  });
});

describe('describeAuditDetails', () => {
  it('reads the changes of an update, field by field', () => {
    expect(
      describeAuditDetails({
        changes: {
          title: { before: 'Old', after: 'New' },
          description: { before: null, after: 'Sales data' },
          'quotas.queryRowLimit': { before: 10000, after: 500 },
        },
      }),
    ).toEqual([
      { kind: 'change', field: 'Title', before: 'Old', after: 'New' },
      {
        kind: 'change',
        field: 'Description',
        before: 'none',
        after: 'Sales data',
      },
      {
        kind: 'change',
        field: 'Query row limit',
        before: '10,000',
        after: '500',
      },
    ]);
  });

  it('lists plain values, nested ones by field', () => {
    expect(
      describeAuditDetails({
        reason: 'unpaid invoice',
        quotas: { queryRowLimit: 10000 },
      }),
    ).toEqual([
      { kind: 'value', field: 'Reason', value: 'unpaid invoice' },
      { kind: 'value', field: 'Query row limit', value: '10,000' },
    ]);
  });

  it('has nothing to say about missing details', () => {
    expect(describeAuditDetails(undefined)).toEqual([]);
    expect(describeAuditDetails({})).toEqual([]);
  });
});

describe('lake storage quota in GB', () => {
  it('is optional, in GB of 1,000,000,000 bytes, positive and at most 2^53 - 1 bytes', () => {
    expect(storageQuotaError('')).toBeUndefined();
    expect(storageQuotaBytes('  ')).toBeUndefined();
    expect(storageQuotaError('0.5')).toBeUndefined();
    expect(storageQuotaBytes('0.5')).toBe(500_000_000);
    expect(storageQuotaBytes('5000')).toBe(5_000_000_000_000);
    expect(storageQuotaBytes('9007199')).toBeLessThanOrEqual(
      Number.MAX_SAFE_INTEGER,
    );
    for (const bad of ['0', '-1', 'abc', 'Infinity']) {
      expect(storageQuotaError(bad)).toBe(
        'A number of GB greater than 0, or empty for no quota',
      );
    }
    expect(storageQuotaError('0.0000000001')).toBe(
      'At least 1 byte (0.000000001 GB)',
    );
    expect(storageQuotaError('9007200')).toBe('At most 9,007,199 GB');
  });

  it('reads back as GB text and for people with its bytes', () => {
    expect(storageQuotaText(undefined)).toBe('');
    expect(storageQuotaText(2_500_000_000)).toBe('2.5');
    expect(formatStorageQuota(undefined)).toBe('No quota');
    expect(formatStorageQuota(5_000_000_000)).toBe(
      '5 GB (5,000,000,000 bytes)',
    );
    expect(formatStorageQuota(1_234_567)).toBe('0.001 GB (1,234,567 bytes)');
  });
});
