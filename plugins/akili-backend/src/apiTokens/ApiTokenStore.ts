import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  AkiliApiToken,
  AkiliApiTokenStatus,
  TenantAuditAction,
} from '@akili/plugin-akili-common';
import {
  tenantOfAkiliApiTokenId,
  TenantScopedDatabase,
  toIsoTimestamp,
} from '@akili/plugin-akili-node';
import { Knex } from 'knex';

/** The table of the API tokens (migration `20251203000000_api_tokens.js`). */
export const API_TOKENS_TABLE = 'akili_api_tokens';

type TokenRow = {
  id: string;
  tenant_id: string;
  name: string;
  permissions: string;
  token_hash: string;
  created_by: string;
  created_at: Date | string | number;
  expires_at: Date | string | number;
  last_used_at: Date | string | number | null;
  revoked_at: Date | string | number | null;
  revoked_by: string | null;
};

/** Writes an entry of the tenant's audit trail inside the caller's tenant transaction. */
export type ApiTokenAudit = (
  tx: Knex.Transaction,
  action: Extract<TenantAuditAction, 'api-token.issued' | 'api-token.revoked'>,
  actor: string,
  details: Record<string, unknown>,
) => Promise<void>;

/** A token's grant as the status route answers it. */
export interface ApiTokenGrantRecord {
  tenant: string;
  permissions: string[];
  expiresAt: string;
}

/** Most tokens a tenant may have that are neither revoked nor expired. */
export const MAX_ACTIVE_TOKENS_PER_TENANT = 100;

function toDate(value: Date | string | number): Date {
  return value instanceof Date ? value : new Date(toIsoTimestamp(value));
}

/**
 * The API tokens of the tenants, in the control plane's database: only a hash of each token,
 * every change in a tenant transaction (row-level security) with its audit entry.
 */
export class ApiTokenStore {
  readonly #db: TenantScopedDatabase;
  readonly #audit: ApiTokenAudit;
  readonly #now: () => Date;

  constructor(options: {
    db: TenantScopedDatabase;
    /** Where `api-token.issued` / `api-token.revoked` go: the tenant's audit trail. */
    audit: ApiTokenAudit;
    /** The clock, for tests. */
    now?: () => Date;
  }) {
    this.#db = options.db;
    this.#audit = options.audit;
    this.#now = options.now ?? (() => new Date());
  }

  /** The tenant's tokens, newest first (revoked and expired ones too, with their status). */
  async list(tenant: string): Promise<AkiliApiToken[]> {
    return this.#db.withTenant(tenant, async tx => {
      const rows: TokenRow[] = await this.#db
        .scoped(tx, API_TOKENS_TABLE)
        .select()
        .orderBy('created_at', 'desc')
        .orderBy('id');
      return rows.map(row => this.#toToken(row));
    });
  }

  /**
   * Records a token issued in `tenant` (its id, hash and grant) with its `api-token.issued` audit
   * entry. A `ConflictError` when the tenant already has {@link MAX_ACTIVE_TOKENS_PER_TENANT}
   * active tokens.
   */
  async create(
    tenant: string,
    token: {
      id: string;
      tokenHash: string;
      name: string;
      permissions: string[];
      expiresAt: Date;
      createdBy: string;
    },
  ): Promise<AkiliApiToken> {
    if (tenantOfAkiliApiTokenId(token.id) !== tenant) {
      throw new Error(`Token id ${token.id} is not of tenant ${tenant}`);
    }
    return this.#db.withTenant(tenant, async tx => {
      const now = this.#now();
      const [{ active }] = await this.#db
        .scoped(tx, API_TOKENS_TABLE)
        .whereNull('revoked_at')
        .where('expires_at', '>', now)
        .count({ active: '*' });
      if (Number(active) >= MAX_ACTIVE_TOKENS_PER_TENANT) {
        throw new ConflictError(
          `Tenant '${tenant}' already has ${MAX_ACTIVE_TOKENS_PER_TENANT} active API tokens: revoke one first`,
        );
      }
      await this.#db.insert(tx, API_TOKENS_TABLE, {
        id: token.id,
        name: token.name,
        permissions: JSON.stringify(token.permissions),
        token_hash: token.tokenHash,
        created_by: token.createdBy,
        created_at: now,
        expires_at: token.expiresAt,
        last_used_at: null,
        revoked_at: null,
        revoked_by: null,
      });
      await this.#audit(tx, 'api-token.issued', token.createdBy, {
        tokenId: token.id,
        name: token.name,
        permissions: token.permissions,
        expiresAt: token.expiresAt.toISOString(),
      });
      return this.#toToken(await this.#row(tx, token.id));
    });
  }

  /**
   * Revokes a token of the tenant, with its `api-token.revoked` audit entry. `NotFoundError` for a
   * token the tenant does not have, `ConflictError` when it is already revoked.
   */
  async revoke(
    tenant: string,
    id: string,
    actor: string,
  ): Promise<AkiliApiToken> {
    return this.#db.withTenant(tenant, async tx => {
      const row = await this.#row(tx, id);
      if (row.revoked_at !== null) {
        throw new ConflictError(`API token '${id}' is already revoked`);
      }
      await this.#db
        .scoped(tx, API_TOKENS_TABLE)
        .where('id', id)
        .update({ revoked_at: this.#now(), revoked_by: actor });
      await this.#audit(tx, 'api-token.revoked', actor, {
        tokenId: id,
        name: row.name,
      });
      return this.#toToken(await this.#row(tx, id));
    });
  }

  /**
   * The grants of the named tokens that are active (not revoked, not expired), for the
   * authorization path of the plugins; `null` for any other id. Each token is read in the
   * transaction of the tenant its id names, and its last use is recorded.
   */
  async grants(
    ids: readonly string[],
  ): Promise<Record<string, ApiTokenGrantRecord | null>> {
    const result: Record<string, ApiTokenGrantRecord | null> = {};
    const byTenant = new Map<string, string[]>();
    for (const id of new Set(ids)) {
      result[id] = null;
      const tenant = tenantOfAkiliApiTokenId(id);
      if (tenant !== undefined) {
        byTenant.set(tenant, [...(byTenant.get(tenant) ?? []), id]);
      }
    }
    for (const [tenant, tenantIds] of byTenant) {
      await this.#db.withTenant(tenant, async tx => {
        const now = this.#now();
        const rows: TokenRow[] = await this.#db
          .scoped(tx, API_TOKENS_TABLE)
          .whereIn('id', tenantIds)
          .whereNull('revoked_at')
          .where('expires_at', '>', now)
          .select();
        if (rows.length > 0) {
          await this.#db
            .scoped(tx, API_TOKENS_TABLE)
            .whereIn(
              'id',
              rows.map(row => row.id),
            )
            .update({ last_used_at: now });
        }
        for (const row of rows) {
          result[row.id] = {
            tenant: row.tenant_id,
            permissions: JSON.parse(row.permissions) as string[],
            expiresAt: toDate(row.expires_at).toISOString(),
          };
        }
      });
    }
    return result;
  }

  async #row(tx: Knex.Transaction, id: string): Promise<TokenRow> {
    const row: TokenRow | undefined = await this.#db
      .scoped(tx, API_TOKENS_TABLE)
      .where('id', id)
      .first();
    if (!row) {
      throw new NotFoundError(`No API token '${id}'`);
    }
    return row;
  }

  #toToken(row: TokenRow): AkiliApiToken {
    const expiresAt = toDate(row.expires_at);
    let status: AkiliApiTokenStatus = 'active';
    if (row.revoked_at !== null) {
      status = 'revoked';
    } else if (expiresAt.getTime() <= this.#now().getTime()) {
      status = 'expired';
    }
    return {
      id: row.id,
      tenant: row.tenant_id,
      name: row.name,
      permissions: JSON.parse(row.permissions) as string[],
      status,
      createdBy: row.created_by,
      createdAt: toIsoTimestamp(row.created_at),
      expiresAt: expiresAt.toISOString(),
      ...(row.last_used_at !== null
        ? { lastUsedAt: toIsoTimestamp(row.last_used_at) }
        : {}),
      ...(row.revoked_at !== null
        ? { revokedAt: toIsoTimestamp(row.revoked_at) }
        : {}),
      ...(row.revoked_by !== null ? { revokedBy: row.revoked_by } : {}),
    };
  }
}
