import { guardQuery } from '../guard/guard';
import { allowedStatements } from '../guard/__fixtures__/allowed';
import { acmePolicy } from '../guard/__fixtures__/policy';
import { doubleQuoteQuoter, identifierQuoter } from './identifiers';
import {
  effectiveClassification,
  isMaskedClassification,
  MaskableTable,
  maskStatement,
  MaskingPolicy,
  MaskingPolicyError,
  unmaskedClassifications,
} from './maskStatement';

const customers: MaskableTable = {
  database: 'acme',
  table: 'customers',
  columns: [
    { name: 'id', classification: 'public' },
    { name: 'name' },
    { name: 'email', classification: 'pii' },
    { name: 'margin', classification: 'restricted' },
    { name: 'health', classification: 'sensitive-pii' },
  ],
};
const orders: MaskableTable = {
  database: 'acme',
  table: 'orders',
  columns: [
    { name: 'id', classification: 'public' },
    { name: 'customer_id', classification: 'internal' },
  ],
};
const undeclared: MaskableTable = { database: 'acme', table: 'events' };
const tables = [customers, orders, undeclared];

// What the rewrite puts in place of `acme.customers`, for a consumer and for a developer.
const C =
  '(SELECT id, name, NULL AS email, NULL AS margin, NULL AS health FROM acme.customers)';
const D =
  '(SELECT id, name, email, margin, NULL AS health FROM acme.customers)';

function mask(
  sql: string,
  policy: Partial<MaskingPolicy> = {},
  readable: MaskableTable[] = tables,
) {
  const guarded = guardQuery(sql, { readableTables: readable });
  if (!guarded.ok) throw new Error(`refused: ${guarded.reason}`);
  return maskStatement(guarded, { tables: readable, unmask: false, ...policy });
}
const rewrite = (sql: string, policy: Partial<MaskingPolicy> = {}) =>
  mask(sql, policy).statement;

describe('classifications', () => {
  it('masks pii and confidential unless unmasked, sensitive-pii always, public and internal never', () => {
    const table = (unmask: boolean) =>
      (['public', 'internal', 'confidential', 'pii', 'sensitive-pii'] as const)
        .filter(c => isMaskedClassification(c, unmask))
        .join(' ');
    expect(table(false)).toBe('confidential pii sensitive-pii');
    expect(table(true)).toBe('sensitive-pii');
    expect(unmaskedClassifications(true)).toEqual([
      'public',
      'internal',
      'confidential',
      'pii',
    ]);
    expect(unmaskedClassifications(false)).toEqual(['public', 'internal']);
  });

  it('reads missing as internal, restricted as confidential and anything unknown as sensitive-pii', () => {
    expect(effectiveClassification(undefined)).toBe('internal');
    expect(effectiveClassification('restricted')).toBe('confidential');
    expect(effectiveClassification(' PII ')).toBe('pii');
    expect(effectiveClassification('secret')).toBe('sensitive-pii');
    expect(effectiveClassification(42)).toBe('sensitive-pii');
  });
});

describe('maskStatement', () => {
  it('replaces the table by a derived table of its declared columns, masked ones as NULL', () => {
    expect(mask('SELECT * FROM acme.customers')).toEqual({
      statement: `SELECT * FROM ${C} AS customers`,
      masked: [
        {
          table: 'default_catalog.acme.customers',
          column: 'email',
          classification: 'pii',
        },
        {
          table: 'default_catalog.acme.customers',
          column: 'margin',
          classification: 'confidential',
        },
        {
          table: 'default_catalog.acme.customers',
          column: 'health',
          classification: 'sensitive-pii',
        },
      ],
    });
  });

  it('unmasks pii and confidential for a caller with akili.query.unmask, never sensitive-pii', () => {
    expect(mask('SELECT * FROM acme.customers', { unmask: true })).toEqual({
      statement: `SELECT * FROM ${D} AS customers`,
      masked: [
        {
          table: 'default_catalog.acme.customers',
          column: 'health',
          classification: 'sensitive-pii',
        },
      ],
    });
  });

  it('leaves tables with nothing masked, or nothing declared, as written', () => {
    const sql =
      'SELECT o.id, e.* FROM acme.orders o JOIN acme.events e ON e.order_id = o.id';
    expect(mask(sql)).toEqual({ statement: sql, masked: [] });
    const health = mask('SELECT * FROM acme.customers', {
      tables: [{ ...customers, columns: customers.columns!.slice(0, 2) }],
    });
    expect(health).toEqual({
      statement: 'SELECT * FROM acme.customers',
      masked: [],
    });
  });

  it.each([
    // aliases, with and without AS: the alias stays, the name is replaced
    [
      'SELECT c.email AS e FROM acme.customers c',
      `SELECT c.email AS e FROM ${C} c`,
    ],
    [
      'SELECT c.email FROM acme.customers AS c',
      `SELECT c.email FROM ${C} AS c`,
    ],
    // expressions and predicates read the derived table's NULL
    [
      "SELECT LOWER(CONCAT(email, '@')) FROM acme.customers WHERE email = 'x' GROUP BY email",
      `SELECT LOWER(CONCAT(email, '@')) FROM ${C} AS customers WHERE email = 'x' GROUP BY email`,
    ],
    // table-qualified columns still resolve (the derived table is named after the table)
    [
      'SELECT customers.email FROM acme.customers',
      `SELECT customers.email FROM ${C} AS customers`,
    ],
    // subqueries in the select list, in WHERE and in FROM
    [
      'SELECT (SELECT max(email) FROM acme.customers) m, id FROM acme.orders WHERE customer_id IN (SELECT id FROM acme.customers WHERE email LIKE "a%")',
      `SELECT (SELECT max(email) FROM ${C} AS customers) m, id FROM acme.orders WHERE customer_id IN (SELECT id FROM ${C} AS customers WHERE email LIKE "a%")`,
    ],
    [
      'SELECT * FROM (SELECT email FROM acme.customers) q',
      `SELECT * FROM (SELECT email FROM ${C} AS customers) q`,
    ],
    // a CTE over the table: the table inside is rewritten, the CTE name is not a table
    [
      'WITH c AS (SELECT * FROM acme.customers) SELECT email FROM c',
      `WITH c AS (SELECT * FROM ${C} AS customers) SELECT email FROM c`,
    ],
    // a CTE named like the table it reads
    [
      'WITH customers AS (SELECT email FROM acme.customers) SELECT * FROM customers',
      `WITH customers AS (SELECT email FROM ${C} AS customers) SELECT * FROM customers`,
    ],
    // UNION: every branch
    [
      'SELECT email FROM acme.customers UNION ALL SELECT name FROM acme.customers',
      `SELECT email FROM ${C} AS customers UNION ALL SELECT name FROM ${C} AS customers`,
    ],
    // joins, self-joins and the same table under two aliases
    [
      'SELECT a.email, b.email FROM acme.customers a JOIN acme.customers b ON a.email = b.email',
      `SELECT a.email, b.email FROM ${C} a JOIN ${C} b ON a.email = b.email`,
    ],
    [
      'SELECT * FROM acme.orders o LEFT JOIN acme.customers c ON c.id = o.customer_id',
      `SELECT * FROM acme.orders o LEFT JOIN ${C} c ON c.id = o.customer_id`,
    ],
    [
      'SELECT * FROM acme.orders JOIN acme.customers USING (id)',
      `SELECT * FROM acme.orders JOIN ${C} AS customers USING (id)`,
    ],
    // EXISTS: no oracle through a correlated predicate either
    [
      "SELECT id FROM acme.orders o WHERE EXISTS (SELECT 1 FROM acme.customers c WHERE c.id = o.customer_id AND c.email = 'x')",
      `SELECT id FROM acme.orders o WHERE EXISTS (SELECT 1 FROM ${C} c WHERE c.id = o.customer_id AND c.email = 'x')`,
    ],
    // EXPLAIN shows (and plans) the rewritten statement
    [
      'EXPLAIN SELECT email FROM acme.customers',
      `EXPLAIN SELECT email FROM ${C} AS customers`,
    ],
  ])('rewrites %s', (sql, expected) => {
    expect(rewrite(sql)).toBe(expected);
  });

  it('keeps the parts as written (so the engine resolves them as the guard did), quoted where needed', () => {
    expect(rewrite('SELECT * FROM default_catalog.acme.customers x')).toBe(
      'SELECT * FROM (SELECT id, name, NULL AS email, NULL AS margin, NULL AS health FROM default_catalog.acme.customers) x',
    );
    expect(rewrite('SELECT * FROM `acme` . /* c */ `customers`')).toBe(
      `SELECT * FROM ${C} AS customers`,
    );
    const odd: MaskableTable = {
      database: 'acme',
      table: 'Order Lines',
      columns: [
        { name: 'select' },
        { name: 'a`b', classification: 'pii' },
        { name: 'Ünit' },
      ],
    };
    expect(mask('SELECT * FROM acme.`Order Lines`', {}, [odd]).statement).toBe(
      'SELECT * FROM (SELECT `select`, NULL AS `a``b`, `Ünit` FROM acme.`Order Lines`) AS `Order Lines`',
    );
    expect(
      mask(
        'SELECT * FROM acme.`Order Lines`',
        { quoteIdentifier: doubleQuoteQuoter },
        [odd],
      ).statement,
    ).toBe(
      'SELECT * FROM (SELECT "select", NULL AS "a`b", "Ünit" FROM acme."Order Lines") AS "Order Lines"',
    );
    expect(identifierQuoter('"')('say "hi"')).toBe('"say ""hi"""');
  });

  it('does not rewrite SHOW and DESCRIBE (metadata only)', () => {
    for (const sql of [
      'DESCRIBE acme.customers',
      'SHOW COLUMNS FROM acme.customers',
      'SHOW FULL COLUMNS FROM customers FROM acme',
    ]) {
      expect(mask(sql)).toEqual({ statement: sql, masked: [] });
    }
  });

  it('rewrites an onlyDeclared table (an access agreement) even with nothing masked, so * is its columns', () => {
    const agreed: MaskableTable = {
      database: 'acme',
      table: 'customers',
      columns: [{ name: 'id', classification: 'public' }, { name: 'name' }],
      onlyDeclared: true,
    };
    expect(mask('SELECT * FROM acme.customers', {}, [agreed])).toEqual({
      statement:
        'SELECT * FROM (SELECT id, name FROM acme.customers) AS customers',
      masked: [],
    });
    // Masking still applies on top of the agreed columns.
    const withEmail = mask('SELECT c.* FROM acme.customers c', {}, [
      { ...agreed, columns: [...agreed.columns!, customers.columns![2]] },
    ]);
    expect(withEmail.statement).toBe(
      'SELECT c.* FROM (SELECT id, name, NULL AS email FROM acme.customers) c',
    );
    expect(withEmail.masked.map(m => m.column)).toEqual(['email']);
    expect(() =>
      mask('SELECT 1 FROM acme.customers', {}, [{ ...agreed, columns: [] }]),
    ).toThrow(MaskingPolicyError);
  });

  it('takes the stricter classification when two ports declare the same table', () => {
    const result = mask('SELECT * FROM acme.customers', {}, [
      {
        database: 'acme',
        table: 'customers',
        columns: [{ name: 'id' }, { name: 'EMAIL', classification: 'public' }],
      },
      {
        catalog: 'default_catalog',
        database: 'acme',
        table: 'customers',
        columns: [{ name: 'email', classification: 'pii' }, { name: 'phone' }],
      },
    ]);
    expect(result.statement).toBe(
      'SELECT * FROM (SELECT id, NULL AS EMAIL, phone FROM acme.customers) AS customers',
    );
    expect(result.masked).toEqual([
      {
        table: 'default_catalog.acme.customers',
        column: 'EMAIL',
        classification: 'pii',
      },
    ]);
  });

  it('refuses a statement over a table the masking policy does not list', () => {
    const guarded = guardQuery('SELECT * FROM acme.orders', {
      readableTables: tables,
    });
    expect(() =>
      maskStatement(guarded.ok ? guarded : (undefined as never), {
        tables: [customers],
        unmask: false,
      }),
    ).toThrow(MaskingPolicyError);
  });

  it('rewrites every statement of the guard corpus into one the guard admits over the same tables', () => {
    // Every readable table declares a masked column: each reference is rewritten.
    const masking: MaskableTable[] = acmePolicy.readableTables.map(t => ({
      ...t,
      columns: [{ name: 'id' }, { name: 'email', classification: 'pii' }],
    }));
    let rewritten = 0;
    for (const [sql] of allowedStatements) {
      const guarded = guardQuery(sql, acmePolicy);
      if (!guarded.ok) throw new Error(`refused: ${sql}`);
      const { statement } = maskStatement(guarded, {
        tables: masking,
        unmask: false,
      });
      const again = guardQuery(statement, acmePolicy);
      expect({ sql, ok: again.ok }).toEqual({ sql, ok: true });
      if (!again.ok) continue;
      expect(again.tables.map(t => t.table)).toEqual(
        guarded.tables.map(t => t.table),
      );
      expect(again.references).toHaveLength(guarded.references.length);
      if (statement !== guarded.statement) rewritten++;
    }
    expect(rewritten).toBeGreaterThan(40);
  });

  describe('hostile attempts to reach a masked value', () => {
    // Each of these must leave no path from the statement to acme.customers.email but the
    // derived table: after the rewrite, the only text naming the physical table is inside it.
    const physical =
      /(?:default_catalog\s*\.\s*)?`?acme`?\s*\.\s*`?customers`?/gu;
    it.each([
      'SELECT * FROM acme.customers',
      'SELECT * FROM acme . customers',
      'SELECT * FROM `acme`.`customers`',
      'SELECT * FROM default_catalog.acme.customers',
      'SELECT * FROM acme./**/customers',
      'SELECT * FROM acme.customers customers',
      'SELECT * FROM acme.customers AS email',
      'SELECT email FROM acme.customers, acme.customers x',
      'SELECT * FROM acme.orders CROSS JOIN acme.customers',
      'SELECT (SELECT email FROM acme.customers LIMIT 1)',
      'SELECT * FROM (SELECT * FROM (SELECT * FROM acme.customers) a) b',
      'WITH x AS (SELECT * FROM acme.customers), y AS (SELECT * FROM x) SELECT * FROM y',
      'SELECT 1 FROM acme.orders WHERE 1 = ANY (SELECT 1 FROM acme.customers WHERE email > "m")',
      'SELECT * FROM acme.customers ORDER BY email LIMIT 1',
      'SELECT count(DISTINCT email) FROM acme.customers',
      'SELECT group_concat(email) FROM acme.customers GROUP BY id',
      '(SELECT email FROM acme.customers)',
      'SELECT email FROM acme.customers; -- trailing',
    ])('%s', sql => {
      const result = mask(sql);
      const inner = [...result.statement.matchAll(physical)];
      const derived = [...result.statement.matchAll(/NULL AS email/gu)];
      expect(inner.length).toBeGreaterThan(0);
      expect(inner.length).toBe(derived.length);
      // every occurrence of the physical table is the FROM of a masking derived table
      for (const m of inner) {
        const before = result.statement.slice(0, m.index);
        expect(before).toMatch(/NULL AS health FROM $/u);
      }
    });

    it('refuses a parenthesized table name (not parsed, so not passed)', () => {
      expect(
        guardQuery('SELECT * FROM acme.orders, (acme.customers)', {
          readableTables: tables,
        }),
      ).toMatchObject({ ok: false });
    });

    it('fails closed on database-qualified column references', () => {
      // `acme.customers.email` does not name a column of the derived table `customers`: the
      // server answers "Unknown column" (tested against MariaDB in the backend), never the value.
      expect(rewrite('SELECT acme.customers.email FROM acme.customers')).toBe(
        `SELECT acme.customers.email FROM ${C} AS customers`,
      );
    });
  });
});
