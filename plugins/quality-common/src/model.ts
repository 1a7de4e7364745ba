import {
  QualityDimension,
  QualityRule,
  QualityRuleType,
} from '@akili/plugin-akili-common';

export type { QualityDimension } from '@akili/plugin-akili-common';
export { QUALITY_DIMENSIONS } from '@akili/plugin-akili-common';

/**
 * The outcome of one execution of a check: `error` means the check itself could not run (its
 * query failed), which says nothing good about the data.
 *
 * @public
 */
export type QualityOutcome = 'pass' | 'warn' | 'fail' | 'error';

/** @public */
export const QUALITY_OUTCOMES: readonly QualityOutcome[] = [
  'pass',
  'warn',
  'fail',
  'error',
];

/** A rule's severity, as the manifest's `spec.quality[].severity` says. @public */
export type QualitySeverity = 'error' | 'warning' | 'info';

/** @public */
export const QUALITY_SEVERITIES: readonly QualitySeverity[] = [
  'error',
  'warning',
  'info',
];

/**
 * Where a result came from. Results are idempotent by source and execution id: the same
 * execution reported twice is stored once; a newer execution never replaces an older one.
 *
 * - `dagster`: a Dagster asset check execution (its id is Dagster's);
 * - `api:<tool>`: the REST endpoint, for pipelines and contract-testing tools (`api:soda`);
 * - `event`: a `quality.checked` event from another producer (the execution id is derived from
 *   the event id and the check's name).
 *
 * @public
 */
export type QualityResultSource = string;

/**
 * A data product's quality status, worst first:
 *
 * - `failing`: the latest result of an `error` rule failed (or errored);
 * - `stale`: the freshness SLO is breached (the last successful materialization is too old);
 * - `degraded`: a `warning` rule failed, or any rule warned;
 * - `healthy`: results exist and none of the above;
 * - `unknown`: no rule has a result and freshness is unknown.
 *
 * @public
 */
export type QualityStatus =
  | 'failing'
  | 'stale'
  | 'degraded'
  | 'healthy'
  | 'unknown';

/** @public */
export const QUALITY_STATUSES: readonly QualityStatus[] = [
  'failing',
  'stale',
  'degraded',
  'healthy',
  'unknown',
];

/**
 * Freshness against the manifest's SLO (`spec.slos.freshness.maxDelay`), from the last
 * successful materialization: `no-slo` when the manifest sets none, `unknown` when the product
 * never ran successfully.
 *
 * @public
 */
export type FreshnessStatus = 'fresh' | 'stale' | 'unknown' | 'no-slo';

/** The dimension a rule counts in: its own, or the one its type implies. @public */
export const DIMENSION_OF_RULE_TYPE: Record<QualityRuleType, QualityDimension> =
  {
    completeness: 'completeness',
    uniqueness: 'uniqueness',
    freshness: 'timeliness',
    volume: 'completeness',
    validity: 'conformity',
    custom: 'accuracy',
  };

/** The dimension of a contract rule. @public */
export function dimensionOfRule(
  rule: Pick<QualityRule, 'dimension' | 'type'>,
): QualityDimension {
  return rule.dimension ?? DIMENSION_OF_RULE_TYPE[rule.type] ?? 'accuracy';
}

/** Incident life cycle: new → acknowledged → assigned → resolved. @public */
export type IncidentState = 'new' | 'acknowledged' | 'assigned' | 'resolved';

/** @public */
export const INCIDENT_STATES: readonly IncidentState[] = [
  'new',
  'acknowledged',
  'assigned',
  'resolved',
];

/**
 * What opened an incident; one open incident per product and cause (`kind` + `key`):
 *
 * - `rule`: a contract rule failed (key: the rule name);
 * - `freshness`: the freshness SLO was breached (key: `freshness`);
 * - `run`: a run of the product's job failed (key: the job name).
 *
 * @public
 */
export type IncidentCauseKind = 'rule' | 'freshness' | 'run';

/**
 * Why an incident was resolved. `recovered` is the portal's own: the rule passed again, the
 * product became fresh, or a run of the job succeeded.
 *
 * @public
 */
export type IncidentResolutionReason =
  | 'false-positive'
  | 'missing-data'
  | 'duplicates'
  | 'out-of-bounds'
  | 'upstream'
  | 'other'
  | 'recovered';

/** The reasons a person may give when resolving an incident. @public */
export const INCIDENT_RESOLUTION_REASONS: readonly Exclude<
  IncidentResolutionReason,
  'recovered'
>[] = [
  'false-positive',
  'missing-data',
  'duplicates',
  'out-of-bounds',
  'upstream',
  'other',
];

/** What happened to an incident, in its timeline. @public */
export type IncidentTimelineKind =
  | 'opened'
  | 'failed-again'
  | 'acknowledged'
  | 'assigned'
  | 'commented'
  | 'resolved';
