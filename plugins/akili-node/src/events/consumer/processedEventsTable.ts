import { Knex } from 'knex';
import {
  disableTenantIsolation,
  enableTenantIsolation,
} from '../../database/tenantIsolation';

/**
 * The default name of the table in which a consumer marks the events it has processed.
 *
 * @public
 */
export const DEFAULT_PROCESSED_EVENTS_TABLE = 'akili_processed_events';

/**
 * Creates the table in which {@link AkiliEventConsumer} records, per consumer group, the ids of
 * the events it has processed, for use in a knex migration of the consuming plugin (each
 * consuming plugin has its own database, so each creates the table in its own migrations):
 *
 * - `consumer_group`, `event_id`: the primary key, so one group processes one event once;
 * - `tenant_id`: the event's tenant, isolated with `enableTenantIsolation` (row-level security on
 *   PostgreSQL), because the mark is written in the same tenant transaction as the handler's
 *   state change;
 * - `processed_at`: when the transaction that processed the event started.
 *
 * With a tenant role configured (`akili.database.tenantRole`), include the table in the tables
 * given to `prepareTenantRole`.
 *
 * @public
 */
export async function createProcessedEventsTable(
  knex: Knex,
  table: string = DEFAULT_PROCESSED_EVENTS_TABLE,
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

/**
 * Undoes {@link createProcessedEventsTable}, for down migrations.
 *
 * @public
 */
export async function dropProcessedEventsTable(
  knex: Knex,
  table: string = DEFAULT_PROCESSED_EVENTS_TABLE,
): Promise<void> {
  await disableTenantIsolation(knex, table);
  await knex.schema.dropTable(table);
}
