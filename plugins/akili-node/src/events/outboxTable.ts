import { akiliMigrationsV1 } from '../migrations/v1';

/**
 * The default name of the event outbox table.
 *
 * @remarks
 *
 * Columns: `id` (bigint sequence, the publish order), `event_id` (unique per tenant),
 * `tenant_id`, `topic`, `message_key` (the event's subject), `payload` (the envelope's JSON),
 * `created_at`, `sent_at` (null until published), `attempts`, `last_error`. Tenant-isolated and
 * platform-readable: the relay reads every tenant's unsent rows in a read-only platform scope and
 * marks them sent in each tenant's own transaction. Created by a plugin's migration with
 * `akiliMigrationsV1.createEventOutboxTable` then `keyEventIdsByTenant`.
 *
 * @public
 */
export const DEFAULT_EVENT_OUTBOX_TABLE = 'akili_event_outbox';

/**
 * The PostgreSQL notification channel of an outbox table: {@link EventOutbox} notifies it in
 * every transaction that enqueues (delivered when the transaction commits), and
 * {@link OutboxRelay} listens on it to publish at once. The table name itself (at most 63
 * bytes, like every PostgreSQL identifier).
 */
export function outboxChannel(table: string): string {
  return table;
}

/**
 * @deprecated Migrations call the frozen `akiliMigrationsV1.createEventOutboxTable` (the same
 * function) followed by `akiliMigrationsV1.keyEventIdsByTenant`.
 * @public
 */
export const createEventOutboxTable = akiliMigrationsV1.createEventOutboxTable;

/**
 * @deprecated Migrations call the frozen `akiliMigrationsV1.dropEventOutboxTable`.
 * @public
 */
export const dropEventOutboxTable = akiliMigrationsV1.dropEventOutboxTable;
