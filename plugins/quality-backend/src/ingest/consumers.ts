import {
  AuthService,
  LifecycleService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AkiliEvent,
  DataProductManifest,
  ExecutionCompletedV1,
  QualityCheckedV1,
  QualityCheckResultV1,
} from '@akili/plugin-akili-common';
import {
  AkiliEventConsumer,
  AkiliEventsService,
  TenantScopedDatabase,
  akiliEventTopicPattern,
} from '@akili/plugin-akili-node';
import {
  QualityIncident,
  QualityOutcome,
  QualityResult,
} from '@akili/plugin-quality-common';
import { Knex } from 'knex';
import {
  QualityRunInput,
  QualityStore,
  StoredResultInput,
} from '../service/QualityStore';
import { QUALITY_EVENT_SOURCE } from '../service/QualityService';

/** The consumer group of `quality.checked` events (other producers' check results). */
export const QUALITY_CHECKS_GROUP = 'akili.quality.checks';
/** The consumer group of `execution.completed` events (freshness, run incidents). */
export const QUALITY_RUNS_GROUP = 'akili.quality.runs';

/**
 * Event sources that are the quality plugin itself: their `quality.checked` events report
 * results it already stored, and are skipped (no loop).
 */
export const QUALITY_BACKEND_EVENT_SOURCES: ReadonlySet<string> = new Set([
  QUALITY_EVENT_SOURCE,
  'akili-quality-backend',
]);

/** Event sources of the Dagster plugin: their checks carry Dagster's execution ids. */
const DAGSTER_EVENT_SOURCES: ReadonlySet<string> = new Set([
  'dagster-backend',
  'akili-dagster-backend',
]);

/** What the consumers tell the incident workflow, in the transaction of the event. */
export interface QualityIncidentHooks {
  onResults(
    tx: Knex.Transaction,
    tenant: string,
    productName: string,
    stored: QualityResult[],
  ): Promise<unknown>;
  onRun(
    tx: Knex.Transaction,
    tenant: string,
    productName: string,
    run: QualityRunInput & { job: string },
  ): Promise<unknown>;
}

/** Options of {@link startQualityConsumers}. */
export interface QualityConsumersOptions {
  db: TenantScopedDatabase;
  events: AkiliEventsService;
  store: QualityStore;
  incidents?: QualityIncidentHooks;
  catalog: CatalogService;
  auth: AuthService;
  lifecycle: LifecycleService;
  logger: LoggerService;
  /** Tells the owners of the incidents an event opened, after its transaction committed. */
  notify?: (opened: QualityIncident[]) => Promise<void>;
  /** Passed to the consumers (tests: `1`). */
  retryDelayMs?: number;
}

const OUTCOME_OF_STATUS: Record<
  QualityCheckResultV1['status'],
  QualityOutcome
> = {
  PASS: 'pass',
  WARN: 'warn',
  FAIL: 'fail',
  ERROR: 'error',
};

/**
 * The product an event is about, by name inside the event's tenant, or undefined when its
 * `product` ref is not a data product of that tenant (such an event is skipped: the consumer
 * validated the event, and a payload naming another tenant's product never reaches it).
 */
function productOfTenant(
  ref: unknown,
  tenant: string,
): { name: string; ref: string } | undefined {
  if (typeof ref !== 'string') return undefined;
  try {
    const parsed = parseEntityRef(ref);
    if (
      parsed.kind.toLocaleLowerCase('en-US') !== 'dataproduct' ||
      parsed.namespace !== tenant
    ) {
      return undefined;
    }
    return { name: parsed.name, ref: stringifyEntityRef(parsed) };
  } catch {
    return undefined;
  }
}

/**
 * The results a `quality.checked` event reports, as the store keeps them: from Dagster (source
 * `dagster`, Dagster's execution id), or from any other producer (source `event`, execution id
 * `<event id>:<check name>`, so the same event delivered twice is stored once).
 */
export function resultsOfCheckedEvent(
  event: AkiliEvent<QualityCheckedV1>,
): StoredResultInput[] {
  const fromDagster = DAGSTER_EVENT_SOURCES.has(event.source);
  const data = event.data;
  return data.checks.map(check => {
    const result: StoredResultInput = {
      source: fromDagster ? 'dagster' : 'event',
      executionId:
        fromDagster && check.executionId
          ? check.executionId
          : `${event.id}:${check.name}`,
      rule: check.name,
      port: data.outputPort,
      outcome: OUTCOME_OF_STATUS[check.status],
      observedAt: check.observedAt ?? data.checkedAt,
    };
    if (check.observedValue !== undefined)
      result.observedValue = check.observedValue;
    if (check.message !== undefined) result.message = check.message;
    if (check.dimension !== undefined) result.dimension = check.dimension;
    if (check.severity !== undefined) result.severity = check.severity;
    if (check.threshold !== undefined) result.threshold = check.threshold;
    if (check.partition !== undefined) result.partition = check.partition;
    if (data.runId !== undefined) result.runId = data.runId;
    return result;
  });
}

/**
 * Starts the quality plugin's two event consumers (started at the plugin's start-up, stopped at
 * its shut-down), each in the tenant transaction of the event, which commits the processed mark
 * with what the handler stored:
 *
 * - `akili.quality.checks` on `quality.checked`: other producers' results (the Dagster asset
 *   check tracker, pipelines publishing events) are ingested into the event's tenant after the
 *   product's contract is synced from its catalog entity; the plugin's own events are skipped;
 * - `akili.quality.runs` on `execution.completed`: the run moves the product's freshness and
 *   opens or resolves run incidents.
 *
 * The tenant is always the event's, which the consumer checked against its topic; an event
 * whose product is of another namespace is skipped (logged), and so is one about a product the
 * catalog does not have. Both consumers sync the product's contract from its entity first, so
 * rules and the freshness SLO are known from the first event on.
 */
export function startQualityConsumers(options: QualityConsumersOptions): {
  checks: AkiliEventConsumer;
  runs: AkiliEventConsumer;
} {
  const { db, events, store, incidents, catalog, auth, logger } = options;
  const source = events.transport.source;

  /**
   * The catalog entities of a batch's products, read with the plugin's own credentials before
   * the batch's transaction opens (`prepare`): on SQLite the transaction holds the plugin's only
   * connection, and the catalog's check of the plugin's token reads the plugin's keys from it.
   * `null`: the catalog has no such data product.
   */
  const entities = new WeakMap<AkiliEvent, DataProductManifest | null>();
  const prepare =
    (productOf: (event: AkiliEvent) => unknown) =>
    async (batch: readonly AkiliEvent[]) => {
      const byRef = new Map<string, Promise<DataProductManifest | null>>();
      const credentials = await auth.getOwnServiceCredentials();
      for (const event of batch) {
        const product = productOfTenant(productOf(event), event.tenant);
        if (!product) continue;
        let entity = byRef.get(product.ref);
        if (!entity) {
          entity = catalog
            .getEntityByRef(product.ref, { credentials })
            .then(found =>
              found && found.kind.toLocaleLowerCase('en-US') === 'dataproduct'
                ? (found as unknown as DataProductManifest)
                : null,
            );
          byRef.set(product.ref, entity);
        }
        entities.set(event, await entity);
      }
    };

  /**
   * Syncs the product's contract (rules, freshness SLO) from its catalog entity (read by
   * `prepare`); false (logged) when the catalog has no such data product.
   */
  const syncFromCatalog = async (
    tx: Knex.Transaction,
    event: AkiliEvent,
    product: { name: string; ref: string },
  ): Promise<boolean> => {
    const entity = entities.get(event);
    if (!entity) {
      logger.warn('Skipped an event about a product not in the catalog', {
        tenant: event.tenant,
        eventId: event.id,
        product: product.ref,
      });
      return false;
    }
    await store.syncProduct(event.tenant, entity, { tx });
    return true;
  };

  /** Owners hear of the incidents a batch opened once its transaction committed. */
  const notifyAfterCommit = (tx: Knex.Transaction, opened: unknown) => {
    if (!options.notify || !Array.isArray(opened) || opened.length === 0) {
      return;
    }
    const notify = options.notify;
    tx.executionPromise.then(
      () => notify(opened as QualityIncident[]),
      () => undefined,
    );
  };
  const topicPattern = events.config.topicPattern;

  const checks = new AkiliEventConsumer({
    groupId: QUALITY_CHECKS_GROUP,
    topics: akiliEventTopicPattern('quality', topicPattern),
    topicPattern,
    db,
    source,
    deadLetter: events.transport,
    logger,
    retryDelayMs: options.retryDelayMs,
    prepare: prepare(event =>
      event.type === 'quality.checked' &&
      !QUALITY_BACKEND_EVENT_SOURCES.has(event.source)
        ? (event as AkiliEvent<QualityCheckedV1>).data.product
        : undefined,
    ),
    handler: async (event, { tx, tenant }) => {
      if (event.type !== 'quality.checked') return;
      if (QUALITY_BACKEND_EVENT_SOURCES.has(event.source)) return;
      const checked = event as AkiliEvent<QualityCheckedV1>;
      const product = productOfTenant(checked.data.product, tenant);
      if (!product) {
        logger.warn('Skipped quality results of a product of another tenant', {
          tenant,
          eventId: event.id,
          product: String(checked.data.product).slice(0, 300),
        });
        return;
      }
      if (!(await syncFromCatalog(tx, event, product))) return;
      await store.ingest(tenant, product.name, resultsOfCheckedEvent(checked), {
        tx,
        onStored: async (storedTx, stored) => {
          notifyAfterCommit(
            tx,
            await incidents?.onResults(storedTx, tenant, product.name, stored),
          );
        },
      });
    },
  });

  const runs = new AkiliEventConsumer({
    groupId: QUALITY_RUNS_GROUP,
    topics: akiliEventTopicPattern('execution', topicPattern),
    topicPattern,
    db,
    source,
    deadLetter: events.transport,
    logger,
    retryDelayMs: options.retryDelayMs,
    prepare: prepare(event =>
      event.type === 'execution.completed'
        ? (event as AkiliEvent<ExecutionCompletedV1>).data.product
        : undefined,
    ),
    handler: async (event, { tx, tenant }) => {
      if (event.type !== 'execution.completed') return;
      const data = (event as AkiliEvent<ExecutionCompletedV1>).data;
      const product = productOfTenant(data.product, tenant);
      if (!product) {
        logger.warn('Skipped a run of a product of another tenant', {
          tenant,
          eventId: event.id,
          product: String(data.product).slice(0, 300),
        });
        return;
      }
      if (!(await syncFromCatalog(tx, event, product))) return;
      const run = {
        runId: data.runId,
        status: data.status,
        endedAt: data.endedAt,
      };
      await store.recordRun(tenant, product.name, run, { tx });
      notifyAfterCommit(
        tx,
        await incidents?.onRun(tx, tenant, product.name, {
          ...run,
          job: data.job,
        }),
      );
    },
  });

  // A broker that is down does not fail the start-up: each consumer logs why it is not
  // consuming and keeps trying to start until the broker is back.
  options.lifecycle.addStartupHook(async () => {
    await Promise.all([checks.start(), runs.start()]);
  });
  options.lifecycle.addShutdownHook(async () => {
    await Promise.all([checks.stop(), runs.stop()]);
  });
  return { checks, runs };
}
