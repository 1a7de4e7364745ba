import { randomUUID } from 'node:crypto';
import { AssetCheckStore, resolvedStatus } from './AssetCheckStore';
import {
  RunStatus,
  TestAssetCheck,
  TestAssetCheckExecution,
  TestJob,
  TestMetadataEntry,
  TestPythonError,
  TestRunEvent,
} from './model';
import { validateRunConfig } from './runConfig';
import { RunStore, RunsFilter, StoredRun, isFinished } from './RunStore';
import {
  LocationEntry,
  Workspace,
  assetStepKey,
  stepsOfJob,
} from './Workspace';
import { dumpYaml } from './yaml';

/** An object graphql-js resolves: plain values, or functions of the field's arguments. */
type View = Record<string, unknown>;

/** What one request's resolvers share. */
export interface RequestContext {
  /** Set while a `python-error` fault is being served. */
  pythonError?: TestPythonError;
  /** Set while a `resolver-error` fault is being served: every root field raises it. */
  resolverError?: TestPythonError;
}

export interface ResolverOptions {
  version: string;
  /** Moves a run that is being terminated to CANCELED after this long; unset: never on its own. */
  cancelingDurationMs?: number;
  /** Told of every run launched or re-executed, e.g. to play it through (a demo). */
  onRunLaunched?: (runId: string) => void;
}

type AssetKeyInput = { path: string[] };
type ExecutionTag = { key: string; value: string };

interface ExecutionParams {
  selector: {
    pipelineName?: string | null;
    jobName?: string | null;
    repositoryName: string;
    repositoryLocationName: string;
    assetSelection?: AssetKeyInput[] | null;
  };
  runConfigData?: unknown;
  executionMetadata?: {
    tags?: ExecutionTag[] | null;
    rootRunId?: string | null;
    parentRunId?: string | null;
  } | null;
  stepKeys?: string[] | null;
  preset?: string | null;
}

interface ReexecutionParams {
  parentRunId: string;
  strategy: 'FROM_FAILURE' | 'FROM_ASSET_FAILURE' | 'ALL_STEPS';
  extraTags?: ExecutionTag[] | null;
  useParentRunTags?: boolean | null;
}

/** Tags Dagster sets on a re-execution itself, never copied from the parent. */
const REEXECUTION_TAGS = [
  'dagster/parent_run_id',
  'dagster/root_run_id',
  'dagster/is_resume_retry',
];

/** Statuses Dagster's run coordinator can cancel (`CANCELABLE_RUN_STATUSES`). */
const CANCELABLE: ReadonlySet<RunStatus> = new Set(['STARTED', 'QUEUED']);

const nowSeconds = () => Date.now() / 1000;

export function pythonErrorView(error: TestPythonError): View {
  return {
    __typename: 'PythonError',
    message: error.message,
    className: error.className ?? null,
    stack: error.stack,
    cause: null,
    causes: [],
    errorChain: [],
  };
}

/** A Python exception the way Dagster's `capture_error` reports it. */
export function pythonError(
  module: string,
  className: string,
  text: string,
): View {
  return pythonErrorView({
    message: `${module}.${className}: ${text}\n`,
    className,
    stack: [
      '  File "/usr/local/lib/python3.12/site-packages/dagster_graphql/implementation/utils.py", line 126, in _fn\n    return fn(*args, **kwargs)\n',
    ],
  });
}

/** A metadata entry as the member of Dagster's `MetadataEntry` interface it is. */
function metadataEntryView(entry: TestMetadataEntry): View {
  const base = { label: entry.label, description: entry.description ?? null };
  switch (entry.type) {
    case 'float':
      return {
        ...base,
        __typename: 'FloatMetadataEntry',
        floatValue: entry.value,
        floatRepr: String(entry.value),
      };
    case 'int':
      return {
        ...base,
        __typename: 'IntMetadataEntry',
        // GraphQL's Int is 32 bits: Dagster answers a larger value only in `intRepr`.
        intValue:
          entry.value !== null && Math.abs(entry.value) <= 2147483647
            ? entry.value
            : null,
        intRepr: String(entry.value),
      };
    case 'text':
      return { ...base, __typename: 'TextMetadataEntry', text: entry.text };
    case 'bool':
      return {
        ...base,
        __typename: 'BoolMetadataEntry',
        boolValue: entry.value,
      };
    default:
      return {
        ...base,
        __typename: 'JsonMetadataEntry',
        jsonString: JSON.stringify(entry.json),
      };
  }
}

const assetKeyString = (path: string[]) =>
  `[${path.map(part => JSON.stringify(part)).join(', ')}]`;

const sameKey = (a: string[], b: string[]) =>
  a.length === b.length && a.every((part, i) => part === b[i]);

/**
 * The root value of Dagster's schema: the queries and mutations the server models, as functions
 * graphql-js calls with each field's arguments. Objects it returns carry `__typename` so unions
 * and interfaces resolve with graphql-js's default type resolver.
 */
export class Resolvers {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly store: RunStore,
    private readonly workspace: Workspace,
    private readonly options: ResolverOptions,
    private readonly checks: AssetCheckStore = new AssetCheckStore(),
  ) {}

  /** Stops pending cancellations. */
  close() {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  rootValue(): View {
    return {
      version: this.options.version,
      runsOrError: (args: {
        filter?: RunsFilter | null;
        cursor?: string | null;
        limit?: number | null;
      }) => {
        const filter = args.filter ?? {};
        const runs = this.store.query(filter, args.cursor, args.limit);
        return {
          __typename: 'Runs',
          results: runs.map(run => this.runView(run)),
          count: () => this.store.count(filter),
        };
      },
      runOrError: ({ runId }: { runId: string }) => {
        const run = this.store.get(runId);
        return run ? this.runView(run) : this.runNotFound(runId);
      },
      logsForRun: (args: {
        runId: string;
        afterCursor?: string | null;
        limit?: number | null;
      }) => {
        const run = this.store.get(args.runId);
        if (!run) return this.runNotFound(args.runId);
        const page = this.eventPage(run, args.afterCursor, args.limit);
        return (
          page ??
          pythonError(
            'dagster._check.functions',
            'CheckError',
            `Invalid cursor ${args.afterCursor}`,
          )
        );
      },
      repositoriesOrError: (args: {
        repositorySelector?: {
          repositoryName: string;
          repositoryLocationName: string;
        } | null;
      }) => {
        const selector = args.repositorySelector;
        if (selector) {
          const found = this.workspace.repository(
            selector.repositoryLocationName,
            selector.repositoryName,
          );
          if (!found) {
            return {
              __typename: 'RepositoryNotFoundError',
              message: `Could not find Repository ${selector.repositoryLocationName}.${selector.repositoryName}`,
              repositoryName: selector.repositoryName,
              repositoryLocationName: selector.repositoryLocationName,
            };
          }
          return {
            __typename: 'RepositoryConnection',
            nodes: [this.repositoryView(found.location, found.repository.name)],
          };
        }
        return {
          __typename: 'RepositoryConnection',
          nodes: this.workspace
            .loaded()
            .flatMap(location =>
              location.repositories.map(repo =>
                this.repositoryView(location, repo.name),
              ),
            ),
        };
      },
      workspaceOrError: () => ({
        __typename: 'Workspace',
        id: 'Workspace',
        locationEntries: this.workspace
          .list()
          .map(location => this.locationEntryView(location)),
      }),
      assetNodes: (args: {
        assetKeys?: AssetKeyInput[] | null;
        pipeline?: {
          pipelineName: string;
          repositoryName: string;
          repositoryLocationName: string;
        } | null;
        group?: {
          groupName: string;
          repositoryName: string;
          repositoryLocationName: string;
        } | null;
      }) => this.assetNodes(args),
      assetCheckExecutions: (args: {
        assetKey: AssetKeyInput;
        checkName: string;
        partition?: string | null;
        limit: number;
        cursor?: string | null;
      }) =>
        this.checks
          .history(args.assetKey.path, args.checkName, args)
          .map(execution => this.checkExecutionView(execution)),
      launchRun: ({ executionParams }: { executionParams: ExecutionParams }) =>
        this.launch(executionParams),
      launchRunReexecution: (args: {
        executionParams?: ExecutionParams | null;
        reexecutionParams?: ReexecutionParams | null;
      }) => this.reexecute(args.executionParams, args.reexecutionParams),
      terminateRun: (args: {
        runId: string;
        terminatePolicy?: string | null;
      }) =>
        this.terminate(
          args.runId,
          args.terminatePolicy === 'MARK_AS_CANCELED_IMMEDIATELY',
        ),
    };
  }

  private runNotFound(runId: string): View {
    return {
      __typename: 'RunNotFoundError',
      runId,
      message: `Run ${runId} could not be found.`,
    };
  }

  /**
   * A page of a run's log. The cursor is the index of the last event returned ("-1" before the
   * first), so `afterCursor` resumes right after it; null or empty starts from the beginning.
   */
  private eventPage(
    run: StoredRun,
    afterCursor?: string | null,
    limit?: number | null,
  ): View | undefined {
    const events = this.store.eventsOf(run);
    let start = 0;
    if (afterCursor) {
      const index = Number(afterCursor);
      if (!Number.isInteger(index) || index < -1) return undefined;
      start = Math.min(index + 1, events.length);
    }
    const end =
      limit && limit > 0
        ? Math.min(events.length, start + limit)
        : events.length;
    return {
      __typename: 'EventConnection',
      events: events.slice(start, end).map(event => this.eventView(run, event)),
      cursor: String(end - 1),
      hasMore: end < events.length,
    };
  }

  private eventView(run: StoredRun, event: TestRunEvent): View {
    return {
      __typename: event.type,
      runId: run.runId,
      message: event.message,
      timestamp: event.timestamp,
      level: event.level,
      stepKey: event.stepKey,
      solidHandleID: event.stepKey,
      eventType: event.eventType,
      pipelineName: run.jobName,
      error: event.error ? pythonErrorView(event.error) : null,
      errorSource:
        event.type === 'ExecutionStepFailureEvent' ? 'USER_CODE_ERROR' : null,
      failureMetadata: null,
      label: null,
      description: null,
      metadataEntries: [],
      markerStart: null,
      markerEnd: null,
    };
  }

  private runView(run: StoredRun): View {
    const { runId } = run;
    const origin = run.repositoryOrigin;
    return {
      __typename: 'Run',
      id: runId,
      runId,
      pipelineSnapshotId: null,
      repositoryOrigin: {
        id: `${origin.repositoryLocationName}:${origin.repositoryName}`,
        repositoryLocationName: origin.repositoryLocationName,
        repositoryName: origin.repositoryName,
        repositoryLocationMetadata: [],
      },
      status: run.status,
      runStatus: run.status,
      pipeline: {
        __typename: 'UnknownPipeline',
        name: run.jobName,
        solidSelection: null,
      },
      pipelineName: run.jobName,
      jobName: run.jobName,
      solidSelection: null,
      stats: () => ({
        __typename: 'RunStatsSnapshot',
        id: runId,
        runId,
        ...this.store.derivedOf(run).stats,
      }),
      stepStats: () =>
        this.store.derivedOf(run).stepStats.map(step => ({
          runId,
          ...step,
          materializations: [],
          expectationResults: [],
          attempts:
            step.startTime === null
              ? []
              : [{ startTime: step.startTime, endTime: step.endTime }],
          markers: [],
        })),
      executionPlan: null,
      stepKeysToExecute: run.stepKeysToExecute,
      runConfigYaml: () => dumpYaml(run.runConfig),
      runConfig: run.runConfig,
      mode: 'default',
      tags: Object.entries(run.tags).map(([key, value]) => ({ key, value })),
      rootRunId: run.rootRunId,
      parentRunId: run.parentRunId,
      canTerminate: CANCELABLE.has(run.status),
      assets: (run.assetSelection ?? []).map(path => ({
        id: assetKeyString(path),
        key: { path },
      })),
      eventConnection: (args: {
        afterCursor?: string | null;
        limit?: number | null;
      }) => {
        const page = this.eventPage(run, args.afterCursor, args.limit);
        if (!page) throw new Error(`Invalid cursor ${args.afterCursor}`);
        return page;
      },
      creationTime: run.creationTime,
      startTime: run.startTime,
      endTime: run.endTime,
      updateTime: run.updateTime,
      assetSelection: run.assetSelection?.map(path => ({ path })) ?? null,
      assetCheckSelection: null,
      parentPipelineSnapshotId: null,
      resolvedOpSelection: null,
      assetMaterializations: [],
      assetChecks: null,
      hasReExecutePermission: true,
      hasTerminatePermission: true,
      hasDeletePermission: true,
      hasConcurrencyKeySlots: false,
      rootConcurrencyKeys: null,
      allPools: null,
      hasUnconstrainedRootNodes: true,
      hasRunMetricsEnabled: false,
      externalJobSource: null,
    };
  }

  private locationView(location: LocationEntry): View {
    const view: View = {
      __typename: 'RepositoryLocation',
      id: location.name,
      name: location.name,
      isReloadSupported: true,
      environmentPath: null,
      serverId: location.name,
      dagsterLibraryVersions: null,
      repositories: () =>
        location.repositories.map(repo =>
          this.repositoryView(location, repo.name),
        ),
    };
    return view;
  }

  private locationEntryView(location: LocationEntry): View {
    return {
      __typename: 'WorkspaceLocationEntry',
      id: location.name,
      name: location.name,
      loadStatus: 'LOADED',
      locationOrLoadError: location.loadError
        ? pythonError(
            'dagster._core.errors',
            'DagsterUserCodeLoadError',
            location.loadError,
          )
        : this.locationView(location),
      displayMetadata: [],
      updatedTimestamp: location.updatedTimestamp,
      versionKey: String(Math.floor(location.updatedTimestamp)),
      defsStateInfo: null,
      permissions: [],
      featureFlags: [],
      definitionsSource: 'CODE_SERVER',
    };
  }

  private repositoryView(
    location: LocationEntry,
    repositoryName: string,
  ): View {
    const repository = location.repositories.find(
      repo => repo.name === repositoryName,
    )!;
    const origin = {
      id: `${location.name}:${repositoryName}`,
      repositoryLocationName: location.name,
      repositoryName,
      repositoryLocationMetadata: [],
    };
    const jobs = () =>
      repository.jobs.map(job => this.jobView(location, repositoryName, job));
    return {
      __typename: 'Repository',
      id: `${repositoryName}@${location.name}`,
      name: repositoryName,
      location: () => this.locationView(location),
      pipelines: jobs,
      jobs,
      usedSolids: [],
      origin,
      partitionSets: [],
      schedules: [],
      sensors: [],
      assetNodes: () =>
        this.assetNodes(
          {},
          { repositoryName, repositoryLocationName: location.name },
        ),
      displayMetadata: [],
      assetGroups: [],
      allTopLevelResourceDetails: [],
      hasLocationDocs: false,
    };
  }

  private jobView(
    location: LocationEntry,
    repositoryName: string,
    job: TestJob,
  ): View {
    return {
      __typename: 'Job',
      id: `${location.name}.${repositoryName}.${job.name}`,
      name: job.name,
      description: job.description ?? null,
      solids: [],
      solidHandles: [],
      modes: [],
      owners: [],
      pipelineSnapshotId: `${location.name}.${repositoryName}.${job.name}`,
      dagsterTypes: [],
      tags: [],
      metadataEntries: [],
      runs: (args: { cursor?: string | null; limit?: number | null }) =>
        this.store
          .query({ pipelineName: job.name }, args.cursor, args.limit)
          .map(run => this.runView(run)),
      schedules: [],
      sensors: [],
      parentSnapshotId: null,
      graphName: job.name,
      runTags: Object.entries(job.tags ?? {}).map(([key, value]) => ({
        key,
        value,
      })),
      externalJobSource: null,
      presets: [],
      isJob: true,
      isAssetJob: !!job.assetKeys?.length,
      repository: () => this.repositoryView(location, repositoryName),
      hasLaunchExecutionPermission: true,
      hasLaunchReexecutionPermission: true,
      nodeNames: stepsOfJob(job),
    };
  }

  private assetNodes(
    args: {
      assetKeys?: AssetKeyInput[] | null;
      pipeline?: {
        pipelineName: string;
        repositoryName: string;
        repositoryLocationName: string;
      } | null;
      group?: {
        groupName: string;
        repositoryName: string;
        repositoryLocationName: string;
      } | null;
    },
    repositorySelector?: {
      repositoryName: string;
      repositoryLocationName: string;
    },
  ): View[] {
    const nodes: View[] = [];
    for (const location of this.workspace.loaded()) {
      for (const repository of location.repositories) {
        const inScope = (
          selector?: {
            repositoryName: string;
            repositoryLocationName: string;
          } | null,
        ) =>
          !selector ||
          (selector.repositoryLocationName === location.name &&
            selector.repositoryName === repository.name);
        if (
          !inScope(args.pipeline) ||
          !inScope(args.group) ||
          !inScope(repositorySelector)
        )
          continue;
        if (args.group && args.group.groupName !== 'default') continue;
        const keys: string[][] = [];
        for (const job of repository.jobs) {
          if (args.pipeline && job.name !== args.pipeline.pipelineName)
            continue;
          for (const key of job.assetKeys ?? []) {
            if (!keys.some(known => sameKey(known, key))) keys.push(key);
          }
        }
        for (const path of keys) {
          if (
            args.assetKeys &&
            !args.assetKeys.some(wanted => sameKey(wanted.path, path))
          )
            continue;
          const jobs = repository.jobs.filter(job =>
            job.assetKeys?.some(key => sameKey(key, path)),
          );
          const checks = (repository.assetChecks ?? []).filter(check =>
            sameKey(check.assetKey, path),
          );
          nodes.push(
            this.assetNodeView(location, repository.name, path, jobs, checks),
          );
        }
      }
    }
    return nodes;
  }

  private assetNodeView(
    location: LocationEntry,
    repositoryName: string,
    path: string[],
    jobs: TestJob[],
    checks: TestAssetCheck[] = [],
  ): View {
    const opName = assetStepKey(path);
    return {
      __typename: 'AssetNode',
      id: `${location.name}.${repositoryName}.${assetKeyString(path)}`,
      assetKey: { path },
      jobNames: jobs.map(job => job.name),
      jobs: () => jobs.map(job => this.jobView(location, repositoryName, job)),
      repository: () => this.repositoryView(location, repositoryName),
      groupName: 'default',
      description: null,
      computeKind: null,
      graphName: null,
      opName,
      opNames: [opName],
      opVersion: null,
      isExecutable: true,
      isObservable: false,
      isMaterializable: true,
      isPartitioned: false,
      isAutoCreatedStub: false,
      hasMaterializePermission: true,
      hasWipePermission: true,
      hasReportRunlessAssetEventPermission: true,
      hasAssetChecks: checks.length > 0,
      assetChecksOrError: (args: { limit?: number | null }) => ({
        __typename: 'AssetChecks',
        checks: checks
          .slice(0, args.limit ?? undefined)
          .map(check => this.assetCheckView(check, jobs)),
      }),
      assetCheckOrError: ({ checkName }: { checkName: string }) => {
        const check = checks.find(known => known.name === checkName);
        return check
          ? this.assetCheckView(check, jobs)
          : {
              __typename: 'AssetCheckNotFoundError',
              message: `Asset check ${checkName} not found on asset ${assetKeyString(
                path,
              )}`,
            };
      },
      assetMaterializations: [],
      assetObservations: [],
      dependencyKeys: [],
      dependedByKeys: [],
      dependencies: [],
      dependedBy: [],
      owners: [],
      tags: [],
      kinds: [],
      pools: [],
      metadataEntries: [],
      partitionKeys: [],
      partitionKeysByDimension: [],
      requiredResources: [],
      targetingInstigators: [],
      changedReasons: [],
    };
  }

  private assetCheckView(check: TestAssetCheck, jobs: TestJob[]): View {
    return {
      __typename: 'AssetCheck',
      name: check.name,
      assetKey: { path: check.assetKey },
      description: check.description ?? null,
      jobNames: jobs.map(job => job.name),
      // The latest execution, whichever materialization it targeted.
      executionForLatestMaterialization: () => {
        const latest = this.checks.latest(check.assetKey, check.name);
        return latest ? this.checkExecutionView(latest) : null;
      },
      canExecuteIndividually: 'CAN_EXECUTE',
      blocking: check.blocking ?? false,
      additionalAssetKeys: [],
      automationCondition: null,
      partitionDefinition: null,
      partitionKeysByDimension: [],
      partitionStatuses: null,
    };
  }

  private checkExecutionView(execution: TestAssetCheckExecution): View {
    const run = this.store.get(execution.runId);
    const { evaluation } = execution;
    return {
      __typename: 'AssetCheckExecution',
      id: execution.id,
      runId: execution.runId,
      status: resolvedStatus(execution, run?.status),
      evaluation: evaluation && {
        __typename: 'AssetCheckEvaluation',
        timestamp: evaluation.timestamp,
        checkName: execution.checkName,
        assetKey: { path: execution.assetKey },
        targetMaterialization: evaluation.targetMaterialization,
        metadataEntries: evaluation.metadataEntries.map(metadataEntryView),
        severity: evaluation.severity,
        description: evaluation.description,
        partition: execution.partition,
        success: evaluation.success,
      },
      timestamp: execution.timestamp,
      partition: execution.partition,
      stepKey: execution.stepKey,
      run: () => (run ? this.runView(run) : null),
    };
  }

  private pipelineNotFound(
    location: string,
    repository: string,
    job: string,
  ): View {
    return {
      __typename: 'PipelineNotFoundError',
      message: `Could not find Pipeline ${location}.${repository}.${job}`,
      pipelineName: job,
      repositoryName: repository,
      repositoryLocationName: location,
    };
  }

  private launch(
    params: ExecutionParams,
    reexecution?: { parentRunId: string; rootRunId: string },
  ): View {
    const { selector } = params;
    const jobName = selector.jobName ?? selector.pipelineName;
    if (!jobName) {
      return pythonError(
        'dagster._check.functions',
        'CheckError',
        'Must provide either pipelineName or jobName',
      );
    }
    if (
      selector.jobName &&
      selector.pipelineName &&
      selector.jobName !== selector.pipelineName
    ) {
      return pythonError(
        'dagster._check.functions',
        'CheckError',
        'Cannot specify both pipelineName and jobName',
      );
    }
    const location = selector.repositoryLocationName;
    const repository = selector.repositoryName;
    const job = this.workspace.job(location, repository, jobName);
    if (!job) return this.pipelineNotFound(location, repository, jobName);
    const jobView = () =>
      this.jobView(
        this.workspace.repository(location, repository)!.location,
        repository,
        job,
      );

    if (params.preset) {
      return {
        __typename: 'PresetNotFoundError',
        preset: params.preset,
        message: `Preset ${params.preset} not found in pipeline ${jobName}.`,
      };
    }
    const assetSelection =
      selector.assetSelection?.map(key => key.path) ?? null;
    if (assetSelection) {
      const unknown = assetSelection.filter(
        path => !job.assetKeys?.some(key => sameKey(key, path)),
      );
      if (unknown.length) {
        return {
          __typename: 'InvalidSubsetError',
          message:
            `Assets provided in asset_selection argument ${unknown
              .map(assetKeyString)
              .join(', ')} ` + 'do not exist in parent asset group or job.',
          pipeline: jobView,
        };
      }
    }
    const steps = assetSelection
      ? assetSelection.map(assetStepKey)
      : stepsOfJob(job);
    const invalidStep = params.stepKeys?.find(
      step => !stepsOfJob(job).includes(step),
    );
    if (invalidStep)
      return { __typename: 'InvalidStepError', invalidStepKey: invalidStep };
    if (job.configSchema) {
      const errors = validateRunConfig(
        job.configSchema,
        steps,
        params.runConfigData,
      );
      if (errors.length) {
        return {
          __typename: 'RunConfigValidationInvalid',
          pipelineName: jobName,
          errors,
        };
      }
    }

    const metadata = params.executionMetadata ?? {};
    const tags: Record<string, string> = { ...job.tags };
    for (const tag of metadata.tags ?? []) tags[tag.key] = tag.value;
    const parentRunId =
      reexecution?.parentRunId ?? metadata.parentRunId ?? null;
    const rootRunId = reexecution?.rootRunId ?? metadata.rootRunId ?? null;
    if (parentRunId) tags['dagster/parent_run_id'] = parentRunId;
    if (rootRunId) tags['dagster/root_run_id'] = rootRunId;
    const run = this.enqueue({
      jobName,
      tags,
      parentRunId,
      rootRunId,
      runConfig: (params.runConfigData ?? {}) as Record<string, unknown>,
      repositoryOrigin: {
        repositoryLocationName: location,
        repositoryName: repository,
      },
      assetSelection,
      stepKeysToExecute: params.stepKeys?.length ? params.stepKeys : null,
    });
    return { __typename: 'LaunchRunSuccess', run: this.runView(run) };
  }

  /** Adds a launched run the way Dagster's queued run coordinator does: QUEUED, enqueued event. */
  private enqueue(
    run: Pick<
      StoredRun,
      | 'jobName'
      | 'tags'
      | 'parentRunId'
      | 'rootRunId'
      | 'runConfig'
      | 'repositoryOrigin'
      | 'assetSelection'
      | 'stepKeysToExecute'
    >,
  ): StoredRun {
    const now = nowSeconds();
    const stored = this.store.insert({
      ...run,
      runId: randomUUID(),
      status: 'NOT_STARTED',
      creationTime: now,
      startTime: null,
      endTime: null,
      updateTime: now,
      events: [],
    });
    this.store.append(stored, [{ type: 'RunEnqueuedEvent' }]);
    this.options.onRunLaunched?.(stored.runId);
    return stored;
  }

  private reexecute(
    executionParams?: ExecutionParams | null,
    params?: ReexecutionParams | null,
  ): View {
    if (executionParams && params) {
      return pythonError(
        'dagster._core.errors',
        'DagsterInvariantViolationError',
        'Must only provide one of either executionParams or reexecutionParams',
      );
    }
    if (executionParams) {
      const { parentRunId, rootRunId } =
        executionParams.executionMetadata ?? {};
      if (!parentRunId || !rootRunId) {
        return pythonError(
          'dagster._check.functions',
          'CheckError',
          `Param "${
            parentRunId ? 'root_run_id' : 'parent_run_id'
          }" is not a str. Got None which is type <class 'NoneType'>.`,
        );
      }
      return this.launch(executionParams, { parentRunId, rootRunId });
    }
    if (!params) {
      return pythonError(
        'dagster._core.errors',
        'DagsterInvariantViolationError',
        'Must provide one of either executionParams or reexecutionParams',
      );
    }

    const parent = this.store.get(params.parentRunId);
    if (!parent) {
      return pythonError(
        'dagster._check.functions',
        'CheckError',
        `Expected non-None value: Could not find parent run with id: ${params.parentRunId}`,
      );
    }
    const origin = parent.repositoryOrigin;
    const job = this.workspace.job(
      origin.repositoryLocationName,
      origin.repositoryName,
      parent.jobName,
    );
    if (!job)
      return this.pipelineNotFound(
        origin.repositoryLocationName,
        origin.repositoryName,
        parent.jobName,
      );

    let stepKeysToExecute: string[] | null = null;
    const fromFailure = params.strategy !== 'ALL_STEPS';
    if (fromFailure) {
      if (parent.status !== 'FAILURE' && parent.status !== 'CANCELED') {
        return pythonError(
          'dagster._core.errors',
          'DagsterInvariantViolationError',
          'Cannot reexecute from failure a run that is not failed or canceled',
        );
      }
      const succeeded = new Set(
        this.store
          .derivedOf(parent)
          .stepStats.filter(step => step.status === 'SUCCESS')
          .map(step => step.stepKey),
      );
      stepKeysToExecute = this.store
        .stepsOf(parent)
        .filter(step => !succeeded.has(step));
    }

    // Dagster's GraphQL layer has always re-executed with the parent's tags; `useParentRunTags:
    // false` starts from the job's own tags instead.
    const tags: Record<string, string> =
      params.useParentRunTags === false ? { ...job.tags } : { ...parent.tags };
    for (const key of REEXECUTION_TAGS) delete tags[key];
    for (const tag of params.extraTags ?? []) tags[tag.key] = tag.value;
    const rootRunId = parent.rootRunId ?? parent.runId;
    tags['dagster/parent_run_id'] = parent.runId;
    tags['dagster/root_run_id'] = rootRunId;
    if (fromFailure) tags['dagster/is_resume_retry'] = 'true';

    const run = this.enqueue({
      jobName: parent.jobName,
      tags,
      parentRunId: parent.runId,
      rootRunId,
      runConfig: parent.runConfig,
      repositoryOrigin: { ...origin },
      assetSelection: parent.assetSelection,
      stepKeysToExecute,
    });
    return { __typename: 'LaunchRunSuccess', run: this.runView(run) };
  }

  /**
   * Dagster's terminate rules: a finished run cannot be terminated; without force only a queued
   * or started run can. A queued run is canceled at once (it never left the queue); a started
   * one goes to CANCELING, and to CANCELED when its process stops (after `cancelingDurationMs`,
   * or when a test sets the status).
   */
  private terminate(runId: string, force: boolean): View {
    const run = this.store.get(runId);
    if (!run) return this.runNotFound(runId);
    if (isFinished(run.status) || (!force && !CANCELABLE.has(run.status))) {
      return {
        __typename: 'TerminateRunFailure',
        message: `Run ${runId} could not be terminated due to having status ${run.status}.`,
        run: this.runView(run),
      };
    }
    if (force) {
      this.store.append(run, [
        {
          type: 'RunCanceledEvent',
          message:
            'This run has been marked as canceled from outside the execution context.',
        },
      ]);
    } else if (run.status === 'QUEUED') {
      this.store.append(run, [
        { type: 'RunCanceledEvent', message: 'Canceling run from the queue.' },
      ]);
    } else {
      this.store.append(run, [{ type: 'RunCancelingEvent' }]);
      const delay = this.options.cancelingDurationMs;
      if (delay !== undefined) {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          if (run.status === 'CANCELING')
            this.store.append(run, [{ type: 'RunCanceledEvent' }]);
        }, delay);
        this.timers.add(timer);
      }
    }
    return { __typename: 'TerminateRunSuccess', run: this.runView(run) };
  }
}
