// @ts-check

// Frozen migration steps only (never a live helper): this file must do the same on every install.
const { akiliMigrationsV1: m } = require('@akili/plugin-akili-node');

/**
 * The query audit trail: one row per query of the query API, refused ones included, written
 * when the query ended. Tenant-isolated (row-level security on PostgreSQL) and append-only (the
 * tenant role may SELECT and INSERT only; SQLite: triggers refuse UPDATE and DELETE).
 *
 * - `id`: the order of the trail (keyset paging, newest first); `query_id`: the id the caller
 *   was given (`queryId` of the answer), known before the query ran;
 * - `statement`: at most 10,000 characters, `statement_truncated` when cut;
 * - `products`, `tables`: JSON arrays of entity refs and `catalog.database.table` names.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('starrocks_query_audit', table => {
    table.bigIncrements('id').primary();
    table.text('tenant_id').notNullable();
    table.string('query_id', 36).notNullable();
    table.string('actor', 255).notNullable();
    table.text('statement').notNullable();
    table.boolean('statement_truncated').notNullable().defaultTo(false);
    table.text('products').notNullable();
    table.text('tables').notNullable();
    table.string('outcome', 16).notNullable();
    table.text('message').nullable();
    table.bigInteger('row_count').notNullable();
    table.bigInteger('bytes').notNullable();
    table.integer('duration_ms').notNullable();
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.index(['tenant_id', 'id'], 'starrocks_query_audit_tenant_idx');
    table.index(
      ['tenant_id', 'actor', 'id'],
      'starrocks_query_audit_actor_idx',
    );
    table.unique(['tenant_id', 'query_id'], {
      indexName: 'starrocks_query_audit_query_id_unique',
    });
  });
  await m.enableTenantIsolation(knex, 'starrocks_query_audit', {
    appendOnly: true,
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await m.disableTenantIsolation(knex, 'starrocks_query_audit');
  await knex.schema.dropTable('starrocks_query_audit');
};
