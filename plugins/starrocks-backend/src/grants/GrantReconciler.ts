import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { DataProductManifest } from '@akili/plugin-akili-common';
import { AccessAgreement, isAgreementInForce } from '@akili/plugin-lake-common';
import { Connection, createConnection } from 'mysql2/promise';
import { AgreementsSource } from '../agreements/AgreementsClient';
import { GrantsConfig, StarrocksConfig } from '../config';
import {
  GrantAccount,
  GrantStatements,
  GrantTable,
  grantStatementsOf,
  isGrantableName,
} from './grantStatements';

/** What one reconciliation of a tenant changed. */
export interface GrantChanges {
  tenant: string;
  /** `db.table` granted to the tenant's user. */
  granted: string[];
  /** `db.table` revoked from the tenant's user. */
  revoked: string[];
}

interface PortTable extends GrantTable {
  /** The tenant (namespace) of the product whose port the table is. */
  owner: string;
}

const key = (t: GrantTable) => `${t.database}\u0000${t.table}`;
const show = (t: GrantTable) => `${t.database}.${t.table}`;

/**
 * Makes the StarRocks grants of each tenant's user equal to the access agreements in force: the
 * consumer tenant's user holds `SELECT` on exactly the tables of other tenants' ports it has an
 * agreement for. Only table grants on other tenants' port tables are managed (a tenant's own
 * database grants are never touched); a grant on such a table without an agreement, made by hand
 * or left by a missed event, is revoked, and a missing one is granted. Idempotent; one round at a
 * time per tenant. When the lake backend does not answer, the agreements last read (those still
 * in force by the clock) are used, so an expiry is still revoked.
 */
export class GrantReconciler {
  readonly #config: StarrocksConfig;
  readonly #grants: GrantsConfig;
  readonly #agreements: AgreementsSource;
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #logger: LoggerService;
  readonly #statements: GrantStatements;
  readonly #lastKnown = new Map<string, AccessAgreement[]>();
  readonly #running = new Map<string, Promise<unknown>>();

  constructor(options: {
    config: StarrocksConfig;
    grants: GrantsConfig;
    agreements: AgreementsSource;
    catalog: CatalogService;
    auth: AuthService;
    logger: LoggerService;
  }) {
    this.#config = options.config;
    this.#grants = options.grants;
    this.#agreements = options.agreements;
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#logger = options.logger;
    this.#statements = grantStatementsOf(options.config.dialect);
  }

  /** Reconciles every configured tenant; a tenant that fails is logged and left for the next round. */
  async reconcileAll(): Promise<GrantChanges[]> {
    const changes: GrantChanges[] = [];
    for (const tenant of Object.keys(this.#config.tenants)) {
      try {
        changes.push(await this.reconcileTenant(tenant));
      } catch (error) {
        this.#logger.warn('StarRocks grants could not be reconciled', {
          tenant,
          error: String(error),
        });
      }
    }
    return changes;
  }

  /** Reconciles one tenant's grants (rounds of one tenant run one after the other). */
  reconcileTenant(tenant: string): Promise<GrantChanges> {
    const previous = this.#running.get(tenant) ?? Promise.resolve();
    const round = previous
      .catch(() => undefined)
      .then(() => this.#reconcile(tenant));
    this.#running.set(tenant, round);
    round
      .finally(() => {
        if (this.#running.get(tenant) === round) this.#running.delete(tenant);
      })
      .catch(() => undefined);
    return round;
  }

  /**
   * Reconciles `tenant` now; on failure tries again after `retryMs` (up to `attempts` times in
   * all), logging each failure. Never throws: for events, which must not wait on StarRocks.
   */
  reconcileSoon(
    tenant: string,
    options: { attempts?: number; retryMs?: number } = {},
  ) {
    const attempts = options.attempts ?? 3;
    const retryMs = options.retryMs ?? 30_000;
    const attempt = (n: number) => {
      this.reconcileTenant(tenant).catch(error => {
        this.#logger.warn('StarRocks grants could not be applied', {
          tenant,
          attempt: n,
          error: String(error),
        });
        if (n < attempts) setTimeout(() => attempt(n + 1), retryMs).unref?.();
      });
    };
    attempt(1);
  }

  async #reconcile(tenant: string): Promise<GrantChanges> {
    const login = this.#config.tenants[tenant];
    if (!login)
      throw new Error(`starrocks.tenants.${tenant} is not configured`);
    const account: GrantAccount = {
      user: login.user,
      host: this.#grants.userHost,
    };
    const agreements = await this.#inForce(tenant);
    const tables = await this.#portTables();

    const desired = new Map<string, { table: GrantTable; ids: string[] }>();
    for (const a of agreements) {
      let product;
      try {
        product = stringifyEntityRef(parseEntityRef(a.provider.product));
      } catch {
        continue;
      }
      const table = tables.get(`${product}\u0000${a.provider.port}`);
      if (
        !table ||
        table.owner !== a.provider.tenant ||
        table.owner === tenant
      ) {
        continue;
      }
      const entry = desired.get(key(table)) ?? { table, ids: [] };
      entry.ids.push(a.id);
      desired.set(key(table), entry);
    }
    // Managed: table grants on another tenant's port table.
    const managed = new Set(
      [...tables.values()].filter(t => t.owner !== tenant).map(key),
    );

    const connection = await this.#connect();
    const changes: GrantChanges = { tenant, granted: [], revoked: [] };
    try {
      const { sql, params } = this.#statements.list(account);
      const [rows] = await connection.query(sql, params);
      const current = new Map<string, GrantTable>();
      for (const row of rows as Array<{ db: string; tbl: string }>) {
        const t = { database: String(row.db), table: String(row.tbl) };
        if (managed.has(key(t))) current.set(key(t), t);
      }
      for (const [k, { table, ids }] of desired) {
        if (current.has(k)) continue;
        await connection.query(this.#statements.grant(table, account));
        changes.granted.push(show(table));
        this.#logger.info('StarRocks grant applied for an access agreement', {
          tenant,
          user: account.user,
          table: show(table),
          agreements: ids.join(','),
        });
      }
      for (const [k, table] of current) {
        if (desired.has(k)) continue;
        try {
          await connection.query(this.#statements.revoke(table, account));
        } catch (error) {
          if (!this.#statements.isNothingToRevoke(error)) throw error;
        }
        changes.revoked.push(show(table));
        this.#logger.info(
          'StarRocks grant revoked: no access agreement in force',
          {
            tenant,
            user: account.user,
            table: show(table),
          },
        );
      }
    } finally {
      await connection.end().catch(() => undefined);
    }
    return changes;
  }

  async #inForce(tenant: string): Promise<AccessAgreement[]> {
    try {
      const items = await this.#agreements.inForce(tenant);
      this.#lastKnown.set(tenant, items);
      return items;
    } catch (error) {
      const known = this.#lastKnown.get(tenant);
      if (!known) throw error;
      this.#logger.warn(
        'Access agreements could not be read; reconciling with the last ones read',
        { tenant, error: String(error) },
      );
      const now = new Date();
      return known.filter(a => isAgreementInForce(a, now));
    }
  }

  /** Every table port of every data product: `<product ref>\0<port>` → its table and tenant. */
  async #portTables(): Promise<Map<string, PortTable>> {
    const { items } = await this.#catalog.getEntities(
      {
        filter: { kind: 'dataproduct' },
        fields: [
          'kind',
          'metadata.namespace',
          'metadata.name',
          'spec.outputPorts',
        ],
      },
      { credentials: await this.#auth.getOwnServiceCredentials() },
    );
    const tables = new Map<string, PortTable>();
    for (const entity of items) {
      const owner = entity.metadata.namespace;
      if (!owner) continue;
      const ref = stringifyEntityRef(entity);
      if (parseEntityRef(ref).namespace !== owner) continue;
      const { spec } = entity as unknown as DataProductManifest;
      for (const port of spec?.outputPorts ?? []) {
        const t = port.location?.table;
        if (!t?.database || !t.table) continue;
        // Grants are in the default catalog; external catalogs are granted otherwise.
        if (
          (t.catalog ?? this.#config.defaultCatalog) !==
          this.#config.defaultCatalog
        )
          continue;
        if (!isGrantableName(t.database) || !isGrantableName(t.table)) {
          this.#logger.warn('A port table name cannot be granted', {
            product: ref,
            port: port.name,
          });
          continue;
        }
        tables.set(`${ref}\u0000${port.name}`, {
          database: t.database,
          table: t.table,
          owner,
        });
      }
    }
    return tables;
  }

  #connect(): Promise<Connection> {
    return createConnection({
      host: this.#grants.host,
      port: this.#grants.port,
      user: this.#grants.user,
      password: this.#grants.password,
      connectTimeout: this.#config.connectTimeoutSeconds * 1000,
      multipleStatements: false,
    });
  }
}
