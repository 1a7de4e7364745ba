/**
 * Statements the guard must refuse, each with a substring of the reason it must give. Checked
 * against `acmePolicy` (tenant acme; globex is another tenant).
 */
export const hostileStatements: ReadonlyArray<[sql: string, reason: string]> = [
  // stacked and empty statements
  ['SELECT 1; SELECT 2', 'exactly one statement'],
  [
    'SELECT * FROM acme.orders; DROP TABLE acme.orders',
    'exactly one statement',
  ],
  ['SELECT 1;;', 'exactly one statement'],
  ['SELECT 1 ; SHOW DATABASES', 'exactly one statement'],
  ['SELECT 1;\nDELETE FROM acme.orders', 'exactly one statement'],
  ['SELECT 1; -- comment\nSELECT 2', 'exactly one statement'],
  ['SELECT (SELECT 1; SELECT 2)', 'exactly one statement'],
  ['', 'empty statement'],
  ['   -- just a comment\n', 'empty statement'],
  [';', 'empty statement'],
  ['/* nothing */', 'empty statement'],

  // writes, DDL, sessions and administration
  ['INSERT INTO acme.orders VALUES (1)', 'INSERT statements are not allowed'],
  ['UPDATE acme.orders SET total = 0', 'UPDATE statements are not allowed'],
  ['DELETE FROM acme.orders', 'DELETE statements are not allowed'],
  ['REPLACE INTO acme.orders VALUES (1)', 'REPLACE statements are not allowed'],
  ['CREATE TABLE acme.x (a INT)', 'CREATE statements are not allowed'],
  [
    'CREATE VIEW acme.v AS SELECT * FROM globex.orders',
    'CREATE statements are not allowed',
  ],
  ['DROP TABLE acme.orders', 'DROP statements are not allowed'],
  ['DROP DATABASE acme', 'DROP statements are not allowed'],
  [
    'ALTER TABLE acme.orders ADD COLUMN x INT',
    'ALTER statements are not allowed',
  ],
  ['TRUNCATE TABLE acme.orders', 'TRUNCATE statements are not allowed'],
  [
    'GRANT SELECT ON ALL TABLES IN DATABASE globex TO ROLE r',
    'GRANT statements are not allowed',
  ],
  [
    'REVOKE SELECT ON acme.orders FROM ROLE r',
    'REVOKE statements are not allowed',
  ],
  ['SET query_timeout = 100000', 'SET statements are not allowed'],
  ['SET GLOBAL query_mem_limit = 0', 'SET statements are not allowed'],
  ['SET CATALOG iceberg_globex', 'SET statements are not allowed'],
  ['SET ROLE ALL', 'SET statements are not allowed'],
  ['set names utf8', 'SET statements are not allowed'],
  ['USE globex', 'USE statements are not allowed'],
  ['USE iceberg_globex.sales', 'USE statements are not allowed'],
  ['KILL QUERY 12', 'KILL statements are not allowed'],
  ['KILL 12', 'KILL statements are not allowed'],
  [
    'LOAD LABEL acme.l1 (DATA INFILE("s3://x") INTO TABLE orders)',
    'LOAD statements are not allowed',
  ],
  ['CALL acme.proc()', 'CALL statements are not allowed'],
  ['HANDLER acme.orders OPEN', 'HANDLER statements are not allowed'],
  ['DO sleep(10)', 'DO statements are not allowed'],
  [
    'SUBMIT TASK AS INSERT INTO acme.orders SELECT * FROM globex.orders',
    'SUBMIT statements are not allowed',
  ],
  ['CACHE SELECT * FROM acme.orders', 'CACHE statements are not allowed'],
  ['ADMIN SET FRONTEND CONFIG ("a" = "b")', 'ADMIN statements are not allowed'],
  ['EXECUTE stmt1', 'EXECUTE statements are not allowed'],
  ["PREPARE stmt1 FROM 'SELECT 1'", 'PREPARE statements are not allowed'],
  ['BEGIN', 'BEGIN statements are not allowed'],
  ['COMMIT', 'COMMIT statements are not allowed'],
  ['ANALYZE TABLE acme.orders', 'ANALYZE statements are not allowed'],
  [
    'REFRESH EXTERNAL TABLE iceberg_acme.sales.events',
    'REFRESH statements are not allowed',
  ],
  [
    'EXPORT TABLE acme.orders TO "s3://bucket/x"',
    'EXPORT statements are not allowed',
  ],
  ['BACKUP SNAPSHOT acme.s1 TO repo', 'BACKUP statements are not allowed'],
  ['INSTALL PLUGIN FROM "/tmp/x.zip"', 'INSTALL statements are not allowed'],
  ['VALUES (1), (2)', 'VALUES statements are not allowed'],
  ['TABLE acme.orders', 'TABLE statements are not allowed'],
  ['LOCK TABLES acme.orders READ', 'LOCK statements are not allowed'],
  ['FLUSH PRIVILEGES', 'FLUSH statements are not allowed'],
  ['SHUTDOWN', 'SHUTDOWN statements are not allowed'],
  ['RESTORE SNAPSHOT acme.s1 FROM repo', 'RESTORE statements are not allowed'],
  ['CANCEL LOAD FROM acme', 'CANCEL statements are not allowed'],
  ['MERGE INTO acme.orders USING x ON 1=1', 'MERGE statements are not allowed'],
  ['OPTIMIZE TABLE acme.orders', 'OPTIMIZE statements are not allowed'],
  ['WITH x AS (SELECT 1) DELETE FROM acme.orders', "cannot parse at 'DELETE'"],
  [
    'WITH x AS (SELECT 1) INSERT INTO acme.orders SELECT * FROM x',
    "cannot parse at 'INSERT'",
  ],
  ['foo', 'statement must start with SELECT'],
  ['(DELETE FROM acme.orders)', "cannot parse at 'DELETE'"],

  // SELECT ... INTO, locking reads, modifiers
  ["SELECT * FROM acme.orders INTO OUTFILE '/tmp/x'", 'INTO (OUTFILE'],
  ["SELECT * INTO OUTFILE '/tmp/x' FROM acme.orders", 'INTO (OUTFILE'],
  ["SELECT * FROM acme.orders INTO DUMPFILE '/tmp/x'", 'INTO (OUTFILE'],
  ['SELECT id INTO v FROM acme.orders', 'INTO (OUTFILE'],
  ['SELECT id INTO @v FROM acme.orders', 'variables'],
  [
    "SELECT * FROM acme.orders INTO OUTFILE 's3://bucket/x' FORMAT AS CSV",
    'INTO (OUTFILE',
  ],
  ["SELECT * FROM acme.orders LIMIT 1 INTO OUTFILE 'x'", 'INTO (OUTFILE'],
  [
    "SELECT * FROM acme.orders UNION SELECT * FROM acme.orders INTO OUTFILE 'x'",
    'INTO (OUTFILE',
  ],
  ['SELECT * FROM acme.orders FOR UPDATE', 'locking reads'],
  ['SELECT * FROM acme.orders LOCK IN SHARE MODE', 'locking reads'],
  ['SELECT * FROM acme.orders FOR SHARE', 'locking reads'],
  ['SELECT * FROM acme.orders PROCEDURE ANALYSE()', 'PROCEDURE is not allowed'],
  ['SELECT SQL_NO_CACHE * FROM acme.orders', "SELECT modifier 'SQL_NO_CACHE'"],
  [
    'SELECT HIGH_PRIORITY * FROM acme.orders',
    "SELECT modifier 'HIGH_PRIORITY'",
  ],
  [
    'SELECT SQL_CALC_FOUND_ROWS * FROM acme.orders',
    "SELECT modifier 'SQL_CALC_FOUND_ROWS'",
  ],
  [
    'SELECT STRAIGHT_JOIN * FROM acme.orders',
    "SELECT modifier 'STRAIGHT_JOIN'",
  ],

  // EXPLAIN, DESCRIBE and SHOW outside the allow-list
  [
    'EXPLAIN ANALYZE SELECT * FROM acme.orders',
    'EXPLAIN ANALYZE is not allowed',
  ],
  ['explain analyze select 1', 'EXPLAIN ANALYZE is not allowed'],
  [
    'EXPLAIN INSERT INTO acme.orders SELECT 1',
    'EXPLAIN is allowed only for SELECT',
  ],
  ['EXPLAIN DELETE FROM acme.orders', 'EXPLAIN is allowed only for SELECT'],
  [
    'EXPLAIN SELECT * FROM globex.orders',
    "table 'default_catalog.globex.orders' is not readable",
  ],
  ['DESCRIBE SELECT * FROM acme.orders', 'DESCRIBE of a query is not allowed'],
  [
    'DESC globex.orders',
    "table 'default_catalog.globex.orders' is not readable",
  ],
  ['DESCRIBE information_schema.tables', "system schema 'information_schema'"],
  ['SHOW CREATE TABLE acme.orders', 'SHOW CREATE is not allowed'],
  ['SHOW CREATE VIEW acme.v', 'SHOW CREATE is not allowed'],
  ['SHOW GRANTS', "SHOW 'GRANTS' is not allowed"],
  ['SHOW PROCESSLIST', "SHOW 'PROCESSLIST' is not allowed"],
  ['SHOW FULL PROCESSLIST', "SHOW 'PROCESSLIST' is not allowed"],
  ['SHOW VARIABLES', "SHOW 'VARIABLES' is not allowed"],
  ['SHOW CATALOGS', "SHOW 'CATALOGS' is not allowed"],
  ['SHOW USERS', "SHOW 'USERS' is not allowed"],
  ['SHOW BACKENDS', "SHOW 'BACKENDS' is not allowed"],
  ['SHOW FRONTENDS', "SHOW 'FRONTENDS' is not allowed"],
  ['SHOW ROLES', "SHOW 'ROLES' is not allowed"],
  ['SHOW PROC "/backends"', "SHOW 'PROC' is not allowed"],
  ['SHOW RESOURCE GROUPS', "SHOW 'RESOURCE' is not allowed"],
  [
    'SHOW TABLES FROM globex',
    "database 'default_catalog.globex' is not readable",
  ],
  [
    'SHOW TABLES FROM iceberg_globex.sales',
    "database 'iceberg_globex.sales' is not readable",
  ],
  ['SHOW TABLES FROM information_schema', "system schema 'information_schema'"],
  ['SHOW TABLES', 'SHOW TABLES needs FROM database'],
  [
    'SHOW DATABASES FROM iceberg_globex',
    "catalog 'iceberg_globex' is not readable",
  ],
  [
    'SHOW COLUMNS FROM globex.orders',
    "table 'default_catalog.globex.orders' is not readable",
  ],
  [
    'SHOW COLUMNS FROM orders FROM globex',
    "table 'default_catalog.globex.orders' is not readable",
  ],
  ['SHOW FULL COLUMNS FROM mysql.user', "system schema 'mysql'"],
  ['SHOW TABLES FROM acme; SHOW TABLES FROM globex', 'exactly one statement'],
  ["SHOW TABLES FROM acme LIKE 'x' OR 1", "cannot parse at 'OR'"],

  // comments, hints and lexical tricks
  [
    'SELECT /*+ SET_VAR(query_timeout = 100000) */ * FROM acme.orders',
    "optimizer hints '/*+'",
  ],
  ['SELECT /*+SET_VAR(query_mem_limit=0)*/ 1', "optimizer hints '/*+'"],
  ['SELECT /*! STRAIGHT_JOIN */ 1', "executable comments '/*!'"],
  [
    'SELECT 1 /*M!100000 , (SELECT * FROM globex.orders) */',
    'executable comments',
  ],
  ['/*!50000 DROP TABLE acme.orders */', "executable comments '/*!'"],
  ['SELECT 1 /*!; DROP TABLE acme.orders */', "executable comments '/*!'"],
  [
    'SELECT 1 /* outer /* inner */ ; DROP TABLE acme.orders */',
    'nested comment',
  ],
  ['SELECT 1 /* unterminated', 'unterminated comment'],
  ['SELECT 1 --; DROP TABLE acme.orders', "'--' must be followed by a space"],
  ['SELECT 1--1', "'--' must be followed by a space"],
  ['SELECT 1 # comment', "'#' comments are not allowed"],
  [
    'SELECT * FROM acme.orders #\n, globex.orders',
    "'#' comments are not allowed",
  ],
  ["SELECT 'unterminated", 'unterminated string literal'],
  ['SELECT "unterminated', 'unterminated string literal'],
  ["SELECT 'it\\'s", 'backslash before a quote'],
  // under NO_BACKSLASH_ESCAPES the string ends at \' and the subquery runs
  [
    "SELECT 'a\\' , (SELECT * FROM globex.orders) -- '",
    'backslash before a quote',
  ],
  [
    'SELECT "a\\" , (SELECT * FROM globex.orders) -- "',
    'backslash before a quote',
  ],
  [
    "SELECT 'a\\'', (SELECT * FROM globex.orders) -- '",
    'backslash before a quote',
  ],
  // StarRocks ends a line comment at CR, MySQL does not
  [
    'SELECT 1 -- x\r, (SELECT * FROM globex.orders)',
    'carriage return without line feed',
  ],
  [
    "SELECT 1 -- \r '\n, (SELECT * FROM globex.orders) -- '",
    'carriage return without line feed',
  ],
  ['SELECT current_catalog', "function 'current_catalog' is not allowed"],
  [
    'SELECT `unterminated FROM acme.orders',
    'unterminated backquoted identifier',
  ],
  ['SELECT `` FROM acme.orders', 'empty backquoted identifier'],
  ['SELECT * FROM acme.orders */', "cannot parse at '*'"],
  ['SELECT 1 \\G', "unexpected character '\\'"],
  ['SELECT {fn now()}', "unexpected character '{'"],
  ['SELECT 1 := 2', "unexpected character ':'"],
  ['SELECT $1', "unexpected character '$'"],
  ['SELECT * FROM acme.orders WHERE id = ?', "placeholders '?'"],
  ["SELECT x'41'", "cannot parse at ''41''"],
  ["SELECT _utf8'abc'", "cannot parse at ''abc''"],
  ['SELECT 1abc', 'malformed number'],
  ['SELECT 0x', 'malformed number'],

  // unicode tricks
  ['SELECT 1\uff1b DROP TABLE acme.orders', 'non-ASCII character U+FF1B'],
  ['SELECT 1\u037e DROP TABLE acme.orders', 'non-ASCII character U+037E'],
  ['SELECT * FROM \u0430cme.orders', 'non-ASCII character U+0430'],
  [
    'SELECT * FROM acme.orders\u200b',
    'invisible or bidirectional character U+200B',
  ],
  ['SELECT\u00a01', 'non-ASCII character U+00A0'],
  ['SELECT 1\u2028', 'non-ASCII character U+2028'],
  ['SELECT\u30001', 'non-ASCII character U+3000'],
  ['SELECT 1 \u0000; DROP TABLE acme.orders', 'control character U+0000'],
  ["SELECT 'a\u0000b'", 'control character U+0000'],
  ["SELECT 'abc\u202e'", 'invisible or bidirectional character U+202E'],
  [
    'SELECT `ord\u200bers` FROM acme.orders',
    'invisible or bidirectional character U+200B',
  ],
  ['SELECT 1 /* \u202e */', 'invisible or bidirectional character U+202E'],
  ['\ufeffSELECT 1', 'invisible or bidirectional character U+FEFF'],
  ['SELECT 1\u000b', 'control character U+000B'],
  ['SELECT * FROM acme.orders \uff0f* x *\uff0f', 'non-ASCII character U+FF0F'],
  [
    'SELECT * FROM acme.`\u043erders`',
    "table 'default_catalog.acme.\\u043Erders' is not readable",
  ],

  // variables
  ['SELECT @@version', 'variables'],
  ['SELECT @@session.query_timeout', 'variables'],
  ['SELECT @x := 1', 'variables'],
  ['SELECT * FROM acme.orders WHERE id = @id', 'variables'],

  // functions
  ['SELECT sleep(10)', "function 'sleep' is not allowed"],
  ['SELECT SLEEP(10) FROM acme.orders', "function 'SLEEP' is not allowed"],
  ['SELECT `sleep`(10)', "function 'sleep' is not allowed"],
  [
    'SELECT benchmark(1000000000, md5(1))',
    "function 'benchmark' is not allowed",
  ],
  ["SELECT load_file('/etc/passwd')", "function 'load_file' is not allowed"],
  ["SELECT get_lock('x', 10)", "function 'get_lock' is not allowed"],
  [
    "SELECT * FROM files('path' = 's3://bucket/x', 'format' = 'parquet')",
    "function 'files' is not allowed",
  ],
  [
    "SELECT * FROM acme.orders o JOIN files('path' = 's3://x') f ON true",
    "function 'files' is not allowed",
  ],
  [
    "SELECT url_extract_host('http://x')",
    "function 'url_extract_host' is not allowed",
  ],
  [
    "SELECT http_request('http://evil/')",
    "function 'http_request' is not allowed",
  ],
  [
    'SELECT acme.my_udf(id) FROM acme.orders',
    "user-defined function 'acme.my_udf'",
  ],
  ['SELECT globex.steal(1)', "user-defined function 'globex.steal'"],
  ['SELECT my_udf(id) FROM acme.orders', "function 'my_udf' is not allowed"],
  ['SELECT current_user()', "function 'current_user' is not allowed"],
  ['SELECT current_user', "function 'current_user' is not allowed"],
  ['SELECT user()', "function 'user' is not allowed"],
  ['SELECT connection_id()', "function 'connection_id' is not allowed"],
  ['SELECT database()', "function 'database' is not allowed"],
  ['SELECT version()', "function 'version' is not allowed"],
  ['SELECT last_query_id()', "function 'last_query_id' is not allowed"],
  [
    "SELECT get_query_profile('x')",
    "function 'get_query_profile' is not allowed",
  ],
  ["SELECT dict_mapping('d', 1)", "function 'dict_mapping' is not allowed"],
  [
    'SELECT count(*) FROM acme.orders WHERE sleep(1) = 0',
    "function 'sleep' is not allowed",
  ],
  ['SELECT array_map(x -> sleep(x), [1])', "function 'sleep' is not allowed"],
  ['SELECT (SELECT benchmark(1, 1))', "function 'benchmark' is not allowed"],
  ['SELECT VALUES(id) FROM acme.orders', "function 'VALUES' is not allowed"],

  // system schemas
  [
    'SELECT * FROM information_schema.tables',
    "system schema 'information_schema'",
  ],
  [
    'SELECT * FROM INFORMATION_SCHEMA.TABLES',
    "system schema 'INFORMATION_SCHEMA'",
  ],
  [
    'SELECT * FROM `information_schema`.`columns`',
    "system schema 'information_schema'",
  ],
  [
    'SELECT * FROM default_catalog.information_schema.tables',
    "system schema 'information_schema'",
  ],
  [
    'SELECT * FROM iceberg_acme.information_schema.tables',
    "system schema 'information_schema'",
  ],
  ['SELECT * FROM mysql.user', "system schema 'mysql'"],
  ['SELECT * FROM sys.role_edges', "system schema 'sys'"],
  [
    'SELECT * FROM _statistics_.column_statistics',
    "system schema '_statistics_'",
  ],
  [
    'SELECT * FROM starrocks_audit_db__.starrocks_audit_tbl__',
    "system schema 'starrocks_audit_db__'",
  ],
  [
    'SELECT * FROM performance_schema.threads',
    "system schema 'performance_schema'",
  ],
  [
    'SELECT * FROM acme.orders WHERE id IN (SELECT 1 FROM information_schema.schemata)',
    "system schema 'information_schema'",
  ],

  // other tenants' tables, hidden anywhere
  [
    'SELECT * FROM globex.orders',
    "table 'default_catalog.globex.orders' is not readable",
  ],
  [
    'SELECT * FROM default_catalog.globex.orders',
    "table 'default_catalog.globex.orders' is not readable",
  ],
  [
    'SELECT * FROM iceberg_globex.sales.events',
    "table 'iceberg_globex.sales.events' is not readable",
  ],
  [
    'SELECT * FROM iceberg_acme.sales.secrets',
    "table 'iceberg_acme.sales.secrets' is not readable",
  ],
  [
    'SELECT * FROM acme.Orders',
    "table 'default_catalog.acme.Orders' is not readable",
  ],
  [
    'SELECT * FROM ACME.orders',
    "table 'default_catalog.ACME.orders' is not readable",
  ],
  [
    'SELECT * FROM acme_views.daily_revenue',
    "table 'default_catalog.acme_views.daily_revenue' is not readable",
  ],
  ['SELECT * FROM orders', "unqualified table name 'orders'"],
  ['SELECT * FROM a.b.c.d', "table name 'a.b.c.d' has more than 3 parts"],
  [
    'SELECT * FROM acme.orders, globex.orders',
    "table 'default_catalog.globex.orders' is not readable",
  ],
  [
    'SELECT * FROM acme.orders o JOIN globex.customers c ON o.id = c.id',
    "table 'default_catalog.globex.customers'",
  ],
  [
    'SELECT * FROM acme.orders LEFT SEMI JOIN globex.orders g ON true',
    "table 'default_catalog.globex.orders'",
  ],
  [
    'SELECT * FROM acme.orders WHERE id IN (SELECT id FROM globex.orders)',
    "table 'default_catalog.globex.orders'",
  ],
  [
    'SELECT * FROM acme.orders WHERE EXISTS (SELECT 1 FROM globex.orders)',
    "table 'default_catalog.globex.orders'",
  ],
  [
    'SELECT (SELECT max(total) FROM globex.orders) FROM acme.orders',
    "table 'default_catalog.globex.orders'",
  ],
  [
    'SELECT * FROM (SELECT * FROM globex.orders) t',
    "table 'default_catalog.globex.orders'",
  ],
  [
    'SELECT * FROM acme.orders UNION ALL SELECT * FROM globex.orders',
    "table 'default_catalog.globex.orders'",
  ],
  [
    'WITH x AS (SELECT * FROM globex.orders) SELECT * FROM x',
    "table 'default_catalog.globex.orders'",
  ],
  [
    'SELECT * FROM acme.orders WHERE total > ALL (SELECT total FROM globex.orders)',
    "table 'default_catalog.globex.orders'",
  ],
  [
    'SELECT * FROM acme.orders HAVING count(*) > (SELECT count(*) FROM globex.orders)',
    "table 'default_catalog.globex.orders'",
  ],
  [
    'SELECT array_map(x -> (SELECT 1 FROM globex.orders), [1])',
    "table 'default_catalog.globex.orders'",
  ],
  [
    'SELECT CASE WHEN 1 THEN (SELECT 1 FROM globex.t) END',
    "table 'default_catalog.globex.t'",
  ],
  [
    'SELECT * FROM `globex`.`orders`',
    "table 'default_catalog.globex.orders' is not readable",
  ],
  // a CTE is visible only in its own query: outside it the name is a table again
  [
    'SELECT * FROM (WITH orders AS (SELECT 1) SELECT * FROM orders) x, orders',
    "unqualified table name 'orders'",
  ],
  // a CTE does not see itself: the inner name is a table
  [
    'WITH orders AS (SELECT * FROM orders) SELECT * FROM orders',
    "unqualified table name 'orders'",
  ],
  [
    'WITH RECURSIVE r AS (SELECT 1) SELECT * FROM r',
    'WITH RECURSIVE is not supported',
  ],

  // hints in other places, unparsable forms
  [
    'SELECT * FROM acme.orders o JOIN [broadcast] acme.customers c ON true',
    'join hints are not allowed',
  ],
  ['SELECT * FROM acme.orders [_META_]', 'table hints are not allowed'],
  ['SELECT * FROM acme.orders USE INDEX (i)', "cannot parse at 'USE'"],
  ['SELECT * FROM acme.orders PARTITION (p1)', "cannot parse at 'PARTITION'"],
  ['SELECT * FROM acme.orders LIMIT 1 OFFSET x', 'expected a number'],
  [
    'SELECT * FROM acme.orders NATURAL JOIN acme.customers',
    "cannot parse at 'NATURAL'",
  ],
  ['SELECT * FROM acme.orders LEFT acme.customers', 'expected JOIN'],
  ['SELECT', 'unexpected end of statement'],
  ['SELECT * FROM', 'unexpected end of statement'],
  ['SELECT (1', 'unexpected end of statement'],
  ['SELECT 1 +', 'unexpected end of statement'],
  ['SELECT CASE 1 END', 'expected WHEN'],
  ['SELECT CAST(1 AS)', 'expected a type'],
  ["SELECT 'a' 'b'", "cannot parse at ''b''"],
  [
    'SELECT 1 FROM acme.orders WINDOW w AS (ORDER BY id)',
    "cannot parse at 'WINDOW'",
  ],

  // more of the same, written the way attackers vary them
  ['\uff33\uff25\uff2c\uff25\uff23\uff34 1', 'non-ASCII character U+FF33'],
  [
    'SELECT * FROM acme.orders WHERE 1 = 1 UNION SELECT * FROM mysql.user',
    "system schema 'mysql'",
  ],
  [
    'SELECT * FROM DEFAULT_CATALOG.acme.orders',
    "table 'DEFAULT_CATALOG.acme.orders' is not readable",
  ],
  ['SHOW TABLES FROM ACME', "database 'default_catalog.ACME' is not readable"],
  ['SELECT `acme`.`fn`(1)', "user-defined function 'acme.fn'"],
  [
    'SELECT * FROM acme.orders o, LATERAL (SELECT * FROM globex.orders) g',
    "cannot parse at 'LATERAL'",
  ],
  [
    "SELECT * FROM acme.orders WHERE name LIKE 'x' ESCAPE (SELECT max(c) FROM globex.t)",
    "table 'default_catalog.globex.t'",
  ],
  [
    'SELECT * FROM acme.orders ORDER BY (SELECT 1 FROM globex.t)',
    "table 'default_catalog.globex.t'",
  ],
  [
    'SELECT * FROM acme.orders GROUP BY GROUPING SETS ((a, (SELECT 1 FROM globex.t)))',
    "table 'default_catalog.globex.t'",
  ],
  [
    'SELECT 1 UNION (WITH g AS (SELECT * FROM globex.t) SELECT * FROM g)',
    "table 'default_catalog.globex.t'",
  ],
  [
    '(WITH a AS (SELECT 1) SELECT * FROM a) UNION SELECT * FROM a',
    "unqualified table name 'a'",
  ],
  [
    'SELECT * FROM acme.orders WHERE x = ANY (SELECT * FROM globex.orders)',
    "table 'default_catalog.globex.orders'",
  ],
  [
    'SELECT sum(x) OVER w FROM acme.orders WINDOW w AS ()',
    "cannot parse at 'w'",
  ],
  ['SELECT count(*) FILTER (WHERE x) FROM acme.orders', "cannot parse at '('"],
  ['SELECT * FROM acme.orders LIMIT (SELECT 1)', 'expected a number'],
  [
    'SELECT * FROM acme.orders WHERE id = 1 /* ; */ ; SELECT 2',
    'exactly one statement',
  ],
];
