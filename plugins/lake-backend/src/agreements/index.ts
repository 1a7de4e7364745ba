import {
  AuthService,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EventOutbox,
  OutboxRelay,
  TenancyService,
  TenantScopedDatabase,
} from '@akili/plugin-akili-node';
import express from 'express';
import { AccessAgreementStore } from './AccessAgreementStore';
import { AgreementsService } from './AgreementsService';
import { createAgreementsRouter } from './router';

export {
  AccessAgreementStore,
  AGREEMENT_EVENT_SOURCE,
  AGREEMENT_HISTORY_TABLE,
  AGREEMENTS_TABLE,
} from './AccessAgreementStore';
export type {
  AccessAgreementStoreOptions,
  AgreementListFilter,
  NewAccessAgreement,
} from './AccessAgreementStore';
export { AGREEMENT_PORT_KINDS, AgreementsService } from './AgreementsService';
export type { AgreementsServiceOptions } from './AgreementsService';
export { createAgreementsRouter } from './router';
export type { AgreementsRouterOptions } from './router';
export { AGREEMENT_EXPIRY_SCHEDULE, scheduleAgreementExpiry } from './expiry';

/** What the lake service asks before it lets a tenant read another tenant's port. */
export type AgreementGrantLookup = (
  consumerTenants: readonly string[],
  product: string,
  port: string,
) => Promise<{ consumerTenant: string; columns: string[] } | undefined>;

/**
 * The access agreements of the lake backend, wired: the store (on the plugin's tenant database
 * and outbox), the service, the router, and the grant look-up for the lake service.
 */
export function createAccessAgreements(options: {
  db: TenantScopedDatabase;
  /** The plugin's outbox (`akiliEventsServiceRef`'s `outbox`). */
  outbox: EventOutbox;
  relay?: Pick<OutboxRelay, 'wake'>;
  tenancy: TenancyService;
  httpAuth: HttpAuthService;
  auth: AuthService;
  catalog: CatalogService;
  logger?: LoggerService;
  now?: () => Date;
}): {
  store: AccessAgreementStore;
  service: AgreementsService;
  router: express.Router;
  grantFor: AgreementGrantLookup;
} {
  const store = new AccessAgreementStore(options);
  const service = new AgreementsService({ ...options, store });
  const router = createAgreementsRouter({
    tenancy: options.tenancy,
    httpAuth: options.httpAuth,
    service,
    store,
  });
  return {
    store,
    service,
    router,
    grantFor: (consumerTenants, product, port) =>
      store.grantFor(consumerTenants, product, port),
  };
}
