import { ResponseError } from '@backstage/errors';
import {
  auditActionLabel,
  describeAuditDetails,
  errorMessage,
  formatQuotas,
  isForbidden,
  quotaError,
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
