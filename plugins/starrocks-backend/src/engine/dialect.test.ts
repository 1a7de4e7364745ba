import {
  isDuplicateColumnError,
  isWrappable,
  leadingKeyword,
  mariadbDialect,
  starrocksDialect,
  trimStatement,
} from './dialect';

const limits = { maxRows: 1000, timeoutSeconds: 30 };

describe('starrocksDialect', () => {
  it('wraps a query with the row cap plus one and a SET_VAR hint after the outer SELECT', () => {
    expect(
      starrocksDialect.limitStatement('SELECT * FROM sales.orders;', limits),
    ).toBe(
      'SELECT /*+ SET_VAR(query_timeout = 30) */ * FROM (\nSELECT * FROM sales.orders\n) AS _akili_q LIMIT 1001',
    );
  });

  it('wraps a WITH query and keeps a trailing line comment off the closing parenthesis', () => {
    expect(
      starrocksDialect.limitStatement(
        'WITH t AS (SELECT 1 AS x) SELECT x FROM t -- the end',
        { maxRows: 5, timeoutSeconds: 7 },
      ),
    ).toBe(
      'SELECT /*+ SET_VAR(query_timeout = 7) */ * FROM (\nWITH t AS (SELECT 1 AS x) SELECT x FROM t -- the end\n) AS _akili_q LIMIT 6',
    );
  });

  it('leaves SHOW and DESC unwrapped; the session timeout covers them', () => {
    expect(starrocksDialect.limitStatement('SHOW TABLES ;', limits)).toBe(
      'SHOW TABLES',
    );
    expect(starrocksDialect.sessionSetup(limits)).toEqual([
      'SET query_timeout = 30',
    ]);
  });

  it('kills a query by connection id', () => {
    expect(starrocksDialect.killQuery(42)).toBe('KILL QUERY 42');
    expect(() => starrocksDialect.killQuery(-1)).toThrow('not a connection id');
  });

  it('runs as the end user without revert, refusing names that could break out of the quotes', () => {
    expect(starrocksDialect.executeAs('jane.doe@acme.example')).toBe(
      "EXECUTE AS 'jane.doe@acme.example' WITH NO REVERT",
    );
    expect(() => starrocksDialect.executeAs("x' WITH NO REVERT; --")).toThrow(
      'cannot run as',
    );
  });

  it('refuses limits that are not positive whole numbers', () => {
    expect(() =>
      starrocksDialect.limitStatement('SELECT 1', {
        maxRows: 0,
        timeoutSeconds: 1,
      }),
    ).toThrow('maxRows must be a positive whole number');
    expect(() =>
      starrocksDialect.limitStatement('SELECT 1', {
        maxRows: 1,
        timeoutSeconds: 1.5,
      }),
    ).toThrow('timeoutSeconds must be a positive whole number');
  });

  it('recognises timeout errors', () => {
    expect(
      starrocksDialect.isTimeoutError(
        new Error('Query exceeded time limit of 30 seconds'),
      ),
    ).toBe(true);
    expect(starrocksDialect.isTimeoutError(new Error('Unknown column'))).toBe(
      false,
    );
  });
});

describe('mariadbDialect', () => {
  it('applies the timeout with SET STATEMENT max_statement_time', () => {
    expect(mariadbDialect.limitStatement('SELECT 1', limits)).toBe(
      'SET STATEMENT max_statement_time=30 FOR SELECT * FROM (\nSELECT 1\n) AS _akili_q LIMIT 1001',
    );
    expect(mariadbDialect.limitStatement('SHOW TABLES', limits)).toBe(
      'SET STATEMENT max_statement_time=30 FOR SHOW TABLES',
    );
    expect(mariadbDialect.sessionSetup(limits)).toEqual([]);
    expect(mariadbDialect.executeAs('jane')).toBeUndefined();
    expect(mariadbDialect.isTimeoutError({ errno: 1969 })).toBe(true);
  });
});

describe('statement helpers', () => {
  it('finds the leading keyword past comments and parentheses', () => {
    expect(leadingKeyword('  -- hi\n/* c */ (select 1)')).toBe('SELECT');
    expect(isWrappable('with x as (select 1) select * from x')).toBe(true);
    expect(isWrappable('DESC orders')).toBe(false);
    expect(trimStatement('SELECT 1 ; \n ;')).toBe('SELECT 1');
  });

  it('sends a query unwrapped when asked (its columns share a name), with the timeout only', () => {
    expect(
      starrocksDialect.limitStatement(
        'SELECT * FROM a JOIN b ON a.id = b.id;',
        limits,
        {
          wrap: false,
        },
      ),
    ).toBe('SELECT * FROM a JOIN b ON a.id = b.id');
    expect(
      mariadbDialect.limitStatement('SELECT 1, 1', limits, { wrap: false }),
    ).toBe('SET STATEMENT max_statement_time=30 FOR SELECT 1, 1');
  });

  it("recognises the server's duplicate column error", () => {
    expect(isDuplicateColumnError({ errno: 1060, message: 'x' })).toBe(true);
    expect(
      isDuplicateColumnError({
        message:
          "Getting analyzing error. Detail message: Duplicate column name 'id'.",
      }),
    ).toBe(true);
    expect(isDuplicateColumnError({ errno: 1064, message: 'syntax' })).toBe(
      false,
    );
  });
});
