import {
  createServiceFactory,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { TenantQuotas } from '@akili/plugin-akili-common';
import {
  AkiliTenantQuotasService,
  akiliTenantQuotasServiceRef,
} from '../tenancy/tenantQuotas';

/**
 * For tests of a plugin without the control plane: the tenant quotas it reads, from a fixed
 * table (tenants not listed do not exist). Change `quotas` mid-test to change a quota; nothing
 * is cached.
 *
 * @public
 */
export function mockTenantQuotas(
  quotas: Record<string, TenantQuotas>,
): AkiliTenantQuotasService & {
  factory: ServiceFactory<AkiliTenantQuotasService, 'plugin', 'singleton'>;
} {
  const service: AkiliTenantQuotasService = {
    async quotas(tenant) {
      return Object.prototype.hasOwnProperty.call(quotas, tenant)
        ? { ...quotas[tenant] }
        : undefined;
    },
    invalidate() {},
  };
  return {
    ...service,
    factory: createServiceFactory({
      service: akiliTenantQuotasServiceRef,
      deps: {},
      factory: () => service,
    }),
  };
}
