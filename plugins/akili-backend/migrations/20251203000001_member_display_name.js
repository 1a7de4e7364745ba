// @ts-check

/**
 * The name people see for a member (the `name` claim of their Backstage token: Authentik's full
 * name or username), next to the user entity ref derived from their subject. Display only.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('akili_tenant_members', table => {
    table
      .text('display_name')
      .nullable()
      .comment('The name people see (token claim "name"); display only');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('akili_tenant_members', table => {
    table.dropColumn('display_name');
  });
};
