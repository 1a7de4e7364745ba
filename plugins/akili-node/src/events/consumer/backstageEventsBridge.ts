import { AkiliEvent } from '@akili/plugin-akili-common';
import type { LoggerService } from '@backstage/backend-plugin-api';
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
 * `akili.<type>` with the envelope as payload and its identity in the metadata.
 *
 * @remarks
 *
 * The publish runs after the handler returns, in order, outside the consumer's transaction:
 * publishing may need this plugin's database (its service token for the events backend), and
 * on SQLite the transaction holds the only connection, so awaiting it inside would deadlock. A
 * publish that fails is retried with backoff, then logged; delivery to Backstage subscribers is
 * at most once for a given consumer run (they deduplicate by `akili-event-id` either way).
 *
 * @public
 */
export function createBackstageEventsBridgeHandler(
  events: EventsService,
  logger?: LoggerService,
): AkiliEventHandler {
  let queue: Promise<void> = Promise.resolve();
  return async (event: AkiliEvent) => {
    queue = queue.then(() => publishWithRetries(events, event, logger));
  };
}

const BRIDGE_ATTEMPTS = 5;

async function publishWithRetries(
  events: EventsService,
  event: AkiliEvent,
  logger: LoggerService | undefined,
): Promise<void> {
  for (let attempt = 1; attempt <= BRIDGE_ATTEMPTS; attempt++) {
    try {
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
      return;
    } catch (error) {
      if (attempt === BRIDGE_ATTEMPTS) {
        logger?.error('Could not bridge an Akili event into Backstage events', {
          eventId: event.id,
          eventType: event.type,
          tenant: event.tenant,
          error: error instanceof Error ? error.message : String(error),
        });
        return;
      }
      await new Promise(resolve =>
        setTimeout(resolve, 200 * 2 ** (attempt - 1)),
      );
    }
  }
}

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
    handler: createBackstageEventsBridgeHandler(events, options.logger),
  });
}
