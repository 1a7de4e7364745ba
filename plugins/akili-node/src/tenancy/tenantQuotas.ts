import {
  createServiceRef,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { TenantQuotas } from '@akili/plugin-akili-common';
import {
  registryServiceFactory,
  TenantRegistryCache,
  TenantRegistryCacheOptions,
} from '../internal/tenantRegistryCache';

/**
 * Where the quotas of tenants are read: the control plane's tenant registry.
 *
 * @public
 */
export interface AkiliTenantQuotaRegistry {
  /** The quotas of each named tenant that exists; unknown tenants are absent. */
  quotas(tenants: string[]): Promise<Map<string, TenantQuotas>>;
}

/**
 * The quotas of one tenant (`queryRowLimit`, `maxConcurrentQueries`, `storageQuotaBytes`), as
 * the plugins that enforce or show them read them.
 *
 * @public
 */
export interface AkiliTenantQuotasService {
  /** The tenant's quotas; `undefined` for a tenant that does not exist. */
  quotas(tenant: string): Promise<TenantQuotas | undefined>;
  /** Forgets what is cached (of one tenant, or of all). */
  invalidate(tenant?: string): void;
}

/**
 * How long a tenant's quotas are remembered by default: an operator's change applies to the
 * first query after at most this long.
 *
 * @public
 */
export const AKILI_TENANT_QUOTAS_CACHE_MS = 30_000;

/**
 * A tenant quotas service over a registry, remembering each answer for at most `cacheTtlMs`
 * (30 s by default). Concurrent look-ups of one tenant share one request; failures are not
 * remembered, so a registry that is down fails each look-up closed (within the client's 5 s).
 *
 * @public
 */
export class CachedTenantQuotas
  extends TenantRegistryCache<TenantQuotas | undefined>
  implements AkiliTenantQuotasService
{
  readonly #registry: AkiliTenantQuotaRegistry;

  constructor(options: {
    registry: AkiliTenantQuotaRegistry;
    /** At most {@link AKILI_TENANT_QUOTAS_CACHE_MS}; 0 asks the registry every time. */
    cacheTtlMs?: number;
    /** The clock, for tests. */
    now?: () => number;
  }) {
    super({ ...options, ceilingMs: AKILI_TENANT_QUOTAS_CACHE_MS });
    this.#registry = options.registry;
  }

  quotas(tenant: string): Promise<TenantQuotas | undefined> {
    return this.lookup(tenant, () =>
      this.#registry.quotas([tenant]).then(quotas => quotas.get(tenant)),
    );
  }
}

const quotasOver = (
  registry: AkiliTenantQuotaRegistry,
  options: TenantRegistryCacheOptions,
) => new CachedTenantQuotas({ registry, ...options });

/**
 * The quotas of tenants, read from the control plane's tenant registry with the plugin's
 * service credentials ({@link TenantRegistryClient} behind a {@link CachedTenantQuotas}, at
 * most 30 s).
 *
 * @public
 */
export const akiliTenantQuotasServiceRef =
  createServiceRef<AkiliTenantQuotasService>({
    id: 'akili.tenantQuotas',
    scope: 'plugin',
    defaultFactory: async service =>
      registryServiceFactory(service, quotasOver),
  });

/**
 * A factory of {@link akiliTenantQuotasServiceRef} like the default one, with options: tests
 * give it a clock.
 *
 * @public
 */
export function createAkiliTenantQuotasServiceFactory(
  options: { cacheTtlMs?: number; now?: () => number } = {},
): ServiceFactory<AkiliTenantQuotasService, 'plugin', 'singleton'> {
  return registryServiceFactory(
    akiliTenantQuotasServiceRef,
    quotasOver,
    options,
  );
}
