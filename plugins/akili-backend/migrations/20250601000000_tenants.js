// @ts-check

// The frozen migration steps (never a live helper): this file does the same on every install.
const {
  akiliMigrationsV1: { disableTenantIsolation, enableTenantIsolation },
} = require('@akili/plugin-akili-node');

/**
 * Tenant management: the tenants, the users seen as their members and their audit trail. Every
 * table carries `tenant_id` and is tenant-isolated (PostgreSQL row-level security, enabled and
 * forced); only the tenants table is readable across tenants in the platform scope.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('akili_tenants', table => {
    table.comment(
      'Akili tenants; tenant_id is the tenant name (catalog namespace)',
    );
    table.text('tenant_id').primary().notNullable();
    table.text('title').notNullable();
    table.text('description').nullable();
    table.text('status').notNullable().defaultTo('active');
    table.text('suspended_reason').nullable();
    table.integer('query_row_limit').notNullable();
    table.integer('max_concurrent_queries').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.text('created_by').notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });
  await enableTenantIsolation(knex, 'akili_tenants', {
    platformReadable: true,
  });

  await knex.schema.createTable('akili_tenant_members', table => {
    table.comment('Users seen calling Akili as members of a tenant');
    table.text('tenant_id').notNullable();
    table.text('user_entity_ref').notNullable();
    table.text('roles').notNullable().comment('Comma-separated Akili roles');
    table.timestamp('first_seen_at', { useTz: true }).notNullable();
    table.timestamp('last_seen_at', { useTz: true }).notNullable();
    table.primary(['tenant_id', 'user_entity_ref']);
  });
  await enableTenantIsolation(knex, 'akili_tenant_members');

  await knex.schema.createTable('akili_tenant_audit', table => {
    table.comment('Audit trail of tenant management, newest by id');
    table.bigIncrements('id').primary();
    table.text('tenant_id').notNullable();
    table.text('action').notNullable();
    table.text('actor').notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.text('details').notNullable().comment('JSON object');
    table.index(['tenant_id', 'id'], 'akili_tenant_audit_tenant_id_idx');
  });
  await enableTenantIsolation(knex, 'akili_tenant_audit');
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  for (const table of [
    'akili_tenant_audit',
    'akili_tenant_members',
    'akili_tenants',
  ]) {
    await disableTenantIsolation(knex, table);
    await knex.schema.dropTable(table);
  }
};
