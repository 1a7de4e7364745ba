import { AkiliEventMessage } from '@akili/plugin-akili-common';
import { EventTransport } from './EventTransport';

interface Subscription {
  matches(topic: string): boolean;
  handler: (message: AkiliEventMessage) => Promise<void>;
}

/**
 * An in-memory broker for running without Redpanda (`make dev`): the outbox relay publishes to
 * it exactly as it would to Kafka, and in-process consumers subscribe to topics.
 *
 * @remarks
 *
 * Messages are delivered one at a time, in publish order (also across concurrent `publish`
 * calls), to every subscriber whose pattern matches the topic; a handler's promise is awaited
 * before the next message. When a handler rejects, `publish` stops there and rejects, so the
 * relay publishes that message (and the rest of its batch) again: delivery is at least once,
 * and subscribers deduplicate by event id, as they must with Kafka. Nothing is kept: a message
 * published while nobody subscribes is gone, like a topic nobody reads.
 *
 * @public
 */
export class InProcessEventBus implements EventTransport {
  readonly #subscriptions = new Set<Subscription>();
  #queue: Promise<unknown> = Promise.resolve();

  /**
   * Calls `handler` for each message published from now on to a topic equal to `topicPattern`
   * (a string) or matching it (a regular expression). Returns the function that unsubscribes.
   */
  subscribe(
    topicPattern: RegExp | string,
    handler: (message: AkiliEventMessage) => Promise<void>,
  ): () => void {
    const matches =
      typeof topicPattern === 'string'
        ? (topic: string) => topic === topicPattern
        : (topic: string) => {
            topicPattern.lastIndex = 0;
            return topicPattern.test(topic);
          };
    const subscription: Subscription = { matches, handler };
    this.#subscriptions.add(subscription);
    return () => {
      this.#subscriptions.delete(subscription);
    };
  }

  publish(messages: AkiliEventMessage[]): Promise<void> {
    const run = this.#queue.then(async () => {
      for (const message of messages) {
        for (const subscription of [...this.#subscriptions]) {
          if (
            this.#subscriptions.has(subscription) &&
            subscription.matches(message.topic)
          ) {
            await subscription.handler(message);
          }
        }
      }
    });
    this.#queue = run.catch(() => {});
    return run;
  }

  async close(): Promise<void> {
    await this.#queue;
    this.#subscriptions.clear();
  }
}
