/*
 * bench/quality: the quality API over 10,000,000 check results on PostgreSQL (100 products of one
 * tenant × 90 days × 12 rules × 93 executions a day, plus a second tenant's products). Prints
 * p50/p95 of the product summary and the tenant dashboard through the API (a real backend with
 * the quality plugin), and, as the baseline in the same run, a plain indexed `SELECT` of each
 * rule's latest result of one product straight from the results table.
 *
 * The history is bulk-loaded with SQL (`generate_series`), and the rollups the plugin keeps while
 * ingesting (latest result per rule, last result per rule and day) are built from it with SQL in
 * the same shape; one newer result is then reported through the API, and the summary must show
 * it, so the loaded rollups are the plugin's own.
 *
 *   make bench NAME=quality        (AKILI_BENCH_RESULTS=1000000 for a quicker run)
 */
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  mockTenantStatus,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import { TenantScopedDatabase } from '@akili/plugin-akili-node';
import { QUALITY_DIMENSIONS } from '@akili/plugin-quality-common';
import qualityPlugin from '@akili/plugin-quality-backend';
import knexFactory from 'knex';
import {
  databaseUrl,
  freshPostgresDatabase,
  ms,
  percentile,
} from '../lib/bench';

const TARGET = Number(process.env.AKILI_BENCH_RESULTS ?? 10_000_000);
const PRODUCTS = 100;
const DAYS = 90;
const RULES = 12;
const PER_DAY = Math.max(1, Math.ceil(TARGET / (PRODUCTS * DAYS * RULES)));
const SAMPLES = Number(process.env.AKILI_BENCH_SAMPLES ?? 200);
const DASHBOARD_SAMPLES = Number(
  process.env.AKILI_BENCH_DASHBOARD_SAMPLES ?? 50,
);
const TENANT = 'acme';
const OTHER = 'globex';
const SEVERITIES = ['error', 'warning', 'info'] as const;

const now = () => performance.now();
const productName = (i: number) => `product-${String(i).padStart(3, '0')}`;
const ruleName = (r: number) => `rule_${String(r).padStart(2, '0')}`;

function entity(tenant: string, name: string): Entity {
  return {
    apiVersion: 'akili.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { namespace: tenant, name },
    spec: {
      type: 'source-aligned',
      lifecycle: 'production',
      owner: `${tenant}-team`,
      domain: 'sales',
      outputPorts: [
        {
          name: 'main',
          kind: 'table',
          location: { table: { database: tenant, table: name } },
          schema: [{ name: 'id', type: 'string' }],
        },
      ],
      quality: Array.from({ length: RULES }, (_, r) => ({
        name: ruleName(r),
        type: 'custom',
        port: 'main',
        query: 'SELECT 1',
        operator: '=',
        threshold: 1,
        dimension: QUALITY_DIMENSIONS[r % QUALITY_DIMENSIONS.length],
        severity: SEVERITIES[r % SEVERITIES.length],
      })),
      slos: { freshness: { maxDelay: 'PT6H' } },
    },
  };
}

/**
 * One product's history in one statement: every rule, day and execution, the outcome a
 * deterministic mix (about 2 % failures, 6 % warnings, a few errors), run ids and partitions
 * as a scheduled pipeline writes them.
 */
const LOAD_PRODUCT = `
INSERT INTO quality_results (tenant_id, product, port, rule, dimension, severity, outcome,
  observed_value, threshold, run_id, partition, source, execution_id, observed_at, received_at,
  message, in_contract)
SELECT :tenant, :product, 'main', 'rule_' || lpad(r::text, 2, '0'),
  (ARRAY[${QUALITY_DIMENSIONS.map(d => `'${d}'`).join(',')}])[(r % ${
  QUALITY_DIMENSIONS.length
}) + 1],
  (ARRAY['error','warning','info'])[(r % 3) + 1],
  CASE WHEN (r * 31 + d * 17 + k * 7 + :seed) % 97 = 0 THEN 'error'
       WHEN (r * 31 + d * 17 + k * 7 + :seed) % 50 < 1 THEN 'fail'
       WHEN (r * 31 + d * 17 + k * 7 + :seed) % 50 < 4 THEN 'warn'
       ELSE 'pass' END,
  ((r * 31 + d * 17 + k * 7) % 1000)::text, '= 1', 'run-' || d || '-' || k,
  to_char(:start::timestamptz + d * interval '1 day', 'YYYY-MM-DD'),
  'bench', :product || ':' || r || ':' || d || ':' || k,
  :start::timestamptz + d * interval '1 day' + k * (interval '1 day' / :perDay),
  :start::timestamptz + d * interval '1 day' + k * (interval '1 day' / :perDay),
  NULL, true
FROM generate_series(0, ${RULES - 1}) r, generate_series(0, ${DAYS - 1}) d,
  generate_series(0, :perDay - 1) k`;

/** The rollups the plugin maintains on ingestion, built from the loaded history. */
const BUILD_LATEST = `
INSERT INTO quality_latest (tenant_id, product, rule, result_id, outcome, observed_at, port,
  dimension, severity, in_contract)
SELECT DISTINCT ON (tenant_id, product, rule) tenant_id, product, rule, id, outcome,
  observed_at, port, dimension, severity, in_contract
FROM quality_results WHERE tenant_id = :tenant
ORDER BY tenant_id, product, rule, observed_at DESC, id DESC`;

const BUILD_DAILY = `
INSERT INTO quality_daily (tenant_id, product, rule, day, outcome, observed_at)
SELECT DISTINCT ON (tenant_id, product, rule, day) tenant_id, product, rule, day, outcome,
  observed_at
FROM (SELECT *, to_char(observed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day
      FROM quality_results WHERE tenant_id = :tenant) results
ORDER BY tenant_id, product, rule, day, observed_at DESC, id DESC`;

/**
 * The best an index alone gives without rollups: one index probe per rule of the product (the
 * rules' names are known from the contract), newest result of each.
 */
const LATERAL_LATEST = `
SELECT rules.rule, latest.outcome, latest.observed_at
FROM unnest(:rules::text[]) AS rules(rule)
CROSS JOIN LATERAL (
  SELECT outcome, observed_at FROM quality_results
  WHERE tenant_id = :tenant AND product = :product AND rule = rules.rule
  ORDER BY observed_at DESC LIMIT 1) latest`;

/** The baseline: each rule's latest result of one product, from the results table's index. */
const PLAIN_LATEST = `
SELECT DISTINCT ON (rule) rule, outcome, observed_at
FROM quality_results WHERE tenant_id = :tenant AND product = :product
ORDER BY rule, observed_at DESC`;

async function main() {
  // AKILI_BENCH_REUSE=1 measures again on the database a previous run loaded.
  const reuse = process.env.AKILI_BENCH_REUSE === '1';
  const knex = reuse
    ? knexFactory({
        client: 'pg',
        connection: databaseUrl('akili_bench_quality'),
        pool: { min: 0, max: 10 },
      })
    : await freshPostgresDatabase('akili_bench_quality', { min: 0, max: 10 });
  await knex.migrate.latest({
    directory: resolvePackagePath(
      '@akili/plugin-quality-backend',
      'migrations',
    ),
  });
  const db = TenantScopedDatabase.create(knex);
  // Starts 90 days ago, so the newest results are from the last day.
  const start = new Date(Date.now() - DAYS * 86_400_000).toISOString();

  const loadStarted = now();
  let loaded = 0;
  if (reuse) {
    // Row-level security: each tenant counts its own.
    for (const tenant of [TENANT, OTHER]) {
      const [{ n }] = await db.withTenant(tenant, tx =>
        tx('quality_results').count({ n: '*' }),
      );
      loaded += Number(n);
    }
  }
  const loadTenant = async (tenant: string, products: number) => {
    for (let p = 0; p < products; p++) {
      await db.withTenant(tenant, async tx => {
        const result = await tx.raw(LOAD_PRODUCT, {
          tenant,
          product: productName(p),
          seed: p,
          start,
          perDay: PER_DAY,
        });
        loaded += result.rowCount;
      });
      if ((p + 1) % 20 === 0) {
        console.log(
          `quality: ${tenant} ${
            p + 1
          }/${products} products loaded (${loaded.toLocaleString(
            'en-US',
          )} results, ${((now() - loadStarted) / 1000).toFixed(0)} s)`,
        );
      }
    }
    await db.withTenant(tenant, async tx => {
      await tx.raw(BUILD_LATEST, { tenant });
      await tx.raw(BUILD_DAILY, { tenant });
    });
  };
  if (!reuse) {
    await loadTenant(TENANT, PRODUCTS);
    await loadTenant(OTHER, 5);
    await knex.raw('ANALYZE');
  }
  console.log(
    `quality: ${loaded.toLocaleString(
      'en-US',
    )} results (${PRODUCTS} products × ${DAYS} days × ${RULES} rules × ${PER_DAY} a day, and 5 products of ${OTHER}) loaded with rollups in ${(
      (now() - loadStarted) /
      1000
    ).toFixed(0)} s`,
  );

  const entities = [
    ...Array.from({ length: PRODUCTS }, (_, p) =>
      entity(TENANT, productName(p)),
    ),
    ...Array.from({ length: 5 }, (_, p) => entity(OTHER, productName(p))),
  ];
  const { server } = await startTestBackend({
    features: [
      qualityPlugin,
      userInfoFromDirectory({
        'user:default/operator': [
          'user:default/operator',
          `group:akili/${TENANT}.operator`,
        ],
      }),
      mockTenantStatus({ [TENANT]: 'active', [OTHER]: 'active' }).factory,
      catalogServiceMock.factory({ entities }),
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({ data: {} }),
    ],
  });
  const auth = mockCredentials.user.header('user:default/operator');
  const get = async (path: string) => {
    const response = await request(server)
      .get(`/api/quality${path}`)
      .set('Authorization', auth);
    if (response.status !== 200) {
      throw new Error(
        `GET ${path} answered ${response.status}: ${response.text}`,
      );
    }
    return response.body;
  };

  // Every product once: the plugin syncs each contract from the catalog on first read.
  for (let p = 0; p < PRODUCTS; p++) {
    await get(`/v1/products/${TENANT}/${productName(p)}/summary`);
  }

  // The rollups are the plugin's: a result reported now is the summary's latest at once.
  const probe = productName(7);
  const reported = await request(server)
    .post(`/api/quality/v1/products/${TENANT}/${probe}/results`)
    .set('Authorization', auth)
    .send({
      tool: 'bench',
      results: [
        {
          executionId: 'bench-probe',
          rule: ruleName(0),
          outcome: 'fail',
          observedAt: new Date().toISOString(),
        },
      ],
    });
  if (reported.status !== 201) {
    throw new Error(`reporting answered ${reported.status}: ${reported.text}`);
  }
  const probed = await get(`/v1/products/${TENANT}/${probe}/summary`);
  const rule0 = probed.rules.find(
    (r: { name: string }) => r.name === ruleName(0),
  );
  if (rule0?.status !== 'fail') {
    throw new Error(
      `the reported result is not the latest: ${JSON.stringify(rule0)}`,
    );
  }

  const timed = async (
    samples: number,
    fn: (i: number) => Promise<unknown>,
  ) => {
    const times: number[] = [];
    for (let i = 0; i < samples + 5; i++) {
      const t0 = now();
      await fn(i);
      if (i >= 5) times.push(now() - t0);
    }
    return { p50: percentile(times, 50), p95: percentile(times, 95) };
  };

  const plain = await timed(SAMPLES, i =>
    db.withTenant(TENANT, tx =>
      tx.raw(PLAIN_LATEST, {
        tenant: TENANT,
        product: productName((i * 37) % PRODUCTS),
      }),
    ),
  );
  const rules = Array.from({ length: RULES }, (_, r) => ruleName(r));
  const lateral = await timed(SAMPLES, i =>
    db.withTenant(TENANT, tx =>
      tx.raw(LATERAL_LATEST, {
        rules,
        tenant: TENANT,
        product: productName((i * 37) % PRODUCTS),
      }),
    ),
  );
  const summary = await timed(SAMPLES, i =>
    get(`/v1/products/${TENANT}/${productName((i * 37) % PRODUCTS)}/summary`),
  );
  const trend = await timed(SAMPLES / 4, i =>
    get(
      `/v1/products/${TENANT}/${productName(
        (i * 37) % PRODUCTS,
      )}/trend?days=90`,
    ),
  );
  const dashboard = await timed(DASHBOARD_SAMPLES, () =>
    get(`/v1/tenants/${TENANT}/dashboard?days=30`),
  );

  console.log(
    `quality: plain indexed SELECT of one product's latest results: p50 ${ms(
      plain.p50,
    )}, p95 ${ms(plain.p95)}`,
  );
  console.log(
    `quality: one index probe per contract rule (LATERAL) of one product's latest results: p50 ${ms(
      lateral.p50,
    )}, p95 ${ms(lateral.p95)}`,
  );
  console.log(
    `quality: GET product summary: p50 ${ms(summary.p50)}, p95 ${ms(
      summary.p95,
    )} (${(summary.p95 / plain.p95).toFixed(2)}× the plain SELECT at p95)`,
  );
  console.log(
    `quality: GET product trend (90 days): p50 ${ms(trend.p50)}, p95 ${ms(
      trend.p95,
    )}`,
  );
  console.log(
    `quality: GET tenant dashboard (${PRODUCTS} products): p50 ${ms(
      dashboard.p50,
    )}, p95 ${ms(dashboard.p95)} (${(dashboard.p95 / plain.p95).toFixed(
      2,
    )}× the plain SELECT at p95)`,
  );
  await knex.destroy();
  console.log(
    `quality: ${loaded.toLocaleString('en-US')} results, summary p95 ${ms(
      summary.p95,
    )}, dashboard p95 ${ms(dashboard.p95)}, plain SELECT p95 ${ms(
      plain.p95,
    )} (goal: p95 < 200 ms)`,
  );
  process.exit(0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
