import { LifecycleService, LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import {
  AkiliEventPublisher,
  AkiliEventsConfig,
  bridgeToBackstageEvents,
  createAkiliEventTransport,
  DeadLetterRecorder,
  InProcessEventBus,
  OutboxRelay,
  TenantScopedDatabase,
} from '@akili/plugin-akili-node';

/**
 * The control plane's part of the event bus: the relay that publishes its outbox (written by the
 * tenant store in the transactions of its changes) to the configured transport (`akili.events`:
 * the shared in-process bus, or Redpanda); the bridge that republishes every Akili event into
 * Backstage's events service as `akili.<type>`, so any plugin can subscribe; and the recorder of
 * every tenant's dead letters for the operators' view. Returns the transport, through which the
 * operators' retry publishes.
 */
export function startAkiliEvents(options: {
  /** `akili.events`, as read by `readAkiliEventsConfig`. */
  eventsConfig: AkiliEventsConfig;
  logger: LoggerService;
  lifecycle: LifecycleService;
  bus: InProcessEventBus;
  events: EventsService;
  db: TenantScopedDatabase;
}): { publisher: AkiliEventPublisher } {
  const { eventsConfig, logger, lifecycle, bus, events, db } = options;
  const transport = createAkiliEventTransport(eventsConfig, { bus, logger });
  const relay = OutboxRelay.create({ db, transport, logger });
  const bridge = bridgeToBackstageEvents(events, {
    db,
    source: transport.source,
    deadLetter: transport,
    logger,
    topicPattern: eventsConfig.topicPattern,
  });
  const recorder = new DeadLetterRecorder({
    db,
    source: transport.source,
    logger,
    topicPattern: eventsConfig.topicPattern,
  });

  lifecycle.addStartupHook(async () => {
    // A broker that is down must not stop the portal from starting: the relay keeps the events
    // in the outbox and retries; the bridge says why it is not consuming.
    const consumersStarted = Promise.all([
      bridge
        .start()
        .catch(error =>
          logger.error(
            `The Akili events bridge could not start consuming (${eventsConfig.transport}): ${error}`,
          ),
        ),
      recorder
        .start()
        .catch(error =>
          logger.error(
            `The Akili dead-letter recorder could not start consuming (${eventsConfig.transport}): ${error}`,
          ),
        ),
    ]);
    // The in-process bus delivers only to subscribers present when the relay publishes (a broker
    // keeps the messages), so there the consumers subscribe first.
    if (eventsConfig.transport === 'in-process') {
      await consumersStarted;
    }
    relay.start();
  });
  lifecycle.addShutdownHook(async () => {
    await bridge.stop();
    await recorder.stop();
    await relay.stop();
    await transport.close?.();
  });
  logger.info(
    `Akili domain events go ${
      eventsConfig.transport === 'kafka'
        ? `to Kafka brokers ${eventsConfig.kafka?.brokers.join(', ')}`
        : 'through the in-process bus'
    }`,
  );
  return { publisher: transport };
}
