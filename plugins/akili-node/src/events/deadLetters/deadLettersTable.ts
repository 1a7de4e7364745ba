import { Knex } from 'knex';
import {
  disableTenantIsolation,
  enableTenantIsolation,
} from '../../database/tenantIsolation';

/**
 * The default name of the table the dead-letter recorder writes to.
 *
 * @public
 */
export const DEFAULT_DEAD_LETTERS_TABLE = 'akili_dead_letters';

/**
 * Creates the table of recorded dead letters, for a knex migration of the plugin that runs the
 * {@link DeadLetterRecorder} (the control plane):
 *
 * - `id`: bigint sequence, the order recorded (and the list cursor);
 * - `dead_letter_id`: the dead letter's own id, unique per tenant, so a redelivered dead letter is
 *   recorded once;
 * - `tenant_id` (row-level security), `topic` (the original topic), `consumer_group`, `reason`,
 *   `detail`, `attempts`, `event_id`, `event_type`;
 * - `message_key`, `payload`, `headers` (JSON of the original headers): what a retry publishes;
 * - `dead_lettered_at`, `retried_at`, `retried_by`, `retries`.
 *
 * With a tenant role configured, include the table in the tables given to `prepareTenantRole`.
 *
 * @public
 */
export async function createDeadLettersTable(
  knex: Knex,
  table: string = DEFAULT_DEAD_LETTERS_TABLE,
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

/**
 * Undoes {@link createDeadLettersTable}, for down migrations.
 *
 * @public
 */
export async function dropDeadLettersTable(
  knex: Knex,
  table: string = DEFAULT_DEAD_LETTERS_TABLE,
): Promise<void> {
  await disableTenantIsolation(knex, table);
  await knex.schema.dropTable(table);
}
