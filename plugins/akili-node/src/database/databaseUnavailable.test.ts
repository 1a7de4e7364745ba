import { createServer } from 'node:net';
import { ConflictError, ServiceUnavailableError } from '@backstage/errors';
import knexFactory from 'knex';
import { toDatabaseUnavailableError } from './databaseUnavailable';
import { TenantScopedDatabase } from './TenantScopedDatabase';

const withCode = (code: string, message = 'x') =>
  Object.assign(new Error(message), { code });

describe('toDatabaseUnavailableError', () => {
  it.each([
    [
      withCode('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.5:5432'),
      'ECONNREFUSED',
    ],
    [
      withCode('57P01', 'terminating connection due to administrator command'),
      '57P01 the server was shut down',
    ],
    [
      withCode('57P03', 'the database system is starting up'),
      '57P03 the server is starting up or shutting down',
    ],
    [withCode('08006'), '08006 connection exception'],
    [new Error('Connection terminated unexpectedly'), 'connection lost'],
    [
      Object.assign(
        new Error(
          'Knex: Timeout acquiring a connection. The pool is probably full.',
        ),
        { name: 'KnexTimeoutError' },
      ),
      'no connection within the pool timeout',
    ],
    [
      Object.assign(new AggregateError([withCode('ECONNREFUSED')]), {}),
      'ECONNREFUSED',
    ],
  ])('maps %p to a 503 naming the database', (error, reason) => {
    const mapped = toDatabaseUnavailableError(error);
    expect(mapped).toBeInstanceOf(ServiceUnavailableError);
    expect((mapped as Error).message).toBe(
      `The database (PostgreSQL) is unavailable (${reason}); try again shortly`,
    );
    // The database's address stays in the logs, not in the answer.
    expect((mapped as Error).message).not.toContain('10.0.0.5');
  });

  it('leaves other errors alone', () => {
    const unique = withCode('23505', 'duplicate key value');
    const conflict = new ConflictError('taken');
    expect(toDatabaseUnavailableError(unique)).toBe(unique);
    expect(toDatabaseUnavailableError(conflict)).toBe(conflict);
    expect(toDatabaseUnavailableError('text')).toBe('text');
  });

  it('is what a tenant transaction fails with when PostgreSQL refuses connections', async () => {
    // A port nothing listens on.
    const port = await new Promise<number>(resolve => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = server.address() as { port: number };
        server.close(() => resolve(p));
      });
    });
    const knex = knexFactory({
      client: 'pg',
      connection: { host: '127.0.0.1', port, user: 'nobody', database: 'none' },
      pool: { min: 0, max: 1 },
    });
    try {
      const db = TenantScopedDatabase.create(knex);
      await expect(db.withTenant('acme', async () => 1)).rejects.toThrow(
        new ServiceUnavailableError(
          'The database (PostgreSQL) is unavailable (ECONNREFUSED); try again shortly',
        ),
      );
      await expect(db.withPlatformScope(async () => 1)).rejects.toBeInstanceOf(
        ServiceUnavailableError,
      );
    } finally {
      await knex.destroy();
    }
  });
});
