// @ts-check

/**
 * One deployment per product and GitLab pipeline: a pipeline recorded twice (a retried
 * `akili deploy --pipeline` in CI) answers the deployment recorded first. The index leads with
 * `tenant_id`, so one tenant's pipelines never collide with another's under row-level security;
 * rows without a pipeline (none are written today) stay apart, as NULLs are distinct.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('akili_product_deployments', table => {
    table.unique(['tenant_id', 'product_name', 'pipeline_id'], {
      indexName: 'akili_product_deployments_pipeline_unique',
    });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('akili_product_deployments', table => {
    table.dropUnique(
      ['tenant_id', 'product_name', 'pipeline_id'],
      'akili_product_deployments_pipeline_unique',
    );
  });
};
