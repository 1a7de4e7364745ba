import { randomBytes } from 'node:crypto';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { AkiliEvent } from '@akili/plugin-akili-common';
import {
  EventOutbox,
  TenantScopedDatabase,
  prepareTenantRole,
} from '@akili/plugin-akili-node';
import { requireTestDatabaseIds } from '@akili/plugin-akili-node/testUtils';
import {
  AccessAgreementStore,
  AGREEMENT_HISTORY_TABLE,
  AGREEMENTS_TABLE,
  NewAccessAgreement,
} from './AccessAgreementStore';

jest.setTimeout(60_000);

const directory = resolvePackagePath(
  '@akili/plugin-lake-backend',
  'migrations',
);
const MIGRATION = '20261203200000_access_agreements.js';
const OUTBOX = 'akili_event_outbox';
const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });

const DAY = 24 * 3600 * 1000;
const T0 = new Date('2026-12-03T12:00:00Z');

function request(
  overrides: Partial<NewAccessAgreement> = {},
): NewAccessAgreement {
  return {
    provider: {
      tenant: 'acme',
      product: 'dataproduct:acme/customer-360',
      port: 'customer_360',
    },
    consumer: { tenant: 'globex', product: 'dataproduct:globex/shipments' },
    purpose: 'Delivery experience per customer, for the carrier scorecard',
    columns: ['customer_id', 'country', 'shipments_90d'],
    until: new Date(T0.getTime() + 30 * DAY),
    requestedBy: 'user:default/gina',
    ...overrides,
  };
}

/** The events in a tenant's outbox rows, oldest first. */
async function outboxOf(
  db: TenantScopedDatabase,
  tenant: string,
): Promise<AkiliEvent[]> {
  const rows: Array<{ payload: string }> = await db.withTenant(tenant, tx =>
    db.scoped(tx, OUTBOX).select('payload').orderBy('id'),
  );
  return rows.map(row => JSON.parse(row.payload));
}

describe.each(databases.eachSupportedId())(
  'access agreement store on %p',
  databaseId => {
    async function setUp() {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory });
      const db = TenantScopedDatabase.create(knex);
      let now = T0;
      const clock = {
        set: (at: Date) => {
          now = at;
        },
      };
      const store = new AccessAgreementStore({
        db,
        outbox: EventOutbox.create(),
        now: () => now,
      });
      return { knex, db, store, clock };
    }

    it('shows an agreement to its provider and its consumer, never to a third tenant', async () => {
      const { db, store } = await setUp();
      const created = await store.request(request());
      expect(created).toMatchObject({
        status: 'requested',
        provider: { tenant: 'acme', port: 'customer_360' },
        consumer: { tenant: 'globex', product: 'dataproduct:globex/shipments' },
        columns: ['customer_id', 'country', 'shipments_90d'],
        requestedAt: T0.toISOString(),
      });

      for (const tenant of ['acme', 'globex']) {
        expect(await store.get(tenant, created.id)).toMatchObject({
          id: created.id,
          history: [
            {
              to: 'requested',
              by: 'user:default/gina',
              at: T0.toISOString(),
              columns: created.columns,
            },
          ],
        });
        expect(
          (await store.list(tenant, { limit: 10 })).map(a => a.id),
        ).toEqual([created.id]);
      }
      expect(await store.list('acme', { side: 'consumer', limit: 10 })).toEqual(
        [],
      );
      expect(
        (await store.list('globex', { side: 'consumer', limit: 10 })).length,
      ).toBe(1);

      // initech: nothing, by id, in lists, in force, in its outbox.
      expect(await store.get('initech', created.id)).toBeUndefined();
      expect(await store.list('initech', { limit: 10 })).toEqual([]);
      expect(await store.inForce('initech')).toEqual([]);
      expect(await outboxOf(db, 'initech')).toEqual([]);
      await expect(
        store.approve('initech', created.id, { actor: 'user:default/ivan' }),
      ).rejects.toThrow(`No access agreement ${created.id}`);
      expect((await store.get('acme', created.id))?.status).toBe('requested');
    });

    it('approves a request for the whole port (no columns) only with the columns granted', async () => {
      const { db, store, clock } = await setUp();
      const created = await store.request(request({ columns: [] }));
      expect(created.columns).toEqual([]);
      // The event names no column of the port (the consumer's topic gets it too).
      for (const tenant of ['acme', 'globex']) {
        expect(
          (await outboxOf(db, tenant)).map(e => [
            e.type,
            (e.data as any).columns,
          ]),
        ).toEqual([['access.requested', ['*']]]);
      }
      clock.set(new Date(T0.getTime() + 1000));
      for (const columns of [undefined, []]) {
        await expect(
          store.approve('acme', created.id, {
            actor: 'user:default/alice',
            columns,
          }),
        ).rejects.toThrow(
          new InputError(
            `Invalid body: columns: access agreement ${created.id} asks for the whole port; the approval must name the columns to grant`,
          ),
        );
      }
      expect((await store.get('acme', created.id))?.status).toBe('requested');
      expect(await store.inForce('globex')).toEqual([]);

      const approved = await store.approve('acme', created.id, {
        actor: 'user:default/alice',
        columns: ['customer_id', 'email'],
      });
      expect(approved).toMatchObject({
        status: 'approved',
        columns: ['customer_id', 'email'],
      });
      expect((await store.inForce('globex')).map(a => a.columns)).toEqual([
        ['customer_id', 'email'],
      ]);
      expect(
        (await store.get('globex', created.id))?.history?.map(h => [
          h.to,
          h.columns,
        ]),
      ).toEqual([
        ['requested', []],
        ['approved', ['customer_id', 'email']],
      ]);
    });

    it("lists every tenant's agreements in force, and only those (allInForce)", async () => {
      const { store, clock } = await setUp();
      const a = await store.request(request());
      const b = await store.request(
        request({
          provider: {
            tenant: 'initech',
            product: 'dataproduct:initech/ledger',
            port: 'entries',
          },
          consumer: { tenant: 'acme' },
          columns: ['id'],
          until: new Date(T0.getTime() + 2 * DAY),
        }),
      );
      const pending = await store.request(
        request({ consumer: { tenant: 'initech' }, columns: ['country'] }),
      );
      expect(await store.allInForce()).toEqual([]);
      clock.set(new Date(T0.getTime() + 1000));
      await store.approve('acme', a.id, { actor: 'user:default/alice' });
      await store.approve('initech', b.id, { actor: 'user:default/ivan' });
      expect((await store.allInForce()).map(x => x.id).sort()).toEqual(
        [a.id, b.id].sort(),
      );
      expect((await store.allInForce()).some(x => x.id === pending.id)).toBe(
        false,
      );
      // Past b's `until` (before the job writes it): out.
      clock.set(new Date(T0.getTime() + 3 * DAY));
      expect((await store.allInForce()).map(x => x.id)).toEqual([a.id]);
      await store.revoke('acme', a.id, {
        actor: 'user:default/alice',
        note: 'done',
      });
      expect(await store.allInForce()).toEqual([]);
    });

    it('tells its transition listeners after each committed transition and expiry round', async () => {
      const { store, clock } = await setUp();
      const seen: Array<string | undefined> = [];
      const remove = store.onTransition(a => seen.push(a?.status));
      store.onTransition(() => {
        throw new Error('a broken listener');
      });
      const a = await store.request(request());
      expect(seen).toEqual([]);
      clock.set(new Date(T0.getTime() + 1000));
      await store.approve('acme', a.id, { actor: 'user:default/alice' });
      // A refused transition commits nothing and tells nobody.
      await expect(
        store.approve('acme', a.id, { actor: 'user:default/alice' }),
      ).rejects.toThrow(ConflictError);
      expect(seen).toEqual(['approved']);
      clock.set(new Date(T0.getTime() + 31 * DAY));
      expect(await store.expireDue()).toBe(1);
      expect(await store.expireDue()).toBe(0);
      expect(seen).toEqual(['approved', undefined]);
      remove();
      const b = await store.request(
        request({ until: new Date(T0.getTime() + 60 * DAY) }),
      );
      await store.withdraw('globex', b.id, { actor: 'user:default/gina' });
      expect(seen).toEqual(['approved', undefined]);
    });

    it('goes requested → approved (narrowed) → revoked, with history, 409s and events to both tenants', async () => {
      const { db, store, clock } = await setUp();
      const created = await store.request(request());
      clock.set(new Date(T0.getTime() + 1000));

      await expect(
        store.approve('acme', created.id, {
          actor: 'user:default/alice',
          columns: ['customer_id', 'email'],
        }),
      ).rejects.toThrow(
        new InputError(
          'Invalid body: columns email were not requested (an approval may only narrow the columns)',
        ),
      );
      await expect(
        store.approve('acme', created.id, { actor: 'user:default/gina' }),
      ).rejects.toThrow(NotAllowedError);
      await expect(
        store.revoke('acme', created.id, {
          actor: 'user:default/alice',
          note: 'x',
        }),
      ).rejects.toThrow(
        new ConflictError(
          `Access agreement ${created.id} is requested, not approved`,
        ),
      );

      const approved = await store.approve('acme', created.id, {
        actor: 'user:default/alice',
        note: 'OK for the scorecard',
        columns: ['customer_id', 'shipments_90d'],
      });
      expect(approved).toMatchObject({
        status: 'approved',
        columns: ['customer_id', 'shipments_90d'],
        decidedBy: 'user:default/alice',
        decisionNote: 'OK for the scorecard',
      });
      await expect(
        store.approve('acme', created.id, { actor: 'user:default/olga' }),
      ).rejects.toThrow(
        `Access agreement ${created.id} is approved, not requested`,
      );
      await expect(
        store.withdraw('globex', created.id, { actor: 'user:default/gina' }),
      ).rejects.toThrow(ConflictError);
      expect(await store.inForce('globex')).toEqual([
        expect.objectContaining({ id: created.id }),
      ]);
      expect(
        await store.grantFor(
          ['initech', 'globex'],
          'dataproduct:acme/customer-360',
          'customer_360',
        ),
      ).toEqual({
        consumerTenant: 'globex',
        columns: ['customer_id', 'shipments_90d'],
      });
      expect(
        await store.grantFor(
          ['acme'],
          'dataproduct:acme/customer-360',
          'customer_360',
        ),
      ).toBeUndefined();

      // The consumer gives it up.
      const revoked = await store.revoke('globex', created.id, {
        actor: 'user:default/gina',
        note: 'Scorecard retired',
      });
      expect(revoked).toMatchObject({
        status: 'revoked',
        endedBy: 'user:default/gina',
        endReason: 'Scorecard retired',
      });
      expect(
        await store.grantFor(
          ['globex'],
          'dataproduct:acme/customer-360',
          'customer_360',
        ),
      ).toBeUndefined();
      const history = (await store.get('globex', created.id))?.history;
      expect(history?.map(h => [h.from, h.to, h.by, h.note])).toEqual([
        [undefined, 'requested', 'user:default/gina', undefined],
        ['requested', 'approved', 'user:default/alice', 'OK for the scorecard'],
        ['approved', 'revoked', 'user:default/gina', 'Scorecard retired'],
      ]);

      for (const tenant of ['acme', 'globex']) {
        const events = await outboxOf(db, tenant);
        expect(events.map(e => [e.type, e.tenant, e.subject])).toEqual([
          ['access.requested', tenant, 'dataproduct:acme/customer-360'],
          ['access.granted', tenant, 'dataproduct:acme/customer-360'],
          ['access.revoked', tenant, 'dataproduct:acme/customer-360'],
        ]);
        expect(events[1].data).toEqual({
          agreementId: created.id,
          provider: created.provider,
          consumer: created.consumer,
          columns: ['customer_id', 'shipments_90d'],
          until: created.until,
          decidedBy: 'user:default/alice',
        });
        expect(events[2].data).toMatchObject({
          reason: 'revoked',
          endedBy: 'user:default/gina',
          note: 'Scorecard retired',
        });
      }
    });

    it('rejects, withdraws, and refuses a second open request for the same port and tenant', async () => {
      const { db, store } = await setUp();
      const first = await store.request(request());
      await expect(store.request(request())).rejects.toThrow(
        `Tenant 'globex' already has an open request for port 'customer_360' of dataproduct:acme/customer-360: ${first.id}`,
      );
      // Another port, or another consumer tenant, is another request.
      await store.request(
        request({ provider: { ...request().provider, port: 'other' } }),
      );
      await store.request(
        request({
          consumer: { tenant: 'initech' },
          requestedBy: 'user:default/ivan',
        }),
      );

      const rejected = await store.reject('acme', first.id, {
        actor: 'user:default/alice',
        note: 'Use the aggregated port instead',
      });
      expect(rejected).toMatchObject({
        status: 'rejected',
        decisionNote: 'Use the aggregated port instead',
      });
      const second = await store.request(request());
      const withdrawn = await store.withdraw('globex', second.id, {
        actor: 'user:default/gina',
      });
      expect(withdrawn.status).toBe('withdrawn');
      expect(
        (await store.list('acme', { status: ['requested'], limit: 10 }))
          .map(a => `${a.consumer.tenant}:${a.provider.port}`)
          .sort(),
      ).toEqual(['globex:other', 'initech:customer_360']);
      // Rejected and withdrawn requests granted nothing: no event beyond the requests.
      expect((await outboxOf(db, 'globex')).map(e => e.type)).toEqual([
        'access.requested',
        'access.requested',
        'access.requested',
      ]);
    });

    it('lets two concurrent approvals end with one winner and one 409', async () => {
      const { store } = await setUp();
      const created = await store.request(request());
      const outcomes = await Promise.allSettled([
        store.approve('acme', created.id, { actor: 'user:default/alice' }),
        store.approve('acme', created.id, { actor: 'user:default/olga' }),
      ]);
      expect(outcomes.filter(o => o.status === 'fulfilled')).toHaveLength(1);
      const [failure] = outcomes.filter(
        (o): o is PromiseRejectedResult => o.status === 'rejected',
      );
      expect(failure.reason).toBeInstanceOf(ConflictError);
      const history = (await store.get('acme', created.id))?.history ?? [];
      expect(history.filter(h => h.to === 'approved')).toHaveLength(1);
    });

    it('expires on read at `until`, then for good with the job, with access.revoked (expired)', async () => {
      const { db, store, clock } = await setUp();
      const created = await store.request(request());
      await store.approve('acme', created.id, { actor: 'user:default/alice' });
      const lapsing = await store.request(
        request({ provider: { ...request().provider, port: 'other' } }),
      );

      clock.set(new Date(created.until));
      // Not in force from `until` on, before any job ran.
      const read = await store.get('globex', created.id);
      expect(read).toMatchObject({
        status: 'expired',
        endReason: 'expired',
        endedAt: created.until,
      });
      expect(await store.inForce('globex')).toEqual([]);
      expect(
        await store.grantFor(
          ['globex'],
          'dataproduct:acme/customer-360',
          'customer_360',
        ),
      ).toBeUndefined();
      expect(
        (await store.list('acme', { status: ['expired'], limit: 10 })).length,
      ).toBe(2);
      expect(
        await store.list('acme', { status: ['approved'], limit: 10 }),
      ).toEqual([]);
      await expect(
        store.revoke('acme', created.id, {
          actor: 'user:default/alice',
          note: 'late',
        }),
      ).rejects.toThrow(
        `Access agreement ${created.id} is expired, not approved`,
      );
      await expect(
        store.approve('acme', lapsing.id, { actor: 'user:default/alice' }),
      ).rejects.toThrow(
        `Access agreement ${lapsing.id} is expired, not requested`,
      );

      // A lapsed request does not block a new one: the request expires it first.
      const renewed = await store.request(
        request({
          provider: { ...request().provider, port: 'other' },
          until: new Date(new Date(created.until).getTime() + DAY),
        }),
      );
      expect(renewed.status).toBe('requested');
      expect((await store.get('globex', lapsing.id))?.history).toEqual([
        expect.objectContaining({ to: 'requested' }),
        expect.objectContaining({ from: 'requested', to: 'expired' }),
      ]);

      expect(await store.expireDue()).toBe(1);
      expect(await store.expireDue()).toBe(0);
      const history = (await store.get('acme', created.id))?.history ?? [];
      expect(history.map(h => [h.from, h.to, h.by])).toEqual([
        [undefined, 'requested', 'user:default/gina'],
        ['requested', 'approved', 'user:default/alice'],
        ['approved', 'expired', undefined],
      ]);
      for (const tenant of ['acme', 'globex']) {
        const events = await outboxOf(db, tenant);
        // The lapsed request had granted nothing: only the expired agreement revokes.
        expect(events.filter(e => e.type === 'access.revoked')).toEqual([
          expect.objectContaining({
            tenant,
            data: expect.objectContaining({
              agreementId: created.id,
              reason: 'expired',
            }),
          }),
        ]);
      }
    });

    it('writes nothing when a transition fails half-way: no state, no history, no event', async () => {
      const { db, store } = await setUp();
      const created = await store.request(request());
      const real = EventOutbox.create();
      const failing = {
        enqueue: async (...args: Parameters<EventOutbox['enqueue']>) => {
          await real.enqueue(...args);
          if (args[2].tenant === 'globex') {
            throw new Error('the outbox refused the second event');
          }
        },
      } as unknown as EventOutbox;
      const broken = new AccessAgreementStore({
        db,
        outbox: failing,
        now: () => T0,
      });
      await expect(
        broken.approve('acme', created.id, { actor: 'user:default/alice' }),
      ).rejects.toThrow('the outbox refused the second event');
      const after = await store.get('acme', created.id);
      expect(after?.status).toBe('requested');
      expect(after?.history).toHaveLength(1);
      for (const tenant of ['acme', 'globex']) {
        expect((await outboxOf(db, tenant)).map(e => e.type)).toEqual([
          'access.requested',
        ]);
      }
    });

    it('migrates down and up again', async () => {
      const { knex } = await setUp();
      await knex.migrate.down({ directory, name: MIGRATION });
      expect(await knex.schema.hasTable(AGREEMENTS_TABLE)).toBe(false);
      expect(await knex.schema.hasTable(AGREEMENT_HISTORY_TABLE)).toBe(false);
      expect(await knex.schema.hasTable(OUTBOX)).toBe(false);
      await knex.migrate.latest({ directory });
      expect(await knex.schema.hasTable(AGREEMENTS_TABLE)).toBe(true);
    });
  },
);

const postgresIds = databases
  .eachSupportedId()
  .filter(([id]) => id.startsWith('POSTGRES'));
const describePostgres = postgresIds.length > 0 ? describe : describe.skip;

describePostgres(
  'access agreements under row-level security, as the tenant role',
  () => {
    const databaseId = (postgresIds[0]?.[0] ?? 'POSTGRES_16') as TestDatabaseId;
    const role = `akili_lake_${randomBytes(5).toString('hex')}`;
    let owner: Awaited<ReturnType<typeof databases.init>>;
    let db: TenantScopedDatabase;
    let store: AccessAgreementStore;
    let id: string;

    beforeAll(async () => {
      owner = await databases.init(databaseId);
      await owner.migrate.latest({ directory });
      await owner.raw('CREATE ROLE ?? NOLOGIN', [role]);
      await owner.raw('GRANT ?? TO CURRENT_USER', [role]);
      await prepareTenantRole(owner, role);
      db = TenantScopedDatabase.create(owner, { tenantRole: role });
      store = new AccessAgreementStore({ db, outbox: EventOutbox.create() });
      id = (await store.request(request({ until: new Date(Date.now() + DAY) })))
        .id;
      await store.approve('acme', id, { actor: 'user:default/alice' });
    });

    afterAll(async () => {
      await owner.raw('DROP OWNED BY ??', [role]).catch(() => {});
      await owner.raw('DROP ROLE IF EXISTS ??', [role]);
    });

    it('shows the row to both parties and nothing to a third tenant, even with no filter', async () => {
      const count = (tenant: string, table: string) =>
        db.withTenant(tenant, async tx =>
          Number((await tx(table).count('* as n'))[0].n),
        );
      for (const table of [AGREEMENTS_TABLE, AGREEMENT_HISTORY_TABLE]) {
        expect(await count('acme', table)).toBeGreaterThan(0);
        expect(await count('globex', table)).toBe(await count('acme', table));
        expect(await count('initech', table)).toBe(0);
      }
      // The raw row, as the provider and the consumer see it.
      for (const tenant of ['acme', 'globex']) {
        const { rows } = await db.withTenant(tenant, tx =>
          tx.raw('SELECT id, status FROM ?? ', [AGREEMENTS_TABLE]),
        );
        expect(rows).toEqual([{ id, status: 'approved' }]);
      }
      // Each party's outbox holds its own two events; initech's nothing.
      expect(await count('globex', OUTBOX)).toBe(2);
      expect(await count('acme', OUTBOX)).toBe(2);
      expect(await count('initech', OUTBOX)).toBe(0);
    });

    it('lets a third tenant neither change nor plant an agreement', async () => {
      const changed = await db.withTenant('initech', tx =>
        tx(AGREEMENTS_TABLE).update({ status: 'revoked' }),
      );
      expect(changed).toBe(0);
      await expect(
        db.withTenant('initech', tx =>
          tx(AGREEMENTS_TABLE).insert({
            id: '00000000-0000-4000-8000-000000000001',
            tenant_id: 'acme',
            consumer_tenant: 'globex',
            provider_product: 'dataproduct:acme/customer-360',
            provider_port: 'customer_360',
            purpose: 'planted',
            columns: '[]',
            until: new Date(Date.now() + DAY),
            status: 'approved',
            requested_by: 'user:default/ivan',
            requested_at: new Date(),
          }),
        ),
      ).rejects.toThrow(/row-level security/);
      // Nor rewrite the history, even as a party: append-only.
      await expect(
        db.withTenant('acme', tx =>
          tx(AGREEMENT_HISTORY_TABLE).update({ note: 'rewritten' }),
        ),
      ).rejects.toThrow(/permission denied/);
      expect((await store.get('acme', id))?.status).toBe('approved');
    });

    it('refuses an agreement of a tenant with itself', async () => {
      await expect(
        store.request(
          request({
            consumer: { tenant: 'acme' },
            provider: { ...request().provider, port: 'self' },
            until: new Date(Date.now() + DAY),
          }),
        ),
      ).rejects.toThrow(/two_parties/);
    });
  },
);
