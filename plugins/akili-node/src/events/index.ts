export {
  DEFAULT_EVENT_OUTBOX_TABLE,
  createEventOutboxTable,
  dropEventOutboxTable,
} from './outboxTable';
export { AKILI_EVENT_HEADERS, EventOutbox } from './EventOutbox';
export type { EventOutboxOptions } from './EventOutbox';
export type { EventTransport } from './EventTransport';
export { InProcessEventBus } from './InProcessEventBus';
export { KafkaEventTransport } from './KafkaEventTransport';
export type {
  KafkaEventTransportOptions,
  KafkaTopicSettings,
} from './KafkaEventTransport';
export { AKILI_OUTBOX_BACKLOG, OutboxRelay } from './OutboxRelay';
export type { OutboxRelayOptions, OutboxRelayRound } from './OutboxRelay';
export * from './consumer';
export {
  akiliEventBusServiceRef,
  createAkiliEventTransport,
  readAkiliEventsConfig,
} from './config';
export type { AkiliEventsConfig } from './config';
export * from './deadLetters';
export {
  akiliEventsServiceRef,
  createAkiliEventsServiceFactory,
} from './pluginEventsService';
export type { AkiliEventsService } from './pluginEventsService';
