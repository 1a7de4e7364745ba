import express from 'express';
import Router from 'express-promise-router';
import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  AKILI_ROLES,
  AkiliIdentityInfo,
  AkiliListResponse,
  akiliTenantAdminPermission,
  akiliTenantOperatePermission,
  akiliTenantReadPermission,
  formatAkiliGroupName,
  Tenant,
  AkiliDeadLetter,
  TenantAuditEntry,
  TenantEventsStatus,
  TenantMember,
} from '@akili/plugin-akili-common';
import {
  AkiliAuthentication,
  AkiliEventPublisher,
  DeadLetterStore,
  TenancyService,
} from '@akili/plugin-akili-node';
import { displayNameFromRequest } from './displayName';
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

/** Only backend plugins may call the internal routes, never a token of a tenant or an outsider. */
const PLUGIN_SUBJECT_PREFIX = 'plugin:';

/**
 * The tenant management API (`/v1/me`, `/v1/tenants...`, `/v1/internal/tenant-status`).
 *
 * Every route goes through the one authorization path (`TenancyService`): who the caller is and
 * what they may do in a tenant comes only from their verified credentials, never from the
 * request. A tenant the caller may not see answers 404 with the message of a tenant that does not
 * exist. Mount it before the plugin's other routes: its first middleware records the members seen
 * on every request of the plugin.
 */
export async function createTenantsRouter(
  options: TenantsRouterOptions,
): Promise<express.Router> {
  const { httpAuth, tenancy, logger, store, groupPattern } = options;
  const tracker = options.memberTracker ?? new MemberTracker({ store, logger });
  // Bodies are read (JSON, 64 kB) and checked against the spec by the plugin's router.
  const router = Router();

  /** Members, audit, events and dead letters: `akili.tenant.operate` in the tenant. */
  function operate(req: express.Request, notFoundMessage?: string) {
    return tenancy.authorize(req, {
      tenant: req.params.tenant,
      permission: akiliTenantOperatePermission,
      notFoundMessage,
    });
  }

  /** Creating, changing, suspending, resuming and listing all tenants: platform admins. */
  function administer(
    caller: express.Request | AkiliAuthentication,
  ): Promise<AkiliAuthentication> {
    return tenancy.authorizePlatform(caller, {
      permission: akiliTenantAdminPermission,
    });
  }

  /** The tenants the caller may see, by name (a platform admin: every tenant). */
  async function visibleTenants(
    caller: AkiliAuthentication,
  ): Promise<TenantRecord[]> {
    const { principal } = caller;
    if (principal.type === 'user' && principal.platformAdmin) {
      await administer(caller);
      return store.listAll();
    }
    const names =
      principal.type === 'user'
        ? Object.keys(principal.tenants)
        : [principal.tenant];
    const readable: string[] = [];
    for (const tenant of names) {
      if (
        await tenancy.can(caller, {
          tenant,
          permission: akiliTenantReadPermission,
        })
      ) {
        readable.push(tenant);
      }
    }
    return store.listOf(readable);
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
      const { principal } = await tenancy.authenticate(req);
      if (principal.type === 'user') {
        await tracker.seen(principal, displayNameFromRequest(req));
      }
    } catch {
      // Not authenticated, or not an Akili caller: the route answers that.
    }
    next();
  });

  router.get('/v1/me', async (req, res) => {
    const { principal, actorRef } = await tenancy.authenticate(req);
    const body: AkiliIdentityInfo =
      principal.type === 'user'
        ? {
            userEntityRef: principal.userEntityRef,
            platformAdmin: principal.platformAdmin,
            tenants: Object.entries(principal.tenants).map(([name, roles]) => ({
              name,
              roles,
            })),
          }
        : {
            // An API token holds permissions, not roles.
            userEntityRef: actorRef,
            platformAdmin: false,
            tenants: [{ name: principal.tenant, roles: [] }],
          };
    res.json(body);
  });

  router.get('/v1/tenants', async (req, res) => {
    const caller = await tenancy.authenticate(req);
    const body: AkiliListResponse<Tenant> = {
      items: (await visibleTenants(caller)).map(toTenant),
    };
    res.json(body);
  });

  router.post('/v1/tenants', async (req, res) => {
    const { actorRef } = await administer(req);
    const request = parseInput(createTenantSchema, req.body);
    const record = await store.create(request, { actor: actorRef });
    tenancy.tenantStatus.invalidate(request.name);
    logger.info('Created tenant', { tenant: request.name, actor: actorRef });
    res.status(201).json(toTenant(record!));
  });

  router.get('/v1/tenants/:tenant', async (req, res) => {
    const { tenant } = await tenancy.authorize(req, {
      tenant: req.params.tenant,
      permission: akiliTenantReadPermission,
    });
    const record = await store.get(tenant);
    if (!record) {
      throw new NotFoundError(`No tenant '${tenant}'`);
    }
    res.json(toTenant(record));
  });

  router.patch('/v1/tenants/:tenant', async (req, res) => {
    const { actorRef } = await administer(req);
    const request = parseInput(updateTenantSchema, req.body);
    const record = await store.update(req.params.tenant, request, actorRef);
    res.json(toTenant(record));
  });

  router.post('/v1/tenants/:tenant/suspend', async (req, res) => {
    const { actorRef } = await administer(req);
    const { reason } = parseInput(suspendTenantSchema, req.body);
    const record = await store.suspend(req.params.tenant, reason, actorRef);
    // This plugin's own requests see it at once; every other plugin within its cache (30 s).
    tenancy.tenantStatus.invalidate(record.name);
    logger.info('Suspended tenant', { tenant: record.name, actor: actorRef });
    res.json(toTenant(record));
  });

  router.post('/v1/tenants/:tenant/resume', async (req, res) => {
    const { actorRef } = await administer(req);
    const record = await store.resume(req.params.tenant, actorRef);
    tenancy.tenantStatus.invalidate(record.name);
    logger.info('Resumed tenant', { tenant: record.name, actor: actorRef });
    res.json(toTenant(record));
  });

  router.get('/v1/tenants/:tenant/members', async (req, res) => {
    const { tenant } = await operate(req);
    const body: AkiliListResponse<TenantMember> = {
      items: await store.listMembers(tenant),
    };
    res.json(body);
  });

  router.get('/v1/tenants/:tenant/audit', async (req, res) => {
    const { tenant } = await operate(req);
    const { limit, cursor } = parseInput(auditQuerySchema, req.query, 'query');
    const body: AkiliListResponse<TenantAuditEntry> = await store.listAudit(
      tenant,
      { limit, before: cursor },
    );
    res.json(body);
  });

  /** The tenant's domain events in the outbox (backlog, last error, last publish per topic). */
  router.get('/v1/tenants/:tenant/events', async (req, res) => {
    const { tenant } = await operate(req);
    const body: TenantEventsStatus = await store.eventsStatus(tenant);
    res.json(body);
  });

  /** The tenant's dead letters (messages its consumers gave up on), newest first. */
  router.get('/v1/tenants/:tenant/dead-letters', async (req, res) => {
    const { tenant } = await operate(req);
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
   * processes it, the others skip it) and marks it retried. The publish changes something outside
   * the database, so the audit trail gets its intent before (`dead-letter.retry-requested`) and
   * its outcome after (`dead-letter.retried` with the mark, or `dead-letter.retry-failed`).
   */
  router.post(
    '/v1/tenants/:tenant/dead-letters/:id/retry',
    async (req, res) => {
      const { id } = req.params;
      // A dead letter of another tenant answers as one that does not exist.
      const notFoundMessage = `No dead letter '${id}' in tenant '${req.params.tenant}'`;
      const { tenant, actorRef } = await operate(req, notFoundMessage);
      const { store: deadLetters, publisher } = deadLettersOrUnavailable();
      const detailsOf = (deadLetter: AkiliDeadLetter) => ({
        deadLetterId: deadLetter.id,
        topic: deadLetter.topic,
        ...(deadLetter.eventId ? { eventId: deadLetter.eventId } : {}),
        ...(deadLetter.eventType ? { eventType: deadLetter.eventType } : {}),
      });
      const retried = await deadLetters.retry(tenant, id, {
        publisher,
        actor: actorRef,
        notFoundMessage,
        onIntent: deadLetter =>
          store.audit(
            tenant,
            'dead-letter.retry-requested',
            actorRef,
            detailsOf(deadLetter),
          ),
        onRetried: (tx, deadLetter) =>
          store.auditIn(
            tx,
            'dead-letter.retried',
            actorRef,
            detailsOf(deadLetter),
          ),
        onFailed: (deadLetter, error) =>
          store.audit(tenant, 'dead-letter.retry-failed', actorRef, {
            ...detailsOf(deadLetter),
            error: error.message.slice(0, 2000),
          }),
      });
      logger.info('Retried a dead letter', {
        tenant,
        deadLetterId: id,
        topic: retried.topic,
        actor: actorRef,
      });
      res.json(retried);
    },
  );

  /**
   * Internal, service-only: for sign-in and for the authorization path of every other plugin,
   * which of the named tenants exist and are active, and their quotas (which the query plugin
   * enforces). Only backend plugins may ask (`plugin:*`
   * service principals); an Akili API token or another outside caller is refused, because the
   * answer spans tenants.
   */
  router.post('/v1/internal/tenant-status', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    if (!credentials.principal.subject.startsWith(PLUGIN_SUBJECT_PREFIX)) {
      throw new NotAllowedError(
        'Only backend plugins may ask for tenant statuses',
      );
    }
    const { tenants } = parseInput(tenantStatusSchema, req.body);
    res.json({ tenants: await store.statuses(tenants) });
  });

  return router;
}
