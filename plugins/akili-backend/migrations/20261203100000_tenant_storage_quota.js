// @ts-check

/**
 * The lake storage a tenant may use, in bytes (`quotas.storageQuotaBytes`): shown by the lake
 * plugin against what the tenant stores. No quota when null.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('akili_tenants', table => {
    table
      .bigInteger('storage_quota_bytes')
      .nullable()
      .comment('Lake storage quota in bytes; null: none');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('akili_tenants', table => {
    table.dropColumn('storage_quota_bytes');
  });
};
