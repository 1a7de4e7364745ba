import express from 'express';
import Router from 'express-promise-router';
import {
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  AKILI_ROLES,
  AkiliIdentityInfo,
  AkiliListResponse,
  formatAkiliGroupName,
  Tenant,
  AkiliDeadLetter,
  TenantAuditEntry,
  TenantEventsStatus,
  TenantMember,
} from '@akili/plugin-akili-common';
import {
  AkiliEventPublisher,
  AkiliIdentity,
  DeadLetterStore,
  TenancyService,
  tenantRoles,
} from '@akili/plugin-akili-node';
import { MemberTracker } from './MemberTracker';
import { TenantRecord, TenantStore } from './TenantStore';
import {
  auditQuerySchema,
  createTenantSchema,
  deadLettersQuerySchema,
  parseInput,
  suspendTenantSchema,
  tenantStatusSchema,
  updateTenantSchema,
} from './validation';

/** What the tenant management router needs. */
export interface TenantsRouterOptions {
  httpAuth: HttpAuthService;
  tenancy: TenancyService;
  logger: LoggerService;
  store: TenantStore;
  /** `akili.tenancy.groupPattern`, to show each tenant's identity provider groups. */
  groupPattern: string;
  /** Records members seen; defaults to one on `store`. */
  memberTracker?: MemberTracker;
  /**
   * The recorded dead letters, and where a retry publishes (the event transport). Without it the
   * dead-letter routes answer 503.
   */
  deadLetters?: { store: DeadLetterStore; publisher: AkiliEventPublisher };
}

/**
 * The tenant management API (`/v1/me`, `/v1/tenants...`, `/v1/internal/tenant-status`).
 *
 * Who the caller is and which tenants they belong to comes only from their verified credentials
 * (`TenancyService`), never from the request. A tenant the caller may not see answers 404, like
 * a tenant that does not exist. Mount it before the plugin's other routes: its first middleware
 * records the members seen on every request of the plugin.
 */
export async function createTenantsRouter(
  options: TenantsRouterOptions,
): Promise<express.Router> {
  const { httpAuth, tenancy, logger, store, groupPattern } = options;
  const tracker = options.memberTracker ?? new MemberTracker({ store, logger });
  const router = Router();
  const json = express.json({ limit: '64kb' });

  // One identity per request, shared by the member tracking and the route.
  const identities = new WeakMap<express.Request, Promise<AkiliIdentity>>();

  async function identityOf(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<AkiliIdentity> {
    try {
      return await tenancy.identifyCredentials(credentials);
    } catch (error) {
      // A signed-in user of no tenant is still someone: they just see no tenant.
      if (error instanceof NotAllowedError) {
        return {
          userEntityRef: credentials.principal.userEntityRef,
          tenants: {},
          platformAdmin: false,
        };
      }
      throw error;
    }
  }

  function caller(req: express.Request): Promise<AkiliIdentity> {
    let identity = identities.get(req);
    if (!identity) {
      identity = httpAuth
        .credentials(req, { allow: ['user'] })
        .then(identityOf);
      identities.set(req, identity);
    }
    return identity;
  }

  function canSee(identity: AkiliIdentity, tenant: string): boolean {
    return (
      identity.platformAdmin || tenantRoles(identity, tenant) !== undefined
    );
  }

  function requirePlatformAdmin(identity: AkiliIdentity): void {
    if (!identity.platformAdmin) {
      throw new NotAllowedError(
        `${identity.userEntityRef} is not an Akili platform admin`,
      );
    }
  }

  /** Members and audit: operators of the tenant and platform admins; others 404 or 403. */
  async function requireOperator(
    identity: AkiliIdentity,
    tenant: string,
  ): Promise<void> {
    if (!canSee(identity, tenant) || !(await store.get(tenant))) {
      throw new NotFoundError(`No tenant '${tenant}'`);
    }
    if (
      !identity.platformAdmin &&
      !tenantRoles(identity, tenant)?.includes('operator')
    ) {
      throw new NotAllowedError(
        `${identity.userEntityRef} needs role operator in tenant '${tenant}'`,
      );
    }
  }

  function deadLettersOrUnavailable(): NonNullable<
    TenantsRouterOptions['deadLetters']
  > {
    if (!options.deadLetters) {
      throw new ServiceUnavailableError(
        'Dead letters are not recorded by this backend (no event transport)',
      );
    }
    return options.deadLetters;
  }

  function deadLetterStore(): DeadLetterStore {
    return deadLettersOrUnavailable().store;
  }

  function toTenant(record: TenantRecord): Tenant {
    return {
      ...record,
      groups: AKILI_ROLES.map(role => ({
        role,
        group: formatAkiliGroupName(groupPattern, record.name, role),
      })),
    };
  }

  // Members seen: every request of a tenant member, throttled in MemberTracker.
  router.use(async (req, _res, next) => {
    try {
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      if (credentials.principal.type === 'user') {
        await tracker.seen(await caller(req));
      }
    } catch {
      // Not a user, or not authenticated: the route answers that.
    }
    next();
  });

  router.get('/v1/me', async (req, res) => {
    const identity = await caller(req);
    const body: AkiliIdentityInfo = {
      userEntityRef: identity.userEntityRef,
      platformAdmin: identity.platformAdmin,
      tenants: Object.entries(identity.tenants).map(([name, roles]) => ({
        name,
        roles,
      })),
    };
    res.json(body);
  });

  router.get('/v1/tenants', async (req, res) => {
    const identity = await caller(req);
    const records = identity.platformAdmin
      ? await store.listAll()
      : await store.listOf(Object.keys(identity.tenants));
    const body: AkiliListResponse<Tenant> = { items: records.map(toTenant) };
    res.json(body);
  });

  router.post('/v1/tenants', json, async (req, res) => {
    const identity = await caller(req);
    requirePlatformAdmin(identity);
    const request = parseInput(createTenantSchema, req.body);
    const record = await store.create(request, {
      actor: identity.userEntityRef,
    });
    logger.info('Created tenant', {
      tenant: request.name,
      actor: identity.userEntityRef,
    });
    res.status(201).json(toTenant(record!));
  });

  router.get('/v1/tenants/:tenant', async (req, res) => {
    const identity = await caller(req);
    const { tenant } = req.params;
    const record = canSee(identity, tenant)
      ? await store.get(tenant)
      : undefined;
    if (!record) {
      throw new NotFoundError(`No tenant '${tenant}'`);
    }
    res.json(toTenant(record));
  });

  router.patch('/v1/tenants/:tenant', json, async (req, res) => {
    const identity = await caller(req);
    requirePlatformAdmin(identity);
    const request = parseInput(updateTenantSchema, req.body);
    const record = await store.update(
      req.params.tenant,
      request,
      identity.userEntityRef,
    );
    res.json(toTenant(record));
  });

  router.post('/v1/tenants/:tenant/suspend', json, async (req, res) => {
    const identity = await caller(req);
    requirePlatformAdmin(identity);
    const { reason } = parseInput(suspendTenantSchema, req.body);
    const record = await store.suspend(
      req.params.tenant,
      reason,
      identity.userEntityRef,
    );
    logger.info('Suspended tenant', {
      tenant: record.name,
      actor: identity.userEntityRef,
    });
    res.json(toTenant(record));
  });

  router.post('/v1/tenants/:tenant/resume', async (req, res) => {
    const identity = await caller(req);
    requirePlatformAdmin(identity);
    const record = await store.resume(
      req.params.tenant,
      identity.userEntityRef,
    );
    logger.info('Resumed tenant', {
      tenant: record.name,
      actor: identity.userEntityRef,
    });
    res.json(toTenant(record));
  });

  router.get('/v1/tenants/:tenant/members', async (req, res) => {
    const identity = await caller(req);
    const { tenant } = req.params;
    await requireOperator(identity, tenant);
    const body: AkiliListResponse<TenantMember> = {
      items: await store.listMembers(tenant),
    };
    res.json(body);
  });

  router.get('/v1/tenants/:tenant/audit', async (req, res) => {
    const identity = await caller(req);
    const { tenant } = req.params;
    await requireOperator(identity, tenant);
    const { limit, cursor } = parseInput(auditQuerySchema, req.query, 'query');
    const body: AkiliListResponse<TenantAuditEntry> = await store.listAudit(
      tenant,
      { limit, before: cursor },
    );
    res.json(body);
  });

  /** The tenant's domain events in the outbox (backlog, last error, last publish per topic). */
  router.get('/v1/tenants/:tenant/events', async (req, res) => {
    const identity = await caller(req);
    const { tenant } = req.params;
    await requireOperator(identity, tenant);
    const body: TenantEventsStatus = await store.eventsStatus(tenant);
    res.json(body);
  });

  /** The tenant's dead letters (messages its consumers gave up on), newest first. */
  router.get('/v1/tenants/:tenant/dead-letters', async (req, res) => {
    const identity = await caller(req);
    const { tenant } = req.params;
    await requireOperator(identity, tenant);
    const { limit, cursor, status } = parseInput(
      deadLettersQuerySchema,
      req.query,
      'query',
    );
    const body: AkiliListResponse<AkiliDeadLetter> =
      await deadLetterStore().list(tenant, { limit, before: cursor, status });
    res.json(body);
  });

  /**
   * Publishes a dead letter again to its original topic (same event id: the consumer that gave up
   * processes it, the others skip it), marks it retried and writes the audit trail.
   */
  router.post(
    '/v1/tenants/:tenant/dead-letters/:id/retry',
    async (req, res) => {
      const identity = await caller(req);
      const { tenant, id } = req.params;
      await requireOperator(identity, tenant);
      const { store: deadLetters, publisher } = deadLettersOrUnavailable();
      const retried = await deadLetters.retry(tenant, id, {
        publisher,
        actor: identity.userEntityRef,
        onRetried: (tx, deadLetter) =>
          store.auditIn(tx, 'dead-letter.retried', identity.userEntityRef, {
            deadLetterId: deadLetter.id,
            topic: deadLetter.topic,
            ...(deadLetter.eventId ? { eventId: deadLetter.eventId } : {}),
            ...(deadLetter.eventType
              ? { eventType: deadLetter.eventType }
              : {}),
          }),
      });
      logger.info(
        `${identity.userEntityRef} retried dead letter ${id} of tenant ${tenant} (topic ${retried.topic})`,
      );
      res.json(retried);
    },
  );

  /** For the sign-in resolver: which of the tenants a user's groups name exist, and are active. */
  router.post('/v1/internal/tenant-status', json, async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    const { tenants } = parseInput(tenantStatusSchema, req.body);
    res.json({ tenants: await store.statuses(tenants) });
  });

  return router;
}
