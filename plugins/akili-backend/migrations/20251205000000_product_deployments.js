// @ts-check

// The frozen migration steps (never a live helper): this file does the same on every install.
const {
  akiliMigrationsV1: { disableTenantIsolation, enableTenantIsolation },
} = require('@akili/plugin-akili-node');

/**
 * Deployments of registered data products: which revision was deployed, by whom, through which
 * GitLab pipeline, and how it ended. Tenant-isolated (PostgreSQL row-level security, enabled and
 * forced), keyed by tenant and a generated id, referencing the deployed version.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('akili_product_deployments', table => {
    table.comment(
      'Deployments of data products through their GitLab pipelines',
    );
    table.text('tenant_id').notNullable();
    table
      .text('id')
      .notNullable()
      .comment('A UUID, the deploymentId of events');
    table.text('product_name').notNullable();
    table.integer('revision').notNullable().comment('The deployed revision');
    table.text('version').nullable().comment('spec.version of that revision');
    table.text('requested_by').notNullable();
    table.timestamp('requested_at', { useTz: true }).notNullable();
    table
      .text('gitlab_project')
      .notNullable()
      .comment('Full path of the GitLab project, <rootGroup>/<tenant>/<name>');
    table.text('ref').notNullable().comment('The branch the pipeline runs on');
    table.bigInteger('pipeline_id').nullable();
    table.text('pipeline_url').nullable().comment("The pipeline's web_url");
    table
      .text('status')
      .notNullable()
      .comment('pending, running, success, failed, canceled or unknown');
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.text('message').nullable().comment('Why it failed or is unknown');
    table.primary(['tenant_id', 'id']);
    table.index(['tenant_id', 'product_name', 'requested_at']);
    table
      .foreign(['tenant_id', 'product_name', 'revision'])
      .references(['tenant_id', 'product_name', 'revision'])
      .inTable('akili_product_versions')
      .onDelete('CASCADE');
  });
  await enableTenantIsolation(knex, 'akili_product_deployments');
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await disableTenantIsolation(knex, 'akili_product_deployments');
  await knex.schema.dropTable('akili_product_deployments');
};
