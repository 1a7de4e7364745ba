import { AkiliEvent } from '@akili/plugin-akili-common';
import type { EventsService } from '@backstage/plugin-events-node';
import {
  AkiliEventConsumer,
  AkiliEventConsumerOptions,
  AkiliEventHandler,
} from './AkiliEventConsumer';
import { akiliEventTopicPattern } from './topics';

/**
 * The consumer group of the bridge into Backstage's events service.
 *
 * @public
 */
export const AKILI_BACKSTAGE_BRIDGE_GROUP_ID = 'akili.events.backstage-bridge';

/**
 * The topic of Backstage's events service an Akili event type is republished on: `akili.<type>`,
 * e.g. `akili.product.registered`.
 *
 * @public
 */
export function akiliBackstageEventsTopic(type: string): string {
  return `akili.${type}`;
}

/**
 * The metadata {@link createBackstageEventsBridgeHandler} adds to each republished event.
 *
 * @public
 */
export const AKILI_BACKSTAGE_EVENT_METADATA = {
  eventId: 'akili-event-id',
  eventType: 'akili-event-type',
  eventVersion: 'akili-event-version',
  tenant: 'akili-tenant',
  subject: 'akili-subject',
} as const;

/**
 * A handler that republishes each Akili event to Backstage's events service on topic
 * `akili.<type>`, with the whole envelope ({@link @akili/plugin-akili-common#AkiliEvent}) as the
 * payload, so any backend plugin can react with
 * `events.subscribe({ id, topics: ['akili.product.registered'], onEvent })`.
 *
 * @remarks
 *
 * It publishes inside the consumer's transaction, before the processed mark commits: when the
 * commit fails the event is republished on the next delivery, so subscribers see each event at
 * least once and should be idempotent on `eventPayload.id` (the `akili-event-id` metadata). The
 * payload carries the tenant; subscribers must keep acting within it.
 *
 * @public
 */
export function createBackstageEventsBridgeHandler(
  events: EventsService,
): AkiliEventHandler {
  return async (event: AkiliEvent) => {
    await events.publish({
      topic: akiliBackstageEventsTopic(event.type),
      eventPayload: event,
      metadata: {
        [AKILI_BACKSTAGE_EVENT_METADATA.eventId]: event.id,
        [AKILI_BACKSTAGE_EVENT_METADATA.eventType]: event.type,
        [AKILI_BACKSTAGE_EVENT_METADATA.eventVersion]: String(event.version),
        [AKILI_BACKSTAGE_EVENT_METADATA.tenant]: event.tenant,
        [AKILI_BACKSTAGE_EVENT_METADATA.subject]: event.subject,
      },
    });
  };
}

/**
 * Options of {@link bridgeToBackstageEvents}: those of an {@link AkiliEventConsumer}, with the
 * group id and topics optional.
 *
 * @public
 */
export type BridgeToBackstageEventsOptions = Omit<
  AkiliEventConsumerOptions,
  'handler' | 'groupId' | 'topics'
> & {
  /** Default {@link AKILI_BACKSTAGE_BRIDGE_GROUP_ID}. */
  groupId?: string;
  /** Default: every tenant's topics of every family (`akiliEventTopicPattern()`). */
  topics?: string[] | RegExp;
};

/**
 * A ready-made consumer (not yet started) that republishes every Akili event to Backstage's
 * events service (see {@link createBackstageEventsBridgeHandler}). Run one per backend
 * deployment: its replicas share the consumer group, so each event is bridged once, and
 * Backstage's events service distributes it to the subscribers.
 *
 * @public
 */
export function bridgeToBackstageEvents(
  events: EventsService,
  options: BridgeToBackstageEventsOptions,
): AkiliEventConsumer {
  return new AkiliEventConsumer({
    ...options,
    groupId: options.groupId ?? AKILI_BACKSTAGE_BRIDGE_GROUP_ID,
    topics:
      options.topics ?? akiliEventTopicPattern(undefined, options.topicPattern),
    handler: createBackstageEventsBridgeHandler(events),
  });
}
