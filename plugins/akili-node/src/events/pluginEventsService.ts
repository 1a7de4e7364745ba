import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  LifecycleService,
  LoggerService,
  PluginMetadataService,
  RootConfigService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { TenantScopedDatabase } from '../database/TenantScopedDatabase';
import {
  AkiliEventsConfig,
  akiliEventBusServiceRef,
  createAkiliEventTransport,
  readAkiliEventsConfig,
} from './config';
import { EventOutbox } from './EventOutbox';
import { InProcessEventBus } from './InProcessEventBus';
import { OutboxRelay } from './OutboxRelay';

/**
 * The domain events of one Akili backend plugin: its outbox, the relay that publishes it, and
 * the transport (`akili.events`: the shared in-process bus, or Redpanda).
 *
 * @public
 */
export interface AkiliEventsService {
  /** `akili.events`, read once. */
  readonly config: AkiliEventsConfig;
  /** Writes events in the transaction of the change that causes them (the configured topics). */
  readonly outbox: EventOutbox;
  /**
   * Where the relay publishes and what consumers read: the plugin's Kafka producer (closed at
   * shut-down) or the shared in-process bus.
   */
  readonly transport: ReturnType<typeof createAkiliEventTransport>;
  /**
   * The relay of the plugin's outbox in `db` (its tables from the plugin's migrations): started at
   * the plugin's start-up, after `startAfter` when given (in-process consumers of the same
   * plugin subscribe first), and stopped at shut-down before the transport closes. One per
   * plugin: a second call returns the same relay.
   */
  relay(
    db: TenantScopedDatabase,
    options?: { startAfter?: () => Promise<unknown> },
  ): OutboxRelay;
}

const eventsDeps = {
  config: coreServices.rootConfig,
  logger: coreServices.logger,
  lifecycle: coreServices.lifecycle,
  pluginMetadata: coreServices.pluginMetadata,
  bus: akiliEventBusServiceRef,
};

function pluginEvents({
  config,
  logger,
  lifecycle,
  pluginMetadata,
  bus,
}: {
  config: RootConfigService;
  logger: LoggerService;
  lifecycle: LifecycleService;
  pluginMetadata: PluginMetadataService;
  bus: InProcessEventBus;
}): AkiliEventsService {
  const eventsConfig = readAkiliEventsConfig(config);
  const transport = createAkiliEventTransport(eventsConfig, {
    bus,
    logger,
  });
  let relay: OutboxRelay | undefined;
  lifecycle.addShutdownHook(async () => {
    await relay?.stop();
    await transport.close?.();
  });
  return {
    config: eventsConfig,
    outbox: EventOutbox.create({ topicPattern: eventsConfig.topicPattern }),
    transport,
    relay(db, options = {}) {
      if (relay) {
        return relay;
      }
      const created = OutboxRelay.create({
        db,
        transport,
        logger,
        plugin: pluginMetadata.getId(),
      });
      relay = created;
      lifecycle.addStartupHook(async () => {
        await options.startAfter?.();
        created.start();
      });
      return created;
    },
  };
}

/**
 * The outbox, relay and transport of an Akili backend plugin, declared instead of set up again:
 *
 * ```ts
 * deps: { database: akiliTenantDatabaseServiceRef, events: akiliEventsServiceRef },
 * async init({ database, events }) {
 *   const db = await database.open({ migrationsDirectory });
 *   const relay = events.relay(db);
 *   await db.withTenant(tenant, async tx => {
 *     await db.insert(tx, 'lake_agreements', row);
 *     await events.outbox.enqueue(db, tx, createAkiliEvent({ ... }));
 *   });
 *   relay.wake();
 * }
 * ```
 *
 * @public
 */
export const akiliEventsServiceRef = createServiceRef<AkiliEventsService>({
  id: 'akili.events',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({ service, deps: eventsDeps, factory: pluginEvents }),
});

/**
 * A factory of {@link akiliEventsServiceRef}, the same as the default one.
 *
 * @public
 */
export function createAkiliEventsServiceFactory(): ServiceFactory<
  AkiliEventsService,
  'plugin',
  'singleton'
> {
  return createServiceFactory({
    service: akiliEventsServiceRef,
    deps: eventsDeps,
    factory: pluginEvents,
  });
}
