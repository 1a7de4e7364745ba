import {
  AuthService,
  createServiceRef,
  DiscoveryService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { TenantQuotas, TenantStatus } from '@akili/plugin-akili-common';
import { postToControlPlane } from '../internal/controlPlane';
import {
  registryServiceFactory,
  TenantRegistryCache,
  TenantRegistryCacheOptions,
} from '../internal/tenantRegistryCache';
import type { AkiliTenantQuotaRegistry } from './tenantQuotas';

/**
 * Where the status of tenants is read: the control plane's tenant registry.
 *
 * @public
 */
export interface AkiliTenantRegistry {
  /** The status of each named tenant that exists; unknown tenants are absent. */
  statuses(tenants: string[]): Promise<Map<string, TenantStatus>>;
}

/**
 * Asks the Akili control plane (`POST /api/akili/v1/internal/tenant-status`, with the calling
 * plugin's service credentials) which tenants exist, whether they are active, and their quotas.
 * Fails closed: a registry that is down or answers nonsense is a `ServiceUnavailableError` naming
 * the reason, within 5 s. Used by sign-in, by the authorization path of every plugin but the
 * control plane (which reads its own store), and for the quotas of the query plugin.
 *
 * @public
 */
export class TenantRegistryClient
  implements AkiliTenantRegistry, AkiliTenantQuotaRegistry
{
  readonly #discovery: DiscoveryService;
  readonly #auth: AuthService;

  constructor(options: { discovery: DiscoveryService; auth: AuthService }) {
    this.#discovery = options.discovery;
    this.#auth = options.auth;
  }

  async statuses(tenants: string[]): Promise<Map<string, TenantStatus>> {
    const result = new Map<string, TenantStatus>();
    for (const [tenant, entry] of await this.#ask(tenants)) {
      const status = entry.status;
      if (status === 'active' || status === 'suspended') {
        result.set(tenant, status);
      }
    }
    return result;
  }

  /**
   * The quotas of each named tenant that exists; unknown tenants are absent. A tenant the
   * registry lists without whole, positive query quotas, or with a storage quota that is not a
   * positive safe integer of bytes, fails closed (`ServiceUnavailableError`). No
   * `storageQuotaBytes` (absent or `null`) means the tenant has no storage quota.
   */
  async quotas(tenants: string[]): Promise<Map<string, TenantQuotas>> {
    const result = new Map<string, TenantQuotas>();
    for (const [tenant, entry] of await this.#ask(tenants)) {
      const quotas = entry.quotas as
        | { [K in keyof TenantQuotas]?: unknown }
        | undefined;
      const valid = (value: unknown): value is number =>
        typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
      const storage = quotas?.storageQuotaBytes;
      if (
        !valid(quotas?.queryRowLimit) ||
        !valid(quotas?.maxConcurrentQueries) ||
        (storage !== undefined && storage !== null && !valid(storage))
      ) {
        throw new ServiceUnavailableError(
          `The Akili tenant registry answered without valid quotas for tenant ${tenant}`,
        );
      }
      result.set(tenant, {
        queryRowLimit: quotas.queryRowLimit,
        maxConcurrentQueries: quotas.maxConcurrentQueries,
        ...(valid(storage) ? { storageQuotaBytes: storage } : {}),
      });
    }
    return result;
  }

  /** The registry's entries of the named tenants that exist. */
  async #ask(
    tenants: string[],
  ): Promise<Map<string, { status?: unknown; quotas?: unknown }>> {
    const result = new Map<string, { status?: unknown; quotas?: unknown }>();
    if (tenants.length === 0) {
      return result;
    }
    const body = await postToControlPlane(
      { discovery: this.#discovery, auth: this.#auth },
      '/v1/internal/tenant-status',
      { tenants },
      `The Akili tenant registry could not be asked about tenants ${tenants.join(
        ', ',
      )}`,
    );
    const entries = (body as { tenants?: Record<string, unknown> })?.tenants;
    if (!entries || typeof entries !== 'object') {
      throw new ServiceUnavailableError(
        'The Akili tenant registry answered without a tenants map',
      );
    }
    for (const tenant of tenants) {
      const entry = entries[tenant];
      if (entry && typeof entry === 'object') {
        result.set(tenant, entry as { status?: unknown; quotas?: unknown });
      }
    }
    return result;
  }
}

/**
 * The status of one tenant, as the authorization path reads it.
 *
 * @public
 */
export interface AkiliTenantStatusService {
  /** `active` or `suspended`; `undefined` for a tenant that does not exist. */
  status(tenant: string): Promise<TenantStatus | undefined>;
  /** Forgets what is cached (of one tenant, or of all), e.g. right after changing a status. */
  invalidate(tenant?: string): void;
}

/**
 * How long a tenant's status is remembered by default: a suspension takes effect on the first
 * request after at most this long.
 *
 * @public
 */
export const AKILI_TENANT_STATUS_CACHE_MS = 30_000;

/**
 * A tenant status service over a registry, remembering each answer for at most `cacheTtlMs`
 * (30 s by default). Concurrent look-ups of one tenant share one request; failures are not
 * remembered.
 *
 * @public
 */
export class CachedTenantStatus
  extends TenantRegistryCache<TenantStatus | undefined>
  implements AkiliTenantStatusService
{
  readonly #registry: AkiliTenantRegistry;

  constructor(options: {
    registry: AkiliTenantRegistry;
    /** At most {@link AKILI_TENANT_STATUS_CACHE_MS}; 0 asks the registry every time. */
    cacheTtlMs?: number;
    /** The clock, for tests. */
    now?: () => number;
  }) {
    super({ ...options, ceilingMs: AKILI_TENANT_STATUS_CACHE_MS });
    this.#registry = options.registry;
  }

  status(tenant: string): Promise<TenantStatus | undefined> {
    return this.lookup(tenant, () =>
      this.#registry.statuses([tenant]).then(statuses => statuses.get(tenant)),
    );
  }
}

const statusOver = (
  registry: AkiliTenantRegistry,
  options: TenantRegistryCacheOptions,
) => new CachedTenantStatus({ registry, ...options });

/**
 * The tenant status a plugin's authorization path checks on every request (cached at most
 * 30 s): by default the control plane's tenant registry ({@link TenantRegistryClient} behind a
 * {@link CachedTenantStatus}). The control plane itself reads its own store instead.
 *
 * @public
 */
export const akiliTenantStatusServiceRef =
  createServiceRef<AkiliTenantStatusService>({
    id: 'akili.tenantStatus',
    scope: 'plugin',
    defaultFactory: async service =>
      registryServiceFactory(service, statusOver),
  });

/**
 * A factory of {@link akiliTenantStatusServiceRef} like the default one, with options: tests
 * give it a clock.
 *
 * @public
 */
export function createAkiliTenantStatusServiceFactory(
  options: { cacheTtlMs?: number; now?: () => number } = {},
): ServiceFactory<AkiliTenantStatusService, 'plugin', 'singleton'> {
  return registryServiceFactory(
    akiliTenantStatusServiceRef,
    statusOver,
    options,
  );
}
