// @ts-check

// The frozen migration steps (never a live helper): this file does the same on every install.
const {
  akiliMigrationsV1: { disableTenantIsolation, enableTenantIsolation },
} = require('@akili/plugin-akili-node');

/**
 * Akili API tokens: one tenant, named permissions, issued and revoked by the tenant's operators.
 * Only the SHA-256 of a token is stored, never the token. Tenant-isolated (PostgreSQL row-level
 * security, enabled and forced); the token id starts with its tenant, so the control plane finds
 * a token inside its tenant's transaction and never reads across tenants.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('akili_api_tokens', table => {
    table.comment('Akili API tokens of a tenant (hashes only)');
    table.text('id').primary().notNullable().comment('<tenant>.<uuid>');
    table.text('tenant_id').notNullable();
    table.text('name').notNullable();
    table
      .text('permissions')
      .notNullable()
      .comment('JSON array of Akili permission names');
    table
      .text('token_hash')
      .notNullable()
      .unique()
      .comment('SHA-256 (hex) of the token; the token itself is never stored');
    table.text('created_by').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('last_used_at', { useTz: true }).nullable();
    table.timestamp('revoked_at', { useTz: true }).nullable();
    table.text('revoked_by').nullable();
    table.index(['tenant_id', 'created_at'], 'akili_api_tokens_tenant_idx');
  });
  await enableTenantIsolation(knex, 'akili_api_tokens');
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await disableTenantIsolation(knex, 'akili_api_tokens');
  await knex.schema.dropTable('akili_api_tokens');
};
