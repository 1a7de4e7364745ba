import {
  DataProductManifest,
  QUALITY_DIMENSIONS,
  QualityCheckResultV1,
  QualityDimension,
} from '@akili/plugin-akili-common';

/** Dagster's `AssetCheckExecutionResolvedStatus`. */
export type AssetCheckExecutionStatus =
  | 'IN_PROGRESS'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'EXECUTION_FAILED'
  | 'SKIPPED';

/** A metadata entry of an evaluation, as `ASSET_CHECK_EXECUTIONS` reads it. */
export interface DagsterMetadataEntry {
  __typename: string;
  label: string;
  floatValue?: number | null;
  floatRepr?: string;
  intValue?: number | null;
  intRepr?: string;
  text?: string;
  boolValue?: boolean | null;
}

/** One asset check execution, as `ASSET_CHECK_EXECUTIONS` reads it. */
export interface DagsterAssetCheckExecution {
  id: string;
  runId: string;
  status: AssetCheckExecutionStatus;
  /** Epoch seconds. */
  timestamp: number;
  partition: string | null;
  evaluation: {
    success: boolean;
    severity: 'WARN' | 'ERROR';
    timestamp: number;
    description: string | null;
    partition: string | null;
    metadataEntries: DagsterMetadataEntry[];
  } | null;
}

/** Whether an execution is over (and will not change): reported or passed over for good. */
export function isDone(status: AssetCheckExecutionStatus): boolean {
  return status !== 'IN_PROGRESS';
}

/** Metadata labels with a meaning of their own, never the observed value. */
const DIMENSION_LABEL = 'dimension';
const THRESHOLD_LABEL = 'threshold';

/** The number of a numeric metadata entry (an Int beyond 32 bits comes only as `intRepr`). */
function numberOf(entry: DagsterMetadataEntry): number | undefined {
  if (entry.__typename === 'FloatMetadataEntry') {
    return typeof entry.floatValue === 'number' ? entry.floatValue : undefined;
  }
  if (entry.__typename === 'IntMetadataEntry') {
    if (typeof entry.intValue === 'number') return entry.intValue;
    const parsed = Number(entry.intRepr);
    return entry.intRepr && Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

const clip = (value: string, max: number) =>
  value.length > max ? value.slice(0, max) : value;

/**
 * The `quality.checked` check of a finished execution, or undefined for one that says nothing
 * about the data (`SKIPPED`: the run did not evaluate it) or is not finished:
 *
 * - evaluated and passed → `PASS`; failed with severity `WARN` → `WARN`, with `ERROR` → `FAIL`;
 * - `EXECUTION_FAILED` (the check itself could not run) → `ERROR`;
 * - `observedValue`: the first numeric metadata entry (other than `threshold`);
 * - `dimension`: a text entry `dimension` naming a quality dimension; `threshold`: an entry
 *   `threshold`, as text;
 * - `executionId`: Dagster's execution id.
 */
export function checkOfExecution(
  checkName: string,
  execution: DagsterAssetCheckExecution,
): QualityCheckResultV1 | undefined {
  const evaluation = execution.evaluation;
  let status: QualityCheckResultV1['status'];
  if (execution.status === 'SUCCEEDED') status = 'PASS';
  else if (execution.status === 'FAILED') {
    status = evaluation?.severity === 'WARN' ? 'WARN' : 'FAIL';
  } else if (execution.status === 'EXECUTION_FAILED') status = 'ERROR';
  else return undefined;

  const check: QualityCheckResultV1 = {
    name: checkName,
    status,
    executionId: execution.id,
    observedAt: new Date(
      (evaluation?.timestamp ?? execution.timestamp) * 1000,
    ).toISOString(),
  };
  if (evaluation) {
    check.severity = evaluation.severity === 'WARN' ? 'warning' : 'error';
  }
  const partition = evaluation?.partition ?? execution.partition;
  if (partition) check.partition = clip(partition, 256);
  if (evaluation?.description) {
    check.message = clip(evaluation.description, 4096);
  } else if (status === 'ERROR') {
    check.message = 'The check did not run to an evaluation (its run failed)';
  }
  for (const entry of evaluation?.metadataEntries ?? []) {
    const label = entry.label.toLocaleLowerCase('en-US');
    if (label === DIMENSION_LABEL) {
      const dimension = entry.text?.trim().toLocaleLowerCase('en-US');
      if (QUALITY_DIMENSIONS.includes(dimension as QualityDimension)) {
        check.dimension = dimension as QualityDimension;
      }
      continue;
    }
    if (label === THRESHOLD_LABEL) {
      const threshold =
        entry.text ?? entry.floatRepr ?? entry.intRepr ?? undefined;
      if (threshold) check.threshold = clip(threshold, 256);
      continue;
    }
    if (check.observedValue === undefined) {
      const value = numberOf(entry);
      if (value !== undefined) check.observedValue = value;
    }
  }
  return check;
}

/**
 * The output port a check reports on: the port of the contract rule of the same name, else
 * the port named like the asset (its key's last part), else the product's only (or first)
 * port, else the asset's name.
 */
export function portOfCheck(
  manifest: DataProductManifest,
  assetKey: string[],
  checkName: string,
): string {
  const ports = manifest.spec.outputPorts ?? [];
  const rule = (manifest.spec.quality ?? []).find(r => r.name === checkName);
  if (rule?.port) return rule.port;
  const assetName = assetKey[assetKey.length - 1] ?? checkName;
  const named = ports.find(port => port.name === assetName);
  if (named) return named.name;
  return ports[0]?.name ?? assetName;
}

/** The outcome of a `quality.checked` event: the worst of its checks. */
export function outcomeOf(
  checks: QualityCheckResultV1[],
): 'PASS' | 'WARN' | 'FAIL' {
  if (checks.some(c => c.status === 'FAIL' || c.status === 'ERROR')) {
    return 'FAIL';
  }
  return checks.some(c => c.status === 'WARN') ? 'WARN' : 'PASS';
}
