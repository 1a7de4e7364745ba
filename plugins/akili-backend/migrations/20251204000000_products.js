// @ts-check

// The frozen migration steps (never a live helper): this file does the same on every install.
const {
  akiliMigrationsV1: { disableTenantIsolation, enableTenantIsolation },
} = require('@akili/plugin-akili-node');

/**
 * The product registry: each tenant's data products and every manifest version submitted for
 * them. Tenant-isolated (PostgreSQL row-level security, enabled and forced). Deployments (which
 * revision went where, by whom, the pipeline and its status) get a table of their own in a later
 * migration, keyed by (tenant_id, product_name, revision) like the versions.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('akili_products', table => {
    table.comment('Data products registered in the control plane');
    table.text('tenant_id').notNullable();
    table.text('name').notNullable();
    table
      .text('status')
      .notNullable()
      .comment('draft, registered, deployed or deprecated');
    table
      .integer('current_revision')
      .notNullable()
      .comment('The revision of the newest version in akili_product_versions');
    table.text('current_version').nullable().comment('spec.version of it');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.text('created_by').notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.primary(['tenant_id', 'name']);
  });
  await enableTenantIsolation(knex, 'akili_products');

  await knex.schema.createTable('akili_product_versions', table => {
    table.comment(
      'Every manifest version submitted for a product, by revision',
    );
    table.text('tenant_id').notNullable();
    table.text('product_name').notNullable();
    table.integer('revision').notNullable().comment('1, 2, ... per product');
    table.text('version').nullable().comment('spec.version (semver)');
    table
      .text('format')
      .notNullable()
      .comment('The submitted format: akili (odps and odcs later)');
    table
      .text('manifest_text', 'longtext')
      .notNullable()
      .comment('The text as submitted');
    table
      .text('manifest', 'longtext')
      .notNullable()
      .comment('JSON of the parsed manifest, namespace set to the tenant');
    table.text('submitted_by').notNullable();
    table.timestamp('submitted_at', { useTz: true }).notNullable();
    table
      .text('diff', 'longtext')
      .notNullable()
      .comment('JSON ManifestDiff against the previous revision');
    table.boolean('breaking_acknowledged').notNullable().defaultTo(false);
    table.primary(['tenant_id', 'product_name', 'revision']);
    table
      .foreign(['tenant_id', 'product_name'])
      .references(['tenant_id', 'name'])
      .inTable('akili_products')
      .onDelete('CASCADE');
  });
  await enableTenantIsolation(knex, 'akili_product_versions');
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const table of ['akili_product_versions', 'akili_products']) {
    await disableTenantIsolation(knex, table);
    await knex.schema.dropTable(table);
  }
};
