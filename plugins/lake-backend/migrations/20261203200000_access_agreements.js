// @ts-check

// Frozen migration steps only (never a live helper): this file must do the same on every install.
// The two-party policies below are written out here for the same reason.
const { akiliMigrationsV1: m } = require('@akili/plugin-akili-node');

const AGREEMENTS = 'lake_access_agreements';
const HISTORY = 'lake_access_agreement_history';

/**
 * Access agreements between tenants, their history, and the outbox of their `access.*` events.
 *
 * An agreement has two parties and both must see it: `tenant_id` is the provider (the tenant of
 * the output port) and `consumer_tenant` the tenant that reads it. ONE row per agreement, visible
 * to either party, rather than one row per side: a tenant transaction may only write rows it can
 * see, so keeping two copies in step would take a transaction bound to two tenants or two
 * transactions that can diverge, and a conditional update on one row is what makes two
 * concurrent decisions end with one winner. So the standard `tenant_isolation` policy (from the
 * frozen `enableTenantIsolation`, which also forces row-level security, adds the non-empty check
 * and the SELECT-only platform policy) is replaced by one of the same name that admits either
 * party; the name keeps `prepareTenantRole` granting the tenant role what it needs. A third
 * tenant sees nothing, and no tenant can write a row it is not a party to. The history is
 * append-only the same way (`tenant_read` and `tenant_append`, either party).
 *
 * SQLite has no row-level security: the store filters on both columns itself.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable(AGREEMENTS, table => {
    table.string('id', 36).primary();
    // The provider: the tenant of the product, as the catalog has it.
    table.text('tenant_id').notNullable();
    table.text('consumer_tenant').notNullable();
    table.string('provider_product', 255).notNullable();
    table.string('provider_port', 63).notNullable();
    table.string('consumer_product', 255).nullable();
    table.text('purpose').notNullable();
    // JSON array of column names: requested, then as approved.
    table.text('columns').notNullable();
    table.timestamp('until', { useTz: true }).notNullable();
    table.string('status', 16).notNullable();
    table.string('requested_by', 255).notNullable();
    table.timestamp('requested_at', { useTz: true }).notNullable();
    table.string('decided_by', 255).nullable();
    table.timestamp('decided_at', { useTz: true }).nullable();
    table.text('decision_note').nullable();
    table.string('ended_by', 255).nullable();
    table.timestamp('ended_at', { useTz: true }).nullable();
    table.text('end_reason').nullable();
    table.index(['tenant_id', 'status'], 'lake_access_agreements_provider_idx');
    table.index(
      ['consumer_tenant', 'status'],
      'lake_access_agreements_consumer_idx',
    );
    table.index(
      ['provider_product', 'provider_port'],
      'lake_access_agreements_port_idx',
    );
  });
  // One open request per port and consumer tenant, even under concurrent requests.
  await knex.raw(
    `CREATE UNIQUE INDEX ?? ON ?? (provider_product, provider_port, consumer_tenant) WHERE status = 'requested'`,
    ['lake_access_agreements_open_request_unique', AGREEMENTS],
  );

  await knex.schema.createTable(HISTORY, table => {
    table.bigIncrements('id').primary();
    table.text('tenant_id').notNullable();
    table.text('consumer_tenant').notNullable();
    table
      .string('agreement_id', 36)
      .notNullable()
      .references('id')
      .inTable(AGREEMENTS);
    table.string('from_status', 16).nullable();
    table.string('to_status', 16).notNullable();
    // Who: a user or token ref; null for the platform (expiry).
    table.string('actor', 255).nullable();
    table.text('note').nullable();
    // JSON array: the columns as of this transition (narrowed by an approval).
    table.text('columns').nullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.index(['agreement_id', 'id'], 'lake_access_agreement_history_idx');
  });

  await m.enableTenantIsolation(knex, AGREEMENTS, { platformReadable: true });
  await m.enableTenantIsolation(knex, HISTORY, {
    appendOnly: true,
    platformReadable: true,
  });
  if (knex.client.dialect === 'postgresql') {
    const party = `(?? = current_setting('app.tenant_id', true) OR ?? = current_setting('app.tenant_id', true))`;
    const partyColumns = ['tenant_id', 'consumer_tenant'];
    for (const table of [AGREEMENTS, HISTORY]) {
      await knex.raw(
        `ALTER TABLE ?? ADD CONSTRAINT ?? CHECK (consumer_tenant <> '' AND consumer_tenant <> tenant_id)`,
        [table, `${table}_two_parties`],
      );
    }
    await knex.raw('DROP POLICY ?? ON ??', ['tenant_isolation', AGREEMENTS]);
    await knex.raw(
      `CREATE POLICY ?? ON ?? USING ${party} WITH CHECK ${party}`,
      ['tenant_isolation', AGREEMENTS, ...partyColumns, ...partyColumns],
    );
    await knex.raw('DROP POLICY ?? ON ??', ['tenant_read', HISTORY]);
    await knex.raw('DROP POLICY ?? ON ??', ['tenant_append', HISTORY]);
    await knex.raw(`CREATE POLICY ?? ON ?? FOR SELECT USING ${party}`, [
      'tenant_read',
      HISTORY,
      ...partyColumns,
    ]);
    await knex.raw(`CREATE POLICY ?? ON ?? FOR INSERT WITH CHECK ${party}`, [
      'tenant_append',
      HISTORY,
      ...partyColumns,
    ]);
  }

  await m.createEventOutboxTable(knex);
  await m.keyEventIdsByTenant(knex, { outbox: 'akili_event_outbox' });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await m.unkeyEventIdsByTenant(knex, { outbox: 'akili_event_outbox' });
  await m.dropEventOutboxTable(knex);
  for (const table of [HISTORY, AGREEMENTS]) {
    // Drops the policies by name (ours carry the standard names) and row-level security.
    await m.disableTenantIsolation(knex, table);
    await knex.schema.dropTable(table);
  }
};
