import { akiliMigrationsV1 } from '../../migrations/v1';

/**
 * The default name of the table in which a consumer marks the events it has processed.
 *
 * @remarks
 *
 * Primary key (`consumer_group`, `tenant_id`, `event_id`): one group processes one event of one
 * tenant once, and an event id used by another tenant is another event. `tenant_id` is
 * isolated by row-level security, because the mark is written in the same tenant transaction as
 * the handler's state change. Each consuming plugin creates the table in its own migrations
 * (`akiliMigrationsV1.createProcessedEventsTable` then `keyEventIdsByTenant`).
 *
 * @public
 */
export const DEFAULT_PROCESSED_EVENTS_TABLE = 'akili_processed_events';

/**
 * @deprecated Migrations call the frozen `akiliMigrationsV1.createProcessedEventsTable` (the same
 * function) followed by `akiliMigrationsV1.keyEventIdsByTenant`.
 * @public
 */
export const createProcessedEventsTable =
  akiliMigrationsV1.createProcessedEventsTable;

/**
 * @deprecated Migrations call the frozen `akiliMigrationsV1.dropProcessedEventsTable`.
 * @public
 */
export const dropProcessedEventsTable =
  akiliMigrationsV1.dropProcessedEventsTable;
