import { Knex } from 'knex';
import {
  disableTenantIsolation,
  enableTenantIsolation,
} from '../database/tenantIsolation';

/**
 * The default name of the event outbox table.
 *
 * @public
 */
export const DEFAULT_EVENT_OUTBOX_TABLE = 'akili_event_outbox';

/**
 * Creates the transactional outbox table, for use in a knex migration of the publishing plugin:
 *
 * - `id`: bigint sequence, the publish order;
 * - `event_id` (unique), `tenant_id`, `topic`, `message_key` (the event's subject), `payload`
 *   (the envelope's JSON);
 * - `created_at`, `sent_at` (null until published), `attempts`, `last_error`;
 * - a partial index on the unsent rows.
 *
 * The table is tenant-isolated (row-level security on PostgreSQL) and platform-readable, so the
 * relay reads every tenant's unsent rows in a read-only platform scope and marks them sent in
 * each tenant's own transaction. With a tenant role configured, include the table in the tables
 * given to `prepareTenantRole`.
 *
 * @public
 */
export async function createEventOutboxTable(
  knex: Knex,
  table: string = DEFAULT_EVENT_OUTBOX_TABLE,
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

/**
 * Undoes {@link createEventOutboxTable}, for down migrations.
 *
 * @public
 */
export async function dropEventOutboxTable(
  knex: Knex,
  table: string = DEFAULT_EVENT_OUTBOX_TABLE,
): Promise<void> {
  await disableTenantIsolation(knex, table);
  await knex.schema.dropTable(table);
}
