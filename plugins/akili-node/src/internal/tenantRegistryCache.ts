import {
  coreServices,
  createServiceFactory,
  ServiceFactory,
  ServiceRef,
} from '@backstage/backend-plugin-api';
import { TenantRegistryClient } from '../tenancy/tenantStatus';
import { TtlCache } from './TtlCache';

/** Options of the registry-backed tenant services (tests give them a clock). */
export interface TenantRegistryCacheOptions {
  /** At most the service's ceiling; 0 asks the registry every time. */
  cacheTtlMs?: number;
  /** The clock, for tests. */
  now?: () => number;
}

/** Bounds a cache of tenants; forgetting one only costs a look-up. */
const MAX_CACHED_TENANTS = 10_000;

/**
 * The base of the registry-backed tenant services: one answer per tenant, remembered for at
 * most `cacheTtlMs` and never longer than `ceilingMs` (how long an operator's change may take to
 * apply). Concurrent look-ups of one tenant share one request; failures are not remembered.
 */
export abstract class TenantRegistryCache<V> {
  readonly #cache: TtlCache<V>;

  protected constructor(
    options: TenantRegistryCacheOptions & { ceilingMs: number },
  ) {
    this.#cache = new TtlCache({
      ttlMs: Math.min(
        options.cacheTtlMs ?? options.ceilingMs,
        options.ceilingMs,
      ),
      maxEntries: MAX_CACHED_TENANTS,
      now: options.now,
    });
  }

  protected lookup(tenant: string, load: () => Promise<V>): Promise<V> {
    return this.#cache.get(tenant, load);
  }

  /** Forgets what is cached (of one tenant, or of all). */
  invalidate(tenant?: string): void {
    this.#cache.invalidate(tenant);
  }
}

/**
 * A factory of a plugin-scoped tenant service built over the control plane's registry, read
 * with the plugin's own service credentials ({@link TenantRegistryClient}).
 */
export function registryServiceFactory<S>(
  service: ServiceRef<S, 'plugin', 'singleton'>,
  build: (
    registry: TenantRegistryClient,
    options: TenantRegistryCacheOptions,
  ) => S,
  options: TenantRegistryCacheOptions = {},
): ServiceFactory<S, 'plugin', 'singleton'> {
  return createServiceFactory({
    service,
    deps: { discovery: coreServices.discovery, auth: coreServices.auth },
    factory: deps => build(new TenantRegistryClient(deps), options),
  });
}
