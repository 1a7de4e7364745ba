import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  AkiliEvent,
  AkiliEventType,
  createAkiliEvent,
} from '@akili/plugin-akili-common';
import {
  EventOutbox,
  OutboxRelay,
  TenantScopedDatabase,
  toIsoTimestamp,
} from '@akili/plugin-akili-node';
import {
  AccessAgreement,
  AccessAgreementStatus,
  AccessAgreementTransition,
} from '@akili/plugin-lake-common';

export const AGREEMENTS_TABLE = 'lake_access_agreements';
export const AGREEMENT_HISTORY_TABLE = 'lake_access_agreement_history';

/** A transaction of {@link TenantScopedDatabase.withTenant}. */
type Tx = Parameters<Parameters<TenantScopedDatabase['withTenant']>[1]>[0];
type Query = ReturnType<TenantScopedDatabase['scoped']>;

/** The `source` of the events this store writes. */
export const AGREEMENT_EVENT_SOURCE = 'akili-lake-backend';

interface AgreementRow {
  id: string;
  tenant_id: string;
  consumer_tenant: string;
  provider_product: string;
  provider_port: string;
  consumer_product: string | null;
  purpose: string;
  columns: string;
  until: Date | string | number;
  status: AccessAgreementStatus;
  requested_by: string;
  requested_at: Date | string | number;
  decided_by: string | null;
  decided_at: Date | string | number | null;
  decision_note: string | null;
  ended_by: string | null;
  ended_at: Date | string | number | null;
  end_reason: string | null;
}

interface HistoryRow {
  id: number | string;
  from_status: AccessAgreementStatus | null;
  to_status: AccessAgreementStatus;
  actor: string | null;
  note: string | null;
  columns: string | null;
  at: Date | string | number;
}

/** What a new request holds, validated by the caller (the provider tenant from the catalog). */
export interface NewAccessAgreement {
  provider: { tenant: string; product: string; port: string };
  consumer: { tenant: string; product?: string };
  purpose: string;
  columns: string[];
  until: Date;
  requestedBy: string;
}

/** Filters of {@link AccessAgreementStore.list}. */
export interface AgreementListFilter {
  /** Only agreements where the tenant is this party. */
  side?: 'provider' | 'consumer';
  /** Effective statuses (an approved agreement past `until` is `expired`). */
  status?: AccessAgreementStatus[];
  /** `dataproduct:<tenant>/<name>` of the provider. */
  product?: string;
  limit: number;
}

/** Options of {@link AccessAgreementStore}. */
export interface AccessAgreementStoreOptions {
  db: TenantScopedDatabase;
  outbox: EventOutbox;
  /** Woken after events were written, so they are published at once. */
  relay?: Pick<OutboxRelay, 'wake'>;
  /** The clock (tests): expiry, `until` checks, timestamps. */
  now?: () => Date;
}

/**
 * The columns of the `access.requested` event of a request for the whole port (no columns): the
 * event's v1 schema needs at least one column, and the port's own columns must not reach the
 * consumer's topic (the consumer may not read the provider's entity).
 */
export const WHOLE_PORT_EVENT_COLUMNS = ['*'];

/** A step of the life cycle: from which statuses, to which, and the event it publishes. */
interface Transition {
  from: AccessAgreementStatus[];
  to: AccessAgreementStatus;
  actor?: string;
  note?: string;
  /** An approval's columns: narrowing those requested, or naming them for a whole-port request. */
  columns?: string[];
  /** Expiry: only agreements past `until`; every other step: only those before it. */
  due?: boolean;
  event?: 'access.granted' | 'access.revoked';
}

/** Whether a row's `until` has passed. */
function lapsed(row: Pick<AgreementRow, 'until'>, now: Date): boolean {
  return Date.parse(toIsoTimestamp(row.until)) <= now.getTime();
}

/**
 * The status as the parties see it: an agreement (or an undecided request) past `until` is
 * expired even before the expiry job has written so, so nothing reads it as in force.
 */
function effectiveStatus(row: AgreementRow, now: Date): AccessAgreementStatus {
  if (
    (row.status === 'approved' || row.status === 'requested') &&
    lapsed(row, now)
  ) {
    return 'expired';
  }
  return row.status;
}

function isUniqueViolation(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /unique constraint|UNIQUE constraint failed/i.test(message ?? '')
  );
}

/**
 * Access agreements between tenants, under row-level security in both parties' views: one row
 * per agreement whose provider (`tenant_id`) and consumer (`consumer_tenant`) both see it, and a
 * third tenant does not (the policy of migration `20261203200000_access_agreements.js` on
 * PostgreSQL; the explicit filter of {@link AccessAgreementStore} on SQLite, which has none).
 *
 * Every step of the life cycle is a conditional update (`WHERE status = <the status read>`), so
 * of two concurrent decisions one wins and the other is a `ConflictError`; each step appends its
 * history row and writes its events in the same transaction. Events go to both parties' topics:
 * one event in the acting tenant's outbox rows, one in the other party's, written through a
 * nested tenant transaction (a savepoint bound to the other tenant) of the same transaction, so
 * the change, its history and both events commit together or not at all.
 *
 * Events: `access.requested` (request), `access.granted` (approval), `access.revoked` (revoked by
 * either party, or expired). A request rejected, withdrawn or lapsed publishes nothing: it never
 * granted access, so enforcement has nothing to undo; its history says what became of it.
 */
export class AccessAgreementStore {
  readonly #db: TenantScopedDatabase;
  readonly #outbox: EventOutbox;
  readonly #relay?: Pick<OutboxRelay, 'wake'>;
  readonly #now: () => Date;
  readonly #listeners = new Set<(agreement?: AccessAgreement) => void>();

  constructor(options: AccessAgreementStoreOptions) {
    this.#db = options.db;
    this.#outbox = options.outbox;
    this.#relay = options.relay;
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * Calls `listener` after each committed transition out of a request (approve, reject, revoke,
   * withdraw) with the agreement, and after an expiry round that expired some without one. For
   * enforcement kept elsewhere (bucket policies); a listener's error is swallowed. Returns the
   * function that removes it.
   */
  onTransition(listener: (agreement?: AccessAgreement) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  #notify(agreement?: AccessAgreement): void {
    for (const listener of this.#listeners) {
      try {
        listener(agreement);
      } catch {
        // A listener's failure is its own (it logs); the transition is committed.
      }
    }
  }

  /** Whether the store's isolation is row-level security (PostgreSQL). */
  get enforcesRowLevelSecurity(): boolean {
    return this.#db.enforcesRowLevelSecurity;
  }

  /**
   * Records a request of `input.consumer.tenant` (the transaction's tenant) and publishes
   * `access.requested`. A request still open for the same port and consumer tenant is a
   * `ConflictError`; one that lapsed (past its `until`, undecided) is expired first.
   */
  async request(input: NewAccessAgreement): Promise<AccessAgreement> {
    const now = this.#now();
    const id = randomUUID();
    const agreement = await this.#db.withTenant(
      input.consumer.tenant,
      async tx => {
        const open = this.#visible(tx).where({
          provider_product: input.provider.product,
          provider_port: input.provider.port,
          consumer_tenant: input.consumer.tenant,
          status: 'requested',
        });
        const lapsedRequests: AgreementRow[] = await open
          .clone()
          .where('until', '<=', now);
        for (const row of lapsedRequests) {
          await this.#step(
            tx,
            row,
            { from: ['requested'], to: 'expired', due: true },
            now,
          );
        }
        const [existing] = (await open.clone().select('id')) as AgreementRow[];
        if (existing) {
          throw new ConflictError(
            `Tenant '${input.consumer.tenant}' already has an open request for port '${input.provider.port}' of ${input.provider.product}: ${existing.id}`,
          );
        }
        const row: AgreementRow = {
          id,
          tenant_id: input.provider.tenant,
          consumer_tenant: input.consumer.tenant,
          provider_product: input.provider.product,
          provider_port: input.provider.port,
          consumer_product: input.consumer.product ?? null,
          purpose: input.purpose,
          columns: JSON.stringify(input.columns),
          until: input.until,
          status: 'requested',
          requested_by: input.requestedBy,
          requested_at: now,
          decided_by: null,
          decided_at: null,
          decision_note: null,
          ended_by: null,
          ended_at: null,
          end_reason: null,
        };
        try {
          // The open-request index decides a race between two requests that both found none.
          await this.#insert(tx, AGREEMENTS_TABLE, { ...row });
        } catch (error) {
          if (isUniqueViolation(error)) {
            throw new ConflictError(
              `Tenant '${input.consumer.tenant}' already has an open request for port '${input.provider.port}' of ${input.provider.product}`,
            );
          }
          throw error;
        }
        await this.#appendHistory(tx, row, {
          to: 'requested',
          actor: input.requestedBy,
          columns: input.columns,
          at: now,
        });
        const result = toAgreement(row, now);
        await this.#publish(tx, 'access.requested', result, now, {
          purpose: result.purpose,
          columns:
            result.columns.length > 0
              ? result.columns
              : WHOLE_PORT_EVENT_COLUMNS,
          until: result.until,
          requestedBy: result.requestedBy,
        });
        return result;
      },
    );
    this.#relay?.wake();
    return agreement;
  }

  /** The agreement as `tenant` (a party) sees it, with its history; undefined otherwise. */
  async get(tenant: string, id: string): Promise<AccessAgreement | undefined> {
    return this.#db.withTenant(tenant, tx => this.#read(tx, id));
  }

  /** Any agreement, with its history (platform admins: authorize first). */
  async getAsPlatform(id: string): Promise<AccessAgreement | undefined> {
    return this.#db.withPlatformScope(tx => this.#read(tx, id));
  }

  /** The agreements `tenant` is a party to, newest first. */
  async list(
    tenant: string,
    filter: AgreementListFilter,
  ): Promise<AccessAgreement[]> {
    return this.#db.withTenant(tenant, tx => {
      const query = this.#visible(tx);
      if (filter.side === 'provider') query.where('tenant_id', tenant);
      if (filter.side === 'consumer') query.where('consumer_tenant', tenant);
      return this.#page(query, filter);
    });
  }

  /** Every tenant's agreements, newest first (platform admins: authorize first). */
  async listAll(
    filter: Omit<AgreementListFilter, 'side'>,
  ): Promise<AccessAgreement[]> {
    return this.#db.withPlatformScope(tx =>
      this.#page(tx(AGREEMENTS_TABLE), filter),
    );
  }

  /**
   * The agreements in force whose consumer is `consumerTenant`: approved and not past `until`.
   */
  async inForce(consumerTenant: string): Promise<AccessAgreement[]> {
    const now = this.#now();
    return this.#db.withTenant(consumerTenant, async tx => {
      const rows: AgreementRow[] = await this.#visible(tx)
        .where({ consumer_tenant: consumerTenant, status: 'approved' })
        .where('until', '>', now)
        .orderBy('requested_at', 'desc');
      return rows.map(row => toAgreement(row, now));
    });
  }

  /**
   * Every tenant's agreements in force (approved and not past `until`), oldest first: the desired
   * state of the lake's own enforcement (bucket policies). Platform scope; never for a caller.
   */
  async allInForce(): Promise<AccessAgreement[]> {
    const now = this.#now();
    const rows: AgreementRow[] = await this.#db.withPlatformScope(tx =>
      tx(AGREEMENTS_TABLE)
        .where({ status: 'approved' })
        .where('until', '>', now)
        .orderBy('requested_at', 'asc')
        .orderBy('id', 'asc'),
    );
    return rows.map(row => toAgreement(row, now));
  }

  /**
   * The grant of the first of `consumerTenants` (the caller's tenants) with an agreement in
   * force on `port` of `product`: the union of the columns of its agreements in force there.
   */
  async grantFor(
    consumerTenants: readonly string[],
    product: string,
    port: string,
  ): Promise<{ consumerTenant: string; columns: string[] } | undefined> {
    const now = this.#now();
    for (const consumerTenant of consumerTenants) {
      const rows: AgreementRow[] = await this.#db.withTenant(
        consumerTenant,
        tx =>
          this.#visible(tx)
            .where({
              consumer_tenant: consumerTenant,
              provider_product: product,
              provider_port: port,
              status: 'approved',
            })
            .where('until', '>', now)
            .whereNot('tenant_id', consumerTenant),
      );
      if (rows.length > 0) {
        const columns = new Set<string>();
        for (const row of rows) {
          for (const column of JSON.parse(row.columns) as string[]) {
            columns.add(column);
          }
        }
        return { consumerTenant, columns: [...columns] };
      }
    }
    return undefined;
  }

  /**
   * `requested` → `approved`, by the provider; `columns` may narrow those requested, and is
   * required when the request named none (the whole port, checked against the port's schema by
   * the caller): an agreement in force always names its columns.
   */
  approve(
    tenant: string,
    id: string,
    options: { actor: string; note?: string; columns?: string[] },
  ): Promise<AccessAgreement> {
    return this.#transition(tenant, id, {
      from: ['requested'],
      to: 'approved',
      actor: options.actor,
      note: options.note,
      columns: options.columns,
      event: 'access.granted',
    });
  }

  /** `requested` → `rejected`, by the provider. */
  reject(
    tenant: string,
    id: string,
    options: { actor: string; note: string },
  ): Promise<AccessAgreement> {
    return this.#transition(tenant, id, {
      from: ['requested'],
      to: 'rejected',
      ...options,
    });
  }

  /** `approved` → `revoked`, by the provider or the consumer giving it up. */
  revoke(
    tenant: string,
    id: string,
    options: { actor: string; note: string },
  ): Promise<AccessAgreement> {
    return this.#transition(tenant, id, {
      from: ['approved'],
      to: 'revoked',
      ...options,
      event: 'access.revoked',
    });
  }

  /** `requested` → `withdrawn`, by the consumer. */
  withdraw(
    tenant: string,
    id: string,
    options: { actor: string; note?: string },
  ): Promise<AccessAgreement> {
    return this.#transition(tenant, id, {
      from: ['requested'],
      to: 'withdrawn',
      ...options,
    });
  }

  /**
   * Writes `expired` on every agreement (and undecided request) past `until`, each in its own
   * transaction as its provider, with `access.revoked` (reason `expired`) for those that were in
   * force. For the scheduled job; returns how many it expired. A row a party changed meanwhile
   * is left alone (the conditional update finds it changed).
   */
  async expireDue(): Promise<number> {
    const now = this.#now();
    const due: AgreementRow[] = await this.#db.withPlatformScope(tx =>
      tx(AGREEMENTS_TABLE)
        .whereIn('status', ['requested', 'approved'])
        .where('until', '<=', now)
        .select('id', 'tenant_id'),
    );
    let expired = 0;
    for (const { id, tenant_id: provider } of due) {
      const done = await this.#db.withTenant(provider, async tx => {
        const row: AgreementRow | undefined = await this.#visible(tx)
          .where({ id })
          .first();
        if (!row || !['requested', 'approved'].includes(row.status)) {
          return false;
        }
        return this.#step(
          tx,
          row,
          {
            from: [row.status],
            to: 'expired',
            due: true,
            event: row.status === 'approved' ? 'access.revoked' : undefined,
          },
          now,
        ).then(
          () => true,
          error => {
            if (error instanceof ConflictError) return false;
            throw error;
          },
        );
      });
      if (done) expired += 1;
    }
    if (expired > 0) {
      this.#relay?.wake();
      this.#notify();
    }
    return expired;
  }

  async #transition(
    tenant: string,
    id: string,
    transition: Transition,
  ): Promise<AccessAgreement> {
    const now = this.#now();
    const agreement = await this.#db.withTenant(tenant, async tx => {
      const row: AgreementRow | undefined = await this.#visible(tx)
        .where({ id })
        .first();
      if (!row) {
        throw new NotFoundError(`No access agreement ${id}`);
      }
      return this.#step(tx, row, transition, now);
    });
    this.#relay?.wake();
    this.#notify(agreement);
    return agreement;
  }

  /** One conditional step on a row read in `tx`: update, history, events. */
  async #step(
    tx: Tx,
    row: AgreementRow,
    transition: Transition,
    now: Date,
  ): Promise<AccessAgreement> {
    const current = effectiveStatus(row, now);
    if (!transition.due && !transition.from.includes(current)) {
      throw new ConflictError(
        `Access agreement ${row.id} is ${current}, not ${transition.from.join(
          ' or ',
        )}`,
      );
    }
    const requested = new Set(JSON.parse(row.columns) as string[]);
    if (
      transition.to === 'approved' &&
      requested.size === 0 &&
      !transition.columns?.length
    ) {
      throw new InputError(
        `Invalid body: columns: access agreement ${row.id} asks for the whole port; the approval must name the columns to grant`,
      );
    }
    if (transition.columns && requested.size > 0) {
      const extra = transition.columns.filter(c => !requested.has(c));
      if (extra.length > 0) {
        throw new InputError(
          `Invalid body: columns ${extra.join(
            ', ',
          )} were not requested (an approval may only narrow the columns)`,
        );
      }
    }
    if (transition.to === 'approved' && transition.actor === row.requested_by) {
      throw new NotAllowedError(
        `${transition.actor} requested access agreement ${row.id} and cannot approve it too`,
      );
    }
    const ends = ['revoked', 'expired', 'withdrawn'].includes(transition.to);
    const decides = ['approved', 'rejected'].includes(transition.to);
    const changes: Partial<AgreementRow> = {
      status: transition.to,
      ...(transition.columns
        ? { columns: JSON.stringify(transition.columns) }
        : {}),
      ...(decides
        ? {
            decided_by: transition.actor ?? null,
            decided_at: now,
            decision_note: transition.note ?? null,
          }
        : {}),
      ...(ends
        ? {
            ended_by: transition.actor ?? null,
            ended_at: now,
            end_reason: transition.note ?? (transition.due ? 'expired' : null),
          }
        : {}),
    };
    const update = this.#visible(tx).where({ id: row.id, status: row.status });
    update.where('until', transition.due ? '<=' : '>', now);
    const count = await update.update(changes);
    if (count !== 1) {
      // Another decision (or the clock) came first: read what it left.
      const after: AgreementRow | undefined = await this.#visible(tx)
        .where({ id: row.id })
        .first();
      throw new ConflictError(
        `Access agreement ${row.id} is ${
          after ? effectiveStatus(after, now) : 'gone'
        }, not ${transition.from.join(' or ')}`,
      );
    }
    const updated: AgreementRow = { ...row, ...changes } as AgreementRow;
    await this.#appendHistory(tx, updated, {
      from: row.status,
      to: transition.to,
      actor: transition.actor,
      note: transition.note,
      columns: transition.columns,
      at: now,
    });
    const result = toAgreement(updated, now);
    if (transition.event === 'access.granted') {
      await this.#publish(tx, 'access.granted', result, now, {
        columns: result.columns,
        until: result.until,
        decidedBy: result.decidedBy!,
      });
    } else if (transition.event === 'access.revoked') {
      await this.#publish(tx, 'access.revoked', result, now, {
        columns: result.columns,
        reason: transition.due ? 'expired' : 'revoked',
        ...(transition.actor ? { endedBy: transition.actor } : {}),
        ...(transition.note ? { note: transition.note } : {}),
      });
    }
    return result;
  }

  async #read(tx: Tx, id: string): Promise<AccessAgreement | undefined> {
    const now = this.#now();
    const platform = this.#db.isPlatformScope(tx);
    const query = platform ? tx(AGREEMENTS_TABLE) : this.#visible(tx);
    const row: AgreementRow | undefined = await query.where({ id }).first();
    if (!row) return undefined;
    const history: HistoryRow[] = await (platform
      ? tx(AGREEMENT_HISTORY_TABLE)
      : this.#visible(tx, AGREEMENT_HISTORY_TABLE)
    )
      .where({ agreement_id: id })
      .orderBy('id', 'asc');
    return { ...toAgreement(row, now), history: history.map(toTransition) };
  }

  async #page(
    query: Query,
    filter: Omit<AgreementListFilter, 'side'>,
  ): Promise<AccessAgreement[]> {
    const now = this.#now();
    if (filter.product) query.where('provider_product', filter.product);
    if (filter.status) {
      // Effective statuses: `expired` includes what the job has not written yet, and
      // `approved`/`requested` exclude it.
      const statuses = filter.status;
      query.where(q => {
        for (const status of statuses) {
          if (status === 'approved' || status === 'requested') {
            q.orWhere(w => w.where('status', status).where('until', '>', now));
          } else if (status === 'expired') {
            q.orWhere('status', 'expired').orWhere(w =>
              w
                .whereIn('status', ['approved', 'requested'])
                .where('until', '<=', now),
            );
          } else {
            q.orWhere('status', status);
          }
        }
      });
    }
    const rows: AgreementRow[] = await query
      .orderBy('requested_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit);
    return rows.map(row => toAgreement(row, now));
  }

  /**
   * `table` restricted to the rows the transaction's tenant is a party to. On PostgreSQL the
   * policy already does this (the filter is redundant but harmless); on SQLite it is the
   * isolation.
   */
  #visible(tx: Tx, table: string = AGREEMENTS_TABLE): Query {
    const tenant = this.#db.tenantOf(tx);
    return tx(table).where(q =>
      q
        .where(`${table}.tenant_id`, tenant)
        .orWhere(`${table}.consumer_tenant`, tenant),
    );
  }

  /** An insert of a row the transaction's tenant is a party to (as the policy checks). */
  #insert(
    tx: Tx,
    table: string,
    row: {
      tenant_id: string;
      consumer_tenant: string;
      [column: string]: unknown;
    },
  ) {
    const tenant = this.#db.tenantOf(tx);
    if (row.tenant_id !== tenant && row.consumer_tenant !== tenant) {
      throw new NotAllowedError(
        `Refusing to write an agreement of tenants '${row.tenant_id}' and '${row.consumer_tenant}' from tenant '${tenant}'`,
      );
    }
    return tx(table).insert(row);
  }

  async #appendHistory(
    tx: Tx,
    row: AgreementRow,
    entry: {
      from?: AccessAgreementStatus;
      to: AccessAgreementStatus;
      actor?: string;
      note?: string;
      columns?: string[];
      at: Date;
    },
  ): Promise<void> {
    await this.#insert(tx, AGREEMENT_HISTORY_TABLE, {
      tenant_id: row.tenant_id,
      consumer_tenant: row.consumer_tenant,
      agreement_id: row.id,
      from_status: entry.from ?? null,
      to_status: entry.to,
      actor: entry.actor ?? null,
      note: entry.note ?? null,
      columns: entry.columns ? JSON.stringify(entry.columns) : null,
      at: entry.at,
    });
  }

  /**
   * Writes the event of `agreement` to both parties' topics in `tx`: the acting tenant's through
   * the outbox as usual, the other party's through a nested transaction (savepoint) bound to it,
   * after which the setting goes back to the acting tenant for the rest of `tx`.
   */
  async #publish(
    tx: Tx,
    type: Extract<AkiliEventType, `access.${string}`>,
    agreement: AccessAgreement,
    now: Date,
    data: Record<string, unknown>,
  ): Promise<void> {
    const own = this.#db.tenantOf(tx);
    const other =
      agreement.provider.tenant === own
        ? agreement.consumer.tenant
        : agreement.provider.tenant;
    const eventOf = (tenant: string) =>
      createAkiliEvent({
        type,
        tenant,
        time: now,
        source: AGREEMENT_EVENT_SOURCE,
        subject: agreement.provider.product,
        data: {
          agreementId: agreement.id,
          provider: { ...agreement.provider },
          consumer: { ...agreement.consumer },
          ...data,
        } as never,
      }) as AkiliEvent;
    await this.#outbox.enqueue(this.#db, tx, eventOf(own));
    const nested = TenantScopedDatabase.create(tx);
    await nested.withTenant(other, inner =>
      this.#outbox.enqueue(nested, inner, eventOf(other)),
    );
    await nested.withTenant(own, async () => undefined);
  }
}

function toAgreement(row: AgreementRow, now: Date): AccessAgreement {
  const agreement: AccessAgreement = {
    id: row.id,
    status: effectiveStatus(row, now),
    provider: {
      tenant: row.tenant_id,
      product: row.provider_product,
      port: row.provider_port,
    },
    consumer: {
      tenant: row.consumer_tenant,
      ...(row.consumer_product ? { product: row.consumer_product } : {}),
    },
    purpose: row.purpose,
    columns: JSON.parse(row.columns),
    until: toIsoTimestamp(row.until),
    requestedBy: row.requested_by,
    requestedAt: toIsoTimestamp(row.requested_at),
  };
  if (row.decided_by) agreement.decidedBy = row.decided_by;
  if (row.decided_at) agreement.decidedAt = toIsoTimestamp(row.decided_at);
  if (row.decision_note) agreement.decisionNote = row.decision_note;
  if (row.ended_at) agreement.endedAt = toIsoTimestamp(row.ended_at);
  if (row.ended_by) agreement.endedBy = row.ended_by;
  if (row.end_reason) agreement.endReason = row.end_reason;
  if (agreement.status === 'expired' && !row.ended_at) {
    // Expired on read: the job has not written it yet.
    agreement.endedAt = agreement.until;
    agreement.endReason = 'expired';
  }
  return agreement;
}

function toTransition(row: HistoryRow): AccessAgreementTransition {
  return {
    ...(row.from_status ? { from: row.from_status } : {}),
    to: row.to_status,
    ...(row.actor ? { by: row.actor } : {}),
    at: toIsoTimestamp(row.at),
    ...(row.note ? { note: row.note } : {}),
    ...(row.columns ? { columns: JSON.parse(row.columns) } : {}),
  };
}
