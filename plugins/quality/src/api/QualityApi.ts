import { createApiRef } from '@backstage/frontend-plugin-api';
import type { AkiliIdentityInfo } from '@akili/plugin-akili-common';
import type {
  IncidentState,
  QualityIncidentDetail,
  QualityIncidentPage,
  QualityProductSummary,
  QualityResultPage,
  QualityTenantDashboard,
  QualityTenantScores,
  QualityTrend,
  ResolveIncidentRequest,
} from '@akili/plugin-quality-common';

/**
 * Options of {@link QualityApi.listTenantIncidents}.
 *
 * @public
 */
export interface IncidentListQuery {
  /** One state, or `open` (every state but `resolved`), or `all`. */
  state?: IncidentState | 'open' | 'all';
  /** A product name of the tenant. */
  product?: string;
  limit?: number;
  cursor?: string;
}

/**
 * The quality API of the `quality` backend plugin, as the portal uses it.
 *
 * @remarks
 *
 * Every method rejects with a `ResponseError` (from `@backstage/errors`) when the backend
 * answers with an error status: its `statusCode` tells a 403 (not allowed), a 404 (no such
 * product or incident, or the quality backend is not installed) and a 503 apart.
 *
 * @public
 */
export interface QualityApi {
  /** Score, dimensions, coverage, rules, freshness and upstream status of a product. */
  getSummary(namespace: string, name: string): Promise<QualityProductSummary>;
  /** The product's daily score over the last `days` days. */
  getTrend(
    namespace: string,
    name: string,
    days: 30 | 90,
  ): Promise<QualityTrend>;
  /** A page of a product's results, newest first; of one rule when `rule` is given. */
  listResults(
    namespace: string,
    name: string,
    query?: { rule?: string; limit?: number; cursor?: string },
  ): Promise<QualityResultPage>;
  /** The product's incidents, open ones (default) or all. */
  listProductIncidents(
    namespace: string,
    name: string,
    state?: 'open' | 'all',
  ): Promise<QualityIncidentPage>;
  /** Score and status of every product of a tenant. */
  getTenantScores(tenant: string): Promise<QualityTenantScores>;
  /** The tenant's quality dashboard over the last `days` days. */
  getDashboard(tenant: string, days?: number): Promise<QualityTenantDashboard>;
  /** The tenant's incidents, newest first. */
  listTenantIncidents(
    tenant: string,
    query?: IncidentListQuery,
  ): Promise<QualityIncidentPage>;
  /** One incident with its timeline. */
  getIncident(tenant: string, id: string): Promise<QualityIncidentDetail>;
  acknowledgeIncident(
    tenant: string,
    id: string,
  ): Promise<QualityIncidentDetail>;
  /** Assigns the incident to a user (entity ref). */
  assignIncident(
    tenant: string,
    id: string,
    assignee: string,
  ): Promise<QualityIncidentDetail>;
  resolveIncident(
    tenant: string,
    id: string,
    request: ResolveIncidentRequest,
  ): Promise<QualityIncidentDetail>;
  commentIncident(
    tenant: string,
    id: string,
    comment: string,
  ): Promise<QualityIncidentDetail>;
  /** Who the caller is to Akili and their tenants (the akili backend's `GET /v1/me`). */
  getIdentity(): Promise<AkiliIdentityInfo>;
  /** The names of every tenant (the akili backend's `GET /v1/tenants`; all of them for admins). */
  listTenantNames(): Promise<string[]>;
}

/**
 * Reference to the {@link QualityApi}.
 *
 * @public
 */
export const qualityApiRef = createApiRef<QualityApi>().with({
  id: 'plugin.quality',
  pluginId: 'quality',
});
