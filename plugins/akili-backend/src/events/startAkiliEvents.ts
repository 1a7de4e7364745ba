import { LifecycleService, LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import {
  AkiliEventPublisher,
  AkiliEventsService,
  bridgeToBackstageEvents,
  DeadLetterRecorder,
  TenantScopedDatabase,
} from '@akili/plugin-akili-node';

/**
 * The control plane's part of the event bus, on its events service (`akiliEventsServiceRef`:
 * outbox, relay and transport of `akili.events`): the relay that publishes its outbox (written
 * by the tenant store in the transactions of its changes); the bridge that republishes every
 * Akili event into Backstage's events service as `akili.<type>`, so any plugin can subscribe; and
 * the recorder of every tenant's dead letters for the operators' view. Returns the transport,
 * through which the operators' retry publishes.
 */
export function startAkiliEvents(options: {
  akiliEvents: AkiliEventsService;
  logger: LoggerService;
  lifecycle: LifecycleService;
  events: EventsService;
  db: TenantScopedDatabase;
}): { publisher: AkiliEventPublisher } {
  const { akiliEvents, logger, lifecycle, events, db } = options;
  const { config: eventsConfig, transport } = akiliEvents;
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

  let markConsumersStarted = () => {};
  const consumersStarted = new Promise<void>(resolve => {
    markConsumersStarted = resolve;
  });
  lifecycle.addStartupHook(async () => {
    // A broker that is down must not stop the portal from starting: the relay keeps the events
    // in the outbox and retries, and the bridge and the recorder log why they are not consuming
    // and keep trying to start until the broker is back (their start never rejects).
    await Promise.all([bridge.start(), recorder.start()]);
    markConsumersStarted();
  });
  akiliEvents.relay(db, {
    // The in-process bus delivers only to subscribers present when the relay publishes (a broker
    // keeps the messages), so there the consumers subscribe first.
    startAfter: async () => {
      if (eventsConfig.transport === 'in-process') {
        await consumersStarted;
      }
    },
  });
  lifecycle.addShutdownHook(async () => {
    await bridge.stop();
    await recorder.stop();
  });
  logger.info('Akili domain events', {
    transport: eventsConfig.transport,
    ...(eventsConfig.kafka ? { brokers: eventsConfig.kafka.brokers } : {}),
  });
  return { publisher: transport };
}
