import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  RootHealthService,
  RootLifecycleService,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';

/** A probe of a dependency the portal cannot work without: resolves `true` when it is up. */
export type CriticalDependencyProbe = () => Promise<{
  up: boolean;
}>;

/**
 * Where the platform health plugin registers the probes of the dependencies the portal cannot
 * work without (PostgreSQL), for the root health service to ask on every readiness request.
 * Root scoped: one per backend, shared by the plugin (which registers) and the root health
 * service (which asks).
 *
 * @public
 */
export class PlatformReadiness {
  readonly #probes = new Map<string, CriticalDependencyProbe>();
  /** One probe round at a time: concurrent readiness requests share it. */
  #inFlight: Promise<Record<string, boolean>> | undefined;

  /** Registers (or replaces) the probe of a critical dependency. */
  register(id: string, probe: CriticalDependencyProbe): void {
    this.#probes.set(id, probe);
  }

  /** Whether each registered critical dependency is up (a probe that throws is down). */
  async check(): Promise<Record<string, boolean>> {
    this.#inFlight ??= (async () => {
      const entries = await Promise.all(
        [...this.#probes].map(async ([id, probe]) => {
          try {
            return [id, (await probe()).up] as const;
          } catch {
            return [id, false] as const;
          }
        }),
      );
      return Object.fromEntries(entries);
    })().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }
}

/**
 * The {@link PlatformReadiness} of the backend.
 *
 * @public
 */
export const platformReadinessServiceRef = createServiceRef<PlatformReadiness>({
  id: 'akili.platform-health.readiness',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {},
      factory: () => new PlatformReadiness(),
    }),
});

/**
 * Backstage's readiness (starting, up, shutting down) plus the critical dependencies: not ready
 * while one of them is down. The dependencies the portal degrades around (Dagster, StarRocks,
 * Redpanda, ...) are left out, so a pod is not taken out of service because of them.
 */
class PlatformRootHealthService implements RootHealthService {
  #state: 'init' | 'up' | 'down' = 'init';
  readonly #readiness: PlatformReadiness;

  constructor(options: {
    lifecycle: RootLifecycleService;
    readiness: PlatformReadiness;
  }) {
    this.#readiness = options.readiness;
    options.lifecycle.addStartupHook(() => {
      this.#state = 'up';
    });
    options.lifecycle.addBeforeShutdownHook(() => {
      this.#state = 'down';
    });
  }

  async getLiveness() {
    return { status: 200, payload: { status: 'ok' } };
  }

  async getReadiness(): Promise<{ status: number; payload?: JsonObject }> {
    if (this.#state === 'init') {
      return {
        status: 503,
        payload: { message: 'Backend has not started yet', status: 'error' },
      };
    }
    if (this.#state === 'down') {
      return {
        status: 503,
        payload: { message: 'Backend is shutting down', status: 'error' },
      };
    }
    const dependencies = await this.#readiness.check();
    const down = Object.keys(dependencies).filter(id => !dependencies[id]);
    const payload = Object.fromEntries(
      Object.entries(dependencies).map(([id, up]) => [id, up ? 'up' : 'down']),
    );
    if (down.length > 0) {
      // Names only: the readiness endpoint is unauthenticated, so no error details here.
      return {
        status: 503,
        payload: {
          message: `Critical dependencies are down: ${down.join(', ')}`,
          status: 'error',
          dependencies: payload,
        },
      };
    }
    return { status: 200, payload: { status: 'ok', dependencies: payload } };
  }
}

/**
 * A replacement for Backstage's default root health service
 * (`@backstage/backend-defaults/rootHealth`): the same liveness and start/stop readiness, and not
 * ready while a critical dependency registered by the platform health plugin is down. Add it to
 * the backend next to the plugin (`backend.add(platformHealthRootHealthServiceFactory)`).
 *
 * @public
 */
export const platformHealthRootHealthServiceFactory = createServiceFactory({
  service: coreServices.rootHealth,
  deps: {
    lifecycle: coreServices.rootLifecycle,
    readiness: platformReadinessServiceRef,
  },
  factory: ({ lifecycle, readiness }) =>
    new PlatformRootHealthService({ lifecycle, readiness }),
});
