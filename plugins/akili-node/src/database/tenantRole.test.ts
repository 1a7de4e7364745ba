import { randomBytes } from 'node:crypto';
import { TestDatabases, TestDatabaseId } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { requireTestDatabaseIds } from '../testUtils';
import { akiliMigrationsV1 } from '../migrations/v1';
import { prepareTenantRole, readTenantRole } from './tenantRole';
import { TenantScopedDatabase } from './TenantScopedDatabase';
import { ConfigReader } from '@backstage/config';

jest.setTimeout(60_000);

const ids = requireTestDatabaseIds();
const postgresId = ids.find(id => id.startsWith('POSTGRES'));
const databases = TestDatabases.create({ ids });
const describePostgres = postgresId ? describe : describe.skip;

const TABLE = 'audit';

async function createTable(knex: Knex) {
  await knex.schema.createTable(TABLE, table => {
    table.bigIncrements('id');
    table.text('tenant_id').notNullable();
    table.text('what').notNullable();
  });
  await akiliMigrationsV1.enableTenantIsolation(knex, TABLE);
}

describePostgres('tenant role on PostgreSQL', () => {
  const suffix = randomBytes(5).toString('hex');
  const role = `akili_tenant_${suffix}`;
  const stranger = `akili_stranger_${suffix}`;
  let owner: Knex;

  beforeAll(async () => {
    owner = await databases.init(postgresId as TestDatabaseId);
    await createTable(owner);
    await owner.raw(`CREATE ROLE ?? NOLOGIN`, [role]);
    await owner.raw('GRANT ?? TO CURRENT_USER', [role]);
    await owner.raw(`CREATE ROLE ?? NOLOGIN`, [stranger]);
  });

  afterAll(async () => {
    if (owner) {
      for (const r of [role, stranger]) {
        await owner.raw('DROP OWNED BY ??', [r]).catch(() => {});
        await owner.raw('DROP ROLE IF EXISTS ??', [r]);
      }
    }
  });

  it('runs tenant transactions as the tenant role, bound by row-level security', async () => {
    await prepareTenantRole(owner, role, [TABLE]);
    const db = TenantScopedDatabase.create(owner, { tenantRole: role });
    const whoAmI = await db.withTenant('acme', async tx => {
      await db.insert(tx, TABLE, { what: 'created' });
      return (await tx.raw('SELECT current_user AS u')).rows[0].u;
    });
    expect(whoAmI).toBe(role);
    await db.withTenant('globex', tx =>
      db.insert(tx, TABLE, { what: 'suspended' }),
    );
    // Even without its filter, a transaction of acme sees acme's row only.
    const seen = await db.withTenant('acme', tx => tx(TABLE).select('what'));
    expect(seen).toEqual([{ what: 'created' }]);
    // The platform scope runs as the role too, read-only, in the same setup statement.
    const platform = await db.withPlatformScope(
      async tx =>
        (
          await tx.raw(
            "SELECT current_user AS u, current_setting('transaction_read_only') AS ro",
          )
        ).rows[0],
    );
    expect(platform).toEqual({ u: role, ro: 'on' });
    // The switch ends with the transaction: the pooled connection is the owner again.
    expect((await owner.raw('SELECT current_user AS u')).rows[0].u).not.toBe(
      role,
    );
  });

  it('refuses, naming the fix, a role that is missing, not granted or owns a table', async () => {
    await expect(
      prepareTenantRole(owner, `akili_missing_${suffix}`, [TABLE]),
    ).rejects.toThrow(
      new RegExp(
        `role 'akili_missing_${suffix}' does not exist; create it with CREATE ROLE`,
      ),
    );
    await expect(prepareTenantRole(owner, stranger, [TABLE])).rejects.toThrow(
      `may not switch to role '${stranger}'; run GRANT ${stranger} TO`,
    );
    await owner.schema.createTable('owned', table => table.text('tenant_id'));
    await owner.raw('GRANT CREATE ON SCHEMA public TO ??', [role]);
    await owner.raw('ALTER TABLE owned OWNER TO ??', [role]);
    await expect(prepareTenantRole(owner, role, ['owned'])).rejects.toThrow(
      `role '${role}' owns table owned`,
    );
    await expect(prepareTenantRole(owner, 'Bad-Name', [TABLE])).rejects.toThrow(
      'is not a plain PostgreSQL role name',
    );
  });
});

describe('tenant role configuration', () => {
  it('is refused on SQLite, which has no roles', async () => {
    const knex = await databases.init('SQLITE_3');
    await createTable(knex);
    await expect(prepareTenantRole(knex, 'akili_app', [TABLE])).rejects.toThrow(
      'akili.database.tenantRole needs PostgreSQL',
    );
  });

  it('reads akili.database.tenantRole', () => {
    expect(
      readTenantRole(
        new ConfigReader({ akili: { database: { tenantRole: 'akili_app' } } }),
      ),
    ).toBe('akili_app');
    expect(readTenantRole(new ConfigReader({}))).toBeUndefined();
  });
});
