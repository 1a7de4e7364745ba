import { AuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AkiliAuthentication,
  AkiliAuthorization,
  AkiliRequest,
  AkiliTenantQuotasService,
  TenancyService,
} from '@akili/plugin-akili-node';
import {
  akiliQueryRunPermission,
  akiliQueryUnmaskPermission,
  effectiveClassification,
  guardQuery,
  IdentifierQuoter,
  isMaskedClassification,
  MaskedColumn,
  maskStatement,
  namesIn,
  SchemaResponse,
  SchemaTable,
  StatementKind,
  unmaskedClassifications,
} from '@akili/plugin-starrocks-common';
import { Counter } from '@opentelemetry/api';
import { akiliMeter } from '@akili/plugin-akili-node';
import { AuditedQuery, QueryAuditor } from '../audit/QueryAuditor';
import {
  QueryCancelledError,
  QueryTimeoutError,
  TooManyQueriesError,
} from '../engine/errors';
import { EXECUTE_AS_USER } from '../engine/dialect';
import type { QueryRequest } from '../engine/QueryRunner';
import { QuerySummary, ResultSink } from '../engine/types';
import { AgreementsSource } from '../agreements/AgreementsClient';
import {
  agreedPortsOf,
  maskableTablesOf,
  ReadablePort,
  readablePortsOf,
} from './readableTables';

/**
 * The counter of the query API's queries by `outcome`; in Prometheus `akili_starrocks_queries_total`.
 */
export const STARROCKS_QUERIES = 'akili.starrocks.queries';

/**
 * How a query ended, the one label of {@link STARROCKS_QUERIES} (never the tenant, the user or
 * the SQL): `ok`; `rejected` before the server ran it (the guard, a name that cannot run as the
 * user, the tenant's concurrency limit); `timeout`; `cancelled` (the client went away); `error`
 * (the server refused or failed, StarRocks down, anything else).
 */
export type QueryOutcome =
  | 'ok'
  | 'rejected'
  | 'timeout'
  | 'cancelled'
  | 'error';

function outcomeOf(error: unknown, stage: 'prepare' | 'run'): QueryOutcome {
  if (error instanceof QueryTimeoutError) return 'timeout';
  if (error instanceof QueryCancelledError) return 'cancelled';
  if (error instanceof TooManyQueriesError) return 'rejected';
  const name = (error as Error)?.name;
  if (
    stage === 'prepare' &&
    (name === 'InputError' || name === 'NotAllowedError')
  ) {
    return 'rejected';
  }
  return 'error';
}

// NUL cannot appear in a name the guard accepted, so it separates parts.
const key = (...parts: string[]) => parts.join('\u0000');

/** What runs a prepared statement: `QueryRunner`, or any engine with the same `run`. */
export interface QueryServiceEngine {
  run(request: QueryRequest, sink: ResultSink): Promise<QuerySummary>;
  /** See `QueryEngine.warm`. */
  warm?(tenant: string): void;
}

/** A caller authorized to query a tenant, and whether they see `pii`/`confidential` columns. */
export interface QueryCaller {
  authorization: AkiliAuthorization;
  /** Holds `akili.query.unmask` in the tenant. */
  unmask: boolean;
}

/** A statement admitted by the guard and masked for its caller, ready to run. */
export interface PreparedQuery {
  tenant: string;
  kind: StatementKind;
  /** What goes to the engine: the guard's statement with masked tables rewritten. */
  statement: string;
  /** Tables the statement reads, `catalog.database.table`. */
  tables: string[];
  /** Entity refs of the products whose tables the statement reads. */
  products: string[];
  /** Columns masked for the caller in those tables. */
  masked: MaskedColumn[];
  /** The id of the query's audit entry (`queryId` of the answer), when the trail is on. */
  queryId?: string;
  /** The StarRocks user the statement runs as (`starrocks.executeAsEndUser`). */
  runAs?: string;
}

/**
 * The StarRocks user a caller's query runs as when `starrocks.executeAsEndUser` is on: a user
 * runs as the StarRocks user named like their user entity (`user:default/jane` as `jane`); an
 * API token (a tenant's automation) as the tenant's own user. A name StarRocks cannot take is a
 * `NotAllowedError` naming it, never a query run as someone else.
 */
export function endUserOf(
  authorization: AkiliAuthorization,
): string | undefined {
  if (authorization.principal.type !== 'user') return undefined;
  const name = parseEntityRef(authorization.principal.userEntityRef).name;
  if (!EXECUTE_AS_USER.test(name)) {
    throw new NotAllowedError(
      `Queries run as your StarRocks user, and '${name}' cannot be one (letters, digits and _ . @ + - only): ask a platform admin`,
    );
  }
  return name;
}

/** A port's columns the tenant may read: the declared ones, or the agreed ones of an agreement. */
function columnsOf(p: ReadablePort) {
  const declared = p.port.schema ?? [];
  if (!p.agreement) return declared;
  const agreed = new Set(p.agreement.columns);
  return declared.filter(c => agreed.has(c.name));
}

/**
 * The query API's logic per request, shared by the router and the actions for AI assistants:
 * who may query and unmask (through `TenancyService`), what the tenant may read (the catalog's
 * output ports), the guard and the masking, and the one place a statement is handed to the
 * engine.
 */
export class QueryService {
  readonly #tenancy: TenancyService;
  readonly #catalog: CatalogService;
  readonly #engine: QueryServiceEngine;
  readonly #defaultCatalog: string;
  readonly #quoteIdentifier?: IdentifierQuoter;
  readonly #quotas?: AkiliTenantQuotasService;
  readonly #maxRows?: number;
  readonly #auditor?: QueryAuditor;
  readonly #audits = new WeakMap<PreparedQuery, AuditedQuery>();
  readonly #executeAsEndUser: boolean;
  readonly #queries: Counter;
  readonly #agreements?: { source: AgreementsSource; auth: AuthService };

  constructor(options: {
    tenancy: TenancyService;
    catalog: CatalogService;
    engine: QueryServiceEngine;
    /** The catalog the tenant users' connections start in (`starrocks.defaultCatalog`). */
    defaultCatalog: string;
    /** How the masking quotes names for the engine (backticks unless given). */
    quoteIdentifier?: IdentifierQuoter;
    /**
     * The tenants' quotas from the control plane (`queryRowLimit`, `maxConcurrentQueries`),
     * applied to every run; without it the engine's defaults apply.
     */
    quotas?: AkiliTenantQuotasService;
    /** The platform's row ceiling (`starrocks.maxRows`): a tenant's row quota above it is cut. */
    maxRows?: number;
    /** Records every query, refused ones included; without it nothing is audited. */
    auditor?: QueryAuditor;
    /** Run users' queries as their own StarRocks users (`starrocks.executeAsEndUser`). */
    executeAsEndUser?: boolean;
    /**
     * Access agreements in force, so a tenant also reads the agreed columns of other tenants'
     * ports (read from the catalog with the plugin's own credentials from `auth`); without it a
     * tenant reads its own tables only.
     */
    agreements?: { source: AgreementsSource; auth: AuthService };
  }) {
    this.#tenancy = options.tenancy;
    this.#catalog = options.catalog;
    this.#engine = options.engine;
    this.#defaultCatalog = options.defaultCatalog;
    this.#quoteIdentifier = options.quoteIdentifier;
    this.#quotas = options.quotas;
    this.#maxRows = options.maxRows;
    this.#auditor = options.auditor;
    this.#executeAsEndUser = options.executeAsEndUser ?? false;
    this.#agreements = options.agreements;
    this.#queries = akiliMeter('starrocks-backend').createCounter(
      STARROCKS_QUERIES,
      {
        description:
          'Queries of the StarRocks query API (HTTP and actions) by outcome: ok, rejected, timeout, cancelled, error',
        unit: '{query}',
      },
    );
  }

  /**
   * Authorizes `akili.query.run` in `tenant` (another tenant answers as a missing one) and asks
   * the same path whether the caller holds `akili.query.unmask` there (developers, operators,
   * platform admins, API tokens granted it); not holding it masks.
   */
  async authorize(
    caller: AkiliRequest | AkiliAuthentication,
    tenant: string,
  ): Promise<QueryCaller> {
    const authorization = await this.#tenancy.authorize(caller, {
      tenant,
      permission: akiliQueryRunPermission,
    });
    const unmask = await this.#tenancy.can(caller, {
      tenant: authorization.tenant,
      permission: akiliQueryUnmaskPermission,
    });
    return { authorization, unmask };
  }

  /** The tables and columns the tenant may read, and which columns are masked for the caller. */
  async schema(
    authorization: AkiliAuthorization,
    unmask: boolean,
  ): Promise<SchemaResponse> {
    // Without the lake backend the schema lists the tenant's own tables.
    const { ports } = await this.#ports(authorization);
    // Whoever reads the schema is about to query.
    this.#engine.warm?.(authorization.tenant);
    const tables: SchemaTable[] = ports.map(p => {
      const catalog = p.table.catalog ?? this.#defaultCatalog;
      return {
        entityRef: p.entityRef,
        productTitle: p.productTitle,
        port: p.port.name,
        portTitle: p.port.title,
        description: p.port.description,
        catalog: p.table.catalog,
        database: p.table.database,
        table: p.table.table,
        qualifiedName: `${catalog}.${p.table.database}.${p.table.table}`,
        contract: p.port.contract,
        columns: columnsOf(p).map(column => {
          const classification = effectiveClassification(column.classification);
          return {
            name: column.name,
            type: column.type,
            physicalType: column.physicalType,
            description: column.description,
            classification,
            required: column.required,
            primaryKey: column.primaryKey,
            unique: column.unique,
            masked: isMaskedClassification(classification, unmask),
            rules: p.rules
              .filter(rule => rule.column === column.name)
              .map(rule => rule.name),
          };
        }),
        rules: p.rules,
      };
    });
    return {
      tenant: authorization.tenant,
      tables,
      unmaskedClassifications: unmaskedClassifications(unmask),
    };
  }

  /**
   * Admits `sql` through the guard over the tenant's tables and masks it for the caller. A
   * refusal is an `InputError` `Query refused: <reason> (line L, column C)`; nothing is sent.
   * The query's audit begins here: a refusal is recorded as `refused`.
   */
  async prepare(
    authorization: AkiliAuthorization,
    sql: string,
    options: { unmask: boolean },
  ): Promise<PreparedQuery> {
    const audit = this.#auditor?.begin({
      tenant: authorization.tenant,
      actorRef: authorization.actorRef,
      statement: sql,
    });
    try {
      const prepared = await this.#prepare(authorization, sql, options, audit);
      if (audit) this.#audits.set(prepared, audit);
      return prepared;
    } catch (error) {
      audit?.failed(error);
      this.#queries.add(1, { outcome: outcomeOf(error, 'prepare') });
      throw error;
    }
  }

  async #prepare(
    authorization: AkiliAuthorization,
    sql: string,
    options: { unmask: boolean },
    audit: AuditedQuery | undefined,
  ): Promise<PreparedQuery> {
    const runAs = this.#executeAsEndUser ? endUserOf(authorization) : undefined;
    const { ports, agreementsError } = await this.#ports(authorization);
    const tables = maskableTablesOf(ports);
    const guarded = guardQuery(sql, {
      readableTables: tables,
      defaultCatalog: this.#defaultCatalog,
    });
    if (!guarded.ok) {
      const at = guarded.position
        ? ` (line ${guarded.position.line}, column ${guarded.position.column})`
        : '';
      if (agreementsError && guarded.unreadable) {
        // Another tenant's table may be readable under an agreement: fail closed, as a 503.
        audit?.refused(`Query refused: ${guarded.reason}${at}`);
        throw new ServiceUnavailableError(
          `Query refused: ${guarded.reason}${at}. Other tenants' tables cannot be read now: ${agreementsError.message}`,
        );
      }
      const refusal = new InputError(`Query refused: ${guarded.reason}${at}`);
      audit?.refused(refusal.message);
      throw refusal;
    }
    const outside = this.#outsideAgreement(guarded, ports);
    if (outside) {
      const refusal = new InputError(`Query refused: ${outside}`);
      audit?.refused(refusal.message);
      throw refusal;
    }
    const { statement, masked } = maskStatement(guarded, {
      tables,
      defaultCatalog: this.#defaultCatalog,
      unmask: options.unmask,
      quoteIdentifier: this.#quoteIdentifier,
    });
    const read = new Set(
      guarded.tables.map(t => key(t.catalog, t.database, t.table)),
    );
    const products = new Set<string>();
    for (const p of ports) {
      const catalog = p.table.catalog ?? this.#defaultCatalog;
      if (read.has(key(catalog, p.table.database, p.table.table))) {
        products.add(p.entityRef);
      }
    }
    const readTables = guarded.tables.map(
      t => `${t.catalog}.${t.database}.${t.table}`,
    );
    audit?.reads(readTables, [...products]);
    return {
      tenant: authorization.tenant,
      kind: guarded.kind,
      statement,
      tables: readTables,
      products: [...products],
      masked,
      ...(audit ? { queryId: audit.id } : {}),
      ...(runAs ? { runAs } : {}),
    };
  }

  /**
   * Runs a prepared statement and streams its rows to `sink`: the one place the query API hands
   * a statement to the engine. The tenant's quotas (read from the control plane, cached at most
   * 30 s; unreadable: a 503) cap its rows and concurrency; how it ends goes to the audit trail.
   */
  async run(
    prepared: PreparedQuery,
    options: Omit<QueryRequest, 'tenant' | 'sql'>,
    sink: ResultSink,
  ): Promise<QuerySummary> {
    const audit = this.#audits.get(prepared);
    try {
      const quotas = await this.#quotasOf(prepared.tenant);
      const summary = await this.#engine.run(
        {
          ...options,
          maxRows: quotas
            ? Math.min(quotas.queryRowLimit, this.#maxRows ?? Infinity)
            : options.maxRows,
          maxConcurrent: quotas?.maxConcurrentQueries ?? options.maxConcurrent,
          tenant: prepared.tenant,
          sql: prepared.statement,
          runAs: prepared.runAs,
        },
        sink,
      );
      audit?.succeeded(summary);
      this.#queries.add(1, { outcome: 'ok' });
      return summary;
    } catch (error) {
      audit?.failed(error);
      this.#queries.add(1, { outcome: outcomeOf(error, 'run') });
      throw error;
    }
  }

  async #quotasOf(tenant: string) {
    if (!this.#quotas) return undefined;
    const quotas = await this.#quotas.quotas(tenant);
    if (!quotas) {
      // Authorized a moment ago, so the registry knows the tenant: fail closed all the same.
      throw new ServiceUnavailableError(
        `The Akili tenant registry has no quotas for tenant ${tenant}`,
      );
    }
    return quotas;
  }

  /**
   * Why a statement the guard admitted reads outside the access agreements of the other
   * tenants' tables it names, or undefined: DESCRIBE and SHOW COLUMNS of such a table (they
   * would list every column), or a name that is a declared column of the table not agreed.
   * Undeclared names never reach such a table: the masking rewrites it to its agreed columns.
   */
  #outsideAgreement(
    guarded: Extract<ReturnType<typeof guardQuery>, { ok: true }>,
    ports: ReadablePort[],
  ): string | undefined {
    const agreed = ports.filter(p => p.agreement);
    if (agreed.length === 0) return undefined;
    const nameOf = (p: ReadablePort) =>
      `${p.table.catalog ?? this.#defaultCatalog}.${p.table.database}.${
        p.table.table
      }`;
    const read = new Set(
      guarded.tables.map(t => key(t.catalog, t.database, t.table)),
    );
    const restricted = agreed.filter(p =>
      read.has(
        key(
          p.table.catalog ?? this.#defaultCatalog,
          p.table.database,
          p.table.table,
        ),
      ),
    );
    if (restricted.length === 0) return undefined;
    if (guarded.kind === 'show' || guarded.kind === 'describe') {
      return `table ${nameOf(
        restricted[0],
      )} is read under an access agreement: its agreed columns are listed by the schema (GET /v1/tenants/:tenant/schema), not by SHOW or DESCRIBE`;
    }
    // Table names are not columns: the names inside the statement's table references are skipped.
    const names = namesIn(guarded.statement).filter(
      n =>
        !guarded.references.some(r => n.offset >= r.start && n.offset < r.end),
    );
    for (const p of restricted) {
      const allowed = new Set(p.agreement!.columns.map(c => c.toLowerCase()));
      const notAgreed = new Set(
        (p.port.schema ?? [])
          .map(c => c.name.toLowerCase())
          .filter(c => !allowed.has(c)),
      );
      const hit = names.find(n => notAgreed.has(n.name.toLowerCase()));
      if (hit) {
        return `column '${hit.name}' of table ${nameOf(
          p,
        )} is not in your tenant's access agreement, which allows ${p.agreement!.columns.join(
          ', ',
        )}`;
      }
    }
    return undefined;
  }

  /**
   * The ports the caller's tenant may read: its own, and other tenants' under agreements in
   * force. When the agreements cannot be read, the own ones and the error (other tenants'
   * tables then fail closed).
   */
  async #ports(
    authorization: AkiliAuthorization,
  ): Promise<{ ports: ReadablePort[]; agreementsError?: Error }> {
    const { tenant } = authorization;
    const own = await readablePortsOf(
      this.#catalog,
      tenant,
      await this.#tenancy.catalogCredentials(authorization, {
        namespace: tenant,
      }),
    );
    if (!this.#agreements) return { ports: own };
    try {
      const agreements = await this.#agreements.source.inForce(tenant);
      if (agreements.length === 0) return { ports: own };
      const agreed = await agreedPortsOf(
        this.#catalog,
        tenant,
        agreements,
        await this.#agreements.auth.getOwnServiceCredentials(),
        own,
      );
      return { ports: [...own, ...agreed] };
    } catch (error) {
      // The agreements or the provider's ports unreadable: the own tables only, fail closed.
      return { ports: own, agreementsError: error as Error };
    }
  }
}
