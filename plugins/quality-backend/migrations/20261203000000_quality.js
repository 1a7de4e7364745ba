// @ts-check

// Frozen migration steps only (never a live helper): this file must do the same on every install.
const { akiliMigrationsV1: m } = require('@akili/plugin-akili-node');

/** Tables of this migration, dropped in reverse order by `down`. */
const TABLES = [
  'quality_results',
  'quality_latest',
  'quality_daily',
  'quality_rules',
  'quality_products',
  'quality_incidents',
  'quality_incident_events',
];

/**
 * The quality of a tenant's data products, all tenant-isolated (row-level security on
 * PostgreSQL):
 *
 * - `quality_results`: every check result ever reported, never overwritten; idempotent by
 *   (tenant, source, execution id), so a result reported twice is stored once;
 * - `quality_latest` and `quality_daily`: rollups maintained in the transaction of each insert
 *   (the latest result per rule, and the last result per rule and UTC day), from which scores,
 *   statuses and trends are computed in SQL without reading the history;
 * - `quality_rules` and `quality_products`: the contract (rules, severities, freshness SLO) as
 *   synced from the product's manifest, and the last successful run (freshness);
 * - `quality_incidents` and `quality_incident_events`: incidents (at most one open per product
 *   and cause) and their timeline (append-only);
 * - the processed-events table of the plugin's consumers and the outbox of its
 *   `quality.checked` events, event ids unique per tenant.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('quality_results', table => {
    table.bigIncrements('id').primary();
    table.text('tenant_id').notNullable();
    table.string('product', 255).notNullable();
    table.string('port', 255).nullable();
    table.string('rule', 255).notNullable();
    table.string('dimension', 32).notNullable();
    table.string('severity', 16).notNullable();
    table.string('outcome', 16).notNullable();
    // JSON-encoded (a number, a string, a boolean or null).
    table.text('observed_value').nullable();
    table.text('threshold').nullable();
    table.string('run_id', 255).nullable();
    table.string('partition', 255).nullable();
    table.string('source', 255).notNullable();
    table.string('execution_id', 512).notNullable();
    table.timestamp('observed_at', { useTz: true }).notNullable();
    table.timestamp('received_at', { useTz: true }).notNullable();
    table.text('message').nullable();
    table.boolean('in_contract').notNullable();
    table.unique(['tenant_id', 'source', 'execution_id'], {
      indexName: 'quality_results_execution_unique',
    });
    table.index(
      ['tenant_id', 'product', 'rule', 'observed_at'],
      'quality_results_rule_idx',
    );
    table.index(
      ['tenant_id', 'product', 'observed_at'],
      'quality_results_product_idx',
    );
  });
  await m.enableTenantIsolation(knex, 'quality_results');

  await knex.schema.createTable('quality_latest', table => {
    table.text('tenant_id').notNullable();
    table.string('product', 255).notNullable();
    table.string('rule', 255).notNullable();
    table.bigInteger('result_id').notNullable();
    table.string('outcome', 16).notNullable();
    table.timestamp('observed_at', { useTz: true }).notNullable();
    table.string('port', 255).nullable();
    table.string('dimension', 32).notNullable();
    table.string('severity', 16).notNullable();
    table.boolean('in_contract').notNullable();
    table.primary(['tenant_id', 'product', 'rule']);
  });
  await m.enableTenantIsolation(knex, 'quality_latest');

  await knex.schema.createTable('quality_daily', table => {
    table.text('tenant_id').notNullable();
    table.string('product', 255).notNullable();
    table.string('rule', 255).notNullable();
    // 'YYYY-MM-DD', UTC.
    table.string('day', 10).notNullable();
    table.string('outcome', 16).notNullable();
    table.timestamp('observed_at', { useTz: true }).notNullable();
    table.primary(['tenant_id', 'product', 'rule', 'day']);
    table.index(['tenant_id', 'day'], 'quality_daily_day_idx');
  });
  await m.enableTenantIsolation(knex, 'quality_daily');

  await knex.schema.createTable('quality_rules', table => {
    table.text('tenant_id').notNullable();
    table.string('product', 255).notNullable();
    table.string('rule', 255).notNullable();
    table.string('port', 255).nullable();
    table.string('dimension', 32).notNullable();
    table.string('severity', 16).notNullable();
    table.string('engine', 64).nullable();
    table.text('description').nullable();
    table.primary(['tenant_id', 'product', 'rule']);
  });
  await m.enableTenantIsolation(knex, 'quality_rules');

  await knex.schema.createTable('quality_products', table => {
    table.text('tenant_id').notNullable();
    table.string('product', 255).notNullable();
    table.string('rules_hash', 64).notNullable();
    // The product's only output port (results and rules without a port are of it), if it has one.
    table.string('default_port', 255).nullable();
    table.integer('max_delay_minutes').nullable();
    table.string('max_delay', 64).nullable();
    table.timestamp('last_success_at', { useTz: true }).nullable();
    table.string('last_run_id', 255).nullable();
    table.timestamp('synced_at', { useTz: true }).notNullable();
    table.primary(['tenant_id', 'product']);
  });
  await m.enableTenantIsolation(knex, 'quality_products');

  await knex.schema.createTable('quality_incidents', table => {
    table.bigIncrements('id').primary();
    table.text('tenant_id').notNullable();
    table.string('product', 255).notNullable();
    // 'rule', 'freshness' or 'run'.
    table.string('cause_kind', 16).notNullable();
    table.string('cause_key', 255).notNullable();
    table.text('title').notNullable();
    // 'new', 'acknowledged', 'assigned' or 'resolved'.
    table.string('state', 16).notNullable();
    table.string('severity', 16).notNullable();
    table.string('assignee', 255).nullable();
    table.timestamp('opened_at', { useTz: true }).notNullable();
    table.timestamp('acknowledged_at', { useTz: true }).nullable();
    table.timestamp('assigned_at', { useTz: true }).nullable();
    table.timestamp('resolved_at', { useTz: true }).nullable();
    table.string('resolution_reason', 32).nullable();
    table.text('resolution_comment').nullable();
    table.string('resolved_by', 255).nullable();
    table.integer('failures').notNullable().defaultTo(1);
    table.timestamp('last_failure_at', { useTz: true }).notNullable();
    table.index(['tenant_id', 'state', 'id'], 'quality_incidents_state_idx');
    table.index(
      ['tenant_id', 'product', 'id'],
      'quality_incidents_product_idx',
    );
    table.index(['tenant_id', 'opened_at'], 'quality_incidents_opened_idx');
  });
  // One open incident per product and cause (a partial unique index: PostgreSQL and SQLite).
  await knex.raw(
    `CREATE UNIQUE INDEX ?? ON ?? (??, ??, ??, ??) WHERE ?? <> 'resolved'`,
    [
      'quality_incidents_open_cause_unique',
      'quality_incidents',
      'tenant_id',
      'product',
      'cause_kind',
      'cause_key',
      'state',
    ],
  );
  await m.enableTenantIsolation(knex, 'quality_incidents');

  await knex.schema.createTable('quality_incident_events', table => {
    table.bigIncrements('id').primary();
    table.text('tenant_id').notNullable();
    table.bigInteger('incident_id').notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.string('actor', 255).notNullable();
    // 'opened', 'failed-again', 'acknowledged', 'assigned', 'commented' or 'resolved'.
    table.string('kind', 32).notNullable();
    // JSON object.
    table.text('details').notNullable();
    table.index(
      ['tenant_id', 'incident_id', 'id'],
      'quality_incident_events_incident_idx',
    );
  });
  await m.enableTenantIsolation(knex, 'quality_incident_events', {
    appendOnly: true,
  });

  await m.createProcessedEventsTable(knex);
  await m.createEventOutboxTable(knex);
  await m.keyEventIdsByTenant(knex, {
    outbox: 'akili_event_outbox',
    processedEvents: 'akili_processed_events',
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await m.unkeyEventIdsByTenant(knex, {
    outbox: 'akili_event_outbox',
    processedEvents: 'akili_processed_events',
  });
  await m.dropEventOutboxTable(knex);
  await m.dropProcessedEventsTable(knex);
  for (const table of [...TABLES].reverse()) {
    await m.disableTenantIsolation(knex, table);
    await knex.schema.dropTable(table);
  }
};
