/*
 * A graceful stop that ends: what the root HTTP server waits for at shut-down.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type {
  LoggerService,
  RootLifecycleService,
} from '@backstage/backend-plugin-api';
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';

/**
 * The events bus's long poll (`@backstage/plugin-events-backend`): with no event to hand out it
 * answers 202 at once and holds the response open for up to 55 s, without ever sending an event
 * in it (the client polls again when it ends).
 */
const EVENTS_BUS_POLL =
  /^\/api\/events\/bus\/v1\/subscriptions\/[^/]+\/events$/;

/** How long requests still running at the server's stop may go on before being cut. */
export const DEFAULT_SHUTDOWN_DRAIN_MS = 5000;

/**
 * Makes the root HTTP server's stop end within `drainMs`.
 *
 * @remarks
 *
 * Backstage stops its server with `server.close()`, which in production (not in development)
 * waits for every request in flight. The plugins' events clients of this very process keep one
 * long poll each parked on the events bus (catalog, signals, ...): without this, a SIGTERM left
 * the backend running for up to 55 s after its plugins had stopped, and Kubernetes killed the pod.
 *
 * At the root shut-down (after the plugins stopped), the parked polls are ended the way their
 * timeout ends them (an empty 202: nothing is lost, and the clients, shutting down, do not poll
 * again), their connections closed, and whatever still runs after `drainMs` is cut.
 */
export function endRequestsAtShutdown(options: {
  app: {
    use(
      middleware: (
        req: IncomingMessage,
        res: ServerResponse,
        next: () => void,
      ) => void,
    ): unknown;
  };
  server: Pick<Server, 'closeIdleConnections' | 'closeAllConnections'>;
  lifecycle: Pick<RootLifecycleService, 'addShutdownHook'>;
  logger?: LoggerService;
  drainMs?: number;
}): void {
  const { app, server, lifecycle, logger } = options;
  const drainMs = options.drainMs ?? DEFAULT_SHUTDOWN_DRAIN_MS;
  /** The responses not finished yet, with whether each is an events bus poll. */
  const running = new Map<ServerResponse, boolean>();

  // Before every other middleware: it sees every request.
  app.use((req, res, next) => {
    const path = (req.url ?? '').split('?')[0];
    running.set(res, req.method === 'GET' && EVENTS_BUS_POLL.test(path));
    res.once('close', () => running.delete(res));
    next();
  });

  const endParkedPolls = () => {
    for (const [res, poll] of running) {
      // Parked: the 202 is out and only the end of the body is awaited.
      if (
        poll &&
        res.headersSent &&
        res.statusCode === 202 &&
        !res.writableEnded
      ) {
        res.end();
      }
    }
  };

  lifecycle.addShutdownHook(async () => {
    endParkedPolls();
    const sweep = setInterval(() => {
      // A poll that arrives now (a client that had not seen the stop) is ended once parked.
      endParkedPolls();
      // Connections whose response ended are idle only now: close() swept them once, before.
      server.closeIdleConnections();
    }, 100);
    sweep.unref();
    const cut = setTimeout(() => {
      clearInterval(sweep);
      if (running.size > 0) {
        logger?.warn(
          'Closing connections of requests still running at shut-down',
          {
            requests: running.size,
            drainMs,
          },
        );
      }
      server.closeAllConnections();
    }, drainMs);
    cut.unref();
  });
}

/**
 * Backstage's root HTTP router with {@link endRequestsAtShutdown}: the portal backend's, so that
 * a SIGTERM stops it within seconds.
 */
export const akiliRootHttpRouterServiceFactory = rootHttpRouterServiceFactory({
  configure(context) {
    // First: its middleware must see every request.
    endRequestsAtShutdown({
      app: context.app,
      server: context.server,
      lifecycle: context.lifecycle,
      logger: context.logger,
    });
    context.applyDefaults();
  },
});
