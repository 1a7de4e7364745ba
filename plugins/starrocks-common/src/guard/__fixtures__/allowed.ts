/**
 * Statements people really write that the guard must accept under `acmePolicy`, each with the
 * exact tables (catalog.database.table) it must report.
 */
export const allowedStatements: ReadonlyArray<[sql: string, tables: string[]]> =
  [
    ['SELECT 1', []],
    ['SELECT 1;', []],
    ['  select 1 ;  -- trailing comment\n', []],
    ['SELECT * FROM acme.orders', ['default_catalog.acme.orders']],
    ['SELECT * FROM acme.orders LIMIT 100', ['default_catalog.acme.orders']],
    [
      'SELECT id, total FROM acme.orders ORDER BY total DESC NULLS LAST LIMIT 10, 20',
      ['default_catalog.acme.orders'],
    ],
    [
      'SELECT id FROM acme.orders LIMIT 10 OFFSET 5',
      ['default_catalog.acme.orders'],
    ],
    [
      'SELECT DISTINCT customer_id FROM default_catalog.acme.orders',
      ['default_catalog.acme.orders'],
    ],
    [
      'SELECT o.* , c.name AS customer FROM acme.orders AS o INNER JOIN acme.customers c ON o.customer_id = c.id',
      ['default_catalog.acme.orders', 'default_catalog.acme.customers'],
    ],
    [
      'SELECT * FROM acme.orders o LEFT OUTER JOIN acme.customers c USING (customer_id)',
      ['default_catalog.acme.orders', 'default_catalog.acme.customers'],
    ],
    [
      'SELECT * FROM acme.orders o RIGHT JOIN acme.customers c ON o.customer_id = c.id FULL OUTER JOIN acme.order_items i ON i.order_id = o.id',
      [
        'default_catalog.acme.orders',
        'default_catalog.acme.customers',
        'default_catalog.acme.order_items',
      ],
    ],
    [
      'SELECT * FROM acme.orders o LEFT SEMI JOIN acme.customers c ON o.customer_id = c.id',
      ['default_catalog.acme.orders', 'default_catalog.acme.customers'],
    ],
    [
      'SELECT * FROM acme.orders o LEFT ANTI JOIN acme.customers c ON o.customer_id = c.id',
      ['default_catalog.acme.orders', 'default_catalog.acme.customers'],
    ],
    [
      'SELECT * FROM acme.orders CROSS JOIN acme.customers',
      ['default_catalog.acme.orders', 'default_catalog.acme.customers'],
    ],
    [
      'SELECT * FROM acme.orders o, acme.customers c WHERE o.customer_id = c.id',
      ['default_catalog.acme.orders', 'default_catalog.acme.customers'],
    ],
    [
      "SELECT * FROM iceberg_acme.sales.events WHERE event_date >= DATE '2024-01-01'",
      ['iceberg_acme.sales.events'],
    ],
    [
      'SELECT e.user_id, s.duration FROM iceberg_acme.sales.events e JOIN iceberg_acme.sales.sessions s ON e.session_id = s.id',
      ['iceberg_acme.sales.events', 'iceberg_acme.sales.sessions'],
    ],
    [
      'SELECT * FROM `acme`.`orders` AS `o` WHERE `o`.`status` = "paid"',
      ['default_catalog.acme.orders'],
    ],
    [
      'SELECT * FROM `iceberg_acme`.`sales`.`events`',
      ['iceberg_acme.sales.events'],
    ],
    [
      'SELECT * FROM acme_views.Daily_Revenue',
      ['default_catalog.acme_views.Daily_Revenue'],
    ],
    [
      'SELECT customer_id, count(*) AS n, sum(total) total, avg(total) FROM acme.orders GROUP BY customer_id HAVING count(*) > 1 ORDER BY n DESC',
      ['default_catalog.acme.orders'],
    ],
    [
      'SELECT region, product, sum(total) FROM acme.orders GROUP BY ROLLUP(region, product)',
      ['default_catalog.acme.orders'],
    ],
    [
      'SELECT region, product, sum(total) FROM acme.orders GROUP BY CUBE(region, product)',
      ['default_catalog.acme.orders'],
    ],
    [
      'SELECT region, product, sum(total), grouping_id(region, product) FROM acme.orders GROUP BY GROUPING SETS ((region), (region, product), ())',
      ['default_catalog.acme.orders'],
    ],
    [
      `WITH recent AS (
       SELECT * FROM acme.orders WHERE created_at > now() - INTERVAL 7 DAY
     ), big AS (
       SELECT customer_id, sum(total) AS spent FROM recent GROUP BY customer_id
     )
     SELECT c.name, b.spent FROM big b JOIN acme.customers c ON c.id = b.customer_id ORDER BY b.spent DESC`,
      ['default_catalog.acme.orders', 'default_catalog.acme.customers'],
    ],
    ['WITH t (a, b) AS (SELECT 1, 2) SELECT a + b FROM t', []],
    [
      'WITH orders AS (SELECT * FROM acme.orders) SELECT * FROM orders',
      ['default_catalog.acme.orders'],
    ],
    [
      `SELECT customer_id, total,
            row_number() OVER (PARTITION BY customer_id ORDER BY created_at DESC) AS rn,
            sum(total) OVER (PARTITION BY customer_id ORDER BY created_at ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running,
            lag(total, 1) OVER (ORDER BY created_at) prev,
            avg(total) OVER (ORDER BY created_at ROWS BETWEEN 3 PRECEDING AND 1 FOLLOWING) moving
       FROM acme.orders`,
      ['default_catalog.acme.orders'],
    ],
    [
      'SELECT * FROM acme.orders QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY total DESC) = 1',
      ['default_catalog.acme.orders'],
    ],
    [
      'SELECT array_map(x -> x * 2, [1, 2, 3]), array_filter(x -> x > 1, [1, 2, 3])',
      [],
    ],
    ['SELECT array_map((x, y) -> x + y, [1, 2], [3, 4])', []],
    [
      'SELECT array_sum(array_map(t -> t.amount, items)) FROM acme.order_items',
      ['default_catalog.acme.order_items'],
    ],
    [
      "SELECT tags[1], tags[size_idx], element_at(m, 'k') FROM acme.orders",
      ['default_catalog.acme.orders'],
    ],
    [
      "SELECT CASE WHEN total > 100 THEN 'big' WHEN total > 10 THEN 'medium' ELSE 'small' END AS size FROM acme.orders",
      ['default_catalog.acme.orders'],
    ],
    [
      "SELECT CASE status WHEN 1 THEN 'a' ELSE 'b' END FROM acme.orders",
      ['default_catalog.acme.orders'],
    ],
    [
      'SELECT CAST(total AS DECIMAL(10, 2)), CAST(id AS VARCHAR(20)), CAST(j AS ARRAY<ARRAY<INT>>), CAST(x AS BIGINT) FROM acme.orders',
      ['default_catalog.acme.orders'],
    ],
    [
      "SELECT * FROM acme.orders WHERE note IS NOT NULL AND total BETWEEN 1 AND 10 AND status NOT IN (1, 2) AND name LIKE 'a%' AND code RLIKE '^x' AND NOT flag",
      ['default_catalog.acme.orders'],
    ],
    [
      "SELECT * FROM acme.orders WHERE customer_id IN (SELECT id FROM acme.customers WHERE country = 'KE')",
      ['default_catalog.acme.orders', 'default_catalog.acme.customers'],
    ],
    [
      'SELECT * FROM acme.customers c WHERE EXISTS (SELECT 1 FROM acme.orders o WHERE o.customer_id = c.id) AND NOT EXISTS (SELECT 1 FROM acme.order_items)',
      [
        'default_catalog.acme.customers',
        'default_catalog.acme.orders',
        'default_catalog.acme.order_items',
      ],
    ],
    [
      'SELECT id, (SELECT max(total) FROM acme.orders o2 WHERE o2.customer_id = o.customer_id) AS best FROM acme.orders o',
      ['default_catalog.acme.orders'],
    ],
    [
      'SELECT * FROM (SELECT customer_id, sum(total) AS s FROM acme.orders GROUP BY customer_id) AS t (cid, s) WHERE s > 10',
      ['default_catalog.acme.orders'],
    ],
    ['SELECT * FROM ((SELECT 1 AS a)) t', []],
    [
      'SELECT id FROM acme.orders UNION SELECT id FROM acme.customers UNION ALL SELECT 1 EXCEPT SELECT 2 INTERSECT SELECT 3',
      ['default_catalog.acme.orders', 'default_catalog.acme.customers'],
    ],
    [
      '(SELECT id FROM acme.orders ORDER BY id LIMIT 5) UNION ALL (SELECT id FROM acme.customers) ORDER BY id',
      ['default_catalog.acme.orders', 'default_catalog.acme.customers'],
    ],
    [
      "SELECT date_trunc('month', created_at) m, count(DISTINCT customer_id) FROM acme.orders WHERE created_at >= date_sub(current_date(), INTERVAL 1 YEAR) GROUP BY 1 ORDER BY 1",
      ['default_catalog.acme.orders'],
    ],
    [
      "SELECT EXTRACT(YEAR FROM created_at), year(created_at), date_format(created_at, '%Y-%m'), CURRENT_DATE, CURRENT_TIMESTAMP FROM acme.orders",
      ['default_catalog.acme.orders'],
    ],
    [
      "SELECT group_concat(DISTINCT name ORDER BY name SEPARATOR ', ') FROM acme.customers",
      ['default_catalog.acme.customers'],
    ],
    [
      "SELECT get_json_string(payload, '$.a'), json_query(payload, '$.b'), parse_json(payload)->'c' FROM iceberg_acme.sales.events",
      ['iceberg_acme.sales.events'],
    ],
    [
      'SELECT u.x FROM iceberg_acme.sales.events e, unnest(e.items) AS u(x)',
      ['iceberg_acme.sales.events'],
    ],
    [
      "SELECT coalesce(a, b, 0), ifnull(a, 1), if(a > 1, 'x', 'y'), nullif(a, 0), greatest(a, b), left(name, 3), right(name, 2), mod(a, 2) FROM acme.orders",
      ['default_catalog.acme.orders'],
    ],
    [
      'SELECT -total, +total, ~flags, !flag, total DIV 2, total % 3, a << 1, a | b, a & b, a ^ b, a XOR b, a || b, a && b FROM acme.orders',
      ['default_catalog.acme.orders'],
    ],
    [
      "SELECT 1.5e3, .5, 0x1F, \"double \"\"quoted\"\"\", 'it''s', 'back\\\\slash', 'new\\nline'",
      [],
    ],
    ["SELECT '; DROP TABLE acme.orders; --' AS s", []],
    ["SELECT '/*+ SET_VAR(query_timeout=1) */', '@@version', 'sleep(1)'", []],
    ["SELECT '日本語', `列` FROM acme.orders", ['default_catalog.acme.orders']],
    [
      'SELECT 1 -- a comment\n FROM acme.orders /* a block comment */',
      ['default_catalog.acme.orders'],
    ],
    [
      'SELECT date, year, status, type, `order` FROM acme.orders',
      ['default_catalog.acme.orders'],
    ],
    ['EXPLAIN SELECT * FROM acme.orders', ['default_catalog.acme.orders']],
    [
      'EXPLAIN VERBOSE SELECT count(*) FROM acme.orders o JOIN acme.customers c ON o.customer_id = c.id',
      ['default_catalog.acme.orders', 'default_catalog.acme.customers'],
    ],
    ['EXPLAIN COSTS WITH x AS (SELECT 1) SELECT * FROM x', []],
    ['DESCRIBE acme.orders', ['default_catalog.acme.orders']],
    ['DESC iceberg_acme.sales.events', ['iceberg_acme.sales.events']],
    ['SHOW DATABASES', []],
    ['SHOW DATABASES FROM iceberg_acme', []],
    ['SHOW TABLES FROM acme', []],
    ["SHOW FULL TABLES IN iceberg_acme.sales LIKE 'ev%'", []],
    ['SHOW COLUMNS FROM acme.orders', ['default_catalog.acme.orders']],
    [
      'SHOW FULL COLUMNS FROM orders FROM acme',
      ['default_catalog.acme.orders'],
    ],
    [
      'SELECT 1 -- a windows comment\r\n FROM acme.orders\r\nWHERE 1 = 1',
      ['default_catalog.acme.orders'],
    ],
    [
      "SELECT regexp_extract(s, '\\\\d+', 0), 'a\\\\', 'tab\\t' FROM acme.orders",
      ['default_catalog.acme.orders'],
    ],
  ];
