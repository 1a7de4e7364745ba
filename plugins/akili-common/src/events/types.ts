/**
 * Akili domain events: one envelope (CloudEvents-style) around a typed, versioned payload. These
 * types are the contract between publishers (through the outbox), the relay, the broker topics
 * and consumers.
 */

/** The families events are grouped in; each family has its own topic per tenant. @public */
export type AkiliEventFamily =
  | 'product'
  | 'execution'
  | 'quality'
  | 'tenant'
  | 'access';

/**
 * The envelope of every Akili domain event.
 *
 * @public
 */
export interface AkiliEvent<TData = Record<string, unknown>> {
  /** Unique id (UUID); consumers deduplicate on it. */
  id: string;
  /** Event type, e.g. `product.registered`; names the payload schema together with `version`. */
  type: string;
  /** Version of the payload schema of `type` (integer, starting at 1). */
  version: number;
  /** The tenant the event belongs to (a catalog namespace); decides the topic. */
  tenant: string;
  /** When it happened, ISO 8601 with time zone. */
  time: string;
  /** Who emitted it, e.g. `akili-backend` or `dagster-backend`. */
  source: string;
  /** What it is about, e.g. `dataproduct:acme/orders`; the message key, so one subject's events stay ordered. */
  subject: string;
  /** The payload, valid against the schema of `type`@`version`. */
  data: TData;
}

/** A problem found validating an event: where (JSON path) and what. @public */
export interface AkiliEventProblem {
  path: string;
  message: string;
}

/**
 * A message as it travels to and from the broker: the relay and consumers use this shape, so the
 * Kafka transport and the in-process transport are interchangeable.
 *
 * @public
 */
export interface AkiliEventMessage {
  topic: string;
  /** The event's subject. */
  key: string;
  /** The JSON of the whole envelope. */
  value: string;
  headers?: Record<string, string>;
}
