// @ts-check

// Frozen migration steps only (never a live helper): this file must do the same on every install.
const { akiliMigrationsV1: m } = require('@akili/plugin-akili-node');

/**
 * The audit trail of downloads of the lake's files, per tenant (the tenant of the product whose
 * file it is): an intent written before the portal signs a URL and an outcome after, so no
 * presigned URL is ever handed out unaudited; an intent without an outcome is one whose answer
 * never came.
 *
 * - `kind`: `intent` or `outcome`; `intent_id`: on an outcome, its intent's id;
 * - `actor`: who asked (user entity ref or `token:<id>`); `product`: the product's entity ref;
 * - `port`, `path`: the output port and the file's path relative to the port's prefix;
 * - `size`: the object's bytes (on a signed outcome); `expires_at`: until when the URL works;
 * - `outcome`: `signed` or `failed`, `details`: JSON (the error told the caller).
 *
 * Append-only and tenant-isolated (row-level security on PostgreSQL; triggers on SQLite).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('lake_downloads', table => {
    table.bigIncrements('id').primary();
    table.text('tenant_id').notNullable();
    table.string('kind', 16).notNullable();
    table.bigInteger('intent_id').nullable();
    table.string('actor', 255).notNullable();
    table.string('product', 255).notNullable();
    table.string('port', 255).notNullable();
    table.text('path').notNullable();
    table.bigInteger('size').nullable();
    table.timestamp('expires_at', { useTz: true }).nullable();
    table.string('outcome', 16).nullable();
    table.text('details').notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.index(['tenant_id', 'id'], 'lake_downloads_tenant_idx');
    table.index(['tenant_id', 'intent_id'], 'lake_downloads_intent_idx');
  });
  await m.enableTenantIsolation(knex, 'lake_downloads', { appendOnly: true });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await m.disableTenantIsolation(knex, 'lake_downloads');
  await knex.schema.dropTable('lake_downloads');
};
