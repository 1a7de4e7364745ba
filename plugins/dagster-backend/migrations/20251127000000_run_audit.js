// @ts-check

// Frozen migration steps only (never a live helper): this file must do the same on every install.
const { akiliMigrationsV1: m } = require('@akili/plugin-akili-node');

/**
 * The audit trail of run control (launch, re-execute, terminate) per tenant; the run tracker's
 * state (its cursor per tenant, the finished runs it has reported) and the outbox of its
 * `execution.completed` events. All tenant-isolated (row-level security on PostgreSQL).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dagster_run_audit', table => {
    table.bigIncrements('id').primary();
    table.text('tenant_id').notNullable();
    table.string('action', 64).notNullable();
    table.string('actor', 255).notNullable();
    table.string('run_id', 64).notNullable();
    table.string('product', 255).nullable();
    table.text('details').notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.index(['tenant_id', 'id'], 'dagster_run_audit_tenant_idx');
  });
  await m.enableTenantIsolation(knex, 'dagster_run_audit');

  await knex.schema.createTable('dagster_run_tracker', table => {
    table.text('tenant_id').notNullable().primary();
    // Epoch seconds of the last finished run seen (Dagster's updateTime).
    table.double('updated_after').notNullable();
    table.timestamp('checked_at', { useTz: true }).nullable();
  });
  await m.enableTenantIsolation(knex, 'dagster_run_tracker');

  await knex.schema.createTable('dagster_tracked_runs', table => {
    table.text('tenant_id').notNullable();
    table.string('run_id', 64).notNullable();
    table.string('status', 32).notNullable();
    table.timestamp('seen_at', { useTz: true }).notNullable();
    table.primary(['tenant_id', 'run_id']);
  });
  await m.enableTenantIsolation(knex, 'dagster_tracked_runs');

  await m.createEventOutboxTable(knex);
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await m.dropEventOutboxTable(knex);
  for (const table of [
    'dagster_tracked_runs',
    'dagster_run_tracker',
    'dagster_run_audit',
  ]) {
    await m.disableTenantIsolation(knex, table);
    await knex.schema.dropTable(table);
  }
};
