/**
 * The dependencies of the Akili platform the portal checks, in the order they are shown.
 *
 * @public
 */
export const PLATFORM_DEPENDENCY_IDS = [
  'postgresql',
  'redpanda',
  'dagster',
  'starrocks',
  'ceph-s3',
  'authentik',
  'gitlab',
  'argocd',
  'kubernetes',
] as const;

/**
 * The id of a platform dependency.
 *
 * @public
 */
export type PlatformDependencyId = (typeof PLATFORM_DEPENDENCY_IDS)[number];

/**
 * Display names of the dependencies.
 *
 * @public
 */
export const PLATFORM_DEPENDENCY_TITLES: Record<PlatformDependencyId, string> =
  {
    postgresql: 'PostgreSQL',
    redpanda: 'Redpanda',
    dagster: 'Dagster',
    starrocks: 'StarRocks',
    'ceph-s3': 'Ceph S3',
    authentik: 'Authentik',
    gitlab: 'GitLab',
    argocd: 'ArgoCD',
    kubernetes: 'Kubernetes',
  };

/**
 * Whether a string is a platform dependency id.
 *
 * @public
 */
export function isPlatformDependencyId(
  value: string,
): value is PlatformDependencyId {
  return (PLATFORM_DEPENDENCY_IDS as readonly string[]).includes(value);
}

/**
 * The outcome of one check: `up` (answered in time), `degraded` (answered, but slowly or only
 * partly), `down` (no answer in time, refused, or an error answer), `not-configured` (the
 * portal has no configuration for it, so nothing is checked), `unknown` (configured, not
 * checked yet).
 *
 * @public
 */
export type PlatformDependencyStatus =
  | 'up'
  | 'degraded'
  | 'down'
  | 'not-configured'
  | 'unknown';

/**
 * The last error of a dependency, with credentials and tokens removed.
 *
 * @public
 */
export interface PlatformDependencyError {
  message: string;
  /** When the check that failed ran (ISO 8601). */
  at: string;
}

/**
 * The current state of a dependency (`GET /api/platform-health/v1/dependencies`).
 *
 * @public
 */
export interface PlatformDependencyState {
  id: PlatformDependencyId;
  title: string;
  status: PlatformDependencyStatus;
  /**
   * Whether the portal cannot work without it: the portal's readiness includes it, and the page
   * says so. The others are ones the portal degrades around.
   */
  critical: boolean;
  /** Latency of the last check in milliseconds (absent when not checked). */
  latencyMs?: number;
  /** When it was last checked (ISO 8601; absent when never checked). */
  checkedAt?: string;
  /** The last failed check in the history window (it may be older than the current status). */
  lastError?: PlatformDependencyError;
  /** When the status last changed to the current one, within the history window. */
  lastChangeAt?: string;
}

/**
 * The answer of `GET /api/platform-health/v1/dependencies`.
 *
 * @public
 */
export interface PlatformDependenciesResponse {
  dependencies: PlatformDependencyState[];
  /** How often the backend checks, in milliseconds. */
  frequencyMs: number;
}

/**
 * One check in a dependency's history.
 *
 * @public
 */
export interface PlatformDependencyCheck {
  status: 'up' | 'degraded' | 'down';
  latencyMs?: number;
  checkedAt: string;
  error?: string;
}

/**
 * The answer of `GET /api/platform-health/v1/dependencies/:id/history?hours=24`, oldest first.
 *
 * @public
 */
export interface PlatformDependencyHistoryResponse {
  id: PlatformDependencyId;
  hours: number;
  checks: PlatformDependencyCheck[];
}

/**
 * How far back history goes: the backend keeps (and answers) at most this many hours.
 *
 * @public
 */
export const PLATFORM_HEALTH_RETENTION_HOURS = 24;

/**
 * The status of one configured dependency for everyone who needs to know it is down
 * (`GET /api/platform-health/v1/status`): no error text, latency or address.
 *
 * @public
 */
export interface PlatformDependencyStatusSummary {
  id: PlatformDependencyId;
  title: string;
  /** `unknown` while the first check of a configured dependency is under way. */
  status: Exclude<PlatformDependencyStatus, 'not-configured'>;
  /**
   * Since when it has had this status (ISO 8601): the first check of the current run, or the
   * oldest check kept (24 h) when it has not changed since. Absent while `unknown`.
   */
  since?: string;
}

/**
 * The answer of `GET /api/platform-health/v1/status`: the configured dependencies only, in
 * display order.
 *
 * @public
 */
export interface PlatformStatusResponse {
  dependencies: PlatformDependencyStatusSummary[];
}
