import {
  isDatabaseConflictError,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  AKILI_ROLES,
  AkiliRole,
  createAkiliEvent,
  CreateTenantRequest,
  DEFAULT_TENANT_QUOTAS,
  isValidTenantName,
  Tenant,
  TenantAuditAction,
  TenantAuditEntry,
  TenantEventsStatus,
  TenantMember,
  TenantQuotas,
  TenantStatus,
  UpdateTenantRequest,
} from '@akili/plugin-akili-common';
import {
  AkiliTenantRegistry,
  DEFAULT_DEAD_LETTERS_TABLE,
  DEFAULT_EVENT_OUTBOX_TABLE,
  EventOutbox,
  TenantScopedDatabase,
  toIsoTimestamp,
} from '@akili/plugin-akili-node';
import { Knex } from 'knex';

const TENANTS = 'akili_tenants';
const MEMBERS = 'akili_tenant_members';
const AUDIT = 'akili_tenant_audit';
/** The `source` of the events this store emits. */
const EVENT_SOURCE = 'akili-backend';

/** The control plane's knex migrations (tenants, events, dead letters). */
export const TENANTS_MIGRATIONS_DIRECTORY = resolvePackagePath(
  '@akili/plugin-akili-backend',
  'migrations',
);

/** A tenant as stored; the router adds the group mapping of the configured naming scheme. */
export type TenantRecord = Omit<Tenant, 'groups'>;

type TenantRow = {
  tenant_id: string;
  title: string;
  description: string | null;
  status: TenantStatus;
  suspended_reason: string | null;
  query_row_limit: number;
  max_concurrent_queries: number;
  storage_quota_bytes: number | string | null;
  created_at: Date | string | number;
  created_by: string;
  updated_at: Date | string | number;
};

type MemberRow = {
  tenant_id: string;
  user_entity_ref: string;
  display_name?: string | null;
  roles: string;
  first_seen_at: Date | string | number;
  last_seen_at: Date | string | number;
};

type AuditRow = {
  id: string | number;
  tenant_id: string;
  action: TenantAuditAction;
  actor: string;
  at: Date | string | number;
  details: string;
};

/** The identity of an outbox row's event, read from its envelope. */
function lastEventOf(row: { event_id: string; payload: string }) {
  let envelope: { type?: unknown; subject?: unknown } = {};
  try {
    envelope = JSON.parse(row.payload);
  } catch {
    // Written by EventOutbox from a validated event: not expected to happen.
  }
  return {
    id: row.event_id,
    type: String(envelope.type ?? 'unknown'),
    subject: String(envelope.subject ?? ''),
  };
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}

function quotasOf(
  row: Pick<
    TenantRow,
    'query_row_limit' | 'max_concurrent_queries' | 'storage_quota_bytes'
  >,
): TenantQuotas {
  return {
    queryRowLimit: Number(row.query_row_limit),
    maxConcurrentQueries: Number(row.max_concurrent_queries),
    ...(row.storage_quota_bytes !== null &&
    row.storage_quota_bytes !== undefined
      ? { storageQuotaBytes: Number(row.storage_quota_bytes) }
      : {}),
  };
}

/** How a create was asked for: by a platform admin, or by configuration seeding. */
export interface CreateTenantOptions {
  actor: string;
  /** Seeding: answer `undefined` instead of a `ConflictError` when the tenant exists. */
  ifMissing?: boolean;
  /** Extra audit details, e.g. `{ source: 'config' }`. */
  auditDetails?: Record<string, unknown>;
}

/**
 * Tenants, the users seen as their members, and their audit trail, in the plugin's database.
 *
 * @remarks
 *
 * Every read and write goes through {@link TenantScopedDatabase.withTenant} (the tenant's rows
 * only; PostgreSQL row-level security enforces it), and each change writes its audit row in the
 * same transaction. Only listing all tenants and the sign-in status look-up read across tenants,
 * through the read-only platform scope, which sees the tenants table alone.
 */
export class TenantStore {
  readonly #db: TenantScopedDatabase;
  readonly #outbox: EventOutbox;

  /**
   * A store on the plugin's migrated tenant-scoped database (see `akiliTenantDatabaseServiceRef`
   * and {@link TENANTS_MIGRATIONS_DIRECTORY}); `tenant.created` / `tenant.suspended` events go to
   * `outbox` in the transaction of the change.
   */
  static fromDatabase(
    db: TenantScopedDatabase,
    outbox: EventOutbox = EventOutbox.create(),
  ): TenantStore {
    return new TenantStore(db, outbox);
  }

  /** Which named tenants exist and whether they are active: the registry of every plugin. */
  get registry(): AkiliTenantRegistry {
    return {
      statuses: async names => {
        const found = await this.statuses(names);
        const result = new Map<string, TenantStatus>();
        for (const [name, entry] of Object.entries(found)) {
          if (entry) {
            result.set(name, entry.status);
          }
        }
        return result;
      },
    };
  }

  /** The store's database, for the event relay and consumers of the same plugin. */
  get database(): TenantScopedDatabase {
    return this.#db;
  }

  private constructor(db: TenantScopedDatabase, outbox: EventOutbox) {
    this.#db = db;
    this.#outbox = outbox;
  }

  /** Every tenant, by name (platform scope), for platform admins. */
  async listAll(): Promise<TenantRecord[]> {
    const names = await this.#db.withPlatformScope(async tx => {
      const rows: Array<{ tenant_id: string }> = await tx(TENANTS)
        .select('tenant_id')
        .orderBy('tenant_id');
      return rows.map(row => row.tenant_id);
    });
    return this.listOf(names);
  }

  /** The named tenants that exist, by name; each read in its own tenant transaction. */
  async listOf(names: readonly string[]): Promise<TenantRecord[]> {
    const tenants: TenantRecord[] = [];
    for (const name of [...new Set(names)].sort()) {
      const tenant = await this.get(name);
      if (tenant) {
        tenants.push(tenant);
      }
    }
    return tenants;
  }

  /** One tenant, or `undefined` when it does not exist. */
  async get(name: string): Promise<TenantRecord | undefined> {
    return this.#db.withTenant(name, tx => this.#read(tx));
  }

  /** Creates a tenant with its `tenant.created` audit row; `ConflictError` when it exists. */
  async create(
    request: CreateTenantRequest,
    options: CreateTenantOptions,
  ): Promise<TenantRecord | undefined> {
    const quotas: TenantQuotas = {
      ...DEFAULT_TENANT_QUOTAS,
      ...defined(request.quotas ?? {}),
    };
    const conflict = () =>
      new ConflictError(`Tenant '${request.name}' already exists`);
    try {
      return await this.#db.withTenant(request.name, async tx => {
        if (await this.#row(tx)) {
          if (options.ifMissing) {
            return undefined;
          }
          throw conflict();
        }
        const now = new Date();
        await this.#db.insert(tx, TENANTS, {
          title: request.title,
          description: request.description || null,
          status: 'active',
          suspended_reason: null,
          query_row_limit: quotas.queryRowLimit,
          max_concurrent_queries: quotas.maxConcurrentQueries,
          storage_quota_bytes: quotas.storageQuotaBytes ?? null,
          created_at: now,
          created_by: options.actor,
          updated_at: now,
        });
        await this.#audit(tx, 'tenant.created', options.actor, now, {
          ...options.auditDetails,
          title: request.title,
          ...(request.description ? { description: request.description } : {}),
          quotas,
        });
        await this.#outbox.enqueue(
          this.#db,
          tx,
          createAkiliEvent({
            type: 'tenant.created',
            tenant: request.name,
            subject: `tenant:${request.name}`,
            source: EVENT_SOURCE,
            data: {
              tenant: request.name,
              title: request.title,
              createdBy: options.actor,
            },
          }),
        );
        return this.#read(tx);
      });
    } catch (error) {
      // A concurrent create of the same tenant won the race.
      if (isDatabaseConflictError(error)) {
        if (options.ifMissing) {
          return undefined;
        }
        throw conflict();
      }
      throw error;
    }
  }

  /**
   * Changes title, description or quotas, auditing each changed field with its value before
   * and after (`tenant.updated`). A request that changes nothing writes nothing.
   */
  async update(
    name: string,
    request: UpdateTenantRequest,
    actor: string,
  ): Promise<TenantRecord> {
    return this.#db.withTenant(name, async tx => {
      const row = await this.#existingRow(tx, name);
      const changes: Record<string, { before: unknown; after: unknown }> = {};
      const patch: Partial<TenantRow> = {};
      if (request.title !== undefined && request.title !== row.title) {
        changes.title = { before: row.title, after: request.title };
        patch.title = request.title;
      }
      if (request.description !== undefined) {
        const after = request.description || null;
        if (after !== row.description) {
          changes.description = { before: row.description, after };
          patch.description = after;
        }
      }
      const before = quotasOf(row);
      const after = { ...before, ...defined(request.quotas ?? {}) };
      if (after.queryRowLimit !== before.queryRowLimit) {
        changes['quotas.queryRowLimit'] = {
          before: before.queryRowLimit,
          after: after.queryRowLimit,
        };
        patch.query_row_limit = after.queryRowLimit;
      }
      if (after.maxConcurrentQueries !== before.maxConcurrentQueries) {
        changes['quotas.maxConcurrentQueries'] = {
          before: before.maxConcurrentQueries,
          after: after.maxConcurrentQueries,
        };
        patch.max_concurrent_queries = after.maxConcurrentQueries;
      }
      if (after.storageQuotaBytes !== before.storageQuotaBytes) {
        changes['quotas.storageQuotaBytes'] = {
          before: before.storageQuotaBytes ?? null,
          after: after.storageQuotaBytes ?? null,
        };
        patch.storage_quota_bytes = after.storageQuotaBytes ?? null;
      }
      if (Object.keys(changes).length > 0) {
        const now = new Date();
        await this.#db
          .scoped(tx, TENANTS)
          .update({ ...patch, updated_at: now });
        await this.#audit(tx, 'tenant.updated', actor, now, { changes });
      }
      return (await this.#read(tx))!;
    });
  }

  /** Suspends an active tenant (`ConflictError` when already suspended). */
  async suspend(
    name: string,
    reason: string,
    actor: string,
  ): Promise<TenantRecord> {
    return this.#db.withTenant(name, async tx => {
      const row = await this.#existingRow(tx, name);
      if (row.status === 'suspended') {
        throw new ConflictError(`Tenant '${name}' is already suspended`);
      }
      const now = new Date();
      await this.#db.scoped(tx, TENANTS).update({
        status: 'suspended',
        suspended_reason: reason,
        updated_at: now,
      });
      await this.#audit(tx, 'tenant.suspended', actor, now, { reason });
      await this.#outbox.enqueue(
        this.#db,
        tx,
        createAkiliEvent({
          type: 'tenant.suspended',
          tenant: name,
          subject: `tenant:${name}`,
          source: EVENT_SOURCE,
          data: { tenant: name, reason, suspendedBy: actor },
        }),
      );
      return (await this.#read(tx))!;
    });
  }

  /** Resumes a suspended tenant (`ConflictError` when it is active). */
  async resume(name: string, actor: string): Promise<TenantRecord> {
    return this.#db.withTenant(name, async tx => {
      const row = await this.#existingRow(tx, name);
      if (row.status !== 'suspended') {
        throw new ConflictError(`Tenant '${name}' is not suspended`);
      }
      const now = new Date();
      await this.#db.scoped(tx, TENANTS).update({
        status: 'active',
        suspended_reason: null,
        updated_at: now,
      });
      await this.#audit(tx, 'tenant.resumed', actor, now, {
        suspendedReason: row.suspended_reason,
      });
      return (await this.#read(tx))!;
    });
  }

  /**
   * The status and quotas of each named tenant, `null` for unknown (or malformed) names: what
   * other plugins read through the internal tenant registry route.
   */
  async statuses(
    names: readonly string[],
  ): Promise<
    Record<string, { status: TenantStatus; quotas: TenantQuotas } | null>
  > {
    const valid = [...new Set(names.filter(isValidTenantName))];
    const rows: Array<
      Pick<
        TenantRow,
        | 'tenant_id'
        | 'status'
        | 'query_row_limit'
        | 'max_concurrent_queries'
        | 'storage_quota_bytes'
      >
    > =
      valid.length === 0
        ? []
        : await this.#db.withPlatformScope(tx =>
            tx(TENANTS)
              .whereIn('tenant_id', valid)
              .select(
                'tenant_id',
                'status',
                'query_row_limit',
                'max_concurrent_queries',
                'storage_quota_bytes',
              ),
          );
    const found = new Map(rows.map(row => [row.tenant_id, row]));
    return Object.fromEntries(
      names.map(name => {
        const row = found.get(name);
        return [
          name,
          row ? { status: row.status, quotas: quotasOf(row) } : null,
        ];
      }),
    );
  }

  /** Users seen as members of the tenant, by user entity ref. */
  async listMembers(name: string): Promise<TenantMember[]> {
    return this.#db.withTenant(name, async tx => {
      const rows: MemberRow[] = await this.#db
        .scoped(tx, MEMBERS)
        .select()
        .orderBy('user_entity_ref');
      return rows.map(row => ({
        userEntityRef: row.user_entity_ref,
        ...(row.display_name ? { displayName: row.display_name } : {}),
        roles: row.roles
          .split(',')
          .filter((role): role is AkiliRole =>
            AKILI_ROLES.includes(role as AkiliRole),
          ),
        firstSeenAt: toIsoTimestamp(row.first_seen_at),
        lastSeenAt: toIsoTimestamp(row.last_seen_at),
      }));
    });
  }

  /** The tenant's domain events in this plugin's outbox: backlog and last publish per topic. */
  async eventsStatus(tenant: string): Promise<TenantEventsStatus> {
    return this.#db.withTenant(tenant, async tx => {
      const topics: Array<{
        topic: string;
        total: number | string;
        pending: number | string;
        last_published_at: Date | string | number | null;
      }> = await this.#db
        .scoped(tx, DEFAULT_EVENT_OUTBOX_TABLE)
        .select('topic')
        .count({ total: '*' })
        .select(
          tx.raw('SUM(CASE WHEN sent_at IS NULL THEN 1 ELSE 0 END) AS pending'),
        )
        .max({ last_published_at: 'sent_at' })
        .groupBy('topic')
        .orderBy('topic');
      const oldest:
        | { created_at: Date | string | number; last_error: string | null }
        | undefined = await this.#db
        .scoped(tx, DEFAULT_EVENT_OUTBOX_TABLE)
        .whereNull('sent_at')
        .orderBy('id')
        .first('created_at', 'last_error');
      // The last published row of each topic: publishing follows the outbox order (id).
      const lastRows: Array<{
        topic: string;
        event_id: string;
        payload: string;
      }> = await this.#db
        .scoped(tx, DEFAULT_EVENT_OUTBOX_TABLE)
        .whereIn(
          'id',
          this.#db
            .scoped(tx, DEFAULT_EVENT_OUTBOX_TABLE)
            .whereNotNull('sent_at')
            .max('id')
            .groupBy('topic'),
        )
        .select('topic', 'event_id', 'payload');
      const lastEvents = new Map(
        lastRows.map(row => [row.topic, lastEventOf(row)]),
      );
      const [{ open }] = await this.#db
        .scoped(tx, DEFAULT_DEAD_LETTERS_TABLE)
        .whereNull('retried_at')
        .count({ open: '*' });
      return {
        tenant,
        pending: topics.reduce((sum, t) => sum + Number(t.pending), 0),
        ...(oldest
          ? { oldestPendingAt: toIsoTimestamp(oldest.created_at) }
          : {}),
        ...(oldest?.last_error ? { lastError: oldest.last_error } : {}),
        topics: topics.map(t => ({
          topic: t.topic,
          total: Number(t.total),
          pending: Number(t.pending),
          ...(t.last_published_at !== null
            ? { lastPublishedAt: toIsoTimestamp(t.last_published_at) }
            : {}),
          ...(lastEvents.get(t.topic)
            ? { lastEvent: lastEvents.get(t.topic) }
            : {}),
        })),
        openDeadLetters: Number(open),
      };
    });
  }

  /**
   * Writes an audit entry of the tenant inside the caller's tenant transaction, for changes made
   * by other stores of the plugin (a dead letter retried).
   */
  async auditIn(
    tx: Knex.Transaction,
    action: TenantAuditAction,
    actor: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.#audit(tx, action, actor, new Date(), details);
  }

  /**
   * Writes an audit entry of the tenant in a transaction of its own, committed when this
   * resolves: the intent of an action outside the database is recorded before it runs.
   */
  async audit(
    tenant: string,
    action: TenantAuditAction,
    actor: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.#db.withTenant(tenant, tx =>
      this.#audit(tx, action, actor, new Date(), details),
    );
  }

  /** A page of the tenant's audit trail, newest first; `before` is an entry id (exclusive). */
  async listAudit(
    name: string,
    options: { limit: number; before?: string },
  ): Promise<{ items: TenantAuditEntry[]; nextCursor?: string }> {
    return this.#db.withTenant(name, async tx => {
      const { rows, nextCursor } = await this.#db.pageNewestFirst<AuditRow>(
        tx,
        AUDIT,
        options,
      );
      const items = rows.map(row => ({
        id: String(row.id),
        tenant: row.tenant_id,
        action: row.action,
        actor: row.actor,
        at: toIsoTimestamp(row.at),
        details: JSON.parse(row.details) as Record<string, unknown>,
      }));
      return nextCursor ? { items, nextCursor } : { items };
    });
  }

  /** Records that a member called Akili: first seen once, last seen and roles every time. */
  async recordMember(
    name: string,
    userEntityRef: string,
    roles: readonly AkiliRole[],
    at: Date = new Date(),
    /** The name people see (display only); a sighting without one keeps the known one. */
    displayName?: string,
  ): Promise<void> {
    await this.#db.withTenant(name, async tx => {
      await this.#db
        .insert(tx, MEMBERS, {
          user_entity_ref: userEntityRef,
          roles: roles.join(','),
          first_seen_at: at,
          last_seen_at: at,
          display_name: displayName ?? null,
        })
        .onConflict(['tenant_id', 'user_entity_ref'])
        .merge(
          displayName
            ? ['roles', 'last_seen_at', 'display_name']
            : ['roles', 'last_seen_at'],
        );
    });
  }

  async #row(tx: Knex.Transaction): Promise<TenantRow | undefined> {
    const query = this.#db.scoped(tx, TENANTS).first();
    // Serialize concurrent changes of one tenant (SQLite transactions already are).
    return tx.client.dialect === 'postgresql' ? query.forUpdate() : query;
  }

  async #existingRow(tx: Knex.Transaction, name: string): Promise<TenantRow> {
    const row = await this.#row(tx);
    if (!row) {
      throw new NotFoundError(`No tenant '${name}'`);
    }
    return row;
  }

  async #read(tx: Knex.Transaction): Promise<TenantRecord | undefined> {
    const row: TenantRow | undefined = await this.#db
      .scoped(tx, TENANTS)
      .first();
    if (!row) {
      return undefined;
    }
    const [{ count }] = await this.#db
      .scoped(tx, MEMBERS)
      .count({ count: '*' });
    return {
      name: row.tenant_id,
      title: row.title,
      ...(row.description ? { description: row.description } : {}),
      status: row.status,
      ...(row.status === 'suspended' && row.suspended_reason
        ? { suspendedReason: row.suspended_reason }
        : {}),
      quotas: quotasOf(row),
      memberCount: Number(count),
      createdAt: toIsoTimestamp(row.created_at),
      createdBy: row.created_by,
      updatedAt: toIsoTimestamp(row.updated_at),
    };
  }

  async #audit(
    tx: Knex.Transaction,
    action: TenantAuditAction,
    actor: string,
    at: Date,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.#db.insert(tx, AUDIT, {
      action,
      actor,
      at,
      details: JSON.stringify(details),
    });
  }
}
