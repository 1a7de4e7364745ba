// @ts-check

// The frozen migration steps (never a live helper): this file does the same on every install.
const {
  akiliMigrationsV1: { keyEventIdsByTenant, unkeyEventIdsByTenant },
} = require('@akili/plugin-akili-node');

const TABLES = {
  outbox: 'akili_event_outbox',
  processedEvents: 'akili_processed_events',
};

/**
 * Event ids are unique per tenant: the outbox is keyed by (tenant, event id) and the processed
 * marks by (consumer group, tenant, event id), so an event id that another tenant used is never
 * skipped as already processed.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await keyEventIdsByTenant(knex, TABLES);
};

/**
 * Fails when two tenants now hold one event id (the former keys cannot hold them).
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await unkeyEventIdsByTenant(knex, TABLES);
};
