import type { IncomingMessage, ServerResponse } from 'node:http';
import { mockServices } from '@backstage/backend-test-utils';
import { createHttpServer } from '@backstage/backend-defaults/rootHttpRouter';
import { endRequestsAtShutdown } from './shutdown';

type Middleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: () => void,
) => void;

/**
 * Backstage's own HTTP server (its production stop: idle connections closed, the others awaited)
 * behind an app whose routes hold their responses open as the events bus does, and the root
 * shut-down as Backstage runs it: every shutdown hook at once, the server's stop among them.
 */
async function startServer(drainMs?: number) {
  // The smallest app: middleware in order, as express runs it.
  const middleware: Middleware[] = [];
  const app = { use: (m: Middleware) => middleware.push(m) };
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    let index = 0;
    const next = () => middleware[index++]?.(req, res, next);
    next();
  };
  const hooks: Array<() => void | Promise<void>> = [];
  const lifecycle = {
    addShutdownHook: (hook: () => void | Promise<void>) => hooks.push(hook),
  };
  const server = await createHttpServer(
    listener,
    { listen: { host: '127.0.0.1', port: 0 } },
    { logger: mockServices.logger.mock() },
  );
  endRequestsAtShutdown({ app, server, lifecycle, drainMs });
  const held: Array<() => void> = [];
  // As @backstage/plugin-events-backend: no event yet, so a 202 at once, the body held for 55 s.
  app.use((req, res, next) => {
    if (
      !/^\/api\/events\/bus\/v1\/subscriptions\/[^/]+\/events$/.test(req.url!)
    ) {
      next();
      return;
    }
    res.statusCode = 202;
    res.flushHeaders();
    const timer = setTimeout(() => res.end(), 55_000);
    held.push(() => clearTimeout(timer));
  });
  // A request that never answers.
  app.use((_req, res) => {
    const timer = setTimeout(() => res.end(), 55_000);
    held.push(() => clearTimeout(timer));
  });
  hooks.push(() => server.stop());
  await server.start();
  const base = `http://127.0.0.1:${server.port()}`;
  return {
    base,
    async shutdown() {
      const started = Date.now();
      await Promise.all(hooks.map(hook => hook()));
      return Date.now() - started;
    },
    cleanup() {
      held.forEach(clear => clear());
      server.closeAllConnections();
    },
  };
}

describe('endRequestsAtShutdown', () => {
  it('ends the parked events bus polls, so the server stops at once', async () => {
    const server = await startServer(30_000);
    try {
      const polls = await Promise.all(
        ['catalog.one', 'signals.two'].map(id =>
          fetch(`${server.base}/api/events/bus/v1/subscriptions/${id}/events`),
        ),
      );
      expect(polls.map(p => p.status)).toEqual([202, 202]);
      const bodies = Promise.all(polls.map(p => p.text()));

      const tookMs = await server.shutdown();

      // Without the hook, the stop waits for the polls' 55 s.
      expect(tookMs).toBeLessThan(3000);
      // Ended as their timeout ends them: an empty 202 body, nothing lost.
      await expect(bodies).resolves.toEqual(['', '']);
    } finally {
      server.cleanup();
    }
  });

  it('cuts other requests still running after the drain time', async () => {
    const server = await startServer(500);
    try {
      const slow = fetch(`${server.base}/api/slow`).then(
        () => 'answered',
        () => 'cut',
      );
      // The request has reached the server.
      await new Promise(resolve => setTimeout(resolve, 200));

      const tookMs = await server.shutdown();

      expect(tookMs).toBeGreaterThanOrEqual(400);
      expect(tookMs).toBeLessThan(3000);
      await expect(slow).resolves.toBe('cut');
    } finally {
      server.cleanup();
    }
  });
});
