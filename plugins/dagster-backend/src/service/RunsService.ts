import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AkiliTenantPermission,
  DataProductManifest,
  isValidTenantName,
} from '@akili/plugin-akili-common';
import {
  runAuditedAction,
  AkiliAuthentication,
  TenancyService,
} from '@akili/plugin-akili-node';
import {
  AKILI_RUN_TAGS,
  akiliRunsLaunchPermission,
  akiliRunsOperatePermission,
  akiliRunsReadPermission,
  akiliRunsTerminatePermission,
  DagsterRunStatus,
  LaunchRunRequest,
  ProductRunTarget,
  ProductRunsResponse,
  ReexecuteRunRequest,
  RunDetail,
  RunListQuery,
  RunListResponse,
  RunLogLevel,
  RunLogPage,
  RunPermissions,
  describeTenantCodeLocations,
  isCodeLocationOfTenant,
} from '@akili/plugin-dagster-common';
import { DagsterGraphqlClient } from '../client/DagsterGraphqlClient';
import { DagsterFailedError, DagsterNoAnswerError } from '../client/errors';
import {
  GET_RUN,
  LAUNCH_RUN,
  LIST_RUNS,
  REEXECUTE_RUN,
  RUN_LOGS,
  TERMINATE_RUN,
} from '../client/operations';
import {
  DagsterLogEvent,
  DagsterRunDetail,
  DagsterRunSummary,
  tagsOf,
  toRunDetail,
  toRunLogEvent,
  toRunSummary,
} from './mapping';
import { RunAuditIntent, RunAuditStore } from './RunAuditStore';
import { DagsterFailureContext, dagsterFailure } from './dagsterFailures';
import { isRunOfTenant, runOwnership } from './runOwnership';
import {
  DEFAULT_PRODUCT_CACHE_SECONDS,
  ProductTargetCache,
} from './ProductTargetCache';

/** The default repository name of a code location with a `Definitions` object. */
const SINGLETON_REPOSITORY = '__repository__';

/**
 * An intent this much older than Dagster's timeout is no longer waiting for its answer: its
 * outcome, when none was recorded, is settled by asking Dagster for its run.
 */
const IN_FLIGHT_MARGIN_MS = 1000;

/** A launch again within this time of one Dagster did not answer picks up its run. */
const RETRY_WINDOW_MS = 15 * 60_000;

/** How many of the tenant's newest audit entries are searched for unknown launches. */
const UNKNOWN_LAUNCHES_LOOKED_AT = 50;

/** Log pages read at most per request when a level filter skips most events. */
const MAX_LOG_PAGES_PER_REQUEST = 10;

type RunAction = 'read' | 'launch' | 'terminate';

const PERMISSION_OF: Record<RunAction, AkiliTenantPermission> = {
  read: akiliRunsReadPermission,
  launch: akiliRunsLaunchPermission,
  terminate: akiliRunsTerminatePermission,
};

type Typed = { __typename: string; message?: string };

/**
 * `dagster.productCacheSeconds`: how long a product's run target read from the catalog is
 * reused (default {@link DEFAULT_PRODUCT_CACHE_SECONDS}, 0 to read it on every request, at most
 * 300). A bad value names its key.
 */
export function readProductCacheSeconds(config: Config): number {
  const value =
    config.getOptionalNumber('dagster.productCacheSeconds') ??
    DEFAULT_PRODUCT_CACHE_SECONDS;
  if (!Number.isFinite(value) || value < 0 || value > 300) {
    throw new Error(
      `dagster.productCacheSeconds must be between 0 and 300 seconds, not ${value}`,
    );
  }
  return value;
}

/** Dagster's filter times are epoch seconds. */
function seconds(iso: string | undefined): number | undefined {
  return iso === undefined ? undefined : Date.parse(iso) / 1000;
}

/**
 * Tenant-scoped run operations over the Dagster GraphQL API.
 *
 * Open-source Dagster has no access control, so every operation is checked here: lists are
 * always filtered by the caller's tenant tag (`akili/tenant`, plus `akili/product` for a
 * product), and a run named by id is loaded first and its tenant tag compared before anything
 * is shown or changed. A run of a tenant the caller may not read answers 404, like a run that
 * does not exist, so ids cannot be probed.
 */
export class RunsService {
  readonly #client: DagsterGraphqlClient;
  readonly #catalog: CatalogService;
  readonly #audit: RunAuditStore;
  readonly #logger: LoggerService;
  readonly #tenancy: TenancyService;
  /** Settlements of unknown launches under way, by tenant, caller and product. */
  readonly #settling = new Map<string, Promise<DagsterRunDetail | undefined>>();
  readonly #auth: AuthService;
  readonly #targets: ProductTargetCache<ProductRunTarget>;

  constructor(options: {
    client: DagsterGraphqlClient;
    catalog: CatalogService;
    audit: RunAuditStore;
    logger: LoggerService;
    /** The one authorization path: every tenant check of a run goes through it. */
    tenancy: TenancyService;
    /** The plugin's own credentials read products for {@link RunsService.productTarget}. */
    auth: AuthService;
    /**
     * How long a product's target read from the catalog is reused (default
     * {@link DEFAULT_PRODUCT_CACHE_SECONDS}; 0: read on every request).
     */
    productCacheSeconds?: number;
  }) {
    this.#tenancy = options.tenancy;
    this.#auth = options.auth;
    this.#targets = new ProductTargetCache({
      ttlMs:
        (options.productCacheSeconds ?? DEFAULT_PRODUCT_CACHE_SECONDS) * 1000,
    });
    this.#client = options.client;
    this.#catalog = options.catalog;
    this.#audit = options.audit;
    this.#logger = options.logger;
  }

  /** What the caller may do with the tenant's runs (all false for a tenant they may not see). */
  async permissions(
    identity: AkiliAuthentication,
    tenant: string,
  ): Promise<RunPermissions> {
    const may = (action: RunAction) =>
      this.#tenancy.can(identity, {
        tenant,
        permission: PERMISSION_OF[action],
      });
    // Three independent decisions of the same caller: asked at once.
    const [read, launch, terminate] = await Promise.all([
      may('read'),
      may('launch'),
      may('terminate'),
    ]);
    return { tenant, read, launch, terminate };
  }

  /**
   * The one authorization path for `action` on runs of `tenant`; a tenant the caller may not see
   * answers `notFoundMessage`, as a run or product that does not exist would.
   */
  #authorize(
    identity: AkiliAuthentication,
    tenant: string,
    action: RunAction,
    notFoundMessage: string,
  ) {
    return this.#tenancy.authorize(identity, {
      tenant,
      permission: PERMISSION_OF[action],
      notFoundMessage,
    });
  }

  /**
   * What the product's manifest says about its runs, once the caller is authorized for `action`
   * in the product's tenant (its namespace).
   *
   * @remarks
   *
   * The authorization (tenant role, tenant status, permission policy) is decided for this caller
   * on every request. The product itself is read with the plugin's own credentials, per entity,
   * and reused for a few seconds (`ProductTargetCache`): reading entities of a tenant's namespace
   * is what the catalog's policy grants the tenant's members, which the authorization has just
   * checked, so the caller's own catalog read would answer the same. The read starts alongside
   * the authorization; its answer (or error) is used only once the caller is authorized, so a
   * caller who is not learns nothing of the product. A launch reads the product afresh.
   */
  async productTarget(
    identity: AkiliAuthentication,
    namespace: string,
    name: string,
    action: RunAction,
  ): Promise<ProductRunTarget> {
    const ref = stringifyEntityRef({ kind: 'DataProduct', namespace, name });
    const notFound = `No data product ${ref}`;
    // Not the caller's tenant: the product is not theirs to know about (the catalog would hide
    // it too).
    const authorization = this.#authorize(
      identity,
      namespace,
      action,
      notFound,
    );
    const read = () => {
      const load = () => this.#loadProductTarget(ref, namespace, notFound);
      return action === 'read'
        ? this.#targets.get(ref, load)
        : this.#targets.refresh(ref, load);
    };
    // A malformed namespace is the authorization's InputError, and never read.
    const target = isValidTenantName(namespace) ? read() : undefined;
    // Reported only once authorized (below); never an unhandled rejection meanwhile.
    target?.catch(() => undefined);
    await authorization;
    return target ?? read();
  }

  async #loadProductTarget(
    ref: string,
    namespace: string,
    notFoundMessage: string,
  ): Promise<ProductRunTarget> {
    const entity = await this.#catalog.getEntityByRef(ref, {
      credentials: await this.#auth.getOwnServiceCredentials(),
    });
    if (
      !entity ||
      entity.kind.toLocaleLowerCase('en-US') !== 'dataproduct' ||
      entity.metadata.namespace?.toLocaleLowerCase('en-US') !==
        namespace.toLocaleLowerCase('en-US')
    ) {
      throw new NotFoundError(notFoundMessage);
    }
    const dagster = (entity as unknown as DataProductManifest).spec
      ?.transformation?.dagster;
    return {
      product: ref,
      tenant: namespace,
      codeLocation: dagster?.codeLocation ?? '',
      repository: dagster?.repository ?? SINGLETON_REPOSITORY,
      jobs: dagster?.job ? [dagster.job] : [],
      assetKeys: dagster?.assetKeys ?? [],
    };
  }

  /** A page of the product's runs, newest first: one Dagster round trip. */
  async listProductRuns(
    target: ProductRunTarget,
    query: RunListQuery,
  ): Promise<ProductRunsResponse> {
    const page = await this.#listRuns(
      [
        { key: AKILI_RUN_TAGS.tenant, value: target.tenant },
        { key: AKILI_RUN_TAGS.product, value: target.product },
      ],
      query,
    );
    return { ...page, target };
  }

  /** A page of all of a tenant's runs (operators), optionally of one product or job. */
  async listTenantRuns(
    identity: AkiliAuthentication,
    tenant: string,
    query: RunListQuery,
  ): Promise<RunListResponse> {
    await this.#tenancy.authorize(identity, {
      tenant,
      permission: akiliRunsOperatePermission,
    });
    const tags: Array<{ key: string; value: string }> = [
      { key: AKILI_RUN_TAGS.tenant, value: tenant },
    ];
    if (query.product) {
      tags.push({ key: AKILI_RUN_TAGS.product, value: query.product });
    }
    return this.#listRuns(tags, query);
  }

  async getRun(
    identity: AkiliAuthentication,
    runId: string,
  ): Promise<RunDetail> {
    return toRunDetail(await this.#loadRun(identity, runId, 'read'));
  }

  /**
   * A page of a run's events after `cursor`, only of `levels` when given. The run's tenant is
   * checked in the same round trip as the first page is read.
   */
  async getRunLogs(
    identity: AkiliAuthentication,
    runId: string,
    options: { cursor?: string; limit: number; levels?: RunLogLevel[] },
  ): Promise<RunLogPage> {
    const wanted = options.levels?.length ? new Set(options.levels) : undefined;
    const events: RunLogPage['events'] = [];
    let cursor = options.cursor;
    let hasMore = false;
    for (let page = 0; page < MAX_LOG_PAGES_PER_REQUEST; page++) {
      const data = await this.#client.request<{
        runOrError: Typed & Partial<DagsterRunSummary>;
        logsForRun: Typed & {
          cursor?: string;
          hasMore?: boolean;
          events?: DagsterLogEvent[];
        };
      }>('AkiliRunLogs', RUN_LOGS, {
        runId,
        afterCursor: cursor ?? null,
        limit: options.limit,
      });
      await this.#checkRun(identity, runId, data.runOrError, 'read');
      const logs = data.logsForRun;
      if (logs.__typename !== 'EventConnection') {
        throw this.#failure(
          logs,
          `reading the log of run ${runId}`,
          'AkiliRunLogs',
        );
      }
      for (const event of logs.events ?? []) {
        const mapped = toRunLogEvent(event);
        if (!wanted || wanted.has(mapped.level)) {
          events.push(mapped);
        }
      }
      cursor = logs.cursor ?? cursor;
      hasMore = Boolean(logs.hasMore);
      if (!wanted || events.length >= options.limit || !hasMore) {
        break;
      }
    }
    return { events, cursor: cursor ?? '', hasMore };
  }

  /** Launches the product's job (or some of its assets), tagged with tenant, product and user. */
  async launch(
    identity: AkiliAuthentication,
    target: ProductRunTarget,
    request: LaunchRunRequest,
  ): Promise<RunDetail> {
    await this.#authorize(
      identity,
      target.tenant,
      'launch',
      `No data product ${target.product}`,
    );
    if (!target.codeLocation || target.jobs.length === 0) {
      throw new ConflictError(
        `${target.product} names no Dagster job: set spec.transformation.dagster.codeLocation and job in its manifest`,
      );
    }
    // The manifest is text its authors wrote: it may name only a code location of its tenant.
    if (!isCodeLocationOfTenant(target.codeLocation, target.tenant)) {
      throw new NotAllowedError(
        `${target.product} names code location '${
          target.codeLocation
        }', which is not one of tenant ${
          target.tenant
        }'s (${describeTenantCodeLocations(
          target.tenant,
        )}): runs are launched only in the tenant's own code locations`,
      );
    }
    const job = request.job ?? target.jobs[0];
    if (!target.jobs.includes(job)) {
      throw new InputError(
        `job '${job}' is not a job of ${
          target.product
        } (its jobs: ${target.jobs.join(', ')})`,
      );
    }
    const known = new Set(target.assetKeys.map(key => JSON.stringify(key)));
    const foreign = (request.assetKeys ?? []).filter(
      key => !known.has(JSON.stringify(key)),
    );
    if (foreign.length > 0) {
      throw new InputError(
        `assetKeys: ${foreign.map(key => key.join('/')).join(', ')} ${
          foreign.length === 1 ? 'is not an asset' : 'are not assets'
        } of ${target.product}`,
      );
    }
    const intent: RunAuditIntent = {
      action: 'run.launched',
      actor: identity.actorRef,
      product: target.product,
      details: {
        job,
        ...(request.assetKeys?.length ? { assetKeys: request.assetKeys } : {}),
        ...(request.runConfig ? { runConfig: true } : {}),
      },
    };
    const earlier = await this.#settleUnknownLaunches(target.tenant, intent);
    if (earlier) {
      return toRunDetail(earlier);
    }
    const run = await this.#audited(target.tenant, intent, async intentId => {
      const data = await this.#client.request<{
        launchRun: Typed & { run?: DagsterRunDetail };
      }>('AkiliLaunchRun', LAUNCH_RUN, {
        executionParams: {
          selector: {
            repositoryLocationName: target.codeLocation,
            repositoryName: target.repository,
            jobName: job,
            ...(request.assetKeys?.length
              ? { assetSelection: request.assetKeys.map(path => ({ path })) }
              : {}),
          },
          ...(request.runConfig ? { runConfigData: request.runConfig } : {}),
          executionMetadata: {
            tags: [
              { key: AKILI_RUN_TAGS.tenant, value: target.tenant },
              { key: AKILI_RUN_TAGS.product, value: target.product },
              {
                key: AKILI_RUN_TAGS.requestedBy,
                value: identity.actorRef,
              },
              { key: AKILI_RUN_TAGS.auditIntent, value: intentId },
            ],
          },
        },
      });
      return this.#launched(
        data.launchRun,
        `launching ${job} of ${target.product}`,
        'AkiliLaunchRun',
        {
          location: target.codeLocation,
          repository: target.repository,
          name: job,
        },
      );
    });
    return toRunDetail(run);
  }

  /** Re-executes a run of the caller's tenant; the new run keeps the tenant and product tags. */
  async reexecute(
    identity: AkiliAuthentication,
    runId: string,
    request: ReexecuteRunRequest,
  ): Promise<RunDetail> {
    const parent = await this.#loadRun(identity, runId, 'launch');
    const tags = tagsOf(parent);
    const tenant = tags[AKILI_RUN_TAGS.tenant];
    const strategy = request.strategy ?? 'FROM_FAILURE';
    if (strategy === 'FROM_FAILURE' && parent.status !== 'FAILURE') {
      throw new ConflictError(
        `Run ${runId} did not fail (${parent.status}): re-execute all steps instead of from failure`,
      );
    }
    const extraTags = [
      { key: AKILI_RUN_TAGS.tenant, value: tenant },
      ...(tags[AKILI_RUN_TAGS.product]
        ? [{ key: AKILI_RUN_TAGS.product, value: tags[AKILI_RUN_TAGS.product] }]
        : []),
      { key: AKILI_RUN_TAGS.requestedBy, value: identity.actorRef },
    ];
    const intent: RunAuditIntent = {
      action: 'run.reexecuted',
      actor: identity.actorRef,
      product: tags[AKILI_RUN_TAGS.product],
      details: { parentRunId: runId, strategy },
    };
    const run = await this.#audited(tenant, intent, async intentId => {
      const data = await this.#client.request<{
        launchRunReexecution: Typed & { run?: DagsterRunDetail };
      }>('AkiliReexecuteRun', REEXECUTE_RUN, {
        reexecutionParams: {
          parentRunId: runId,
          strategy,
          extraTags: [
            ...extraTags,
            { key: AKILI_RUN_TAGS.auditIntent, value: intentId },
          ],
          useParentRunTags: true,
        },
      });
      const child = this.#launched(
        data.launchRunReexecution,
        `re-executing run ${runId}`,
        'AkiliReexecuteRun',
        parent.repositoryOrigin
          ? {
              location: parent.repositoryOrigin.repositoryLocationName,
              repository: parent.repositoryOrigin.repositoryName,
              name: parent.jobName,
            }
          : undefined,
      );
      // Whether a child inherits tags depends on the Dagster version: never trust it blindly.
      if (!isRunOfTenant(child, tenant)) {
        this.#logger.error('Dagster re-executed a run as one of no tenant', {
          runId,
          tenant,
          childRunId: child.runId,
        });
        throw new DagsterFailedError(
          `Dagster started run ${child.runId} without the tenant of run ${runId}; it is not shown`,
        );
      }
      return child;
    });
    return toRunDetail(run);
  }

  async terminate(
    identity: AkiliAuthentication,
    runId: string,
  ): Promise<RunDetail> {
    const run = await this.#loadRun(identity, runId, 'terminate');
    const tags = tagsOf(run);
    const intent: RunAuditIntent = {
      action: 'run.terminated',
      actor: identity.actorRef,
      runId,
      product: tags[AKILI_RUN_TAGS.product],
      details: { statusBefore: run.status },
    };
    const terminated = await this.#audited(
      tags[AKILI_RUN_TAGS.tenant],
      intent,
      async () => {
        const data = await this.#client.request<{
          terminateRun: Typed & {
            run?: DagsterRunDetail & { status: DagsterRunStatus };
          };
        }>('AkiliTerminateRun', TERMINATE_RUN, { runId });
        const result = data.terminateRun;
        if (result.__typename === 'TerminateRunFailure') {
          this.#logger.info('Dagster did not terminate a run', {
            runId,
            dagsterMessage: result.message,
          });
          throw new ConflictError(
            `Dagster did not terminate run ${runId} (${
              result.run?.status ?? run.status
            })`,
          );
        }
        if (result.__typename !== 'TerminateRunSuccess' || !result.run) {
          throw this.#failure(
            result,
            `terminating run ${runId}`,
            'AkiliTerminateRun',
          );
        }
        return result.run;
      },
    );
    return toRunDetail(terminated);
  }

  /**
   * Settles the caller's earlier launches of the same product whose outcome is unknown (Dagster
   * took the request and did not answer, see `#audited`): each is looked up in Dagster by its
   * intent tag, and its outcome recorded, succeeded with its run or failed. The run of the newest
   * such launch of the same job and assets from the last {@link RETRY_WINDOW_MS} is returned: a
   * launch asked again after no answer picks up the run that did start rather than starting a
   * second one. Dagster down makes this throw: nothing is launched then.
   */
  async #settleUnknownLaunches(
    tenant: string,
    intent: RunAuditIntent,
  ): Promise<DagsterRunDetail | undefined> {
    // One at a time per caller and product in this process, so an intent gets one outcome.
    const key = JSON.stringify([tenant, intent.actor, intent.product]);
    const settling = (this.#settling.get(key) ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => this.#settleUnknownLaunchesNow(tenant, intent));
    this.#settling.set(key, settling);
    try {
      return await settling;
    } finally {
      if (this.#settling.get(key) === settling) this.#settling.delete(key);
    }
  }

  async #settleUnknownLaunchesNow(
    tenant: string,
    intent: RunAuditIntent,
  ): Promise<DagsterRunDetail | undefined> {
    const now = Date.now();
    const settledBefore =
      now - (this.#client.timeoutMs ?? 0) - IN_FLIGHT_MARGIN_MS;
    const { items } = await this.#audit.list(tenant, {
      limit: UNKNOWN_LAUNCHES_LOOKED_AT,
    });
    const unknown = items.filter(
      entry =>
        entry.action === 'run.launched' &&
        entry.outcome === 'unknown' &&
        entry.actor === intent.actor &&
        entry.product === intent.product &&
        Date.parse(entry.at) < settledBefore,
    );
    let picked: DagsterRunDetail | undefined;
    for (const entry of unknown) {
      const run = await this.#runOfIntent(tenant, intent.product!, entry.id);
      const earlier: RunAuditIntent = {
        action: entry.action,
        actor: entry.actor,
        product: entry.product,
        details: entry.details,
      };
      if (run) {
        await this.#audit.recordOutcome(tenant, entry.id, earlier, {
          outcome: 'succeeded',
          runId: run.runId,
        });
        if (
          !picked &&
          now - Date.parse(entry.at) < RETRY_WINDOW_MS &&
          JSON.stringify(entry.details) === JSON.stringify(intent.details)
        ) {
          picked = run;
        }
      } else {
        await this.#audit.recordOutcome(tenant, entry.id, earlier, {
          outcome: 'failed',
          error:
            'DagsterNoAnswerError: Dagster did not answer the launch, and has no run of it',
        });
      }
    }
    return picked;
  }

  /** The run a launch with intent `intentId` started in the tenant's product, if any. */
  async #runOfIntent(
    tenant: string,
    product: string,
    intentId: string,
  ): Promise<DagsterRunDetail | undefined> {
    const data = await this.#client.request<{
      runsOrError: Typed & { results?: DagsterRunSummary[] };
    }>('AkiliListRuns', LIST_RUNS, {
      filter: {
        tags: [
          { key: AKILI_RUN_TAGS.tenant, value: tenant },
          { key: AKILI_RUN_TAGS.product, value: product },
          { key: AKILI_RUN_TAGS.auditIntent, value: intentId },
        ],
      },
      cursor: null,
      limit: 5,
    });
    const result = data.runsOrError;
    if (result.__typename !== 'Runs' || !result.results) {
      throw this.#failure(result, 'looking up a launch', 'AkiliListRuns');
    }
    // Tags anyone can set: only a run in the tenant's own code locations counts.
    const summary = result.results.find(run => isRunOfTenant(run, tenant));
    if (!summary) {
      return undefined;
    }
    const detail = await this.#client.request<{
      runOrError: Typed & Partial<DagsterRunDetail>;
    }>('AkiliGetRun', GET_RUN, { runId: summary.runId });
    return detail.runOrError.__typename === 'Run'
      ? (detail.runOrError as DagsterRunDetail)
      : undefined;
  }

  /**
   * Runs an action on Dagster between its intent and its outcome in the tenant's run audit (see
   * `runAuditedAction`): the intent is committed before Dagster is asked, so Dagster down, an
   * error, or the portal stopping in between never leaves the action unaudited. `action` gets
   * the intent's id. When Dagster took the request and did not answer, whether the action
   * happened is unknown: no outcome is recorded (the entry stays `unknown`; a launch's is
   * settled by the next launch of the same product, see `#settleUnknownLaunches`).
   */
  async #audited<T extends { runId: string }>(
    tenant: string,
    intent: RunAuditIntent,
    action: (intentId: string) => Promise<T>,
  ): Promise<T> {
    let intentId = '';
    return runAuditedAction({
      intent: async () => {
        intentId = await this.#audit.recordIntent(tenant, intent);
      },
      action: async () => {
        try {
          return await action(intentId);
        } catch (error) {
          if (error instanceof DagsterNoAnswerError) {
            throw new DagsterNoAnswerError(
              `${error.message}: whether it took effect is unknown; the run audit shows it as unknown until a launch of the same product finds out from Dagster (launching again picks up its run rather than starting a second one)`,
            );
          }
          throw error;
        }
      },
      succeeded: result =>
        this.#audit.recordOutcome(tenant, intentId, intent, {
          outcome: 'succeeded',
          runId: result.runId,
        }),
      failed: async error => {
        if (error instanceof DagsterNoAnswerError) {
          this.#logger.warn('Dagster did not answer a run action', {
            tenant,
            intentId,
            action: intent.action,
          });
          return;
        }
        try {
          await this.#audit.recordOutcome(tenant, intentId, intent, {
            outcome: 'failed',
            error: `${(error as Error)?.name ?? 'Error'}: ${
              (error as Error)?.message ?? String(error)
            }`,
          });
        } catch (recordError) {
          this.#logger.error('Could not record the outcome of a run action', {
            tenant,
            intentId,
            error: (recordError as Error).message,
          });
          throw recordError;
        }
      },
    });
  }

  async #listRuns(
    tags: Array<{ key: string; value: string }>,
    query: RunListQuery,
  ): Promise<RunListResponse> {
    const limit = query.limit ?? 50;
    const filter: Record<string, unknown> = { tags };
    if (query.statuses?.length) filter.statuses = query.statuses;
    if (query.job) filter.pipelineName = query.job;
    const createdAfter = seconds(query.createdAfter);
    const createdBefore = seconds(query.createdBefore);
    if (createdAfter !== undefined) filter.createdAfter = createdAfter;
    if (createdBefore !== undefined) filter.createdBefore = createdBefore;
    // One more than asked: tells whether there is a next page without a second round trip.
    const data = await this.#client.request<{
      runsOrError: Typed & { results?: DagsterRunSummary[] };
    }>('AkiliListRuns', LIST_RUNS, {
      filter,
      cursor: query.cursor ?? null,
      limit: limit + 1,
    });
    const result = data.runsOrError;
    if (result.__typename !== 'Runs' || !result.results) {
      throw this.#failure(result, 'listing runs', 'AkiliListRuns');
    }
    const tenant = tags[0].value;
    const now = Date.now();
    // Dagster filtered by the tags, which anyone who launches in Dagster can set: a run shows
    // only when its code location (and product tag) are the tenant's too. The page may come out
    // shorter than asked; the cursor is the last run read, so no run is skipped or read twice.
    const read = result.results.slice(0, limit);
    const items: RunListResponse['items'] = [];
    for (const run of read) {
      // One map of a run's tags serves both its ownership and its summary.
      const runTags = tagsOf(run);
      if (isRunOfTenant(run, tenant, runTags)) {
        items.push(toRunSummary(run, now, runTags));
      }
    }
    return {
      items,
      ...(result.results.length > limit
        ? { nextCursor: read[read.length - 1].runId }
        : {}),
    };
  }

  /** Loads a run and checks the caller may `action` runs of its tenant; 404 otherwise. */
  async #loadRun(
    identity: AkiliAuthentication,
    runId: string,
    action: RunAction,
  ): Promise<DagsterRunDetail> {
    const data = await this.#client.request<{
      runOrError: Typed & Partial<DagsterRunDetail>;
    }>('AkiliGetRun', GET_RUN, { runId });
    return (await this.#checkRun(
      identity,
      runId,
      data.runOrError,
      action,
    )) as DagsterRunDetail;
  }

  async #checkRun(
    identity: AkiliAuthentication,
    runId: string,
    result: Typed & Partial<DagsterRunSummary>,
    action: RunAction,
  ): Promise<DagsterRunSummary> {
    if (result.__typename === 'RunNotFoundError') {
      throw new NotFoundError(`No run ${runId}`);
    }
    if (result.__typename !== 'Run') {
      throw this.#failure(result, `reading run ${runId}`, 'AkiliGetRun');
    }
    const run = result as DagsterRunSummary;
    const ownership = runOwnership(run);
    // No tenant's run (no tag, or a tag its code location or product does not back), or one of
    // a tenant the caller may not read: not theirs to know about.
    if (!ownership.owned) {
      if (!ownership.owned && ownership.claimedTenant) {
        this.#logger.warn('Refused a run whose tags claim a tenant', {
          runId,
          claimedTenant: ownership.claimedTenant,
          reason: ownership.reason,
        });
      }
      throw new NotFoundError(`No run ${runId}`);
    }
    // A run of a tenant the caller may not see answers as a run that does not exist, so ids
    // cannot be probed.
    await this.#authorize(
      identity,
      ownership.tenant,
      action,
      `No run ${runId}`,
    );
    return run;
  }

  #launched(
    result: Typed & { run?: DagsterRunDetail },
    doing: string,
    operation: string,
    job?: DagsterFailureContext['job'],
  ): DagsterRunDetail {
    if (result.__typename === 'LaunchRunSuccess' && result.run) {
      return result.run;
    }
    throw this.#failure(result, doing, operation, job);
  }

  /** A typed failure of Dagster as the answer the portal gives (see `dagsterFailure`). */
  #failure(
    result: Typed & Record<string, unknown>,
    doing: string,
    operation: string,
    job?: DagsterFailureContext['job'],
  ): Error {
    return dagsterFailure(result, {
      operation,
      doing,
      job,
      logger: this.#logger,
    });
  }
}
