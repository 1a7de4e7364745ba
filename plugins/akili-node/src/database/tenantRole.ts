import { Knex } from 'knex';
import { assertTableName, isPostgres } from './dialect';
import {
  TENANT_APPEND_ONLY_POLICIES,
  TENANT_ISOLATION_POLICY,
} from './tenantIsolation';

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Checks the role Akili's tenant transactions run as (`akili.database.tenantRole`) and grants it
 * what it needs on the tenant-isolated tables: by default every table of the schema with an Akili
 * row-level security policy, or the `tables` given. Run it as the connection's user (who owns the
 * tables and ran the migrations) after migrating.
 *
 * @remarks
 *
 * Backstage gives a plugin one database connection, used for migrations too, so that user owns
 * the tables. With a tenant role configured, {@link TenantScopedDatabase} switches to it at the
 * start of every transaction (`SET LOCAL ROLE`): reads and writes of tenant data run as a role
 * that does not own the tables and cannot bypass row-level security. The role must exist, be
 * granted to the connection's user, and be neither superuser nor BYPASSRLS; each problem is
 * refused at start-up with what to run.
 *
 * The role gets `SELECT, INSERT, UPDATE, DELETE` on a tenant-isolated table, and only
 * `SELECT, INSERT` on an append-only one (an audit trail: policies `tenant_read` and
 * `tenant_append`); `UPDATE` and `DELETE` granted before are revoked there.
 *
 * @public
 */
export async function prepareTenantRole(
  knex: Knex,
  role: string,
  tables?: string[],
): Promise<void> {
  if (!ROLE_NAME.test(role)) {
    throw new Error(
      `akili.database.tenantRole '${role}' is not a plain PostgreSQL role name (lowercase letters, digits, underscores)`,
    );
  }
  if (!isPostgres(knex)) {
    throw new Error(
      'akili.database.tenantRole needs PostgreSQL: SQLite has no roles (leave it unset for local development)',
    );
  }
  const { rows } = await knex.raw(
    `SELECT r.rolsuper, r.rolbypassrls, current_user AS me,
            pg_has_role(current_user, r.oid, 'MEMBER') AS granted
       FROM pg_roles r WHERE r.rolname = ?`,
    [role],
  );
  const me: string = (await knex.raw('SELECT current_user AS me')).rows[0].me;
  if (rows.length === 0) {
    throw new Error(
      `akili.database.tenantRole: role '${role}' does not exist; create it with ` +
        `CREATE ROLE ${role} NOLOGIN; GRANT ${role} TO ${me};`,
    );
  }
  const [found] = rows;
  if (found.rolsuper || found.rolbypassrls) {
    throw new Error(
      `akili.database.tenantRole: role '${role}' is ${
        found.rolsuper ? 'a superuser' : 'BYPASSRLS'
      } and would not be bound by row-level security; use a plain role`,
    );
  }
  if (!found.granted) {
    throw new Error(
      `akili.database.tenantRole: '${me}' may not switch to role '${role}'; run GRANT ${role} TO ${me};`,
    );
  }
  await knex.raw('GRANT USAGE ON SCHEMA ?? TO ??', [
    (await knex.raw('SELECT current_schema() AS s')).rows[0].s,
    role,
  ]);
  const policies = await tablePolicies(knex);
  for (const table of tables ?? [...policies.keys()].sort()) {
    assertTableName(table);
    const owner = await knex.raw(
      'SELECT tableowner FROM pg_tables WHERE tablename = ? AND schemaname = current_schema()',
      [table],
    );
    if (owner.rows[0]?.tableowner === role) {
      throw new Error(
        `akili.database.tenantRole: role '${role}' owns table ${table}; the tenant role must not own Akili tables`,
      );
    }
    if (policies.get(table)?.has(TENANT_APPEND_ONLY_POLICIES.append)) {
      await knex.raw('REVOKE UPDATE, DELETE ON TABLE ?? FROM ??', [
        table,
        role,
      ]);
      await knex.raw('GRANT SELECT, INSERT ON TABLE ?? TO ??', [table, role]);
    } else {
      await knex.raw('GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE ?? TO ??', [
        table,
        role,
      ]);
    }
    // Serial columns (audit ids) draw from sequences the role must be able to use.
    const sequences = await knex.raw(
      `SELECT s.relname AS name FROM pg_class s
         JOIN pg_depend d ON d.objid = s.oid
         JOIN pg_class t ON d.refobjid = t.oid
        WHERE s.relkind = 'S' AND t.relname = ? AND t.relnamespace = current_schema()::regnamespace`,
      [table],
    );
    for (const { name } of sequences.rows) {
      await knex.raw('GRANT USAGE, SELECT ON SEQUENCE ?? TO ??', [name, role]);
    }
  }
}

/** The Akili policies of each table of the current schema that has any. */
async function tablePolicies(knex: Knex): Promise<Map<string, Set<string>>> {
  const { rows } = await knex.raw(
    `SELECT tablename, policyname FROM pg_policies
      WHERE schemaname = current_schema() AND policyname = ANY(?)`,
    [
      [
        TENANT_ISOLATION_POLICY,
        TENANT_APPEND_ONLY_POLICIES.read,
        TENANT_APPEND_ONLY_POLICIES.append,
      ],
    ],
  );
  const policies = new Map<string, Set<string>>();
  for (const { tablename, policyname } of rows) {
    const names = policies.get(tablename) ?? new Set<string>();
    names.add(policyname);
    policies.set(tablename, names);
  }
  return policies;
}

/**
 * For {@link TenantScopedDatabase} on PostgreSQL: sets the transaction's settings (as `SET LOCAL`)
 * and switches it to the tenant role, if any, in ONE statement: every tenant transaction of the
 * portal pays this round trip, so it is not paid twice. `set_config('role', ..)` is `SET LOCAL
 * ROLE`; the role name is a bound value, never SQL.
 */
export async function configureTransaction(
  tx: Knex.Transaction,
  role: string | undefined,
  settings: Array<[name: string, value: string]>,
): Promise<void> {
  const all: Array<[string, string]> = role
    ? [['role', role], ...settings]
    : settings;
  if (all.length === 0) {
    return;
  }
  await tx.raw(
    `SELECT ${all.map(() => 'set_config(?, ?, true)').join(', ')}`,
    all.flat(),
  );
}

/** Reads `akili.database.tenantRole`, the role tenant transactions run as (PostgreSQL). */
export function readTenantRole(config: {
  getOptionalString(key: string): string | undefined;
}): string | undefined {
  return config.getOptionalString('akili.database.tenantRole') || undefined;
}
