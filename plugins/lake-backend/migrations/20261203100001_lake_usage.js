// @ts-check

// Frozen migration steps only (never a live helper): this file must do the same on every install.
const { akiliMigrationsV1: m } = require('@akili/plugin-akili-node');

/**
 * What each tenant stores in the lake, one row per tenant per day (UTC): the day's latest
 * measurement replaces the former one, so the rows are the tenant's history and the growth
 * over 7 days is the difference to the row of 7 days before.
 *
 * - `day`: `YYYY-MM-DD` (UTC); `measured_at`: when the row's figures were taken;
 * - `objects`, `bytes`: the whole of the tenant's area (bucket and prefix);
 * - `products`: JSON `[{ product, objects, bytes }]`, `product` `null` for objects under no
 *   product's port.
 *
 * Tenant-isolated (row-level security on PostgreSQL; the store filters on SQLite).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('lake_usage', table => {
    table.bigIncrements('id').primary();
    table.text('tenant_id').notNullable();
    table.string('day', 10).notNullable();
    table.timestamp('measured_at', { useTz: true }).notNullable();
    table.bigInteger('objects').notNullable();
    table.bigInteger('bytes').notNullable();
    table.text('products').notNullable();
    table.unique(['tenant_id', 'day'], { indexName: 'lake_usage_tenant_day' });
  });
  await m.enableTenantIsolation(knex, 'lake_usage');
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await m.disableTenantIsolation(knex, 'lake_usage');
  await knex.schema.dropTable('lake_usage');
};
