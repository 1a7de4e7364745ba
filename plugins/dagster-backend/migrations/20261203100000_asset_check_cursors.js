// @ts-check

// Frozen migration steps only (never a live helper): this file must do the same on every install.
const { akiliMigrationsV1: m } = require('@akili/plugin-akili-node');

/**
 * The asset check tracker's cursor per tenant, asset and check (tenant-isolated):
 *
 * - `asset_key`: the asset key as JSON (`["sales","orders"]`), `check_name` the check's name;
 * - `last_execution_id`: the highest Dagster execution id (a storage id) the tracker has seen;
 * - `pending`: JSON array of the ids at or below it that were still in progress (planned, not
 *   evaluated) when seen, looked at again until they are done;
 * - `checked_at`: when the tracker last moved it.
 *
 * The cursor moves in the transaction that writes the `quality.checked` events of the
 * executions it passes (the plugin's outbox), so a restart neither loses nor repeats one.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dagster_asset_check_cursors', table => {
    table.text('tenant_id').notNullable();
    table.text('asset_key').notNullable();
    table.string('check_name', 255).notNullable();
    table.bigInteger('last_execution_id').notNullable();
    table.text('pending').notNullable().defaultTo('[]');
    table.timestamp('checked_at', { useTz: true }).notNullable();
    table.primary(['tenant_id', 'asset_key', 'check_name']);
  });
  await m.enableTenantIsolation(knex, 'dagster_asset_check_cursors');
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await m.disableTenantIsolation(knex, 'dagster_asset_check_cursors');
  await knex.schema.dropTable('dagster_asset_check_cursors');
};
