// @ts-check

/**
 * The history of the platform health checks: one row per check of one dependency (PostgreSQL,
 * Redpanda, Dagster, StarRocks, Ceph S3, Authentik, GitLab, ArgoCD, Kubernetes), kept 24 hours
 * and pruned on the plugin's schedule.
 *
 * No `tenant_id` and no row-level security, unlike every other Akili table: this is platform
 * data, not tenant data. The dependencies are shared by all tenants (one database, one broker,
 * one Dagster), the rows say nothing about any tenant's products, and only the platform's own
 * checks write them. Reading them is a permission of its own (`akili.platform.health.read`,
 * operators of any tenant and platform admins), checked by the routes. The error messages are
 * stored with credentials removed.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('platform_health_checks', table => {
    table.bigIncrements('id').primary();
    table.string('dependency', 64).notNullable();
    // up, degraded or down (not-configured dependencies are not checked, so never stored).
    table.string('status', 16).notNullable();
    table.integer('latency_ms').notNullable();
    table.timestamp('checked_at', { useTz: true, precision: 3 }).notNullable();
    table.text('error').nullable();
    // The history of one dependency, and the latest check of each.
    table.index(
      ['dependency', 'checked_at'],
      'platform_health_checks_dep_time',
    );
    // Pruning by age.
    table.index(['checked_at'], 'platform_health_checks_time');
  });
  if (knex.client.config.client === 'pg') {
    await knex.raw(
      `ALTER TABLE platform_health_checks ADD CONSTRAINT platform_health_checks_status CHECK (status IN ('up', 'degraded', 'down'))`,
    );
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('platform_health_checks');
};
