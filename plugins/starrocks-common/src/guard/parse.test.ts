import { GuardRefusal } from './errors';
import { parseStatement } from './parse';

const parse = (sql: string) => {
  const parsed = parseStatement(sql);
  return {
    kind: parsed.kind,
    tables: parsed.tables.map(t => t.parts.join('.')),
    functions: parsed.functions.map(f => f.parts.join('.')),
  };
};

const refusal = (sql: string) => {
  try {
    parseStatement(sql);
  } catch (e) {
    if (e instanceof GuardRefusal) return e.reason;
    throw e;
  }
  throw new Error('not refused');
};

describe('parseStatement (StarRocks dialect)', () => {
  it('collects tables and functions from every clause', () => {
    expect(
      parse(`
        SELECT a.x, (SELECT max(y) FROM s1.t2), lower(z)
          FROM s1.t1 a
          JOIN (SELECT * FROM s1.t3) b ON a.id = b.id
         WHERE a.k IN (SELECT k FROM s1.t4) AND EXISTS (SELECT 1 FROM s1.t5)
         GROUP BY a.x HAVING count(*) > (SELECT 1 FROM s1.t6)
         ORDER BY abs(a.x)`),
    ).toEqual({
      kind: 'select',
      tables: ['s1.t2', 's1.t1', 's1.t3', 's1.t4', 's1.t5', 's1.t6'],
      functions: ['max', 'lower', 'count', 'abs'],
    });
  });

  it('does not report CTE names as tables, in their scope only', () => {
    expect(
      parse(
        'WITH a AS (SELECT 1), b AS (SELECT * FROM a) SELECT * FROM a, b, c, (SELECT * FROM b) q',
      ).tables,
    ).toEqual(['c']);
    expect(
      parse('SELECT * FROM (WITH a AS (SELECT 1) SELECT * FROM a) q, a').tables,
    ).toEqual(['a']);
    expect(parse('WITH a AS (SELECT * FROM a) SELECT * FROM a').tables).toEqual(
      ['a'],
    );
    // names are compared exactly: a different case is a table
    expect(parse('WITH a AS (SELECT 1) SELECT * FROM A').tables).toEqual(['A']);
  });

  it('reads 1-, 2- and 3-part names, backquoted or not', () => {
    expect(parse('SELECT * FROM t, d.t, c.d.t, `c`.`d.x`.`t`').tables).toEqual([
      't',
      'd.t',
      'c.d.t',
      'c.d.x.t',
    ]);
  });

  it('reads lambdas, array literals, subscripts, JSON arrows and struct fields', () => {
    expect(
      parse(
        "SELECT array_map((x, y) -> x + y, [1, 2], arr), array_filter(x -> x.f > 0, s), a[1][2], j->'k', s.f.g",
      ).functions,
    ).toEqual(['array_map', 'array_filter']);
  });

  it('reads window functions with frames', () => {
    expect(
      parse(
        'SELECT rank() OVER (PARTITION BY a, b ORDER BY c DESC NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), lag(x) IGNORE NULLS OVER (ORDER BY c ROWS 2 PRECEDING) FROM t',
      ).functions,
    ).toEqual(['rank', 'lag']);
  });

  it('reads CAST with parameterised and nested types, INTERVAL, EXTRACT, typed literals', () => {
    expect(
      parse(
        "SELECT CAST(a AS DECIMAL(38, 9)), CAST(b AS ARRAY<STRUCT<f INT, g VARCHAR(10)>>), CAST(c AS MAP<INT,ARRAY<INT>>), d + INTERVAL 2 HOUR, EXTRACT(DAY FROM d), DATE '2024-01-01', TIMESTAMP '2024-01-01 00:00:00'",
      ).functions,
    ).toEqual(['EXTRACT']);
  });

  it('reads reserved words used as functions and niladic functions', () => {
    expect(
      parse(
        'SELECT left(a, 1), right(a, 1), if(a, 1, 2), mod(a, 2), current_timestamp, CURRENT_DATE()',
      ).functions,
    ).toEqual([
      'left',
      'right',
      'if',
      'mod',
      'current_timestamp',
      'CURRENT_DATE',
    ]);
  });

  it('reads table functions in FROM as functions', () => {
    expect(
      parse('SELECT * FROM t, unnest(t.a) AS u(x), generate_series(1, 3)'),
    ).toEqual({
      kind: 'select',
      tables: ['t'],
      functions: ['unnest', 'generate_series'],
    });
  });

  it('reads the SHOW, DESCRIBE and EXPLAIN forms', () => {
    expect(parse('SHOW FULL COLUMNS FROM t FROM d')).toMatchObject({
      kind: 'show',
      tables: ['d.t'],
    });
    expect(
      parseStatement('SHOW TABLES FROM c.d').databases.map(d => d.parts),
    ).toEqual([['c', 'd']]);
    expect(
      parseStatement('SHOW DATABASES IN c').catalogs.map(d => d.parts),
    ).toEqual([['c']]);
    expect(parse('DESCRIBE c.d.t')).toMatchObject({
      kind: 'describe',
      tables: ['c.d.t'],
    });
    expect(parse('EXPLAIN LOGICAL SELECT * FROM t')).toMatchObject({
      kind: 'explain',
      tables: ['t'],
    });
  });

  it('reports the statement extent without comments and the terminator', () => {
    const sql = ' /* a */ SELECT 1 -- b\n ; -- c';
    const parsed = parseStatement(sql);
    expect(sql.slice(parsed.start, parsed.end)).toBe('SELECT 1');
  });

  it.each([
    ['SELECT * FROM t FOR UPDATE', 'locking reads'],
    ['SELECT 1 INTO OUTFILE "x"', 'INTO'],
    ['SELECT 1; SELECT 2', 'exactly one statement'],
    ['SELECT a FROM t GROUP BY a WITH ROLLUP', "cannot parse at 'WITH'"],
    ['SELECT * FROM t TABLESAMPLE (10)', "cannot parse at '('"],
    ['SELECT * FROM t FOR VERSION AS OF 1', 'locking reads'],
    ['SELECT * FROM t JOIN [shuffle] u ON true', 'join hints'],
    ['SELECT 1 FROM t LIMIT 1, 2, 3', "cannot parse at ','"],
    ['SELECT map{1:2}', "unexpected character '{'"],
    ['SELECT CONVERT(a USING utf8)', "cannot parse at 'USING'"],
    ['DESC FILES("path" = "s3://x")', "cannot parse at '('"],
    ['EXPLAIN SHOW TABLES', 'EXPLAIN is allowed only for SELECT'],
    ['SHOW TABLES WHERE 1', "cannot parse at 'WHERE'"],
    ['WITH RECURSIVE x AS (SELECT 1) SELECT 1', 'WITH RECURSIVE'],
  ])('refuses %j', (sql, reason) => {
    expect(refusal(sql)).toContain(reason);
  });
});
