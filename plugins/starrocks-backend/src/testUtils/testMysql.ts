import { ConfigReader } from '@backstage/config';
import { createConnection, Connection } from 'mysql2/promise';
import { readStarrocksConfig, StarrocksConfig } from '../config';

/**
 * The MySQL-protocol server the engine tests run on: MariaDB prepared by
 * `scripts/test-services/up.sh` (AKILI_TEST_MYSQL_URL). Missing is an error, never a silent skip.
 */
export function requireTestMysqlUrl(): URL {
  const url = process.env.AKILI_TEST_MYSQL_URL;
  if (!url) {
    throw new Error(
      'AKILI_TEST_MYSQL_URL is not set: run the tests through `make test`, or first run ' +
        '`eval "$(scripts/test-services/up.sh)"` at the repository root (MariaDB stands in for StarRocks)',
    );
  }
  return new URL(url);
}

/** An administrative connection (the akili_test user, which has GRANT OPTION). */
export async function adminConnection(): Promise<Connection> {
  const url = requireTestMysqlUrl();
  return createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    multipleStatements: false,
  });
}

/** The two test tenants: a database each and a user with SELECT on its own database only. */
export const TEST_TENANTS = {
  acme: {
    database: 'akili_sr_acme',
    user: 'akili_sr_acme_ro',
    password: 'acme-ro-pw',
  },
  globex: {
    database: 'akili_sr_globex',
    user: 'akili_sr_globex_ro',
    password: 'globex-ro-pw',
  },
} as const;

/**
 * Creates (again) the tenants' databases, an `orders` table each with rows that exercise the
 * formats, and their read-only users.
 */
export async function prepareTenantDatabases(admin: Connection): Promise<void> {
  for (const [tenant, t] of Object.entries(TEST_TENANTS)) {
    await admin.query(`DROP DATABASE IF EXISTS ${t.database}`);
    await admin.query(`CREATE DATABASE ${t.database}`);
    await admin.query(
      `CREATE TABLE ${t.database}.orders (
         id BIGINT PRIMARY KEY,
         customer VARCHAR(100),
         amount DECIMAL(12,2),
         created DATETIME,
         note TEXT
       )`,
    );
    await admin.query(
      `INSERT INTO ${t.database}.orders VALUES
         (1, ?, 12.50, '2026-01-02 03:04:05', 'plain'),
         (2, 'Doe, "Jane"', 0.10, '2026-02-03 04:05:06', 'two\\nlines'),
         (9007199254740993, 'big id', 99999999.99, NULL, NULL)`,
      [`${tenant} corp`],
    );
    await createReadOnlyUser(admin, t);
  }
}

/** (Re)creates a user with SELECT on one database only, over TCP and the socket. */
export async function createReadOnlyUser(
  admin: Connection,
  t: { user: string; password: string; database: string },
): Promise<void> {
  for (const host of ['%', 'localhost']) {
    await admin.query(`DROP USER IF EXISTS '${t.user}'@'${host}'`);
    await admin.query(
      `CREATE USER '${t.user}'@'${host}' IDENTIFIED BY '${t.password}'`,
    );
    await admin.query(
      `GRANT SELECT ON ${t.database}.* TO '${t.user}'@'${host}'`,
    );
  }
}

/** `starrocks` config for the MariaDB dialect with the two tenants (and any extra ones). */
export function testStarrocksConfig(
  extra: Record<string, unknown> = {},
  tenants: Record<string, unknown> = {},
): StarrocksConfig {
  const url = requireTestMysqlUrl();
  const base = (t: (typeof TEST_TENANTS)['acme' | 'globex']) => ({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: t.user,
    password: t.password,
    database: t.database,
  });
  return readStarrocksConfig(
    new ConfigReader({
      starrocks: {
        dialect: 'mariadb',
        queryTimeoutSeconds: 10,
        maxRows: 1000,
        connectTimeoutSeconds: 2,
        ...extra,
        tenants: {
          acme: base(TEST_TENANTS.acme),
          globex: base(TEST_TENANTS.globex),
          ...tenants,
        },
      },
    }),
  );
}
