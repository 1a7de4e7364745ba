export {
  AKILI_CONSUMER_GROUP_PATTERN,
  AKILI_DEAD_LETTER_HEADERS,
  AkiliEventConsumer,
} from './AkiliEventConsumer';
export type {
  AkiliDeadLetterReason,
  AkiliEventBatchOptions,
  AkiliEventConsumerOptions,
  AkiliEventHandler,
  AkiliEventHandlerContext,
  AkiliEventOutcome,
  AkiliEventPublisher,
  AkiliEventSubscribable,
} from './AkiliEventConsumer';
export {
  AKILI_BACKSTAGE_BRIDGE_GROUP_ID,
  AKILI_BACKSTAGE_EVENT_METADATA,
  akiliBackstageEventsTopic,
  bridgeToBackstageEvents,
  createBackstageEventsBridgeHandler,
} from './backstageEventsBridge';
export type { BridgeToBackstageEventsOptions } from './backstageEventsBridge';
export {
  DEFAULT_PROCESSED_EVENTS_TABLE,
  createProcessedEventsTable,
  dropProcessedEventsTable,
} from './processedEventsTable';
export { akiliEventTopicPattern } from './topics';
