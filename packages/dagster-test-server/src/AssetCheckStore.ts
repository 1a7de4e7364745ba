import {
  AssetCheckExecutionResolvedStatus,
  RunStatus,
  TestAssetCheckExecution,
  TestAssetCheckExecutionInput,
} from './model';

const keyOf = (assetKey: string[], checkName: string) =>
  `${JSON.stringify(assetKey)}\u0000${checkName}`;

const FINISHED: ReadonlySet<RunStatus> = new Set([
  'SUCCESS',
  'FAILURE',
  'CANCELED',
]);

/**
 * The status Dagster answers for an execution (`AssetCheckExecutionResolvedStatus`): an
 * evaluated one is what its evaluation says; a planned one is in progress while its run is,
 * skipped when the run succeeded without evaluating it, and failed to execute when the run
 * failed, was canceled or is gone.
 */
export function resolvedStatus(
  execution: TestAssetCheckExecution,
  runStatus: RunStatus | undefined,
): AssetCheckExecutionResolvedStatus {
  if (execution.recordStatus !== 'PLANNED') return execution.recordStatus;
  if (runStatus === undefined) return 'EXECUTION_FAILED';
  if (!FINISHED.has(runStatus)) return 'IN_PROGRESS';
  return runStatus === 'SUCCESS' ? 'SKIPPED' : 'EXECUTION_FAILED';
}

function recordStatusOf(success: boolean | undefined) {
  if (success === undefined) return 'PLANNED';
  return success ? 'SUCCEEDED' : 'FAILED';
}

/**
 * The asset check executions of the instance (Dagster's `asset_check_executions` table): one
 * storage id sequence over all checks, each check's executions in storage order.
 */
export class AssetCheckStore {
  private nextId = 1;
  private readonly byCheck = new Map<string, TestAssetCheckExecution[]>();
  private readonly byId = new Map<string, TestAssetCheckExecution>();

  get size() {
    return this.byId.size;
  }

  /** Stores an execution as the newest of its check. */
  add(input: TestAssetCheckExecutionInput): TestAssetCheckExecution {
    const timestamp = input.timestamp ?? Date.now() / 1000;
    const evaluated = input.success !== undefined;
    const execution: TestAssetCheckExecution = {
      id: String(this.nextId++),
      assetKey: [...input.assetKey],
      checkName: input.checkName,
      runId: input.runId,
      recordStatus: recordStatusOf(input.success),
      timestamp,
      partition: input.partition ?? null,
      stepKey: input.stepKey ?? null,
      evaluation: evaluated
        ? {
            success: input.success!,
            severity: input.severity ?? 'ERROR',
            metadataEntries: input.metadataEntries ?? [],
            description: input.description ?? null,
            timestamp,
            targetMaterialization: input.targetMaterialization ?? null,
          }
        : null,
    };
    const key = keyOf(execution.assetKey, execution.checkName);
    const list = this.byCheck.get(key);
    if (list) list.push(execution);
    else this.byCheck.set(key, [execution]);
    this.byId.set(execution.id, execution);
    return execution;
  }

  /**
   * Records the evaluation of a planned execution, as the `ASSET_CHECK_EVALUATION` event does
   * (the execution keeps its storage id and place).
   */
  evaluate(
    id: string,
    evaluation: Pick<TestAssetCheckExecutionInput, 'success'> &
      Omit<Partial<TestAssetCheckExecutionInput>, 'assetKey' | 'checkName'>,
  ): TestAssetCheckExecution {
    const execution = this.byId.get(id);
    if (!execution) throw new Error(`No asset check execution with id ${id}`);
    const timestamp = evaluation.timestamp ?? Date.now() / 1000;
    execution.recordStatus = evaluation.success ? 'SUCCEEDED' : 'FAILED';
    execution.evaluation = {
      success: evaluation.success!,
      severity: evaluation.severity ?? 'ERROR',
      metadataEntries: evaluation.metadataEntries ?? [],
      description: evaluation.description ?? null,
      timestamp,
      targetMaterialization: evaluation.targetMaterialization ?? null,
    };
    return execution;
  }

  get(id: string): TestAssetCheckExecution | undefined {
    return this.byId.get(id);
  }

  /**
   * A check's executions newest (highest storage id) first, as Dagster's
   * `get_asset_check_execution_history`: only those older than the cursor (an execution id; one
   * that is no integer is an error, as `int(cursor)` is), at most `limit`, of one partition when
   * given.
   */
  history(
    assetKey: string[],
    checkName: string,
    options: {
      limit: number;
      cursor?: string | null;
      partition?: string | null;
    },
  ): TestAssetCheckExecution[] {
    let before = Number.POSITIVE_INFINITY;
    if (options.cursor) {
      if (!/^\s*[-+]?\d+\s*$/.test(options.cursor)) {
        throw new Error(
          `invalid literal for int() with base 10: '${options.cursor}'`,
        );
      }
      before = Number(options.cursor);
    }
    const list = this.byCheck.get(keyOf(assetKey, checkName)) ?? [];
    const page: TestAssetCheckExecution[] = [];
    for (let i = list.length - 1; i >= 0 && page.length < options.limit; i--) {
      const execution = list[i];
      if (Number(execution.id) >= before) continue;
      if (
        options.partition !== undefined &&
        options.partition !== null &&
        execution.partition !== options.partition
      )
        continue;
      page.push(execution);
    }
    return page;
  }

  /** The newest execution of a check, if any. */
  latest(
    assetKey: string[],
    checkName: string,
  ): TestAssetCheckExecution | undefined {
    const list = this.byCheck.get(keyOf(assetKey, checkName));
    return list?.[list.length - 1];
  }
}
