// @ts-check

// The frozen migration steps (never a live helper): this file does the same on every install.
const {
  akiliMigrationsV1: { createDeadLettersTable, dropDeadLettersTable },
} = require('@akili/plugin-akili-node');

/**
 * Dead letters: the messages consumers gave up on (`<topic>.dlq`), recorded per tenant for the
 * operators' view and its retry button. Tenant-isolated.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await createDeadLettersTable(knex);
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await dropDeadLettersTable(knex);
};
