export {
  AKILI_CONSUMER_GROUP_PATTERN,
  AKILI_DEAD_LETTER_HEADERS,
  AkiliEventConsumer,
} from './AkiliEventConsumer';
export type {
  AkiliEventBatchOptions,
  AkiliEventConsumerOptions,
  AkiliEventHandler,
  AkiliEventHandlerContext,
  AkiliEventOutcome,
  AkiliEventPublisher,
} from './AkiliEventConsumer';
export type {
  AkiliEventSubscribable,
  AkiliKafkaConsumerOptions,
} from './TopicSubscription';
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
export { akiliDeadLetterTopicPattern, akiliEventTopicPattern } from './topics';
