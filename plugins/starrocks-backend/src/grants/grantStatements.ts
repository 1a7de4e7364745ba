import { backtickQuoter } from '@akili/plugin-starrocks-common';
import { StarrocksDialectName } from '../config';

/** A table a grant is on (in the default catalog). */
export interface GrantTable {
  database: string;
  table: string;
}

/** A tenant's StarRocks account, `'user'@'host'` (both checked by `readStarrocksConfig`). */
export interface GrantAccount {
  user: string;
  host: string;
}

/** The statements of one dialect that grant, revoke and list table grants. */
export interface GrantStatements {
  grant(table: GrantTable, account: GrantAccount): string;
  revoke(table: GrantTable, account: GrantAccount): string;
  /** The account's table-level SELECT grants: rows `{ db, tbl }`, with its parameters. */
  list(account: GrantAccount): { sql: string; params: string[] };
  /** Whether a REVOKE error says there was nothing to revoke (so revoking is idempotent). */
  isNothingToRevoke(error: unknown): boolean;
}

// Names come from manifests: anything a backtick-quoted identifier cannot hold safely is refused.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Whether a database or table name can be put in a GRANT (quoted). */
export function isGrantableName(name: string): boolean {
  return name.length > 0 && name.length <= 256 && !CONTROL.test(name);
}

const tableName = (t: GrantTable) =>
  `${backtickQuoter(t.database)}.${backtickQuoter(t.table)}`;
// The account parts were checked against a strict pattern when the config was read.
const accountName = (a: GrantAccount) => `'${a.user}'@'${a.host}'`;

/** StarRocks: `GRANT SELECT ON TABLE db.tbl TO USER 'u'@'%'`; grants read from `sys.grants_to_users`. */
export const starrocksGrantStatements: GrantStatements = {
  grant: (t, a) =>
    `GRANT SELECT ON TABLE ${tableName(t)} TO USER ${accountName(a)}`,
  revoke: (t, a) =>
    `REVOKE SELECT ON TABLE ${tableName(t)} FROM USER ${accountName(a)}`,
  list: a => ({
    sql: "SELECT OBJECT_DATABASE AS db, OBJECT_NAME AS tbl FROM sys.grants_to_users WHERE GRANTEE = ? AND OBJECT_TYPE = 'TABLE' AND OBJECT_CATALOG = 'default_catalog' AND PRIVILEGE_TYPE LIKE '%SELECT%'",
    params: [accountName(a)],
  }),
  // StarRocks revokes what is not granted without complaint.
  isNothingToRevoke: () => false,
};

/** MariaDB (the tests' stand-in): `GRANT SELECT ON db.tbl TO 'u'@'%'`; grants read from `mysql.tables_priv`. */
export const mariadbGrantStatements: GrantStatements = {
  grant: (t, a) => `GRANT SELECT ON ${tableName(t)} TO ${accountName(a)}`,
  revoke: (t, a) => `REVOKE SELECT ON ${tableName(t)} FROM ${accountName(a)}`,
  list: a => ({
    sql: "SELECT Db AS db, Table_name AS tbl FROM mysql.tables_priv WHERE User = ? AND Host = ? AND FIND_IN_SET('Select', Table_priv) > 0",
    params: [a.user, a.host],
  }),
  // 1147 ER_NONEXISTING_TABLE_GRANT: there is no such grant.
  isNothingToRevoke: error => (error as { errno?: number })?.errno === 1147,
};

/** The grant statements of a dialect. */
export function grantStatementsOf(name: StarrocksDialectName): GrantStatements {
  return name === 'mariadb' ? mariadbGrantStatements : starrocksGrantStatements;
}
