// @ts-check

// Frozen migration steps only (never a live helper): this file must do the same on every install.
const { akiliMigrationsV1: m } = require('@akili/plugin-akili-node');

/**
 * The audit trail of the syncs started from the portal, per tenant, as in the Dagster plugin's
 * run audit: an intent written before the portal asks ArgoCD and an outcome after it answered
 * (or failed), so a sync is never left unaudited; an intent without an outcome is one whose
 * answer never came.
 *
 * - `kind`: `intent` or `outcome`; `intent_id`: on an outcome, its intent's id;
 * - `actor`: who asked (user entity ref or `token:<id>`); `product`: the product's entity ref;
 * - `application`, `revision`: the ArgoCD Application and the revision asked for;
 * - `outcome`: `succeeded` or `failed`, `details`: JSON (the error told the caller).
 *
 * Append-only and tenant-isolated (row-level security on PostgreSQL; triggers on SQLite).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('argocd_sync_audit', table => {
    table.bigIncrements('id').primary();
    table.text('tenant_id').notNullable();
    table.string('kind', 16).notNullable();
    table.bigInteger('intent_id').nullable();
    table.string('actor', 255).notNullable();
    table.string('product', 255).notNullable();
    table.string('application', 255).notNullable();
    table.string('revision', 255).notNullable();
    table.string('outcome', 16).nullable();
    table.text('details').notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.index(['tenant_id', 'id'], 'argocd_sync_audit_tenant_idx');
    table.index(['tenant_id', 'intent_id'], 'argocd_sync_audit_intent_idx');
  });
  await m.enableTenantIsolation(knex, 'argocd_sync_audit', {
    appendOnly: true,
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await m.disableTenantIsolation(knex, 'argocd_sync_audit');
  await knex.schema.dropTable('argocd_sync_audit');
};
