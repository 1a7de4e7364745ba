import { AkiliEventMessage } from '@akili/plugin-akili-common';

/**
 * Where the outbox relay publishes messages: Redpanda through {@link KafkaEventTransport}, or
 * the {@link InProcessEventBus} when there is no broker (`make dev`).
 *
 * @public
 */
export interface EventTransport {
  /**
   * Publishes `messages` in order, resolving once every one is durably accepted (for Kafka:
   * acknowledged by all in-sync replicas). Rejects when any may not have been: the relay then
   * publishes them again, so consumers see a message at least once.
   */
  publish(messages: AkiliEventMessage[]): Promise<void>;
  /** Releases connections. */
  close?(): Promise<void>;
}
