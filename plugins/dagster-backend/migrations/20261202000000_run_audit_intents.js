// @ts-check

// Frozen migration steps only (never a live helper): this file must do the same on every install.
const { akiliMigrationsV1: m } = require('@akili/plugin-akili-node');

/**
 * Run control is audited as an intent, written before the portal asks Dagster, and an outcome,
 * written after Dagster answered (or failed), so a launch, re-execution or termination is never
 * left unaudited: an intent without an outcome is one whose answer never came (the portal
 * stopped in between). Both are rows of `dagster_run_audit`:
 *
 * - `kind`: `intent`, `outcome`, or `record` (the rows written before this migration, after the
 *   action succeeded);
 * - `intent_id`: on an outcome, the id of its intent; `outcome`: `succeeded` or `failed`;
 * - `run_id` may be empty: a launch's run id is known only from its outcome.
 *
 * The table becomes append-only: the tenant reads and inserts its rows, nothing updates or
 * deletes them (PostgreSQL: policies for SELECT and INSERT only; the tenant role is granted only
 * those; SQLite: triggers). The outbox's event ids become unique per tenant.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dagster_run_audit', table => {
    table.setNullable('run_id');
  });
  await knex.schema.alterTable('dagster_run_audit', table => {
    table.string('kind', 16).notNullable().defaultTo('record');
    table.bigInteger('intent_id').nullable();
    table.string('outcome', 16).nullable();
    table.index(['tenant_id', 'intent_id'], 'dagster_run_audit_intent_idx');
  });
  await m.makeAppendOnly(knex, 'dagster_run_audit');
  await m.keyEventIdsByTenant(knex, { outbox: 'akili_event_outbox' });
};

/**
 * Back to one row per action, changeable by the tenant. `run_id` stays nullable: intents of
 * launches have none.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await m.unkeyEventIdsByTenant(knex, { outbox: 'akili_event_outbox' });
  await m.undoAppendOnly(knex, 'dagster_run_audit');
  await knex.schema.alterTable('dagster_run_audit', table => {
    table.dropIndex(['tenant_id', 'intent_id'], 'dagster_run_audit_intent_idx');
    table.dropColumn('outcome');
    table.dropColumn('intent_id');
    table.dropColumn('kind');
  });
};
