import { Knex } from 'knex';

/*
 * FROZEN. What Akili plugins' knex migrations run, version 1.
 *
 * A migration runs once per database, and again on every fresh install, so it must do the same
 * thing forever: never edit a function here, not even its SQL text (`v1.test.ts` pins every
 * statement). To change a schema, add a migration step (here while v1 is open for additions of
 * new functions, later in a `v2.ts`) and call it from a new migration file. Nothing here imports
 * a live helper or constant of this package: names and settings are written out.
 */

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

function tableName(table: string): string {
  if (typeof table !== 'string' || !TABLE_NAME.test(table)) {
    throw new Error(
      `Invalid table name ${JSON.stringify(
        table,
      )}: expected an identifier, optionally schema-qualified`,
    );
  }
  return table;
}

function isPostgres(knex: Knex): boolean {
  return knex.client.dialect === 'postgresql';
}

function notEmptyConstraint(table: string): string {
  return `${table.replace('.', '_')}_tenant_id_not_empty`;
}

const MATCHES_TENANT = `?? = current_setting('app.tenant_id', true)`;

/**
 * Options of {@link akiliMigrationsV1}'s `enableTenantIsolation`.
 *
 * @public
 */
export interface TenantIsolationOptions {
  /**
   * Lets a platform-scope transaction (`TenantScopedDatabase.withPlatformScope`) read every
   * tenant's rows of this table. Reading only.
   */
  platformReadable?: boolean;
  /**
   * An append-only table (an audit trail): the tenant may read and insert its rows, never update
   * or delete them (see `makeAppendOnly`).
   */
  appendOnly?: boolean;
}

async function enableTenantIsolation(
  knex: Knex,
  table: string,
  options: TenantIsolationOptions = {},
): Promise<void> {
  tableName(table);
  if (!isPostgres(knex)) {
    if (options.appendOnly) {
      await makeAppendOnly(knex, table);
    }
    return;
  }
  await knex.raw('ALTER TABLE ?? ALTER COLUMN ?? SET NOT NULL', [
    table,
    'tenant_id',
  ]);
  await knex.raw(`ALTER TABLE ?? ADD CONSTRAINT ?? CHECK (?? <> '')`, [
    table,
    notEmptyConstraint(table),
    'tenant_id',
  ]);
  await knex.raw('ALTER TABLE ?? ENABLE ROW LEVEL SECURITY', [table]);
  await knex.raw('ALTER TABLE ?? FORCE ROW LEVEL SECURITY', [table]);
  if (options.appendOnly) {
    await createAppendOnlyPolicies(knex, table);
  } else {
    await knex.raw(
      `CREATE POLICY ?? ON ?? USING (${MATCHES_TENANT}) WITH CHECK (${MATCHES_TENANT})`,
      ['tenant_isolation', table, 'tenant_id', 'tenant_id'],
    );
  }
  if (options.platformReadable) {
    await knex.raw(
      `CREATE POLICY ?? ON ?? FOR SELECT USING (current_setting('app.platform_scope', true) = 'on')`,
      ['tenant_platform_read', table],
    );
  }
}

async function disableTenantIsolation(
  knex: Knex,
  table: string,
): Promise<void> {
  tableName(table);
  if (!isPostgres(knex)) {
    await dropAppendOnlyTriggers(knex, table);
    return;
  }
  for (const policy of [
    'tenant_isolation',
    'tenant_platform_read',
    'tenant_read',
    'tenant_append',
  ]) {
    await knex.raw('DROP POLICY IF EXISTS ?? ON ??', [policy, table]);
  }
  await knex.raw('ALTER TABLE ?? NO FORCE ROW LEVEL SECURITY', [table]);
  await knex.raw('ALTER TABLE ?? DISABLE ROW LEVEL SECURITY', [table]);
  await knex.raw('ALTER TABLE ?? DROP CONSTRAINT IF EXISTS ??', [
    table,
    notEmptyConstraint(table),
  ]);
}

async function createAppendOnlyPolicies(knex: Knex, table: string) {
  await knex.raw(
    `CREATE POLICY ?? ON ?? FOR SELECT USING (${MATCHES_TENANT})`,
    ['tenant_read', table, 'tenant_id'],
  );
  await knex.raw(
    `CREATE POLICY ?? ON ?? FOR INSERT WITH CHECK (${MATCHES_TENANT})`,
    ['tenant_append', table, 'tenant_id'],
  );
}

function sqliteTrigger(table: string, event: 'update' | 'delete'): string {
  return `${table.replace('.', '_')}_append_only_${event}`;
}

async function dropAppendOnlyTriggers(knex: Knex, table: string) {
  for (const event of ['update', 'delete'] as const) {
    await knex.raw('DROP TRIGGER IF EXISTS ??', [sqliteTrigger(table, event)]);
  }
}

/**
 * Makes a tenant-isolated table append-only. On PostgreSQL the tenant policy becomes two:
 * `tenant_read` (SELECT of the tenant's rows) and `tenant_append` (INSERT of the tenant's rows);
 * with no UPDATE or DELETE policy and row-level security forced, no row can be changed or
 * deleted, by the tenant role or the owner (`prepareTenantRole` grants the tenant role only
 * SELECT and INSERT on such a table). On SQLite, triggers refuse UPDATE and DELETE.
 */
async function makeAppendOnly(knex: Knex, table: string): Promise<void> {
  tableName(table);
  if (!isPostgres(knex)) {
    for (const event of ['update', 'delete'] as const) {
      await knex.raw(
        `CREATE TRIGGER ?? BEFORE ${event.toUpperCase()} ON ?? BEGIN SELECT RAISE(ABORT, 'append-only table: rows are never changed or deleted'); END`,
        [sqliteTrigger(table, event), table],
      );
    }
    return;
  }
  await knex.raw('DROP POLICY IF EXISTS ?? ON ??', ['tenant_isolation', table]);
  await createAppendOnlyPolicies(knex, table);
}

/** Undoes {@link makeAppendOnly}: the table gets back the tenant policy for every command. */
async function undoAppendOnly(knex: Knex, table: string): Promise<void> {
  tableName(table);
  if (!isPostgres(knex)) {
    await dropAppendOnlyTriggers(knex, table);
    return;
  }
  for (const policy of ['tenant_read', 'tenant_append']) {
    await knex.raw('DROP POLICY IF EXISTS ?? ON ??', [policy, table]);
  }
  await knex.raw(
    `CREATE POLICY ?? ON ?? USING (${MATCHES_TENANT}) WITH CHECK (${MATCHES_TENANT})`,
    ['tenant_isolation', table, 'tenant_id', 'tenant_id'],
  );
}

/**
 * The event outbox as first created: `event_id` unique across tenants (see
 * `keyEventIdsByTenant`, which every plugin runs after it).
 */
async function createEventOutboxTable(
  knex: Knex,
  table: string = 'akili_event_outbox',
): Promise<void> {
  await knex.schema.createTable(table, t => {
    t.bigIncrements('id').primary({ constraintName: `${table}_pkey` });
    t.string('event_id', 64)
      .notNullable()
      .unique({ indexName: `${table}_event_id_unique` });
    t.text('tenant_id').notNullable();
    t.string('topic', 249).notNullable();
    t.string('message_key', 512).notNullable();
    t.text('payload').notNullable();
    t.timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    t.timestamp('sent_at', { useTz: true }).nullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error').nullable();
    t.index(['id'], `${table}_unsent_idx`, {
      predicate: knex.whereNull('sent_at'),
    });
  });
  await enableTenantIsolation(knex, table, { platformReadable: true });
}

async function dropEventOutboxTable(
  knex: Knex,
  table: string = 'akili_event_outbox',
): Promise<void> {
  await disableTenantIsolation(knex, table);
  await knex.schema.dropTable(table);
}

/**
 * The processed-events table as first created: primary key (consumer group, event id), across
 * tenants (see `keyEventIdsByTenant`).
 */
async function createProcessedEventsTable(
  knex: Knex,
  table: string = 'akili_processed_events',
): Promise<void> {
  await knex.schema.createTable(table, t => {
    t.string('consumer_group', 255).notNullable();
    t.string('event_id', 255).notNullable();
    t.text('tenant_id').notNullable();
    t.timestamp('processed_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    t.primary(['consumer_group', 'event_id']);
  });
  await enableTenantIsolation(knex, table);
}

async function dropProcessedEventsTable(
  knex: Knex,
  table: string = 'akili_processed_events',
): Promise<void> {
  await disableTenantIsolation(knex, table);
  await knex.schema.dropTable(table);
}

async function createDeadLettersTable(
  knex: Knex,
  table: string = 'akili_dead_letters',
): Promise<void> {
  await knex.schema.createTable(table, t => {
    t.bigIncrements('id').primary({ constraintName: `${table}_pkey` });
    t.string('dead_letter_id', 128).notNullable();
    t.text('tenant_id').notNullable();
    t.string('topic', 249).notNullable();
    t.string('consumer_group', 255).nullable();
    t.string('reason', 64).notNullable();
    t.text('detail').notNullable();
    t.integer('attempts').nullable();
    t.string('event_id', 255).nullable();
    t.string('event_type', 128).nullable();
    t.string('message_key', 512).notNullable();
    t.text('payload').notNullable();
    t.text('headers').notNullable();
    t.timestamp('dead_lettered_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    t.timestamp('retried_at', { useTz: true }).nullable();
    t.string('retried_by', 255).nullable();
    t.integer('retries').notNullable().defaultTo(0);
    t.unique(['tenant_id', 'dead_letter_id'], {
      indexName: `${table}_dead_letter_id_unique`,
    });
  });
  await enableTenantIsolation(knex, table);
}

async function dropDeadLettersTable(
  knex: Knex,
  table: string = 'akili_dead_letters',
): Promise<void> {
  await disableTenantIsolation(knex, table);
  await knex.schema.dropTable(table);
}

/**
 * Event ids are unique per tenant, not across tenants: the outbox's key becomes
 * (`tenant_id`, `event_id`) and the processed marks' primary key (`consumer_group`, `tenant_id`,
 * `event_id`), so an event id used by another tenant is never taken for one already processed.
 * Pass `undefined` for a table the plugin does not have.
 */
async function keyEventIdsByTenant(
  knex: Knex,
  tables: { outbox?: string; processedEvents?: string },
): Promise<void> {
  if (tables.outbox) {
    const table = tableName(tables.outbox);
    await knex.schema.alterTable(table, t => {
      t.dropUnique(['event_id'], `${table}_event_id_unique`);
      t.unique(['tenant_id', 'event_id'], {
        indexName: `${table}_tenant_event_id_unique`,
      });
    });
  }
  if (tables.processedEvents) {
    const table = tableName(tables.processedEvents);
    await knex.schema.alterTable(table, t => {
      t.dropPrimary(`${table}_pkey`);
      t.primary(['consumer_group', 'tenant_id', 'event_id'], {
        constraintName: `${table}_pkey`,
      });
    });
  }
}

/**
 * Undoes {@link keyEventIdsByTenant}. Fails when two tenants now hold one event id (the old key
 * cannot hold them); that is what the new key is for.
 */
async function unkeyEventIdsByTenant(
  knex: Knex,
  tables: { outbox?: string; processedEvents?: string },
): Promise<void> {
  if (tables.processedEvents) {
    const table = tableName(tables.processedEvents);
    await knex.schema.alterTable(table, t => {
      t.dropPrimary(`${table}_pkey`);
      t.primary(['consumer_group', 'event_id'], {
        constraintName: `${table}_pkey`,
      });
    });
  }
  if (tables.outbox) {
    const table = tableName(tables.outbox);
    await knex.schema.alterTable(table, t => {
      t.dropUnique(
        ['tenant_id', 'event_id'],
        `${table}_tenant_event_id_unique`,
      );
      t.unique(['event_id'], { indexName: `${table}_event_id_unique` });
    });
  }
}

/**
 * The migration steps of Akili plugins, version 1, frozen: a plugin's knex migration calls these
 * and never a live helper, so it does the same on every install for ever.
 *
 * @example
 *
 * ```js
 * // migrations/20260101000000_init.js of a new plugin
 * const { akiliMigrationsV1: m } = require('@akili/plugin-akili-node');
 *
 * exports.up = async knex => {
 *   await knex.schema.createTable('lake_agreements', t => { ... t.text('tenant_id') ... });
 *   await m.enableTenantIsolation(knex, 'lake_agreements');
 *   await knex.schema.createTable('lake_audit', t => { ... });
 *   await m.enableTenantIsolation(knex, 'lake_audit', { appendOnly: true });
 *   await m.createEventOutboxTable(knex);
 *   await m.keyEventIdsByTenant(knex, { outbox: 'akili_event_outbox' });
 * };
 * ```
 *
 * @public
 */
export const akiliMigrationsV1 = Object.freeze({
  /**
   * Makes a table (with a `tenant_id` text column) tenant-isolated on PostgreSQL: `tenant_id`
   * `NOT NULL` and `CHECK (tenant_id <> '')`, row-level security enabled and forced, the policy
   * `tenant_isolation` (rows of `app.tenant_id` only); `platformReadable` adds the SELECT-only
   * `tenant_platform_read`; `appendOnly` gives `tenant_read` + `tenant_append` instead of
   * `tenant_isolation`. Otherwise a no-op on SQLite (append-only there: triggers).
   */
  enableTenantIsolation,
  /** Undoes `enableTenantIsolation` (policies, check, row-level security; triggers on SQLite). */
  disableTenantIsolation,
  makeAppendOnly,
  undoAppendOnly,
  createEventOutboxTable,
  dropEventOutboxTable,
  createProcessedEventsTable,
  dropProcessedEventsTable,
  createDeadLettersTable,
  dropDeadLettersTable,
  keyEventIdsByTenant,
  unkeyEventIdsByTenant,
});
