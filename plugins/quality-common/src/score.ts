import { QualityOutcome, QualitySeverity, QualityStatus } from './model';

/**
 * How much a rule weighs in a score, by its severity: an `error` rule three times a `warning`
 * rule, an `info` rule half of one.
 *
 * @public
 */
export const SEVERITY_WEIGHTS: Readonly<Record<QualitySeverity, number>> = {
  error: 3,
  warning: 1,
  info: 0.5,
};

/**
 * How much of its weight a rule's latest outcome earns: a pass all, a warning half, a failure or
 * an error (the check could not run) nothing.
 *
 * @public
 */
export const OUTCOME_CREDIT: Readonly<Record<QualityOutcome, number>> = {
  pass: 1,
  warn: 0.5,
  fail: 0,
  error: 0,
};

/**
 * The score of a set of rules, 0 to 100: the weighted pass rate of the latest result of each
 * rule that has one, `Σ weight × credit / Σ weight × 100`, rounded to one decimal. Rules without
 * a result are unknown: they count in coverage, never in the score. `null` when no rule has a
 * result.
 *
 * The backend computes the same in SQL (over its rollups); this is the reference the tests
 * compare it with.
 *
 * @public
 */
export function qualityScore(
  rules: ReadonlyArray<{
    severity: QualitySeverity;
    outcome?: QualityOutcome | null;
  }>,
): number | null {
  let weight = 0;
  let earned = 0;
  for (const rule of rules) {
    if (!rule.outcome) continue;
    const w = SEVERITY_WEIGHTS[rule.severity];
    weight += w;
    earned += w * OUTCOME_CREDIT[rule.outcome];
  }
  if (weight === 0) return null;
  return Math.round((earned / weight) * 1000) / 10;
}

/**
 * The status of a product from what its summary counts (see {@link QualityStatus}).
 *
 * @public
 */
export function qualityStatus(counts: {
  /** `error` rules whose latest outcome is `fail` or `error`. */
  failingErrorRules: number;
  /** Other rules whose latest outcome is `fail`, `error` or `warn`. */
  degradedRules: number;
  /** Rules with a result. */
  rulesWithResults: number;
  freshness: 'fresh' | 'stale' | 'unknown' | 'no-slo';
}): QualityStatus {
  if (counts.failingErrorRules > 0) return 'failing';
  if (counts.freshness === 'stale') return 'stale';
  if (counts.degradedRules > 0) return 'degraded';
  if (counts.rulesWithResults > 0 || counts.freshness === 'fresh') {
    return 'healthy';
  }
  return 'unknown';
}
