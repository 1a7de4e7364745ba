import { randomBytes } from 'node:crypto';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
  TestDatabaseId,
} from '@backstage/backend-test-utils';
import {
  requireTestDatabaseIds,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import request from 'supertest';
import { akiliPlugin } from '../plugin';

jest.setTimeout(60_000);

const postgresId = requireTestDatabaseIds().find(id =>
  id.startsWith('POSTGRES'),
) as TestDatabaseId | undefined;
const describePostgres = postgresId ? describe : describe.skip;

/** The tables of tenants, events and dead letters (other features add their own). */
const CONTROL_PLANE_TABLES = [
  'akili_dead_letters',
  'akili_event_outbox',
  'akili_processed_events',
  'akili_tenant_audit',
  'akili_tenant_members',
  'akili_tenants',
];

/**
 * Production runs tenant transactions as a role that does not own the tables
 * (`akili.database.tenantRole`): the tenant API works through it, and a role the plugin cannot
 * use stops start-up with the fix.
 */
describePostgres('tenant management with akili.database.tenantRole', () => {
  const databases = TestDatabases.create({ ids: [postgresId!] });
  const role = `akili_tenant_${randomBytes(5).toString('hex')}`;

  async function start(tenantRole: string) {
    const knex = await databases.init(postgresId!);
    const backend = await startTestBackend({
      features: [
        akiliPlugin,
        userInfoFromDirectory({
          'user:default/admin': [
            'user:default/admin',
            'group:akili/platform-admin',
          ],
        }),
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            akili: {
              database: { tenantRole },
              tenants: { seed: [{ name: 'acme', title: 'ACME Retail' }] },
            },
          },
        }),
      ],
    });
    return { knex, backend };
  }

  afterAll(async () => {
    const knex = await databases.init(postgresId!);
    await knex.raw('DROP ROLE IF EXISTS ??', [role]);
  });

  it('serves the tenant API through the non-owner role', async () => {
    const setup = await databases.init(postgresId!);
    await setup.raw('CREATE ROLE ?? NOLOGIN', [role]);
    await setup.raw('GRANT ?? TO CURRENT_USER', [role]);

    const { knex, backend } = await start(role);
    const created = await request(backend.server)
      .post('/api/akili/v1/tenants')
      .set('Authorization', mockCredentials.user.header('user:default/admin'))
      .send({ name: 'globex', title: 'Globex Logistics' });
    expect(created.status).toBe(201);
    const list = await request(backend.server)
      .get('/api/akili/v1/tenants')
      .set('Authorization', mockCredentials.user.header('user:default/admin'));
    expect(list.body.items.map((t: { name: string }) => t.name)).toEqual([
      'acme',
      'globex',
    ]);
    // The role holds exactly the table privileges it was granted, and owns nothing.
    const grants = await knex.raw(
      `SELECT table_name, string_agg(privilege_type, ',' ORDER BY privilege_type) AS p
         FROM information_schema.role_table_grants WHERE grantee = ? GROUP BY table_name
         ORDER BY table_name`,
      [role],
    );
    // The audit trail is append-only for the role: it reads and appends, never changes.
    expect(
      grants.rows.filter((row: { table_name: string }) =>
        CONTROL_PLANE_TABLES.includes(row.table_name),
      ),
    ).toEqual(
      CONTROL_PLANE_TABLES.map(table_name => ({
        table_name,
        p:
          table_name === 'akili_tenant_audit'
            ? 'INSERT,SELECT'
            : 'DELETE,INSERT,SELECT,UPDATE',
      })),
    );
    const owned = await knex.raw(
      'SELECT count(*)::int AS n FROM pg_tables WHERE tableowner = ?',
      [role],
    );
    expect(owned.rows[0].n).toBe(0);
    await backend.stop();
    await knex.raw('DROP OWNED BY ??', [role]);
  });

  it('refuses to start with a role it cannot switch to, naming the fix', async () => {
    await expect(start('akili_no_such_role')).rejects.toThrow(
      "akili.database.tenantRole: role 'akili_no_such_role' does not exist; create it with CREATE ROLE akili_no_such_role NOLOGIN;",
    );
  });
});
