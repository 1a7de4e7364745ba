import { AkiliRole } from './roles';

/**
 * The tenant management API of the Akili control plane (`/api/akili/v1/...`): the shapes both
 * the backend and the portal pages use.
 */

/** @public */
export type TenantStatus = 'active' | 'suspended';

/** Limits applied to a tenant's queries (enforced by the query plugin). @public */
export interface TenantQuotas {
  /** Most rows one query may return. */
  queryRowLimit: number;
  /** Most queries of the tenant running at once. */
  maxConcurrentQueries: number;
  /**
   * Bytes the tenant may store in the lake (shown against its usage by the lake plugin); no
   * quota when absent.
   */
  storageQuotaBytes?: number;
}

/** @public */
export const DEFAULT_TENANT_QUOTAS: TenantQuotas = {
  queryRowLimit: 10_000,
  maxConcurrentQueries: 4,
};

/** The Authentik group that grants a role in a tenant, from the configured naming scheme. @public */
export interface TenantGroupMapping {
  role: AkiliRole;
  group: string;
}

/** @public */
export interface Tenant {
  /** The tenant's name, which is also its catalog namespace. */
  name: string;
  title: string;
  description?: string;
  status: TenantStatus;
  /** Why the tenant was suspended; set only while suspended. */
  suspendedReason?: string;
  quotas: TenantQuotas;
  groups: TenantGroupMapping[];
  /** Distinct users seen calling Akili as members of the tenant. */
  memberCount: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

/** A user seen calling Akili as a member of a tenant (users need not exist in the catalog). @public */
export interface TenantMember {
  userEntityRef: string;
  /** The name people see (from the member's sign-in), when known; display only. */
  displayName?: string;
  roles: AkiliRole[];
  firstSeenAt: string;
  lastSeenAt: string;
}

/** @public */
export type TenantAuditAction =
  | 'tenant.created'
  | 'tenant.updated'
  | 'tenant.suspended'
  | 'tenant.resumed'
  | 'dead-letter.retry-requested'
  | 'dead-letter.retried'
  | 'dead-letter.retry-failed'
  | 'api-token.issued'
  | 'api-token.revoked';

/** One entry of a tenant's audit trail: who did what, when. @public */
export interface TenantAuditEntry {
  id: string;
  tenant: string;
  action: TenantAuditAction;
  /** User entity ref of the actor, or `system` for configuration seeding. */
  actor: string;
  at: string;
  /**
   * What changed. `tenant.updated`: `{ changes: { <field>: { before, after } } }` with fields
   * `title`, `description`, `quotas.queryRowLimit`, `quotas.maxConcurrentQueries`,
   * `quotas.storageQuotaBytes`;
   * `tenant.suspended`: `{ reason }`; `tenant.created`: the tenant's title, description and
   * quotas as created; `dead-letter.retry-requested` (written before the publish),
   * `dead-letter.retried` and `dead-letter.retry-failed` (after it, the latter with `error`):
   * `{ deadLetterId, topic, eventId?, eventType? }`; `api-token.issued`:
   * `{ tokenId, name, permissions, expiresAt }`; `api-token.revoked`: `{ tokenId, name }`.
   * Other keys are plain values. The trail is append-only: entries are never changed or deleted.
   */
  details: Record<string, unknown>;
}

/** Body of `POST /v1/tenants`. @public */
export interface CreateTenantRequest {
  name: string;
  title: string;
  description?: string;
  quotas?: Partial<TenantQuotas>;
}

/** Body of `PATCH /v1/tenants/:tenant`. @public */
export interface UpdateTenantRequest {
  title?: string;
  description?: string;
  quotas?: Partial<TenantQuotas>;
}

/** Body of `POST /v1/tenants/:tenant/suspend`. @public */
export interface SuspendTenantRequest {
  reason: string;
}

/** `GET /v1/me`: who the caller is to Akili. @public */
export interface AkiliIdentityInfo {
  userEntityRef: string;
  platformAdmin: boolean;
  tenants: { name: string; roles: AkiliRole[] }[];
}

/** A page of a list answer. @public */
export interface AkiliListResponse<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; absent on the last page. */
  nextCursor?: string;
}

/** One event topic of a tenant, as the control plane's outbox saw it. @public */
export interface TenantEventTopicStatus {
  topic: string;
  /**
   * Events of this topic in the outbox: the unpublished ones and those published within the
   * relay's retention (7 days by default).
   */
  total: number;
  /** Of those, not yet published. */
  pending: number;
  /** When the last event of the topic was published; absent if none yet. */
  lastPublishedAt?: string;
  /** The last event published to the topic (within the retention). */
  lastEvent?: { id: string; type: string; subject: string };
}

/**
 * `GET /v1/tenants/:tenant/events`: the tenant's domain events in the control plane's outbox,
 * for operators: the backlog, how old it is, why publishing fails, and each topic's last publish.
 *
 * @public
 */
export interface TenantEventsStatus {
  tenant: string;
  pending: number;
  /** When the oldest unpublished event was written; absent when nothing is pending. */
  oldestPendingAt?: string;
  /** The relay's last error on the oldest pending event (e.g. the broker is down). */
  lastError?: string;
  topics: TenantEventTopicStatus[];
  /** Dead letters of the tenant's topics not yet retried. */
  openDeadLetters: number;
}

/**
 * Why a consumer gave up on a message: it was not JSON, not a valid Akili event, an event of
 * another tenant than its topic's, or its handler kept failing.
 *
 * @public
 */
export type AkiliDeadLetterReason =
  | 'invalid-json'
  | 'invalid-event'
  | 'tenant-mismatch'
  | 'handler-failed';

/**
 * A message a consumer gave up on (published to `<topic>.dlq`), as recorded by the control plane
 * for operators: `GET /v1/tenants/:tenant/dead-letters`.
 *
 * @public
 */
export interface AkiliDeadLetter {
  /** Unique id of the dead letter (its `akili-dead-letter-id` header). */
  id: string;
  tenant: string;
  /** The topic the message was consumed from, where a retry publishes it again. */
  topic: string;
  /** The consumer group that gave up, when the dead letter names it. */
  consumerGroup?: string;
  /** One of {@link AkiliDeadLetterReason}, or whatever another producer's header said. */
  reason: string;
  /** What exactly: the JSON error, the validation problems, the handler's error message. */
  detail: string;
  /** How many times the handler ran (`handler-failed`). */
  attempts?: number;
  /** The event's id and type, when the message says. */
  eventId?: string;
  eventType?: string;
  /** The message key (the event's subject). */
  key: string;
  /** The original message value, cut to 8,000 characters in lists. */
  payload: string;
  payloadTruncated?: boolean;
  /** When the control plane recorded the dead letter. */
  deadLetteredAt: string;
  /** The last retry, and how many there were. */
  retriedAt?: string;
  retriedBy?: string;
  retries: number;
}

/**
 * Which dead letters to list: not yet retried (default), retried, or all.
 *
 * @public
 */
export type AkiliDeadLetterStatus = 'open' | 'retried' | 'all';
