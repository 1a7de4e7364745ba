import {
  FreshnessStatus,
  IncidentCauseKind,
  IncidentResolutionReason,
  IncidentState,
  IncidentTimelineKind,
  QualityDimension,
  QualityOutcome,
  QualityResultSource,
  QualitySeverity,
  QualityStatus,
} from './model';

/** The most results one report may carry. @public */
export const MAX_RESULTS_PER_REPORT = 1000;

/**
 * One check result as reported (`POST /v1/products/:namespace/:name/results`).
 *
 * @public
 */
export interface QualityResultInput {
  /**
   * The execution's id in the reporting tool (1 to 200 characters): the same id reported again
   * is stored once.
   */
  executionId: string;
  /** The contract rule (`spec.quality[].name`) the check evaluates. */
  rule: string;
  /** The output port; default the rule's, or the product's only port. */
  port?: string;
  /** For a check outside the contract: the dimension it counts in. */
  dimension?: QualityDimension;
  outcome: QualityOutcome;
  observedValue?: number | string | boolean | null;
  /** The threshold the value was compared with, as text (`< 0.01`, `[10, 20]`). */
  threshold?: string;
  /** The run that produced the data. */
  runId?: string;
  /** The partition checked, e.g. `2026-12-01`. */
  partition?: string;
  /** When the check ran (ISO 8601); at most 5 minutes in the future. */
  observedAt: string;
  message?: string;
}

/** Body of `POST /v1/products/:namespace/:name/results`. @public */
export interface QualityReportRequest {
  /** The reporting tool (`soda`, `great-expectations`, `ci`): results are keyed by `api:<tool>`. */
  tool: string;
  results: QualityResultInput[];
}

/** Answer of `POST /v1/products/:namespace/:name/results`. @public */
export interface QualityReportResponse {
  /** Results stored now. */
  accepted: number;
  /** Results already stored (same source and execution id), left as they were. */
  duplicates: number;
  /** Rule names that are not in the product's contract: stored, but outside the score. */
  outsideContract: string[];
}

/** A stored check result. @public */
export interface QualityResult {
  id: string;
  rule: string;
  port?: string;
  dimension: QualityDimension;
  severity: QualitySeverity;
  outcome: QualityOutcome;
  observedValue?: number | string | boolean | null;
  threshold?: string;
  runId?: string;
  partition?: string;
  source: QualityResultSource;
  executionId: string;
  observedAt: string;
  message?: string;
}

/** A contract rule with its latest result. @public */
export interface QualityRuleState {
  name: string;
  port?: string;
  dimension: QualityDimension;
  severity: QualitySeverity;
  /** The latest outcome, `unknown` when the rule never ran. */
  status: QualityOutcome | 'unknown';
  lastResult?: QualityResult;
  /** The rule is checked by an engine outside Akili (`soda`, `dbt`, ...). */
  engine?: string;
  description?: string;
}

/** A dimension's part of the score. @public */
export interface QualityDimensionScore {
  dimension: QualityDimension;
  /** 0 to 100, `null` when none of its rules has a result. */
  score: number | null;
  rules: number;
  rulesWithResults: number;
  /** Rules whose latest outcome is `fail` or `error`. */
  failing: number;
}

/** Freshness of a product against its SLO. @public */
export interface QualityFreshness {
  status: FreshnessStatus;
  /** `spec.slos.freshness.maxDelay`, as written, and in minutes. */
  maxDelay?: string;
  maxDelayMinutes?: number;
  /** End of the last successful run of the product. */
  lastSuccessAt?: string;
  /** Minutes since then, at `computedAt`. */
  ageMinutes?: number;
}

/** An upstream product (an input port) and its quality status, for lineage. @public */
export interface QualityUpstream {
  product: string;
  status: QualityStatus;
  score: number | null;
}

/** Answer of `GET /v1/products/:namespace/:name/summary`. @public */
export interface QualityProductSummary {
  /** `dataproduct:<tenant>/<name>`. */
  product: string;
  /** 0 to 100 (see `qualityScore`), `null` when no rule has a result. */
  score: number | null;
  status: QualityStatus;
  /** Contract rules with a result / contract rules; apart from the score. */
  coverage: { rules: number; rulesWithResults: number; ratio: number | null };
  dimensions: QualityDimensionScore[];
  rules: QualityRuleState[];
  /** Results of checks that are not contract rules (latest per check). */
  outsideContract: QualityResult[];
  freshness: QualityFreshness;
  openIncidents: number;
  /** Upstream products the caller may see, with their status. */
  upstream: QualityUpstream[];
  computedAt: string;
}

/** One day of a product's (or tenant's) trend. @public */
export interface QualityTrendDay {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  /** The score from each rule's last result of that day; `null` with none. */
  score: number | null;
  pass: number;
  warn: number;
  fail: number;
  error: number;
}

/** Answer of `GET /v1/products/:namespace/:name/trend?days=30|90`. @public */
export interface QualityTrend {
  product: string;
  days: QualityTrendDay[];
}

/** Answer of `GET /v1/products/:namespace/:name/results?rule=&limit=&cursor=`. @public */
export interface QualityResultPage {
  items: QualityResult[];
  nextCursor?: string;
}

/** A product's score and status, for lists (the Data Products page). @public */
export interface QualityProductScore {
  product: string;
  score: number | null;
  status: QualityStatus;
  coverage: number | null;
  freshness: FreshnessStatus;
  openIncidents: number;
}

/** Answer of `GET /v1/tenants/:tenant/scores`. @public */
export interface QualityTenantScores {
  tenant: string;
  items: QualityProductScore[];
}

/** Answer of `GET /v1/tenants/:tenant/dashboard`. @public */
export interface QualityTenantDashboard {
  tenant: string;
  /** Products worst first (status, then score). */
  products: QualityProductScore[];
  /** Latest failing results of `error` and `warning` rules, newest first. */
  failingRules: Array<QualityResult & { product: string }>;
  /** Products whose freshness SLO is breached. */
  staleProducts: Array<{ product: string; freshness: QualityFreshness }>;
  /** The tenant's daily score (every product's rules). */
  trend: QualityTrendDay[];
  incidents: {
    open: number;
    /** Mean minutes from opened to acknowledged, over the period; `null` with none. */
    meanMinutesToAcknowledge: number | null;
    meanMinutesToResolve: number | null;
    /** The period, in days. */
    days: number;
  };
}

/** An incident. @public */
export interface QualityIncident {
  /** Numeric id, unique in its tenant. */
  id: string;
  tenant: string;
  product: string;
  cause: { kind: IncidentCauseKind; key: string };
  title: string;
  state: IncidentState;
  severity: QualitySeverity;
  assignee?: string;
  openedAt: string;
  acknowledgedAt?: string;
  assignedAt?: string;
  resolvedAt?: string;
  resolution?: {
    reason: IncidentResolutionReason;
    comment?: string;
    by: string;
  };
  /** Failures of the cause since the incident opened (one incident, not one per failure). */
  failures: number;
  lastFailureAt: string;
}

/** One entry of an incident's timeline. @public */
export interface IncidentTimelineEntry {
  id: string;
  at: string;
  /** A user entity ref, `token:<id>`, or `akili:quality` for the portal. */
  actor: string;
  kind: IncidentTimelineKind;
  details: Record<string, unknown>;
}

/** Answer of `GET /v1/tenants/:tenant/incidents`. @public */
export interface QualityIncidentPage {
  items: QualityIncident[];
  nextCursor?: string;
}

/** Answer of `GET /v1/tenants/:tenant/incidents/:id`. @public */
export interface QualityIncidentDetail {
  incident: QualityIncident;
  timeline: IncidentTimelineEntry[];
}

/** Body of `POST /v1/tenants/:tenant/incidents/:id/assign`. @public */
export interface AssignIncidentRequest {
  /** A user entity ref. */
  assignee: string;
}

/** Body of `POST /v1/tenants/:tenant/incidents/:id/resolve`. @public */
export interface ResolveIncidentRequest {
  reason: Exclude<IncidentResolutionReason, 'recovered'>;
  comment?: string;
}

/** Body of `POST /v1/tenants/:tenant/incidents/:id/comments`. @public */
export interface CommentIncidentRequest {
  comment: string;
}
