import { ResponseError } from '@backstage/errors';
import type { AkiliIdentityInfo } from '@akili/plugin-akili-common';
import type {
  IncidentTimelineEntry,
  QualityIncident,
  QualityIncidentDetail,
  QualityProductSummary,
  QualityResult,
  QualityTenantDashboard,
  QualityTrendDay,
} from '@akili/plugin-quality-common';
import type { QualityApi } from '../api';

/** A `ResponseError` as the client throws it for a Backstage error body (or none). */
export async function responseError(
  statusCode: number,
  name: string | undefined,
  message: string,
): Promise<ResponseError> {
  const body = name
    ? JSON.stringify({ error: { name, message }, response: { statusCode } })
    : message;
  return ResponseError.fromResponse({
    status: statusCode,
    statusText: '',
    headers: {
      get: () => (name ? 'application/json' : 'text/html'),
    },
    text: async () => body,
  } as unknown as Response);
}

/** An ISO time `minutes` before now. */
export function minutesAgo(minutes: number): string {
  return new Date(Date.now() - minutes * 60_000).toISOString();
}

export function result(
  rule: string,
  overrides: Partial<QualityResult> = {},
): QualityResult {
  return {
    id: `${rule}-${overrides.executionId ?? '1'}`,
    rule,
    port: 'orders',
    dimension: 'completeness',
    severity: 'error',
    outcome: 'pass',
    source: 'dagster',
    executionId: '1',
    observedAt: minutesAgo(30),
    ...overrides,
  };
}

/**
 * ACME orders: 9 contract rules, 7 of them ran (2 unknown); one error rule fails, so the
 * product is failing; an upstream product fails too.
 */
export function ordersSummary(): QualityProductSummary {
  const ran = [
    result('order_id_not_null', { observedValue: 0, threshold: '= 0' }),
    result('order_id_unique', {
      dimension: 'uniqueness',
      outcome: 'fail',
      observedValue: 17,
      threshold: '= 0',
      observedAt: '2026-12-03T10:15:00Z',
    }),
    result('daily_volume', {
      severity: 'warning',
      outcome: 'warn',
      observedValue: 812,
      threshold: 'between 1000 and 5000',
    }),
    result('email_format', { dimension: 'conformity' }),
    result('amount_positive', { dimension: 'accuracy' }),
    result('customer_ref', { dimension: 'consistency', severity: 'warning' }),
    result('fresh_hourly', { dimension: 'timeliness', severity: 'info' }),
  ];
  return {
    product: 'dataproduct:acme/orders',
    score: 71.4,
    status: 'failing',
    coverage: { rules: 9, rulesWithResults: 7, ratio: 7 / 9 },
    dimensions: [
      {
        dimension: 'completeness',
        score: 83.3,
        rules: 3,
        rulesWithResults: 2,
        failing: 0,
      },
      {
        dimension: 'uniqueness',
        score: 0,
        rules: 1,
        rulesWithResults: 1,
        failing: 1,
      },
      {
        dimension: 'coverage',
        score: null,
        rules: 1,
        rulesWithResults: 0,
        failing: 0,
      },
    ],
    rules: [
      ...ran.map(r => ({
        name: r.rule,
        port: r.port,
        dimension: r.dimension,
        severity: r.severity,
        status: r.outcome,
        lastResult: r,
      })),
      {
        name: 'country_coverage',
        dimension: 'coverage' as const,
        severity: 'warning' as const,
        status: 'unknown' as const,
      },
      {
        name: 'soda_row_checks',
        dimension: 'completeness' as const,
        severity: 'error' as const,
        status: 'unknown' as const,
        engine: 'soda',
      },
    ],
    outsideContract: [],
    freshness: {
      status: 'fresh',
      maxDelay: '6h',
      maxDelayMinutes: 360,
      lastSuccessAt: minutesAgo(90),
      ageMinutes: 90,
    },
    openIncidents: 1,
    upstream: [
      { product: 'dataproduct:acme/customers', status: 'failing', score: 40 },
      {
        product: 'dataproduct:acme/shop-events',
        status: 'healthy',
        score: 100,
      },
    ],
    computedAt: new Date().toISOString(),
  };
}

/** A product whose contract has rules but no check ever reported. */
export function silentSummary(): QualityProductSummary {
  const summary = ordersSummary();
  return {
    ...summary,
    score: null,
    status: 'unknown',
    coverage: { rules: 2, rulesWithResults: 0, ratio: 0 },
    dimensions: [
      {
        dimension: 'completeness',
        score: null,
        rules: 2,
        rulesWithResults: 0,
        failing: 0,
      },
    ],
    rules: summary.rules
      .filter(r => r.status === 'unknown')
      .map(r => ({ ...r })),
    freshness: { status: 'unknown', maxDelay: '6h', maxDelayMinutes: 360 },
    openIncidents: 0,
    upstream: [],
  };
}

/** `days` days up to today, with the days in `gaps` (indexes) without results. */
export function trendDays(
  days: number,
  gaps: number[] = [],
): QualityTrendDay[] {
  const today = Date.UTC(2026, 11, 3);
  return Array.from({ length: days }, (_, i) => {
    const day = new Date(today - (days - 1 - i) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    return gaps.includes(i)
      ? { day, score: null, pass: 0, warn: 0, fail: 0, error: 0 }
      : { day, score: 80 + (i % 5) * 4, pass: 6, warn: 1, fail: 0, error: 0 };
  });
}

export function incident(
  overrides: Partial<QualityIncident> = {},
): QualityIncident {
  return {
    id: '12',
    tenant: 'acme',
    product: 'dataproduct:acme/orders',
    cause: { kind: 'rule', key: 'order_id_unique' },
    title: 'order_id_unique fails on orders',
    state: 'new',
    severity: 'error',
    openedAt: minutesAgo(120),
    failures: 3,
    lastFailureAt: minutesAgo(30),
    ...overrides,
  };
}

export const operatorIdentity: AkiliIdentityInfo = {
  userEntityRef: 'user:default/olga',
  platformAdmin: false,
  tenants: [
    { name: 'acme', roles: ['operator'] },
    { name: 'globex', roles: ['developer'] },
  ],
};

export const developerIdentity: AkiliIdentityInfo = {
  userEntityRef: 'user:default/dev',
  platformAdmin: false,
  tenants: [{ name: 'acme', roles: ['developer'] }],
};

export function acmeDashboard(): QualityTenantDashboard {
  return {
    tenant: 'acme',
    products: [
      {
        product: 'dataproduct:acme/orders',
        score: 71.4,
        status: 'failing',
        coverage: 7 / 9,
        freshness: 'fresh',
        openIncidents: 1,
      },
      {
        product: 'dataproduct:acme/returns',
        score: 88,
        status: 'stale',
        coverage: 1,
        freshness: 'stale',
        openIncidents: 1,
      },
      {
        product: 'dataproduct:acme/customers',
        score: 100,
        status: 'healthy',
        coverage: 0.5,
        freshness: 'no-slo',
        openIncidents: 0,
      },
    ],
    failingRules: [
      {
        ...result('order_id_unique', {
          outcome: 'fail',
          observedValue: 17,
          threshold: '= 0',
        }),
        product: 'dataproduct:acme/orders',
      },
    ],
    staleProducts: [
      {
        product: 'dataproduct:acme/returns',
        freshness: {
          status: 'stale',
          maxDelay: '1d',
          maxDelayMinutes: 1440,
          lastSuccessAt: minutesAgo(3000),
          ageMinutes: 3000,
        },
      },
    ],
    trend: trendDays(30, [4, 5]),
    incidents: {
      open: 2,
      meanMinutesToAcknowledge: 42,
      meanMinutesToResolve: 200,
      days: 30,
    },
  };
}

/**
 * A {@link QualityApi} over data the test can change (`state`): every method is a `jest.fn`
 * so tests can assert calls or make one fail.
 */
export function fakeQualityApi(
  options: {
    summary?: QualityProductSummary;
    identity?: AkiliIdentityInfo;
    incidents?: QualityIncident[];
    timeline?: IncidentTimelineEntry[];
    dashboard?: QualityTenantDashboard;
  } = {},
) {
  const state = {
    summary: options.summary ?? ordersSummary(),
    incidents: options.incidents ?? [incident()],
    timeline: options.timeline ?? [
      {
        id: '1',
        at: minutesAgo(120),
        actor: 'akili:quality',
        kind: 'opened' as const,
        details: { outcome: 'fail' },
      },
    ],
  };

  const detail = async (
    tenant: string,
    id: string,
  ): Promise<QualityIncidentDetail> => {
    const found = state.incidents.find(i => i.tenant === tenant && i.id === id);
    if (!found) {
      throw await responseError(404, 'NotFoundError', `No incident ${id}`);
    }
    return { incident: found, timeline: state.timeline };
  };
  const change = async (
    tenant: string,
    id: string,
    patch: Partial<QualityIncident>,
    entry: Omit<IncidentTimelineEntry, 'id' | 'at' | 'actor'>,
  ) => {
    const current = await detail(tenant, id);
    const next = { ...current.incident, ...patch };
    state.incidents = state.incidents.map(i => (i.id === id ? next : i));
    state.timeline = [
      ...state.timeline,
      {
        id: String(state.timeline.length + 1),
        at: new Date().toISOString(),
        actor: 'user:default/olga',
        ...entry,
      },
    ];
    return detail(tenant, id);
  };

  const api = {
    getSummary: jest.fn(async () => state.summary),
    getTrend: jest.fn(async (_ns: string, name: string, days: 30 | 90) => ({
      product: `dataproduct:acme/${name}`,
      days: trendDays(days, [3, 4, 10]),
    })),
    listResults: jest.fn(
      async (_ns: string, _name: string, query?: { rule?: string }) => ({
        items: [
          result(query?.rule ?? 'x', { executionId: '3', outcome: 'fail' }),
          result(query?.rule ?? 'x', { executionId: '2', outcome: 'pass' }),
          result(query?.rule ?? 'x', { executionId: '1', outcome: 'pass' }),
        ],
      }),
    ),
    listProductIncidents: jest.fn(async () => ({
      items: state.incidents.filter(i => i.state !== 'resolved'),
    })),
    getTenantScores: jest.fn(async (tenant: string) => ({ tenant, items: [] })),
    getDashboard: jest.fn(async (tenant: string) => {
      if (tenant !== 'acme') {
        throw await responseError(403, 'NotAllowedError', 'not allowed');
      }
      return options.dashboard ?? acmeDashboard();
    }),
    listTenantIncidents: jest.fn(
      async (tenant: string, query?: { state?: string; product?: string }) => ({
        items: state.incidents.filter(
          i =>
            i.tenant === tenant &&
            (!query?.state ||
              query.state === 'all' ||
              (query.state === 'open'
                ? i.state !== 'resolved'
                : i.state === query.state)) &&
            (!query?.product || i.product.endsWith(`/${query.product}`)),
        ),
      }),
    ),
    getIncident: jest.fn(detail),
    acknowledgeIncident: jest.fn((tenant: string, id: string) =>
      change(
        tenant,
        id,
        { state: 'acknowledged', acknowledgedAt: new Date().toISOString() },
        { kind: 'acknowledged', details: {} },
      ),
    ),
    assignIncident: jest.fn((tenant: string, id: string, assignee: string) =>
      change(
        tenant,
        id,
        { state: 'assigned', assignee, assignedAt: new Date().toISOString() },
        { kind: 'assigned', details: { assignee } },
      ),
    ),
    resolveIncident: jest.fn(
      (
        tenant: string,
        id: string,
        request: { reason: any; comment?: string },
      ) =>
        change(
          tenant,
          id,
          {
            state: 'resolved',
            resolvedAt: new Date().toISOString(),
            resolution: { ...request, by: 'user:default/olga' },
          },
          { kind: 'resolved', details: { ...request } },
        ),
    ),
    commentIncident: jest.fn((tenant: string, id: string, comment: string) =>
      change(tenant, id, {}, { kind: 'commented', details: { comment } }),
    ),
    getIdentity: jest.fn(async () => options.identity ?? operatorIdentity),
    listTenantNames: jest.fn(async () => ['acme', 'globex']),
  } satisfies Record<keyof QualityApi, jest.Mock>;

  return Object.assign(api as typeof api & QualityApi, { state });
}

export type FakeQualityApi = ReturnType<typeof fakeQualityApi>;
