// @ts-check

// The frozen migration steps (never a live helper): this file does the same on every install.
const {
  akiliMigrationsV1: { makeAppendOnly, undoAppendOnly },
} = require('@akili/plugin-akili-node');

/**
 * The tenant audit trail is append-only: on PostgreSQL its policies allow the tenant to read and
 * insert its entries, never to update or delete them (the tenant role is granted only SELECT and
 * INSERT on it); on SQLite, triggers refuse UPDATE and DELETE.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await makeAppendOnly(knex, 'akili_tenant_audit');
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await undoAppendOnly(knex, 'akili_tenant_audit');
};
