import { akiliMigrationsV1 } from '../../migrations/v1';

/**
 * The default name of the table the dead-letter recorder writes to.
 *
 * @remarks
 *
 * Columns: `id` (bigint sequence, the list cursor), `dead_letter_id` (unique per tenant),
 * `tenant_id` (row-level security), `topic` (the original topic), `consumer_group`, `reason`,
 * `detail`, `attempts`, `event_id`, `event_type`, `message_key`, `payload`, `headers` (what a
 * retry publishes), `dead_lettered_at`, `retried_at`, `retried_by`, `retries`. Created by the
 * recording plugin's migration with `akiliMigrationsV1.createDeadLettersTable`.
 *
 * @public
 */
export const DEFAULT_DEAD_LETTERS_TABLE = 'akili_dead_letters';

/**
 * @deprecated Migrations call the frozen `akiliMigrationsV1.createDeadLettersTable`.
 * @public
 */
export const createDeadLettersTable = akiliMigrationsV1.createDeadLettersTable;

/**
 * @deprecated Migrations call the frozen `akiliMigrationsV1.dropDeadLettersTable`.
 * @public
 */
export const dropDeadLettersTable = akiliMigrationsV1.dropDeadLettersTable;
