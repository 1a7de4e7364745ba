import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Knex } from 'knex';
import {
  AkiliTenantPermission,
  createAkiliEvent,
  DataProductManifest,
  QualityCheckedV1,
} from '@akili/plugin-akili-common';
import {
  AkiliAuthentication,
  AkiliAuthorization,
  AkiliEventsService,
  AkiliRequest,
  TenancyService,
} from '@akili/plugin-akili-node';
import {
  akiliQualityReadPermission,
  akiliQualityReportPermission,
  QualityIncident,
  QualityProductSummary,
  QualityReportRequest,
  QualityReportResponse,
  QualityResult,
} from '@akili/plugin-quality-common';
import {
  OnStored,
  productContract,
  QualityStatuses,
  QualityStore,
} from './QualityStore';

/**
 * The `source` of the `quality.checked` events this plugin emits (its consumer skips them: they
 * report results it already stored).
 */
export const QUALITY_EVENT_SOURCE = 'quality-backend';

/** Longest message of a check in a `quality.checked` event (the event schema's limit). */
const MAX_EVENT_MESSAGE = 4096;
/** Longest run id in a `quality.checked` event (the event schema's limit). */
const MAX_EVENT_RUN_ID = 128;

/** The incident workflow as a report needs it. */
export interface QualityReportIncidents {
  /** Opens or resolves incidents from stored results, in their transaction; the opened ones. */
  onResults(
    tx: Knex.Transaction,
    tenant: string,
    productName: string,
    stored: QualityResult[],
  ): Promise<QualityIncident[]>;
  /** Tells the owners of the products of incidents just opened (never throws). */
  notify(opened: QualityIncident[]): Promise<void>;
}

/** A data product of a tenant, read from the catalog for an authorized caller. */
export interface QualityProductTarget {
  authorization: AkiliAuthorization;
  tenant: string;
  name: string;
  ref: string;
  manifest: DataProductManifest;
}

const EVENT_STATUS = {
  pass: 'PASS',
  warn: 'WARN',
  fail: 'FAIL',
  error: 'ERROR',
} as const;

/**
 * The `quality.checked` events of results just stored: one per (product, output port), for
 * results that have a port (a result without one, of a product with several ports and a rule
 * naming none, is stored and scored but not announced: the event needs a port).
 */
export function checkedEvents(
  tenant: string,
  productName: string,
  stored: QualityResult[],
) {
  const ref = stringifyEntityRef({
    kind: 'dataproduct',
    namespace: tenant,
    name: productName,
  });
  const byPort = new Map<string, QualityResult[]>();
  for (const result of stored) {
    if (!result.port) continue;
    byPort.set(result.port, [...(byPort.get(result.port) ?? []), result]);
  }
  return [...byPort].map(([port, results]) => {
    const runIds = new Set(results.map(r => r.runId));
    const [runId] = runIds;
    const outcomes = new Set(results.map(r => r.outcome));
    let outcome: QualityCheckedV1['outcome'] = 'PASS';
    if (outcomes.has('fail') || outcomes.has('error')) {
      outcome = 'FAIL';
    } else if (outcomes.has('warn')) {
      outcome = 'WARN';
    }
    const checkedAt = results
      .map(r => r.observedAt)
      .reduce((a, b) => (a > b ? a : b));
    return createAkiliEvent({
      type: 'quality.checked',
      tenant,
      subject: ref,
      source: QUALITY_EVENT_SOURCE,
      data: {
        product: ref,
        outputPort: port,
        ...(runIds.size === 1 && runId && runId.length <= MAX_EVENT_RUN_ID
          ? { runId }
          : {}),
        checkedAt,
        outcome,
        checks: results.map(r => ({
          name: r.rule,
          status: EVENT_STATUS[r.outcome],
          ...(r.observedValue !== undefined
            ? { observedValue: r.observedValue }
            : {}),
          ...(r.message
            ? { message: r.message.slice(0, MAX_EVENT_MESSAGE) }
            : {}),
        })),
      },
    });
  });
}

/**
 * The upstream products of a product (its input ports' products), each once, in port order;
 * a port whose product is not a data product ref is left out (the manifest's validation says so).
 */
export function upstreamProducts(
  target: Pick<QualityProductTarget, 'tenant' | 'manifest'>,
): Array<{ product: string; tenant: string; name: string }> {
  const refs = new Map<string, { tenant: string; name: string }>();
  for (const port of target.manifest.spec?.inputPorts ?? []) {
    if (!port.product) continue;
    try {
      const parsed = parseEntityRef(port.product, {
        defaultKind: 'dataproduct',
        defaultNamespace: target.tenant,
      });
      if (parsed.kind.toLocaleLowerCase('en-US') !== 'dataproduct') continue;
      const tenant = parsed.namespace.toLocaleLowerCase('en-US');
      refs.set(`dataproduct:${tenant}/${parsed.name}`, {
        tenant,
        name: parsed.name,
      });
    } catch {
      // Not a ref: the manifest's validation says so; nothing to show here.
    }
  }
  return [...refs].map(([product, ref]) => ({ product, ...ref }));
}

/**
 * What the quality routes do for a caller: authorize in the product's tenant (a product of
 * another tenant is as missing as one that does not exist), read the product from the catalog,
 * sync its contract, and answer from the store; a report also announces its results
 * (`quality.checked`, in the transaction that stores them).
 */
export class QualityService {
  readonly #tenancy: TenancyService;
  readonly #catalog: CatalogService;
  readonly #store: QualityStore;
  readonly #events: AkiliEventsService;
  readonly #relay: { wake(): void };
  readonly #incidents?: QualityReportIncidents;

  constructor(options: {
    tenancy: TenancyService;
    catalog: CatalogService;
    store: QualityStore;
    events: AkiliEventsService;
    relay: { wake(): void };
    /** The incident workflow, told of a report's stored results in their transaction. */
    incidents?: QualityReportIncidents;
  }) {
    this.#tenancy = options.tenancy;
    this.#catalog = options.catalog;
    this.#store = options.store;
    this.#events = options.events;
    this.#relay = options.relay;
    this.#incidents = options.incidents;
  }

  /**
   * Authorizes `permission` in the product's tenant and reads the product from the catalog
   * (`NotFoundError` `No data product <ref>` when missing or not the caller's to see), then
   * syncs its contract into the store.
   */
  async productTarget(
    caller: AkiliRequest | AkiliAuthentication,
    namespace: string,
    name: string,
    permission: AkiliTenantPermission,
  ): Promise<QualityProductTarget> {
    const target = await this.#readProduct(caller, namespace, name, permission);
    await this.#store.syncProduct(target.tenant, target.manifest);
    return target;
  }

  /** Authorizes the caller in the product's tenant and reads the product from the catalog. */
  async #readProduct(
    caller: AkiliRequest | AkiliAuthentication,
    namespace: string,
    name: string,
    permission: AkiliTenantPermission,
  ): Promise<QualityProductTarget> {
    const ref = `dataproduct:${namespace}/${name}`;
    const authorization = await this.#tenancy.authorize(caller, {
      tenant: namespace,
      permission,
      notFoundMessage: `No data product ${ref}`,
    });
    const entity = await this.#catalog.getEntityByRef(
      { kind: 'DataProduct', namespace, name },
      {
        credentials: await this.#tenancy.catalogCredentials(authorization, {
          kind: 'DataProduct',
          namespace,
          name,
        }),
      },
    );
    if (!entity || entity.kind.toLocaleLowerCase('en-US') !== 'dataproduct') {
      throw new NotFoundError(`No data product ${ref}`);
    }
    const productName = entity.metadata.name;
    return {
      authorization,
      tenant: authorization.tenant,
      name: productName,
      ref: `dataproduct:${authorization.tenant}/${productName}`,
      manifest: entity as unknown as DataProductManifest,
    };
  }

  /**
   * A product's summary, with the upstream products the caller may read.
   *
   * @remarks
   *
   * A read, so it writes only when it must: the product's summary and the statuses of its
   * upstream products of the same tenant come from one transaction of the tenant, which first
   * compares the stored contract's hash with the manifest's; only when they differ is the
   * contract synced (a write transaction) and the summary read again. Upstream products of
   * other tenants are read one query per tenant, each in its own tenant's transaction (row-level
   * security binds a transaction to one tenant), and only for tenants the caller may read.
   */
  async summary(
    caller: AkiliRequest,
    namespace: string,
    name: string,
  ): Promise<QualityProductSummary> {
    const target = await this.#readProduct(
      caller,
      namespace,
      name,
      akiliQualityReadPermission,
    );
    const upstream = upstreamProducts(target);
    // The caller's permission once per tenant (it is granted per tenant).
    const readable = new Set<string>();
    for (const tenant of new Set(upstream.map(u => u.tenant))) {
      if (
        await this.#tenancy.can(caller, {
          tenant,
          permission: akiliQualityReadPermission,
        })
      ) {
        readable.add(tenant);
      }
    }
    const visible = upstream.filter(u => readable.has(u.tenant));
    const namesIn = (tenant: string) =>
      visible.filter(u => u.tenant === tenant).map(u => u.name);

    const read = (contractHash?: string) =>
      this.#store.productView(target.tenant, target.name, {
        contractHash,
        upstream: namesIn(target.tenant),
      });
    let view = await read(productContract(target.manifest).hash);
    if (!view) {
      await this.#store.syncProduct(target.tenant, target.manifest);
      view = (await read())!;
    }
    const statuses = new Map<string, QualityStatuses>([
      [target.tenant, view.upstream],
    ]);
    for (const tenant of readable) {
      if (tenant === target.tenant) continue;
      statuses.set(tenant, await this.#store.statuses(tenant, namesIn(tenant)));
    }
    return {
      ...view.summary,
      upstream: visible.map(({ product, tenant, name: upstreamName }) => {
        const state = statuses.get(tenant)?.get(upstreamName);
        return {
          product,
          status: state?.status ?? 'unknown',
          score: state?.score ?? null,
        };
      }),
    };
  }

  /**
   * Stores reported results of a product (source `api:<tool>`) and, in the same transaction,
   * one `quality.checked` event per output port of the results stored now.
   */
  async report(
    caller: AkiliRequest,
    namespace: string,
    name: string,
    body: QualityReportRequest,
  ): Promise<QualityReportResponse> {
    const target = await this.productTarget(
      caller,
      namespace,
      name,
      akiliQualityReportPermission,
    );
    const source = `api:${body.tool}`;
    let opened: QualityIncident[] = [];
    const onStored: OnStored = async (tx, stored) => {
      const events = checkedEvents(target.tenant, target.name, stored);
      if (events.length > 0) {
        await this.#events.outbox.enqueueMany(this.#store.db, tx, events);
      }
      if (this.#incidents) {
        opened = await this.#incidents.onResults(
          tx,
          target.tenant,
          target.name,
          stored,
        );
      }
    };
    const response = await this.#store.ingest(
      target.tenant,
      target.name,
      body.results.map(result => ({ ...result, source })),
      { onStored },
    );
    if (response.accepted > 0) {
      this.#relay.wake();
    }
    if (opened.length > 0) {
      // After the commit: the owners hear of incidents that exist.
      await this.#incidents?.notify(opened);
    }
    return response;
  }
}
