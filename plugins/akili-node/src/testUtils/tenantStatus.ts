import {
  createServiceFactory,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { TenantStatus } from '@akili/plugin-akili-common';
import {
  AkiliTenantStatusService,
  akiliTenantStatusServiceRef,
} from '../tenancy/tenantStatus';

/**
 * For tests of a plugin without the control plane: the tenant status its authorization path
 * reads, from a fixed table (tenants not listed do not exist). Change `statuses` to suspend a
 * tenant mid-test; nothing is cached.
 *
 * @public
 */
export function mockTenantStatus(
  statuses: Record<string, TenantStatus>,
): AkiliTenantStatusService & {
  factory: ServiceFactory<AkiliTenantStatusService, 'plugin', 'singleton'>;
} {
  const service: AkiliTenantStatusService = {
    async status(tenant) {
      return Object.prototype.hasOwnProperty.call(statuses, tenant)
        ? statuses[tenant]
        : undefined;
    },
    invalidate() {},
  };
  return {
    ...service,
    factory: createServiceFactory({
      service: akiliTenantStatusServiceRef,
      deps: {},
      factory: () => service,
    }),
  };
}
