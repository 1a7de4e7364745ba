import {
  AkiliDeadLetter,
  AkiliDeadLetterStatus,
  AkiliEventMessage,
} from '@akili/plugin-akili-common';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { Knex } from 'knex';
import { TenantScopedDatabase } from '../../database/TenantScopedDatabase';
import { toIsoTimestamp } from '../../database/dialect';
import { runAuditedAction } from '../../audit/intentAndOutcome';
import { AkiliEventPublisher } from '../consumer/AkiliEventConsumer';
import { DEFAULT_DEAD_LETTERS_TABLE } from './deadLettersTable';

/**
 * The header a retried message carries: the id of the dead letter it is a retry of.
 *
 * @public
 */
export const AKILI_RETRY_OF_HEADER = 'akili-retry-of';

/** Payloads in lists are cut to this many characters (`get` gives the whole). */
const LIST_PAYLOAD_CHARS = 8000;

interface DeadLetterRow {
  id: number | string;
  dead_letter_id: string;
  tenant_id: string;
  topic: string;
  consumer_group: string | null;
  reason: string;
  detail: string;
  attempts: number | null;
  event_id: string | null;
  event_type: string | null;
  message_key: string;
  payload: string;
  headers: string;
  dead_lettered_at: Date | string | number;
  retried_at: Date | string | number | null;
  retried_by: string | null;
  retries: number;
}

function toDeadLetter(
  row: DeadLetterRow,
  payloadChars?: number,
): AkiliDeadLetter {
  const truncated =
    payloadChars !== undefined && row.payload.length > payloadChars;
  return {
    id: row.dead_letter_id,
    tenant: row.tenant_id,
    topic: row.topic,
    ...(row.consumer_group ? { consumerGroup: row.consumer_group } : {}),
    reason: row.reason,
    detail: row.detail,
    ...(row.attempts !== null ? { attempts: Number(row.attempts) } : {}),
    ...(row.event_id ? { eventId: row.event_id } : {}),
    ...(row.event_type ? { eventType: row.event_type } : {}),
    key: row.message_key,
    payload: truncated ? row.payload.slice(0, payloadChars) : row.payload,
    ...(truncated ? { payloadTruncated: true } : {}),
    deadLetteredAt: toIsoTimestamp(row.dead_lettered_at),
    ...(row.retried_at !== null
      ? { retriedAt: toIsoTimestamp(row.retried_at) }
      : {}),
    ...(row.retried_by ? { retriedBy: row.retried_by } : {}),
    retries: Number(row.retries),
  };
}

/**
 * Options of {@link DeadLetterStore.retry}.
 *
 * @public
 */
export interface DeadLetterRetryOptions {
  /** Where the message is published again: the event transport (Kafka or in-process). */
  publisher: AkiliEventPublisher;
  /** Who asked (a user entity ref, or `token:<id>`), kept on the dead letter. */
  actor: string;
  /**
   * Records the intent before anything is published (e.g. an audit entry, in a transaction of its
   * own that commits before the publish). When it fails, nothing is published.
   */
  onIntent?: (deadLetter: AkiliDeadLetter) => Promise<void>;
  /**
   * Runs in the tenant transaction that marks the dead letter retried: the recorded outcome of a
   * publish that succeeded (e.g. an audit entry, committed with the mark).
   */
  onRetried?: (
    tx: Knex.Transaction,
    deadLetter: AkiliDeadLetter,
  ) => Promise<void>;
  /** Records the outcome of a publish that failed, with its error, before the retry answers. */
  onFailed?: (deadLetter: AkiliDeadLetter, error: Error) => Promise<void>;
  /**
   * The message of the `NotFoundError` for a dead letter the tenant does not have, so a route can
   * answer it exactly as for a tenant it may not see. Default
   * `No dead letter '<id>' in tenant '<tenant>'`.
   */
  notFoundMessage?: string;
}

/**
 * The recorded dead letters of each tenant (written by {@link DeadLetterRecorder}): listed for
 * operators, and published again on request. Every read and write is a tenant transaction.
 *
 * @public
 */
export class DeadLetterStore {
  readonly #db: TenantScopedDatabase;
  readonly #table: string;

  constructor(options: { db: TenantScopedDatabase; table?: string }) {
    this.#db = options.db;
    this.#table = options.table ?? DEFAULT_DEAD_LETTERS_TABLE;
  }

  /** A page of the tenant's dead letters, newest first; `before` is a cursor of a former page. */
  async list(
    tenant: string,
    options: { status?: AkiliDeadLetterStatus; limit: number; before?: string },
  ): Promise<{ items: AkiliDeadLetter[]; nextCursor?: string }> {
    return this.#db.withTenant(tenant, async tx => {
      const status = options.status ?? 'open';
      const { rows, nextCursor } =
        await this.#db.pageNewestFirst<DeadLetterRow>(tx, this.#table, {
          limit: options.limit,
          before: options.before,
          where: query => {
            if (status === 'open') query.whereNull('retried_at');
            if (status === 'retried') query.whereNotNull('retried_at');
          },
        });
      return {
        items: rows.map(row => toDeadLetter(row, LIST_PAYLOAD_CHARS)),
        ...(nextCursor ? { nextCursor } : {}),
      };
    });
  }

  /** How many of the tenant's dead letters were never retried. */
  async countOpen(tenant: string): Promise<number> {
    return this.#db.withTenant(tenant, async tx => {
      const [{ count }] = await this.#db
        .scoped(tx, this.#table)
        .whereNull('retried_at')
        .count({ count: '*' });
      return Number(count);
    });
  }

  /** One dead letter with its whole payload, or undefined. */
  async get(tenant: string, id: string): Promise<AkiliDeadLetter | undefined> {
    return this.#db.withTenant(tenant, async tx => {
      const row = await this.#row(tx, id);
      return row ? toDeadLetter(row) : undefined;
    });
  }

  /**
   * Publishes the dead letter's message again to its original topic (same key, value and
   * original headers, so the same event id: consumers that processed it skip it, the one that gave
   * up processes it), then marks it retried. A dead letter may be retried more than once.
   *
   * Publishing changes something outside the database, so it runs between its recorded intent
   * (`onIntent`, committed first) and its recorded outcome (`onRetried` with the mark, or
   * `onFailed`): a publish that fails is never left unaudited.
   *
   * Throws `NotFoundError` when the tenant has no such dead letter (with `notFoundMessage` when
   * given), and `ServiceUnavailableError` when publishing fails (nothing is marked then).
   */
  async retry(
    tenant: string,
    id: string,
    options: DeadLetterRetryOptions,
  ): Promise<AkiliDeadLetter> {
    // Read, publish and mark in separate steps: publishing to the in-process bus delivers to
    // consumers that need this database, which must not wait behind an open transaction.
    const row = await this.#db.withTenant(tenant, async tx =>
      this.#row(tx, id),
    );
    if (!row) {
      throw new NotFoundError(
        options.notFoundMessage ??
          `No dead letter '${id}' in tenant '${tenant}'`,
      );
    }
    const deadLetter = toDeadLetter(row);
    let headers: Record<string, string> = {};
    try {
      headers = JSON.parse(row.headers);
    } catch {
      // Recorded by this store as JSON; an unreadable value just loses the headers.
    }
    const message: AkiliEventMessage = {
      topic: row.topic,
      key: row.message_key,
      value: row.payload,
      headers: { ...headers, [AKILI_RETRY_OF_HEADER]: id },
    };
    let retried: AkiliDeadLetter | undefined;
    await runAuditedAction({
      intent: async () => {
        await options.onIntent?.(deadLetter);
      },
      action: async () => {
        try {
          await options.publisher.publish([message]);
        } catch (error) {
          throw new ServiceUnavailableError(
            `Could not publish dead letter '${id}' again to topic '${
              row.topic
            }': ${(error as Error)?.message ?? error}`,
          );
        }
      },
      failed: async error => {
        await options.onFailed?.(deadLetter, error as Error);
      },
      // The outcome is written with the mark, in one transaction.
      succeeded: async () => {
        retried = await this.#db.withTenant(tenant, async tx => {
          await this.#db
            .scoped(tx, this.#table)
            .where({ dead_letter_id: id })
            .update({
              retried_at: new Date(),
              retried_by: options.actor.slice(0, 255),
              retries: tx.raw('retries + 1'),
            });
          const marked = toDeadLetter((await this.#row(tx, id))!);
          await options.onRetried?.(tx, marked);
          return marked;
        });
      },
    });
    return retried!;
  }

  async #row(
    tx: Knex.Transaction,
    id: string,
  ): Promise<DeadLetterRow | undefined> {
    return this.#db
      .scoped(tx, this.#table)
      .where({ dead_letter_id: id })
      .first();
  }
}
