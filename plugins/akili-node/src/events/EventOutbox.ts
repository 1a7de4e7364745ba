import {
  AkiliEvent,
  AkiliEventMessage,
  DEFAULT_AKILI_EVENT_TOPIC_PATTERN,
  InvalidAkiliEventError,
  akiliEventFamily,
  akiliEventTopic,
  validateAkiliEvent,
} from '@akili/plugin-akili-common';
import { NotAllowedError } from '@backstage/errors';
import { Knex } from 'knex';
import { TenantScopedDatabase } from '../database/TenantScopedDatabase';
import { assertTableName, isPostgres } from '../database/dialect';
import { DEFAULT_EVENT_OUTBOX_TABLE, outboxChannel } from './outboxTable';

/** Rows per insert statement of {@link EventOutbox.enqueueMany}. */
const ENQUEUE_CHUNK = 500;

/**
 * Options of {@link EventOutbox} and {@link OutboxRelay}.
 *
 * @public
 */
export interface EventOutboxOptions {
  /** The outbox table (default `akili_event_outbox`). */
  table?: string;
  /** The topic pattern (default `akili.{tenant}.{family}`). */
  topicPattern?: string;
}

/**
 * The headers every published message carries, so consumers can route without parsing.
 *
 * @public
 */
export const AKILI_EVENT_HEADERS = {
  id: 'akili-event-id',
  type: 'akili-event-type',
  version: 'akili-event-version',
  tenant: 'akili-tenant',
  contentType: 'content-type',
} as const;

/** The message of an event: topic per tenant and family, key = subject, value = envelope JSON. */
export function akiliEventMessage(
  event: AkiliEvent,
  topicPattern: string = DEFAULT_AKILI_EVENT_TOPIC_PATTERN,
): AkiliEventMessage {
  return {
    topic: akiliEventTopic(
      event.tenant,
      akiliEventFamily(event.type),
      topicPattern,
    ),
    key: event.subject,
    value: JSON.stringify(event),
    headers: {
      [AKILI_EVENT_HEADERS.id]: event.id,
      [AKILI_EVENT_HEADERS.type]: event.type,
      [AKILI_EVENT_HEADERS.version]: String(event.version),
      [AKILI_EVENT_HEADERS.tenant]: event.tenant,
      [AKILI_EVENT_HEADERS.contentType]: 'application/json',
    },
  };
}

/**
 * The publishing side of the transactional outbox: writes an event in the same transaction as
 * the state change that causes it, so both commit or neither does. {@link OutboxRelay} then
 * publishes it.
 *
 * @example
 *
 * ```ts
 * await db.withTenant(tenant, async tx => {
 *   await db.insert(tx, 'products', row);
 *   await outbox.enqueue(db, tx, createAkiliEvent({ type: 'product.registered', ... }));
 * });
 * relay.wake();
 * ```
 *
 * @public
 */
export class EventOutbox {
  readonly #table: string;
  readonly #topicPattern: string;

  static create(options: EventOutboxOptions = {}): EventOutbox {
    return new EventOutbox(options);
  }

  private constructor(options: EventOutboxOptions) {
    this.#table = options.table ?? DEFAULT_EVENT_OUTBOX_TABLE;
    this.#topicPattern =
      options.topicPattern ?? DEFAULT_AKILI_EVENT_TOPIC_PATTERN;
  }

  /**
   * Adds `event` to the outbox inside the caller's tenant transaction `tx` (from
   * `db.withTenant`). Refuses an invalid event (`InvalidAkiliEventError`, an `InputError`
   * listing the problems) and an event of another tenant than the transaction's
   * (`NotAllowedError`). Nothing is published unless and until `tx` commits.
   */
  async enqueue(
    db: TenantScopedDatabase,
    tx: Knex.Transaction,
    event: AkiliEvent,
  ): Promise<void> {
    await this.enqueueMany(db, tx, [event]);
  }

  /**
   * Adds `events` to the outbox, in this order, inside the caller's tenant transaction `tx` with
   * one multi-row insert. Every event is checked first, as {@link EventOutbox.enqueue} does; when
   * any is refused, none is written.
   */
  async enqueueMany(
    db: TenantScopedDatabase,
    tx: Knex.Transaction,
    events: readonly AkiliEvent[],
  ): Promise<void> {
    const tenant = db.tenantOf(tx);
    const rows = events.map(event => {
      const problems = validateAkiliEvent(event);
      if (problems.length > 0) {
        throw new InvalidAkiliEventError(
          problems,
          'Refusing to publish an invalid event',
        );
      }
      if (event.tenant !== tenant) {
        throw new NotAllowedError(
          `Refusing to publish an event of tenant '${event.tenant}' from a transaction of tenant '${tenant}'`,
        );
      }
      return {
        event_id: event.id,
        topic: akiliEventTopic(
          event.tenant,
          akiliEventFamily(event.type),
          this.#topicPattern,
        ),
        message_key: event.subject,
        payload: JSON.stringify(event),
      };
    });
    if (rows.length === 0) {
      return;
    }
    // The outbox's order is its id's: rows of one insert get ids in the order given.
    if (isPostgres(tx)) {
      // One parameter for all the rows (a JSON array), in order of ordinality: far cheaper to
      // build and send than a multi-row insert's five parameters per row.
      // The same statement notifies the relay's channel (delivered at commit, not before; several
      // in one transaction are one): the relay publishes at once rather than at its next poll.
      await tx.raw(
        `WITH inserted AS (
           INSERT INTO ?? (tenant_id, event_id, topic, message_key, payload)
           SELECT ?, r.event_id, r.topic, r.message_key, r.payload
           FROM ROWS FROM (json_to_recordset(?::json)
             AS (event_id text, topic text, message_key text, payload text))
             WITH ORDINALITY AS r(event_id, topic, message_key, payload, n)
           ORDER BY r.n
           RETURNING 1
         )
         SELECT pg_notify(?, '') FROM (SELECT count(*) FROM inserted) AS done`,
        [
          assertTableName(this.#table),
          tenant,
          JSON.stringify(rows),
          outboxChannel(this.#table),
        ],
      );
      return;
    }
    // Chunked, because knex writes a multi-row insert on SQLite as a compound SELECT (at most
    // 500 terms).
    for (let i = 0; i < rows.length; i += ENQUEUE_CHUNK) {
      await db.insert(tx, this.#table, rows.slice(i, i + ENQUEUE_CHUNK));
    }
  }
}
