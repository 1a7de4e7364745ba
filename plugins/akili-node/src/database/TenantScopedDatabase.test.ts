import { randomBytes } from 'node:crypto';
import { TestDatabases, TestDatabaseId } from '@backstage/backend-test-utils';
import { InputError, NotAllowedError } from '@backstage/errors';
import knexFactory, { Knex } from 'knex';
import { requireTestDatabaseIds } from '../testUtils';
import { akiliMigrationsV1 } from '../migrations/v1';
import {
  TENANT_ISOLATION_POLICY,
  TENANT_PLATFORM_READ_POLICY,
} from './tenantIsolation';

const { enableTenantIsolation, disableTenantIsolation } = akiliMigrationsV1;
import { TenantScopedDatabase } from './TenantScopedDatabase';

jest.setTimeout(60_000);

const TABLE = 'products';
/** A table platform admins may read across tenants (`platformReadable`), like a tenant directory. */
const DIRECTORY = 'directory';

/** What a plugin's `migrations/` folder would hold, as an in-memory knex migration source. */
const migrations: Record<string, Knex.Migration> = {
  '20250101000000_create_products.js': {
    async up(knex) {
      await knex.schema.createTable(TABLE, table => {
        table.increments('id');
        table.text('tenant_id').notNullable();
        table.text('name').notNullable();
      });
    },
    async down(knex) {
      await knex.schema.dropTable(TABLE);
    },
  },
  '20250101000001_isolate_products.js': {
    up: knex => enableTenantIsolation(knex, TABLE),
    down: knex => disableTenantIsolation(knex, TABLE),
  },
  '20250101000002_create_directory.js': {
    async up(knex) {
      await knex.schema.createTable(DIRECTORY, table => {
        table.text('tenant_id').primary();
        table.text('name').notNullable();
      });
      await enableTenantIsolation(knex, DIRECTORY, { platformReadable: true });
    },
    async down(knex) {
      await disableTenantIsolation(knex, DIRECTORY);
      await knex.schema.dropTable(DIRECTORY);
    },
  },
};

const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: name => name,
  getMigration: async name => migrations[name],
};

async function migrateUp(knex: Knex) {
  await knex.migrate.latest({ migrationSource });
}

/** Seeds as the owner: one write transaction per tenant, as an application would. */
async function seed(db: TenantScopedDatabase) {
  await db.withTenant('acme', async tx => {
    await db.insert(tx, TABLE, [{ name: 'orders' }, { name: 'customers' }]);
    await db.insert(tx, DIRECTORY, { name: 'ACME Retail' });
  });
  await db.withTenant('globex', async tx => {
    await db.insert(tx, TABLE, { name: 'invoices' });
    await db.insert(tx, DIRECTORY, { name: 'Globex Logistics' });
  });
}

async function names(query: Knex.QueryBuilder): Promise<string[]> {
  const rows: Array<{ name: string }> = await query.select('name');
  return rows.map(row => row.name).sort();
}

const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });
const allIds = databases.eachSupportedId();
const postgresIds = allIds.filter(([id]) => id.startsWith('POSTGRES'));

describe('TenantScopedDatabase on every store', () => {
  it.each(allIds)(
    'scopes reads and writes to the tenant explicitly, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateUp(knex);
      const db = TenantScopedDatabase.create(knex);
      expect(db.enforcesRowLevelSecurity).toBe(
        databaseId.startsWith('POSTGRES'),
      );
      await seed(db);

      await db.withTenant('acme', async tx => {
        expect(db.tenantOf(tx)).toBe('acme');
        expect(await names(db.scoped(tx, TABLE))).toEqual([
          'customers',
          'orders',
        ]);
        expect(
          await db.scoped(tx, TABLE).where({ name: 'invoices' }).update({
            name: 'hijacked',
          }),
        ).toBe(0);
        expect(
          await db.scoped(tx, TABLE).where({ name: 'invoices' }).delete(),
        ).toBe(0);
        expect(() =>
          db.insert(tx, TABLE, { tenant_id: 'globex', name: 'planted' }),
        ).toThrow(NotAllowedError);
        await db.insert(tx, TABLE, { tenant_id: 'acme', name: 'returns' });
      });

      expect(
        await db.withTenant('globex', tx => names(db.scoped(tx, TABLE))),
      ).toEqual(['invoices']);
      expect(
        await db.withTenant('acme', tx => names(db.scoped(tx, TABLE))),
      ).toEqual(['customers', 'orders', 'returns']);
    },
  );

  it.each(allIds)(
    'commits on success and rolls back when the work throws, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateUp(knex);
      const db = TenantScopedDatabase.create(knex);

      await expect(
        db.withTenant('acme', async tx => {
          await db.insert(tx, TABLE, { name: 'doomed' });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      await expect(
        db.withTenant('acme', async tx => {
          await db.insert(tx, TABLE, { name: 'kept' });
          return 'done';
        }),
      ).resolves.toBe('done');

      expect(
        await db.withTenant('acme', tx => names(db.scoped(tx, TABLE))),
      ).toEqual(['kept']);
    },
  );

  it.each(allIds)(
    'refuses malformed tenant names before touching SQL, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const db = TenantScopedDatabase.create(knex);
      const fn = jest.fn();
      for (const tenant of [
        "acme' OR '1'='1",
        '',
        'Acme',
        '-acme',
        'acme-',
        'ac_me',
        'a'.repeat(64),
      ]) {
        await expect(db.withTenant(tenant, fn)).rejects.toThrow(InputError);
      }
      expect(fn).not.toHaveBeenCalled();
    },
  );

  it.each(allIds)(
    'only hands out tenant queries inside withTenant, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateUp(knex);
      const db = TenantScopedDatabase.create(knex);
      await knex.transaction(async tx => {
        expect(() => db.scoped(tx, TABLE)).toThrow(/Not a tenant transaction/);
      });
      await db.withTenant('acme', async tx => {
        expect(() => db.scoped(tx, 'products; DROP TABLE x')).toThrow(
          InputError,
        );
      });
    },
  );

  it.each(allIds)(
    'reads across tenants only in the platform scope, which cannot write, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateUp(knex);
      const db = TenantScopedDatabase.create(knex);
      await seed(db);

      expect(
        await db.withPlatformScope(async tx => {
          expect(db.isPlatformScope(tx)).toBe(true);
          expect(() => db.scoped(tx, DIRECTORY)).toThrow(
            /Not a tenant transaction/,
          );
          expect(() => db.insert(tx, DIRECTORY, { name: 'x' })).toThrow(
            /Not a tenant transaction/,
          );
          return names(tx(DIRECTORY));
        }),
      ).toEqual(['ACME Retail', 'Globex Logistics']);

      // Even a raw write inside the platform scope fails (READ ONLY / query_only). Matched by
      // message: better-sqlite3 is a native module loaded once per Jest worker, so after another
      // test file its errors come from another realm and fail `toThrow`'s instanceof check.
      const READ_ONLY = /read-only|readonly/i;
      await expect(
        db.withPlatformScope(tx =>
          tx(DIRECTORY).insert({ tenant_id: 'initech', name: 'planted' }),
        ),
      ).rejects.toMatchObject({ message: expect.stringMatching(READ_ONLY) });
      await expect(
        db.withPlatformScope(tx => tx(DIRECTORY).update({ name: 'renamed' })),
      ).rejects.toMatchObject({ message: expect.stringMatching(READ_ONLY) });

      // The connection is writable again for tenant work afterwards.
      await db.withTenant('initech', async tx => {
        await db.insert(tx, DIRECTORY, { name: 'Initech Payments' });
      });
      expect(await db.withPlatformScope(tx => names(tx(DIRECTORY)))).toEqual([
        'ACME Retail',
        'Globex Logistics',
        'Initech Payments',
      ]);
    },
  );

  it.each(allIds)('migrates up and down, %p', async databaseId => {
    const knex = await databases.init(databaseId);
    await migrateUp(knex);
    expect(await knex.schema.hasTable(TABLE)).toBe(true);
    await knex.migrate.rollback({ migrationSource }, true);
    expect(await knex.schema.hasTable(TABLE)).toBe(false);
    await migrateUp(knex);
    expect(await knex.schema.hasTable(TABLE)).toBe(true);
  });

  it.each(allIds)('rejects malformed table names, %p', async databaseId => {
    const knex = await databases.init(databaseId);
    await expect(
      enableTenantIsolation(knex, 'products"; DROP TABLE x; --'),
    ).rejects.toThrow(/^Invalid table name/);
    await expect(disableTenantIsolation(knex, '')).rejects.toThrow(
      /^Invalid table name/,
    );
  });
});

const describePostgres = postgresIds.length > 0 ? describe : describe.skip;

describePostgres(
  'TenantScopedDatabase row-level security on PostgreSQL',
  () => {
    const databaseId = (postgresIds[0]?.[0] ?? 'POSTGRES_15') as TestDatabaseId;
    const appRole = `akili_app_${randomBytes(6).toString('hex')}`;
    const appPassword = randomBytes(18).toString('hex');
    let owner: Knex;
    let app: Knex;
    let ownerDb: TenantScopedDatabase;
    let appDb: TenantScopedDatabase;

    beforeAll(async () => {
      owner = await databases.init(databaseId);
      await migrateUp(owner);
      ownerDb = TenantScopedDatabase.create(owner);
      await seed(ownerDb);

      // The application connects as an ordinary LOGIN role that does not own the table.
      await owner.raw(`CREATE ROLE ?? LOGIN PASSWORD '${appPassword}'`, [
        appRole,
      ]);
      for (const table of [TABLE, DIRECTORY]) {
        await owner.raw(
          'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE ?? TO ??',
          [table, appRole],
        );
      }
      await owner.raw('GRANT USAGE ON SEQUENCE ?? TO ??', [
        `${TABLE}_id_seq`,
        appRole,
      ]);
      const connection = owner.client.config
        .connection as Knex.PgConnectionConfig;
      app = knexFactory({
        client: 'pg',
        connection: { ...connection, user: appRole, password: appPassword },
        // One connection, so a test can see what a pooled session keeps after a transaction.
        pool: { min: 1, max: 1 },
      });
      appDb = TenantScopedDatabase.create(app);
    });

    afterAll(async () => {
      await app?.destroy();
      if (owner) {
        for (const table of [TABLE, DIRECTORY]) {
          await owner.raw('REVOKE ALL ON TABLE ?? FROM ??', [table, appRole]);
        }
        await owner.raw('REVOKE ALL ON SEQUENCE ?? FROM ??', [
          `${TABLE}_id_seq`,
          appRole,
        ]);
        await owner.raw('DROP ROLE IF EXISTS ??', [appRole]);
      }
    });

    it('connects the application as a non-owner, non-bypassing role', async () => {
      const [{ rolsuper, rolbypassrls }] = (
        await app.raw(
          'SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user',
        )
      ).rows;
      expect({ rolsuper, rolbypassrls }).toEqual({
        rolsuper: false,
        rolbypassrls: false,
      });
      const [{ tableowner }] = (
        await app.raw('SELECT tableowner FROM pg_tables WHERE tablename = ?', [
          TABLE,
        ])
      ).rows;
      expect(tableowner).not.toBe(appRole);
    });

    it('(a) shows only the tenant rows inside withTenant, even without a filter', async () => {
      expect(await appDb.withTenant('acme', tx => names(tx(TABLE)))).toEqual([
        'customers',
        'orders',
      ]);
      expect(await appDb.withTenant('globex', tx => names(tx(TABLE)))).toEqual([
        'invoices',
      ]);
      expect(await appDb.withTenant('initech', tx => names(tx(TABLE)))).toEqual(
        [],
      );
    });

    it('(b) returns no rows to a query that forgets its tenant', async () => {
      expect(await names(app(TABLE))).toEqual([]);
      expect(await app.transaction(tx => names(tx(TABLE)))).toEqual([]);
      expect(
        (await app.raw(`SELECT count(*)::int AS n FROM ${TABLE}`)).rows[0].n,
      ).toBe(0);
    });

    it('(c) refuses to change or plant rows of another tenant', async () => {
      await appDb.withTenant('acme', async tx => {
        expect(
          await tx(TABLE).where({ tenant_id: 'globex' }).update({ name: 'x' }),
        ).toBe(0);
        expect(await tx(TABLE).where({ tenant_id: 'globex' }).delete()).toBe(0);
      });
      await expect(
        appDb.withTenant('acme', tx =>
          tx(TABLE).insert({ tenant_id: 'globex', name: 'planted' }),
        ),
      ).rejects.toMatchObject({
        code: '42501',
        message: expect.stringMatching(/row-level security policy/),
      });
      // Moving an own row to another tenant is a policy violation too (WITH CHECK).
      await expect(
        appDb.withTenant('acme', tx =>
          tx(TABLE).where({ name: 'orders' }).update({ tenant_id: 'globex' }),
        ),
      ).rejects.toMatchObject({ code: '42501' });

      expect(
        await ownerDb.withTenant('globex', tx => names(tx(TABLE))),
      ).toEqual(['invoices']);
      expect(await ownerDb.withTenant('acme', tx => names(tx(TABLE)))).toEqual([
        'customers',
        'orders',
      ]);
    });

    it('(c) lets a tenant write its own rows', async () => {
      await appDb.withTenant('initech', async tx => {
        await appDb.insert(tx, TABLE, { name: 'staplers' });
        expect(await tx(TABLE).where({ name: 'staplers' }).delete()).toBe(1);
      });
    });

    it('(d) binds the table owner too (FORCE ROW LEVEL SECURITY)', async () => {
      expect(await names(owner(TABLE))).toEqual([]);
      expect(
        await ownerDb.withTenant('globex', tx => names(tx(TABLE))),
      ).toEqual(['invoices']);
      expect(
        await ownerDb.withTenant('globex', tx =>
          tx(TABLE).where({ tenant_id: 'acme' }).delete(),
        ),
      ).toBe(0);
    });

    it("(e) leaves '' behind after the transaction, which matches nothing", async () => {
      const inside = await appDb.withTenant('acme', async tx => {
        const { rows } = await tx.raw(
          "SELECT pg_backend_pid() AS pid, current_setting('app.tenant_id', true) AS tenant",
        );
        return rows[0];
      });
      expect(inside.tenant).toBe('acme');

      const { rows } = await app.raw(
        "SELECT pg_backend_pid() AS pid, current_setting('app.tenant_id', true) AS tenant",
      );
      expect(rows[0]).toEqual({ pid: inside.pid, tenant: '' });
      expect(await names(app(TABLE))).toEqual([]);
    });

    it('refuses a row with an empty tenant, which an empty setting would otherwise let through', async () => {
      await expect(
        app.transaction(async tx => {
          await tx.raw("SELECT set_config('app.tenant_id', '', true)");
          await tx(TABLE).insert({ tenant_id: '', name: 'orphan' });
        }),
      ).rejects.toMatchObject({ code: '23514' });
    });

    it('(g) lets the platform scope read only platform-readable tables', async () => {
      const seen = await appDb.withPlatformScope(async tx => ({
        directory: await names(tx(DIRECTORY)),
        products: await names(tx(TABLE)),
      }));
      expect(seen).toEqual({
        directory: ['ACME Retail', 'Globex Logistics'],
        products: [],
      });
      // Outside it, and after it on the same pooled connection, nothing is visible.
      expect(await names(app(DIRECTORY))).toEqual([]);
      const { rows } = await app.raw(
        "SELECT current_setting('app.platform_scope', true) AS scope",
      );
      expect(rows[0].scope ?? '').toBe('');
      // A tenant transaction sees only its own directory row.
      expect(
        await appDb.withTenant('acme', tx => names(tx(DIRECTORY))),
      ).toEqual(['ACME Retail']);
    });

    it('(g) keeps the platform policy SELECT-only, even without READ ONLY', async () => {
      // Set the scope by hand in an ordinary (writable) transaction: the policies alone must refuse.
      const inPlatformScope = <T>(fn: (tx: Knex.Transaction) => Promise<T>) =>
        app.transaction(async tx => {
          await tx.raw("SELECT set_config('app.platform_scope', 'on', true)");
          return fn(tx);
        });
      await expect(
        inPlatformScope(tx =>
          tx(DIRECTORY).insert({ tenant_id: 'initech', name: 'planted' }),
        ),
      ).rejects.toMatchObject({ code: '42501' });
      expect(
        await inPlatformScope(tx => tx(DIRECTORY).update({ name: 'renamed' })),
      ).toBe(0);
      expect(await inPlatformScope(tx => tx(DIRECTORY).delete())).toBe(0);
      expect(await inPlatformScope(tx => names(tx(TABLE)))).toEqual([]);
      expect(await appDb.withPlatformScope(tx => names(tx(DIRECTORY)))).toEqual(
        ['ACME Retail', 'Globex Logistics'],
      );
    });

    it('keeps concurrent transactions of different tenants apart', async () => {
      const results = await Promise.all(
        ['acme', 'globex', 'acme', 'globex'].map(tenant =>
          ownerDb.withTenant(tenant, async tx => {
            await tx.raw('SELECT pg_sleep(0.05)');
            return names(tx(TABLE));
          }),
        ),
      );
      expect(results).toEqual([
        ['customers', 'orders'],
        ['invoices'],
        ['customers', 'orders'],
        ['invoices'],
      ]);
    });
  },
);

describePostgres('tenant isolation migrations on PostgreSQL', () => {
  const databaseId = (postgresIds[0]?.[0] ?? 'POSTGRES_15') as TestDatabaseId;

  async function isolationState(knex: Knex) {
    const {
      rows: [table],
    } = await knex.raw(
      'SELECT relrowsecurity AS enabled, relforcerowsecurity AS forced FROM pg_class WHERE oid = ?::regclass',
      [TABLE],
    );
    const { rows: policies } = await knex.raw(
      'SELECT policyname, qual, with_check FROM pg_policies WHERE tablename = ?',
      [TABLE],
    );
    const { rows: checks } = await knex.raw(
      "SELECT conname FROM pg_constraint WHERE conrelid = ?::regclass AND contype = 'c'",
      [TABLE],
    );
    return { ...table, policies, checks: checks.map((c: any) => c.conname) };
  }

  it('(f) enables, forces and removes isolation', async () => {
    const knex = await databases.init(databaseId);
    await migrateUp(knex);

    const up = await isolationState(knex);
    expect(up).toMatchObject({
      enabled: true,
      forced: true,
      checks: ['products_tenant_id_not_empty'],
    });
    expect(up.policies).toHaveLength(1);
    expect(up.policies[0].policyname).toBe(TENANT_ISOLATION_POLICY);
    expect(up.policies[0].qual).toMatch(/current_setting\('app\.tenant_id'/);
    expect(up.policies[0].with_check).toMatch(
      /current_setting\('app\.tenant_id'/,
    );

    const db = TenantScopedDatabase.create(knex);
    await seed(db);
    expect(await names(knex(TABLE))).toEqual([]);

    // The platform-readable table has a second, SELECT-only policy, removed with isolation.
    const { rows: directoryPolicies } = await knex.raw(
      'SELECT policyname, cmd, qual, with_check FROM pg_policies WHERE tablename = ? ORDER BY policyname',
      [DIRECTORY],
    );
    expect(directoryPolicies).toEqual([
      expect.objectContaining({
        policyname: TENANT_ISOLATION_POLICY,
        cmd: 'ALL',
      }),
      expect.objectContaining({
        policyname: TENANT_PLATFORM_READ_POLICY,
        cmd: 'SELECT',
        qual: expect.stringMatching(/current_setting\('app\.platform_scope'/),
        with_check: null,
      }),
    ]);

    // Down the directory, then the isolation migration only: the table stays, unrestricted.
    await knex.migrate.down({ migrationSource });
    expect(await knex.schema.hasTable(DIRECTORY)).toBe(false);
    await knex.migrate.down({ migrationSource });
    expect(await isolationState(knex)).toEqual({
      enabled: false,
      forced: false,
      policies: [],
      checks: [],
    });
    expect(await names(knex(TABLE))).toEqual([
      'customers',
      'invoices',
      'orders',
    ]);

    // Up again over existing rows, then all the way down.
    await migrateUp(knex);
    expect(await names(knex(TABLE))).toEqual([]);
    await knex.migrate.rollback({ migrationSource }, true);
    expect(await knex.schema.hasTable(TABLE)).toBe(false);
  });
});
