import { mockServices } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import {
  QueryCancelledError,
  QueryTimeoutError,
  tooManyQueriesError,
} from '../engine/errors';
import { outcomeOfError, QueryAuditor } from './QueryAuditor';
import { QueryAuditRecord, QueryAuditStore } from './QueryAuditStore';

function setUp(record: (entry: QueryAuditRecord) => Promise<void>) {
  const logger = mockServices.logger.mock();
  const store = { record: jest.fn(record) } as unknown as QueryAuditStore;
  const auditor = new QueryAuditor({ store, logger });
  return { logger, store, auditor };
}

const query = { tenant: 'acme', actorRef: 'user:default/carol' };

describe('QueryAuditor', () => {
  it('records one entry per query, when it ended, with what it read', async () => {
    const written: QueryAuditRecord[] = [];
    const { auditor } = setUp(async entry => {
      written.push(entry);
    });
    const audit = auditor.begin({ ...query, statement: 'SELECT 1' });
    audit.reads(['default_catalog.acme.orders'], ['dataproduct:acme/orders']);
    expect(written).toEqual([]);
    audit.succeeded({ rowCount: 2, bytes: 10 });
    // Only the first ending counts.
    audit.failed(new Error('late'));
    await auditor.flush();
    expect(written).toEqual([
      {
        id: audit.id,
        ...query,
        statement: 'SELECT 1',
        tables: ['default_catalog.acme.orders'],
        products: ['dataproduct:acme/orders'],
        outcome: 'succeeded',
        rowCount: 2,
        bytes: 10,
        durationMs: expect.any(Number),
        startedAt: expect.any(String),
      },
    ]);
  });

  it('logs a write that failed, with the whole entry, and does not throw', async () => {
    const { auditor, logger } = setUp(async () => {
      throw new Error('database is down');
    });
    const audit = auditor.begin({ ...query, statement: 'SELECT 2' });
    expect(() => audit.refused('Query refused: no')).not.toThrow();
    await auditor.flush();
    expect(logger.error).toHaveBeenCalledWith(
      'Could not write a query audit entry',
      {
        tenant: 'acme',
        queryId: audit.id,
        actor: 'user:default/carol',
        outcome: 'refused',
        statement: 'SELECT 2',
        error: 'database is down',
      },
    );
  });

  it('tells the outcome from the error', () => {
    expect(outcomeOfError(new QueryCancelledError('x'))).toBe('cancelled');
    expect(outcomeOfError(new QueryTimeoutError('x'))).toBe('timeout');
    expect(outcomeOfError(tooManyQueriesError('acme', 4, 4))).toBe('refused');
    expect(outcomeOfError(new InputError('x'))).toBe('failed');
    expect(outcomeOfError('text')).toBe('failed');
  });
});
