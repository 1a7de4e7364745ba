// @ts-check

// The frozen migration steps (never a live helper): this file does the same on every install.
const {
  akiliMigrationsV1: {
    createEventOutboxTable,
    createProcessedEventsTable,
    dropEventOutboxTable,
    dropProcessedEventsTable,
  },
} = require('@akili/plugin-akili-node');

/**
 * Domain events: the outbox the control plane writes its events to in the transaction of the
 * change (published by the relay), and the processed-events table of its consumers (the bridge
 * into Backstage's events service). Both tenant-isolated.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await createEventOutboxTable(knex);
  await createProcessedEventsTable(knex);
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await dropProcessedEventsTable(knex);
  await dropEventOutboxTable(knex);
};
