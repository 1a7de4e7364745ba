import { TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import {
  DataProductManifest,
  diffManifests,
  ManifestDiff,
} from '@akili/plugin-akili-common';
import {
  DEFAULT_EVENT_OUTBOX_TABLE,
  EventOutbox,
  TenantScopedDatabase,
} from '@akili/plugin-akili-node';
import { requireTestDatabaseIds } from '@akili/plugin-akili-node/testUtils';
import { TENANTS_MIGRATIONS_DIRECTORY } from '../tenants/TenantStore';
import {
  PRODUCT_VERSIONS_TABLE,
  PRODUCTS_TABLE,
  ProductStore,
} from './ProductStore';

jest.setTimeout(60_000);

const directory = TENANTS_MIGRATIONS_DIRECTORY;
const MIGRATION = '20251204000000_products.js';
const DEPLOYMENTS_MIGRATION = '20251205000000_product_deployments.js';
const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });

function manifest(
  tenant: string,
  name: string,
  version = '1.0.0',
): DataProductManifest {
  return {
    apiVersion: 'akili.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { name, namespace: tenant, title: `${name} of ${tenant}` },
    spec: {
      type: 'source-aligned',
      lifecycle: 'production',
      owner: `${tenant}-team`,
      domain: 'sales',
      version,
      outputPorts: [
        {
          name,
          kind: 'table',
          location: {
            table: { database: 'sales', table: name },
          },
          schema: [{ name: 'id', type: 'string', required: true }],
        },
      ],
    },
  };
}

const noChanges: ManifestDiff = {
  changes: [],
  breaking: false,
  requiresMajorBump: false,
};

describe.each(databases.eachSupportedId())(
  'product store on %p',
  databaseId => {
    async function setUp() {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory });
      const db = TenantScopedDatabase.create(knex);
      const store = new ProductStore({ db, outbox: EventOutbox.create() });
      return { knex, db, store };
    }

    it('stores revisions with their diff, newest first, and the event of each in the same tenant', async () => {
      const { db, store } = await setUp();
      const first = manifest('acme', 'orders');
      expect(
        await store.register('acme', {
          manifest: first,
          text: 'apiVersion: akili.io/v1alpha1 # as sent',
          format: 'akili',
          submittedBy: 'user:default/dev',
          diff: noChanges,
          breakingAcknowledged: false,
          basedOnRevision: 0,
        }),
      ).toEqual({
        entityRef: 'dataproduct:acme/orders',
        tenant: 'acme',
        name: 'orders',
        status: 'registered',
        version: '1.0.0',
        revision: 1,
      });
      const second = manifest('acme', 'orders', '2.0.0');
      second.spec.outputPorts[0].schema = [];
      const diff = diffManifests(first, second);
      await store.register('acme', {
        manifest: second,
        text: 'second',
        format: 'akili',
        submittedBy: 'token:acme.ci',
        diff,
        breakingAcknowledged: true,
        basedOnRevision: 1,
      });

      expect(await store.current('acme', 'orders')).toEqual({
        revision: 2,
        status: 'registered',
        manifest: second,
      });
      const entry = await store.get('acme', 'orders');
      expect(entry).toMatchObject({
        entityRef: 'dataproduct:acme/orders',
        status: 'registered',
        version: '2.0.0',
        revision: 2,
        createdBy: 'user:default/dev',
        manifest: second,
      });
      expect(
        entry!.versions.map(v => [
          v.revision,
          v.version,
          v.submittedBy,
          v.breakingAcknowledged,
        ]),
      ).toEqual([
        [2, '2.0.0', 'token:acme.ci', true],
        [1, '1.0.0', 'user:default/dev', false],
      ]);
      expect(entry!.versions[0].diff).toEqual(diff);
      expect(entry!.versions[1].submittedAt).toMatch(/^\d{4}-\d\d-\d\dT/);

      // The same name in another tenant is another product, and acme's is not globex's.
      expect(await store.get('globex', 'orders')).toBeUndefined();
      expect(await store.current('globex', 'orders')).toBeUndefined();

      const events = await db.withTenant('acme', tx =>
        db
          .scoped(tx, DEFAULT_EVENT_OUTBOX_TABLE)
          .select('payload')
          .orderBy('id'),
      );
      expect(
        events.map((row: { payload: string }) => JSON.parse(row.payload)),
      ).toEqual([
        expect.objectContaining({
          type: 'product.registered',
          tenant: 'acme',
          subject: 'dataproduct:acme/orders',
          data: {
            product: 'dataproduct:acme/orders',
            title: 'orders of acme',
            owner: 'acme-team',
            domain: 'sales',
            registeredBy: 'user:default/dev',
          },
        }),
        expect.objectContaining({
          type: 'product.registered',
          data: expect.objectContaining({ registeredBy: 'token:acme.ci' }),
        }),
      ]);
    });

    it('refuses a revision based on one that is no longer current, storing nothing', async () => {
      const { db, store } = await setUp();
      const submit = (basedOnRevision: number) =>
        store.register('acme', {
          manifest: manifest('acme', 'orders'),
          text: 'x',
          format: 'akili',
          submittedBy: 'user:default/dev',
          diff: noChanges,
          breakingAcknowledged: false,
          basedOnRevision,
        });
      await submit(0);
      await expect(submit(0)).rejects.toThrow(ConflictError);
      await expect(submit(0)).rejects.toThrow(
        /changed while .* submit it again/,
      );
      const entry = await store.get('acme', 'orders');
      expect(entry!.versions).toHaveLength(1);
      const events = await db.withTenant('acme', tx =>
        db.scoped(tx, DEFAULT_EVENT_OUTBOX_TABLE).count({ n: '*' }),
      );
      expect(Number(events[0].n)).toBe(1);
    });

    async function registerBoth(store: ProductStore) {
      for (const tenant of ['acme', 'globex']) {
        await store.register(tenant, {
          manifest: manifest(tenant, 'orders'),
          text: 'x',
          format: 'akili',
          submittedBy: 'user:default/dev',
          diff: noChanges,
          breakingAcknowledged: false,
          basedOnRevision: 0,
        });
      }
    }

    const postgres = String(databaseId).startsWith('POSTGRES');
    const describeOnPostgres = postgres ? describe : describe.skip;
    const describeOnSqlite = postgres ? describe.skip : describe;

    describeOnPostgres('row-level security', () => {
      it('a query without a tenant filter sees only the tenant of its transaction', async () => {
        const { knex, db, store } = await setUp();
        await registerBoth(store);
        for (const table of [PRODUCTS_TABLE, PRODUCT_VERSIONS_TABLE]) {
          // No filter at all, inside acme's transaction: acme's rows only.
          const rows = await db.withTenant('acme', tx =>
            tx(table).select('tenant_id'),
          );
          expect(rows.map(row => row.tenant_id)).toEqual(['acme']);
          // Outside any tenant transaction: nothing.
          expect(await knex(table).select()).toEqual([]);
        }
        // An unfiltered update changes acme's row only; inserting a globex row is refused.
        await expect(
          db.withTenant('acme', tx =>
            tx(PRODUCTS_TABLE).update({ status: 'deprecated' }),
          ),
        ).resolves.toBe(1);
        await expect(
          db.withTenant('acme', tx =>
            tx(PRODUCTS_TABLE).insert({
              tenant_id: 'globex',
              name: 'planted',
              status: 'registered',
              current_revision: 1,
              created_at: new Date(),
              created_by: 'x',
              updated_at: new Date(),
            }),
          ),
        ).rejects.toThrow(/row-level security/);
        expect((await store.get('globex', 'orders'))!.status).toBe(
          'registered',
        );
        expect(await store.get('globex', 'planted')).toBeUndefined();
      });
    });

    describeOnSqlite('without row-level security', () => {
      it('keeps tenants apart by its own filter where there is no row-level security', async () => {
        const { db, store } = await setUp();
        await registerBoth(store);
        // SQLite has no row-level security: an unfiltered query sees both tenants' rows, and
        // the store's scoped queries are what keeps them apart.
        const rows = await db.withTenant('acme', tx =>
          tx(PRODUCTS_TABLE).select('tenant_id'),
        );
        expect(rows.map(row => row.tenant_id).sort()).toEqual([
          'acme',
          'globex',
        ]);
        expect((await store.get('acme', 'orders'))!.manifest.metadata).toEqual(
          expect.objectContaining({ namespace: 'acme' }),
        );
        expect(
          (await store.get('globex', 'orders'))!.manifest.metadata,
        ).toEqual(expect.objectContaining({ namespace: 'globex' }));
      });
    });

    it('migrates down and up again', async () => {
      const { knex, store } = await setUp();
      await store.register('acme', {
        manifest: manifest('acme', 'orders'),
        text: 'x',
        format: 'akili',
        submittedBy: 'user:default/dev',
        diff: noChanges,
        breakingAcknowledged: false,
        basedOnRevision: 0,
      });
      // The deployments reference the versions: they go first.
      await knex.migrate.down({ directory, name: DEPLOYMENTS_MIGRATION });
      await knex.migrate.down({ directory, name: MIGRATION });
      expect(await knex.schema.hasTable(PRODUCTS_TABLE)).toBe(false);
      expect(await knex.schema.hasTable(PRODUCT_VERSIONS_TABLE)).toBe(false);
      expect(await knex.schema.hasTable('akili_tenants')).toBe(true);
      await knex.migrate.latest({ directory });
      expect(await store.get('acme', 'orders')).toBeUndefined();
      expect(
        (
          await store.register('acme', {
            manifest: manifest('acme', 'orders'),
            text: 'x',
            format: 'akili',
            submittedBy: 'user:default/dev',
            diff: noChanges,
            breakingAcknowledged: false,
            basedOnRevision: 0,
          })
        ).revision,
      ).toBe(1);
    });
  },
);
