import { TestDatabases } from '@backstage/backend-test-utils';
import { DataProductManifest } from '@akili/plugin-akili-common';
import { randomBytes } from 'node:crypto';
import { Knex } from 'knex';
import {
  prepareTenantRole,
  TenantScopedDatabase,
} from '@akili/plugin-akili-node';
import { requireTestDatabaseIds } from '@akili/plugin-akili-node/testUtils';
import {
  QualityOutcome,
  QualitySeverity,
  qualityScore,
} from '@akili/plugin-quality-common';
import {
  productContract,
  QUALITY_MIGRATIONS_DIRECTORY,
  QualityStore,
  StoredResultInput,
} from './QualityStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: requireTestDatabaseIds() });
const NOW = new Date('2026-12-03T12:00:00.000Z');

function manifest(
  tenant: string,
  name: string,
  options: {
    rules?: Array<{
      name: string;
      severity: QualitySeverity;
      type?: 'completeness' | 'uniqueness' | 'freshness' | 'custom';
      port?: string;
    }>;
    maxDelay?: string;
    ports?: string[];
  } = {},
): DataProductManifest {
  return {
    apiVersion: 'akili.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { name, namespace: tenant },
    spec: {
      type: 'source-aligned',
      lifecycle: 'production',
      owner: `${tenant}-team`,
      domain: 'sales',
      outputPorts: (options.ports ?? [name]).map(port => ({
        name: port,
        kind: 'table' as const,
        location: { table: { database: 'sales', table: port } },
        schema: [{ name: 'id', type: 'string' as const }],
      })),
      quality: (options.rules ?? []).map(rule => ({
        name: rule.name,
        type: rule.type ?? 'completeness',
        severity: rule.severity,
        ...(rule.port ? { port: rule.port } : {}),
        operator: '<' as const,
        threshold: 0.01,
      })),
      ...(options.maxDelay
        ? { slos: { freshness: { maxDelay: options.maxDelay } } }
        : {}),
    },
  };
}

let seq = 0;
function result(
  rule: string,
  outcome: QualityOutcome,
  observedAt: string,
  extra: Partial<StoredResultInput> = {},
): StoredResultInput {
  seq += 1;
  return {
    executionId: `exec-${seq}`,
    source: 'api:ci',
    rule,
    outcome,
    observedAt,
    ...extra,
  };
}

describe.each(databases.eachSupportedId())('QualityStore on %p', databaseId => {
  // On PostgreSQL the store runs as a tenant role that owns nothing, as in production: row-level
  // security applies to every query.
  const role = `akili_quality_${randomBytes(5).toString('hex')}`;
  const opened: Knex[] = [];

  afterAll(async () => {
    for (const knex of opened) {
      await knex.raw('DROP OWNED BY ??', [role]).catch(() => {});
    }
    if (opened[0]) {
      await opened[0].raw('DROP ROLE IF EXISTS ??', [role]);
    }
  });

  async function setUp() {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest({ directory: QUALITY_MIGRATIONS_DIRECTORY });
    let tenantRole: string | undefined;
    if (knex.client.config.client === 'pg') {
      if (opened.length === 0) {
        await knex.raw('CREATE ROLE ?? NOLOGIN', [role]);
        await knex.raw('GRANT ?? TO CURRENT_USER', [role]);
      }
      opened.push(knex);
      await prepareTenantRole(knex, role);
      tenantRole = role;
    }
    const db = TenantScopedDatabase.create(knex, { tenantRole });
    let now = NOW;
    const store = new QualityStore({ db, now: () => now });
    return {
      knex,
      db,
      store,
      setNow: (time: Date) => {
        now = time;
      },
    };
  }

  it('stores history once per execution and keeps the newest result as the latest', async () => {
    const { store, db } = await setUp();
    await store.syncProduct(
      'acme',
      manifest('acme', 'orders', {
        rules: [{ name: 'no_nulls', severity: 'error' }],
      }),
    );
    const newer = result('no_nulls', 'fail', '2026-12-03T10:00:00Z');
    const older = result('no_nulls', 'pass', '2026-12-02T10:00:00Z');
    const stored: string[] = [];
    expect(
      await store.ingest('acme', 'orders', [newer], {
        onStored: async (_tx, results) => {
          stored.push(...results.map(r => r.executionId));
        },
      }),
    ).toEqual({ accepted: 1, duplicates: 0, outsideContract: [] });
    expect(await store.ingest('acme', 'orders', [newer, older])).toEqual({
      accepted: 1,
      duplicates: 1,
      outsideContract: [],
    });
    expect(stored).toEqual([newer.executionId]);

    const summary = await store.summary('acme', 'orders');
    expect(summary.rules).toEqual([
      expect.objectContaining({
        name: 'no_nulls',
        port: 'orders',
        dimension: 'completeness',
        severity: 'error',
        status: 'fail',
        lastResult: expect.objectContaining({
          executionId: newer.executionId,
          observedAt: '2026-12-03T10:00:00.000Z',
          port: 'orders',
          source: 'api:ci',
        }),
      }),
    ]);
    expect(summary.status).toBe('failing');
    const page = await store.results('acme', 'orders', { limit: 10 });
    expect(page.items.map(r => r.executionId)).toEqual([
      newer.executionId,
      older.executionId,
    ]);
    const count = await db.withTenant('acme', tx =>
      db.scoped(tx, 'quality_results').count({ n: '*' }).first(),
    );
    expect(Number(count?.n)).toBe(2);
  });

  it('computes the score, coverage and dimensions as qualityScore does', async () => {
    const { store } = await setUp();
    const rules = [
      { name: 'e1', severity: 'error' as const, type: 'completeness' as const },
      { name: 'e2', severity: 'error' as const, type: 'uniqueness' as const },
      { name: 'w1', severity: 'warning' as const, type: 'uniqueness' as const },
      { name: 'w2', severity: 'warning' as const, type: 'custom' as const },
      { name: 'i1', severity: 'info' as const, type: 'custom' as const },
      { name: 'never', severity: 'error' as const, type: 'freshness' as const },
    ];
    await store.syncProduct('acme', manifest('acme', 'orders', { rules }));
    const outcomes: Record<string, QualityOutcome> = {
      e1: 'pass',
      e2: 'warn',
      w1: 'fail',
      w2: 'pass',
      i1: 'error',
    };
    const response = await store.ingest('acme', 'orders', [
      ...Object.entries(outcomes).map(([rule, outcome]) =>
        result(rule, outcome, '2026-12-03T09:00:00Z'),
      ),
      result('ad_hoc', 'fail', '2026-12-03T09:00:00Z', {
        dimension: 'consistency',
      }),
    ]);
    expect(response).toEqual({
      accepted: 6,
      duplicates: 0,
      outsideContract: ['ad_hoc'],
    });
    const summary = await store.summary('acme', 'orders');
    const expected = qualityScore(
      rules.map(rule => ({
        severity: rule.severity,
        outcome: outcomes[rule.name],
      })),
    );
    expect(expected).toBe(64.7);
    expect(summary.score).toBe(expected);
    expect(summary.coverage).toEqual({
      rules: 6,
      rulesWithResults: 5,
      ratio: 5 / 6,
    });
    expect(summary.dimensions).toEqual([
      {
        dimension: 'accuracy',
        score: 66.7,
        rules: 2,
        rulesWithResults: 2,
        failing: 1,
      },
      {
        dimension: 'completeness',
        score: 100,
        rules: 1,
        rulesWithResults: 1,
        failing: 0,
      },
      {
        dimension: 'timeliness',
        score: null,
        rules: 1,
        rulesWithResults: 0,
        failing: 0,
      },
      {
        dimension: 'uniqueness',
        score: qualityScore([
          { severity: 'error', outcome: 'warn' },
          { severity: 'warning', outcome: 'fail' },
        ]),
        rules: 2,
        rulesWithResults: 2,
        failing: 1,
      },
    ]);
    expect(summary.rules.find(r => r.name === 'never')?.status).toBe('unknown');
    // Outside the contract: listed, stored, not scored.
    expect(summary.outsideContract).toEqual([
      expect.objectContaining({
        rule: 'ad_hoc',
        dimension: 'consistency',
        severity: 'info',
        port: 'orders',
      }),
    ]);
    // An error rule warned and a warning rule failed: degraded, not failing.
    expect(summary.status).toBe('degraded');
    expect(summary.freshness).toEqual({ status: 'no-slo' });
  });

  it('scores 40 random products exactly as qualityScore does', async () => {
    const { store } = await setUp();
    // A small deterministic generator: the same products on every run.
    let state = 42;
    const random = (n: number) => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state % n;
    };
    const severities: QualitySeverity[] = ['error', 'warning', 'info'];
    const outcomes: Array<QualityOutcome | undefined> = [
      'pass',
      'warn',
      'fail',
      'error',
      undefined,
    ];
    const expected = new Map<string, number | null>();
    for (let p = 0; p < 40; p++) {
      const name = `product-${p}`;
      const rules = Array.from({ length: 1 + random(8) }, (_, i) => ({
        name: `rule_${i}`,
        severity: severities[random(3)],
        outcome: outcomes[random(5)],
      }));
      await store.syncProduct('acme', manifest('acme', name, { rules }));
      const ran = rules.filter(rule => rule.outcome);
      if (ran.length > 0) {
        await store.ingest(
          'acme',
          name,
          ran.map(rule =>
            result(rule.name, rule.outcome!, '2026-12-03T09:00:00Z'),
          ),
        );
      }
      expected.set(`dataproduct:acme/${name}`, qualityScore(rules));
    }
    const { items } = await store.scores('acme');
    expect(new Map(items.map(item => [item.product, item.score]))).toEqual(
      expected,
    );
    expect(
      [...expected.values()].filter(score => score === null).length,
    ).toBeGreaterThan(0);
  });

  it('reports unknown with no result and no run, then freshness from the last success', async () => {
    const { store, setNow } = await setUp();
    await store.syncProduct(
      'acme',
      manifest('acme', 'orders', {
        rules: [{ name: 'r', severity: 'warning' }],
        maxDelay: 'PT2H',
      }),
    );
    let summary = await store.summary('acme', 'orders');
    expect(summary.status).toBe('unknown');
    expect(summary.score).toBeNull();
    expect(summary.freshness).toEqual({
      status: 'unknown',
      maxDelay: 'PT2H',
      maxDelayMinutes: 120,
    });
    await store.recordRun('acme', 'orders', {
      runId: 'r1',
      status: 'SUCCESS',
      endedAt: '2026-12-03T11:00:00Z',
    });
    // A failed or older run does not move freshness back.
    await store.recordRun('acme', 'orders', {
      runId: 'r0',
      status: 'SUCCESS',
      endedAt: '2026-12-03T08:00:00Z',
    });
    await store.recordRun('acme', 'orders', {
      runId: 'r2',
      status: 'FAILURE',
      endedAt: '2026-12-03T11:30:00Z',
    });
    summary = await store.summary('acme', 'orders');
    expect(summary.freshness).toEqual({
      status: 'fresh',
      maxDelay: 'PT2H',
      maxDelayMinutes: 120,
      lastSuccessAt: '2026-12-03T11:00:00.000Z',
      ageMinutes: 60,
    });
    expect(summary.status).toBe('healthy');
    setNow(new Date('2026-12-03T13:00:00Z'));
    expect((await store.summary('acme', 'orders')).freshness.status).toBe(
      'fresh',
    );
    setNow(new Date('2026-12-03T13:00:01Z'));
    summary = await store.summary('acme', 'orders');
    expect(summary.freshness.status).toBe('stale');
    expect(summary.status).toBe('stale');
    const dashboard = await store.dashboard('acme', 30);
    expect(dashboard.staleProducts).toEqual([
      {
        product: 'dataproduct:acme/orders',
        freshness: expect.objectContaining({
          status: 'stale',
          ageMinutes: 120,
        }),
      },
    ]);
  });

  it('refuses a result from the future, naming it, and stores nothing', async () => {
    const { store } = await setUp();
    await store.syncProduct('acme', manifest('acme', 'orders'));
    await expect(
      store.ingest('acme', 'orders', [
        result('r', 'pass', '2026-12-03T12:04:00Z'),
        result('r', 'pass', '2026-12-03T12:06:00Z'),
      ]),
    ).rejects.toThrow('results.1.observedAt must not be more than 5 minutes');
    expect((await store.results('acme', 'orders', { limit: 5 })).items).toEqual(
      [],
    );
  });

  it('keeps a daily trend from the last result of each rule per day', async () => {
    const { store } = await setUp();
    await store.syncProduct(
      'acme',
      manifest('acme', 'orders', {
        rules: [
          { name: 'a', severity: 'error' },
          { name: 'b', severity: 'warning' },
        ],
      }),
    );
    await store.ingest('acme', 'orders', [
      result('a', 'fail', '2026-12-01T08:00:00Z'),
      result('a', 'pass', '2026-12-01T20:00:00Z'),
      result('b', 'fail', '2026-12-01T09:00:00Z'),
      result('a', 'error', '2026-12-03T01:00:00Z'),
    ]);
    // Late arrival of an earlier result of that day: the day keeps its last one.
    await store.ingest('acme', 'orders', [
      result('a', 'fail', '2026-12-01T10:00:00Z'),
    ]);
    const trend = await store.trend('acme', 'orders', 3);
    expect(trend).toEqual([
      { day: '2026-12-01', score: 75, pass: 1, warn: 0, fail: 1, error: 0 },
      { day: '2026-12-02', score: null, pass: 0, warn: 0, fail: 0, error: 0 },
      { day: '2026-12-03', score: 0, pass: 0, warn: 0, fail: 0, error: 1 },
    ]);
    expect((await store.trend('acme', 'orders', 30)).length).toBe(30);
  });

  it('pages results newest first, by rule', async () => {
    const { store } = await setUp();
    await store.syncProduct('acme', manifest('acme', 'orders'));
    const inputs = Array.from({ length: 5 }, (_, i) =>
      result(i % 2 ? 'odd' : 'even', 'pass', `2026-11-0${i + 1}T00:00:00Z`),
    );
    await store.ingest('acme', 'orders', inputs);
    const first = await store.results('acme', 'orders', { limit: 2 });
    expect(first.items.map(r => r.observedAt.slice(0, 10))).toEqual([
      '2026-11-05',
      '2026-11-04',
    ]);
    const second = await store.results('acme', 'orders', {
      limit: 2,
      cursor: first.nextCursor,
    });
    expect(second.items.map(r => r.observedAt.slice(0, 10))).toEqual([
      '2026-11-03',
      '2026-11-02',
    ]);
    const third = await store.results('acme', 'orders', {
      limit: 2,
      cursor: second.nextCursor,
    });
    expect(third.items.length).toBe(1);
    expect(third.nextCursor).toBeUndefined();
    const odd = await store.results('acme', 'orders', {
      limit: 10,
      rule: 'odd',
    });
    expect(odd.items.map(r => r.rule)).toEqual(['odd', 'odd']);
  });

  it('scores the tenant and builds its dashboard with incident response times', async () => {
    const { store, db } = await setUp();
    await store.syncProduct(
      'acme',
      manifest('acme', 'orders', {
        rules: [{ name: 'a', severity: 'error' }],
      }),
    );
    await store.syncProduct(
      'acme',
      manifest('acme', 'customers', {
        rules: [
          { name: 'a', severity: 'warning' },
          { name: 'b', severity: 'info' },
        ],
      }),
    );
    await store.syncProduct('acme', manifest('acme', 'empty'));
    await store.ingest('acme', 'orders', [
      result('a', 'fail', '2026-12-03T10:00:00Z'),
    ]);
    await store.ingest('acme', 'customers', [
      result('a', 'warn', '2026-12-03T10:00:00Z'),
      result('b', 'fail', '2026-12-03T11:00:00Z'),
    ]);
    await db.withTenant('acme', tx =>
      db.insert(tx, 'quality_incidents', [
        {
          product: 'orders',
          cause_kind: 'rule',
          cause_key: 'a',
          title: 'a failed',
          state: 'new',
          severity: 'error',
          opened_at: new Date('2026-12-03T10:00:00Z'),
          last_failure_at: new Date('2026-12-03T10:00:00Z'),
        },
        {
          product: 'orders',
          cause_kind: 'rule',
          cause_key: 'b',
          title: 'b failed',
          state: 'resolved',
          severity: 'error',
          opened_at: new Date('2026-12-02T10:00:00Z'),
          acknowledged_at: new Date('2026-12-02T10:30:00Z'),
          resolved_at: new Date('2026-12-02T12:00:00Z'),
          last_failure_at: new Date('2026-12-02T10:00:00Z'),
        },
        {
          product: 'customers',
          cause_kind: 'run',
          cause_key: 'job',
          title: 'run failed',
          state: 'acknowledged',
          severity: 'error',
          opened_at: new Date('2026-12-03T09:00:00Z'),
          acknowledged_at: new Date('2026-12-03T09:10:00Z'),
          last_failure_at: new Date('2026-12-03T09:00:00Z'),
        },
      ]),
    );
    const scores = await store.scores('acme');
    expect(scores).toEqual({
      tenant: 'acme',
      items: [
        {
          product: 'dataproduct:acme/customers',
          score: qualityScore([
            { severity: 'warning', outcome: 'warn' },
            { severity: 'info', outcome: 'fail' },
          ]),
          status: 'degraded',
          coverage: 1,
          freshness: 'no-slo',
          openIncidents: 1,
        },
        {
          product: 'dataproduct:acme/empty',
          score: null,
          status: 'unknown',
          coverage: null,
          freshness: 'no-slo',
          openIncidents: 0,
        },
        {
          product: 'dataproduct:acme/orders',
          score: 0,
          status: 'failing',
          coverage: 1,
          freshness: 'no-slo',
          openIncidents: 1,
        },
      ],
    });
    const dashboard = await store.dashboard('acme', 30);
    expect(dashboard.products.map(p => p.product)).toEqual([
      'dataproduct:acme/orders',
      'dataproduct:acme/customers',
      'dataproduct:acme/empty',
    ]);
    // The failing info rule is not on the dashboard; the error rule is.
    expect(dashboard.failingRules).toEqual([
      expect.objectContaining({
        product: 'dataproduct:acme/orders',
        rule: 'a',
        severity: 'error',
        outcome: 'fail',
      }),
    ]);
    expect(dashboard.incidents).toEqual({
      open: 2,
      meanMinutesToAcknowledge: 20,
      meanMinutesToResolve: 120,
      days: 30,
    });
    expect(dashboard.trend.at(-1)).toEqual({
      day: '2026-12-03',
      score: qualityScore([
        { severity: 'error', outcome: 'fail' },
        { severity: 'warning', outcome: 'warn' },
        { severity: 'info', outcome: 'fail' },
      ]),
      pass: 0,
      warn: 1,
      fail: 2,
      error: 0,
    });
  });

  it('reads a synced product and its upstream statuses in one view, and asks for a sync when its contract changed', async () => {
    const { store, db } = await setUp();
    const orders = manifest('acme', 'orders', {
      rules: [{ name: 'a', severity: 'error' }],
    });
    // Never synced: no view until the contract is stored.
    expect(
      await store.productView('acme', 'orders', {
        contractHash: productContract(orders).hash,
      }),
    ).toBeUndefined();
    await store.syncProduct('acme', orders);
    await store.syncProduct(
      'acme',
      manifest('acme', 'customers', {
        rules: [{ name: 'c', severity: 'error' }],
      }),
    );
    await store.ingest('acme', 'orders', [
      result('a', 'pass', '2026-12-03T10:00:00Z'),
    ]);
    await store.ingest('acme', 'customers', [
      result('c', 'fail', '2026-12-03T10:00:00Z'),
    ]);
    const syncedAt = () =>
      db.withTenant('acme', async tx => {
        const row = await db
          .scoped(tx, 'quality_products')
          .where({ product: 'orders' })
          .first('synced_at');
        return row?.synced_at;
      });
    const before = await syncedAt();
    expect(before).toBeDefined();

    const view = await store.productView('acme', 'orders', {
      contractHash: productContract(orders).hash,
      upstream: ['customers', 'missing'],
    });
    expect(view?.summary).toEqual(await store.summary('acme', 'orders'));
    expect(view?.summary).toMatchObject({ score: 100, status: 'healthy' });
    // One query for the upstream products of the tenant; an unknown one is absent.
    expect(view && [...view.upstream]).toEqual([
      ['customers', { status: 'failing', score: 0 }],
    ]);
    expect(await syncedAt()).toEqual(before);

    // Another contract (a rule more): no view, the caller syncs.
    const changed = manifest('acme', 'orders', {
      rules: [
        { name: 'a', severity: 'error' },
        { name: 'b', severity: 'warning' },
      ],
    });
    expect(productContract(changed).hash).not.toBe(
      productContract(orders).hash,
    );
    expect(
      await store.productView('acme', 'orders', {
        contractHash: productContract(changed).hash,
      }),
    ).toBeUndefined();
    await store.syncProduct('acme', changed);
    const after = await store.productView('acme', 'orders', {
      contractHash: productContract(changed).hash,
    });
    expect(after?.summary.coverage).toEqual({
      rules: 2,
      rulesWithResults: 1,
      ratio: 0.5,
    });
    // Another tenant's view of the same name is its own (none synced there).
    expect(
      await store.productView('globex', 'orders', {
        contractHash: productContract(changed).hash,
      }),
    ).toBeUndefined();
  });

  it('keeps tenants apart: rows written as one tenant are invisible to another', async () => {
    const { store, db } = await setUp();
    await store.syncProduct(
      'acme',
      manifest('acme', 'orders', {
        rules: [{ name: 'a', severity: 'error' }],
      }),
    );
    await store.ingest('acme', 'orders', [
      result('a', 'fail', '2026-12-03T10:00:00Z'),
    ]);
    expect((await store.scores('globex')).items).toEqual([]);
    const globex = await store.summary('globex', 'orders');
    expect(globex.rules).toEqual([]);
    expect(globex.status).toBe('unknown');
    for (const table of [
      'quality_results',
      'quality_latest',
      'quality_daily',
      'quality_rules',
      'quality_products',
    ]) {
      // Unfiltered reads: on PostgreSQL row-level security alone hides acme's rows.
      const rows = await db.withTenant('globex', tx =>
        db.enforcesRowLevelSecurity
          ? tx(table).select()
          : db.scoped(tx, table).select(),
      );
      expect(rows).toEqual([]);
    }
  });
});
