/*
 * bench/load: the whole portal backend (the security sweep's in-process backend: every feature of
 * features.ts on PostgreSQL, with the sweep's Dagster, GitLab, Argo CD, Kubernetes and lake
 * peers) under 200 concurrent connections of signed-in users of three tenants for 60 s, on a
 * realistic mix of routes; and, in the same run, the same connections on a stock catalog route
 * (`GET /api/catalog/entities?limit=20`) as the baseline. The load generator (autocannon) runs
 * in a process of its own (client.ts) and checks every answer for its expected status and for the
 * other tenants' markers (the sweep's markers.ts); this process samples the backend's memory
 * and event-loop delay.
 *
 *   make bench NAME=load   (AKILI_BENCH_SECONDS=15 AKILI_BENCH_CONNECTIONS=50 for a quicker run)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import knexFactory from 'knex';
import {
  TENANT_A,
  TENANT_B,
  manifestOf,
  sweepMarker,
} from '../../packages/backend/src/sweep/__testUtils__/fixtures';
import {
  dropStaleSweepDatabases,
  poll,
  send,
  sweepDatabases,
} from '../../packages/backend/src/sweep/__testUtils__/harness';
import { tenantMarkers } from '../../packages/backend/src/sweep/__testUtils__/markers';
import {
  startSweepBackend,
  SweepDatabase,
  SweepUser,
} from '../../packages/backend/src/sweep/__testUtils__/sweepBackend';
import { issueUserToken } from '../../packages/backend/src/sweep/__testUtils__/tokens';
import { percentile } from '../lib/bench';
import type { LoadGroup, LoadPlan, PhaseResult, PlannedRequest } from './plan';

const SECONDS = Number(process.env.AKILI_BENCH_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.AKILI_BENCH_CONNECTIONS ?? 200);
const repoRoot = path.resolve(__dirname, '../..');
const BASELINE_PATH = '/api/catalog/entities?limit=20';

/** The signed-in users: a member (developer and operator) or a consumer of one tenant. */
const USERS: Array<{
  user: SweepUser;
  tenant: string;
  role: 'member' | 'consumer';
}> = [
  { user: 'alice', tenant: TENANT_A.tenant, role: 'member' },
  { user: 'carol', tenant: TENANT_A.tenant, role: 'consumer' },
  { user: 'bob', tenant: TENANT_B.tenant, role: 'member' },
  { user: 'dave', tenant: TENANT_B.tenant, role: 'consumer' },
  // The sweep's third tenant (the other party of its access agreements): a member only.
  { user: 'ivan', tenant: 'initech', role: 'member' },
];
const TENANTS = [...new Set(USERS.map(u => u.tenant))];
/** The tenants the sweep's peers hold fixtures of (Dagster runs among them). */
const SWEEP_TENANTS = new Set([TENANT_A.tenant, TENANT_B.tenant]);

/**
 * The product each tenant's users open: an example product with a table (and, for the sweep's
 * two tenants, Dagster runs; initech's ODPS products have none in the sweep's Dagster).
 */
const PRODUCT: Record<string, string> = {
  [TENANT_A.tenant]: TENANT_A.product,
  [TENANT_B.tenant]: TENANT_B.product,
  initech: 'payments-ledger',
};

/** The manifest of `tenant`'s product, as its users validate it. */
function manifestFile(tenant: string): { text: string; contentType: string } {
  if (tenant === TENANT_A.tenant) {
    return { text: manifestOf(TENANT_A), contentType: 'application/yaml' };
  }
  if (tenant === TENANT_B.tenant) {
    return { text: manifestOf(TENANT_B), contentType: 'application/yaml' };
  }
  const dir = path.join(
    repoRoot,
    'examples/data-products',
    tenant,
    PRODUCT[tenant],
  );
  const file = fs
    .readdirSync(dir)
    .find(f => /\.odps\.ya?ml$|^dataproduct\.ya?ml$/.test(f));
  if (!file) throw new Error(`No product manifest in ${dir}`);
  return {
    text: fs.readFileSync(path.join(dir, file), 'utf8'),
    contentType: 'application/yaml',
  };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const fmt = (n: number) => n.toLocaleString('en-US');

async function main() {
  const database = sweepDatabases()
    .map(([, d]) => d)
    .find(
      (d): d is Extract<SweepDatabase, { client: 'pg' }> => d.client === 'pg',
    );
  if (!database) {
    throw new Error(
      'bench/load runs on PostgreSQL: AKILI_TEST_PG_ID is unset or AKILI_TEST_SKIP_POSTGRES=1 (run `make bench NAME=load`)',
    );
  }
  await dropStaleSweepDatabases(database);
  const startedAt = Date.now();
  let summary = '';
  const { backend, server } = await startSweepBackend(database);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const plan = await preparePlan(server, url);
    console.log(
      `load: backend up and users signed in in ${(
        (Date.now() - startedAt) /
        1000
      ).toFixed(0)} s; ` +
        `${CONNECTIONS} connections x ${SECONDS} s per phase, users ${plan.groups
          .map(g => `${g.user} (${g.tenant}, ${g.connections})`)
          .join(', ')}`,
    );

    // A short warm-up of the mix (JIT, pools, caches), not measured.
    await runPhase({ ...plan, seconds: Math.min(5, SECONDS) }, 'warm-up');
    const baseline = await runPhase(
      {
        ...plan,
        groups: plan.groups.map(g => ({
          ...g,
          requests: [
            {
              family: 'stock catalog list (baseline)',
              method: 'GET',
              path: BASELINE_PATH,
              expect: [200],
            },
          ],
        })),
      },
      'baseline',
    );
    const mix = await runPhase(plan, 'mix');
    summary = report(baseline, mix, plan);
  } finally {
    await backend.stop();
    // The auth backend's session store cleans up on a timer that outlives the backend (see
    // harness.ts): once its database is dropped, that timer fails until the process ends.
    process.on('uncaughtException', error => {
      if ((error as { code?: string }).code === '3D000') return;
      console.error(error);
      process.exit(1);
    });
    await dropOwnDatabases(database);
  }
  console.log(summary);
}

/** Tokens, the catalog's readiness, and each user's cycle of requests (each checked once). */
async function preparePlan(
  server: import('node:http').Server,
  url: string,
): Promise<LoadPlan> {
  const tokens = {} as Record<SweepUser, string>;
  for (const { user } of USERS)
    tokens[user] = await issueUserToken(server, user);
  const get = (user: SweepUser, p: string) =>
    send(server, { method: 'GET', url: p }, `Bearer ${tokens[user]}`);
  const member = (tenant: string) =>
    USERS.find(u => u.tenant === tenant && u.role === 'member')!.user;

  const runIds: Record<string, string[]> = {};
  const tables: Record<string, string | undefined> = {};
  for (const tenant of TENANTS) {
    const product = PRODUCT[tenant];
    await poll(
      `dataproduct:${tenant}/${product} in the catalog`,
      async () =>
        (
          await get(
            member(tenant),
            `/api/catalog/entities/by-name/dataproduct/${tenant}/${product}`,
          )
        ).status === 200 || undefined,
      180_000,
    );
    let lastSeen = '';
    const runs = await poll(
      () => `the runs of ${tenant}/${product} (last answer: ${lastSeen})`,
      async () => {
        const res = await get(
          member(tenant),
          `/api/dagster/v1/products/${tenant}/${product}/runs`,
        );
        lastSeen = `${res.status} ${res.text.slice(0, 300)}`;
        const ids =
          res.status === 200
            ? [...res.text.matchAll(/"runId"\s*:\s*"([^"]+)"/g)].map(m => m[1])
            : [];
        // The sweep's Dagster holds runs of the Akili-manifest products (not initech's ODPS ones).
        return ids.length || !SWEEP_TENANTS.has(tenant) ? ids : undefined;
      },
      20_000,
    );
    const all = await get(
      member(tenant),
      `/api/dagster/v1/tenants/${tenant}/runs`,
    );
    runIds[tenant] = [
      ...new Set([
        ...runs,
        ...[...all.text.matchAll(/"runId"\s*:\s*"([^"]+)"/g)].map(m => m[1]),
      ]),
    ];
    const schema = await get(
      member(tenant),
      `/api/starrocks/v1/tenants/${tenant}/schema`,
    );
    const found =
      schema.status === 200 ? JSON.parse(schema.text).tables ?? [] : [];
    const own =
      found.find(
        (t: { entityRef?: string }) =>
          t.entityRef === `dataproduct:${tenant}/${product}`,
      ) ?? found[0];
    tables[tenant] = own?.qualifiedName;
  }
  // The search index (the catalog collator runs every 5 s): a tenant's product is found.
  await poll(
    'the search index',
    async () => {
      const res = await get(
        member(TENANT_A.tenant),
        `/api/search/query?term=${TENANT_A.product}`,
      );
      return (
        (res.status === 200 && JSON.parse(res.text).results?.length > 0) ||
        undefined
      );
    },
    120_000,
  ).catch(() =>
    console.log(
      'load: the search index holds nothing yet; searches answer empty',
    ),
  );

  const groups: LoadGroup[] = [];
  const share = Math.floor(CONNECTIONS / USERS.length);
  for (const [i, { user, tenant, role }] of USERS.entries()) {
    const requests = cycleOf(tenant, role, runIds[tenant], tables[tenant]);
    // Each request once, sequentially: the plan is wrong (not slow) if one fails here.
    const checked: PlannedRequest[] = [];
    for (const r of requests) {
      const res = await send(
        server,
        {
          method: r.method,
          url: r.path,
          body: r.body
            ? { contentType: r.contentType!, data: r.body }
            : undefined,
        },
        `Bearer ${tokens[user]}`,
      );
      if (!r.expect.includes(res.status)) {
        console.log(
          `load: dropped for ${user}: ${r.method} ${r.path} answered ${
            res.status
          } (expected ${r.expect}): ${res.text.slice(0, 200)}`,
        );
        continue;
      }
      checked.push(r);
    }
    const viewer = tenant;
    groups.push({
      user,
      tenant,
      token: tokens[user],
      connections: share + (i < CONNECTIONS % USERS.length ? 1 : 0),
      requests: checked,
      markers: TENANTS.filter(t => t !== tenant).map(other => {
        const m = tenantMarkers(other, viewer, [
          sweepMarker(other),
          ...(runIds[other] ?? []),
        ]);
        return { ...m, allowedRefs: [...m.allowedRefs] };
      }),
    });
  }
  return { url, seconds: SECONDS, timeoutSeconds: 30, groups };
}

/**
 * One user's cycle: what the portal's pages ask for, in the order a user browses (catalog
 * lists, an entity page, searches, the Data Products page, runs, tenants, a manifest check, a
 * query, quality).
 */
function cycleOf(
  tenant: string,
  role: 'member' | 'consumer',
  runIds: string[],
  table: string | undefined,
): PlannedRequest[] {
  const product = PRODUCT[tenant];
  const ok = (family: string, p: string): PlannedRequest => ({
    family,
    method: 'GET',
    path: p,
    expect: [200],
  });
  const manifest = manifestFile(tenant);
  const q = encodeURIComponent;
  const cycle: PlannedRequest[] = [
    ok(
      'catalog list',
      `/api/catalog/entities/by-query?filter=${q(
        `metadata.namespace=${tenant}`,
      )}&limit=20`,
    ),
    ok(
      'entity page',
      `/api/catalog/entities/by-name/dataproduct/${tenant}/${product}`,
    ),
    ok(
      'catalog search',
      `/api/catalog/entities/by-query?fullTextFilterTerm=${q(
        product,
      )}&limit=20`,
    ),
    ok('search query', `/api/search/query?term=${q(product)}`),
    ok(
      'data products page',
      `/api/catalog/entities?filter=${q('kind=dataproduct')}`,
    ),
    ok('data products page', `/api/quality/v1/tenants/${tenant}/scores`),
    ok('tenants page', '/api/akili/v1/me'),
    ok('tenants page', '/api/akili/v1/tenants'),
    ok('tenants page', `/api/akili/v1/tenants/${tenant}`),
    {
      family: 'manifest validate',
      method: 'POST',
      path: '/api/akili/v1/manifests/validate',
      body: manifest.text,
      contentType: manifest.contentType,
      expect: [200],
    },
    ok(
      'quality summary',
      `/api/quality/v1/products/${tenant}/${product}/summary`,
    ),
    ok(
      'catalog list',
      `/api/catalog/entities/by-query?filter=${q('kind=component')}&limit=20`,
    ),
  ];
  if (role === 'member') {
    // Runs are read by developers and operators (a consumer is refused by design).
    cycle.push(
      ok('runs list', `/api/dagster/v1/products/${tenant}/${product}/runs`),
    );
    cycle.push(ok('runs list', `/api/dagster/v1/tenants/${tenant}/runs`));
    if (runIds[0])
      cycle.push(ok('run page', `/api/dagster/v1/runs/${runIds[0]}`));
  }
  if (table) {
    cycle.push({
      family: 'query API',
      method: 'POST',
      path: `/api/starrocks/v1/tenants/${tenant}/query`,
      body: JSON.stringify({ sql: `SELECT * FROM ${table} LIMIT 20` }),
      contentType: 'application/json',
      expect: [200],
      refusal: {
        status: 429,
        why: "the tenant's quota of concurrent queries (akili quotas maxConcurrentQueries)",
      },
    });
  }
  return cycle;
}

interface Measured extends PhaseResult {
  rssPeak: number;
  heapPeak: number;
  rssStart: number;
  loopP50: number;
  loopP99: number;
  loopMax: number;
}

/** Runs the load generator in its own process while sampling this (the backend's) process. */
async function runPhase(plan: LoadPlan, name: string): Promise<Measured> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'akili-bench-load-'));
  const planFile = path.join(dir, 'plan.json');
  const resultFile = path.join(dir, 'result.json');
  fs.writeFileSync(planFile, JSON.stringify(plan));
  global.gc?.();
  const rssStart = process.memoryUsage().rss;
  let rssPeak = rssStart;
  let heapPeak = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    rssPeak = Math.max(rssPeak, m.rss);
    heapPeak = Math.max(heapPeak, m.heapUsed);
  }, 100);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  try {
    const child = spawn(
      process.execPath,
      [
        '--require',
        path.join(
          repoRoot,
          'node_modules/@backstage/cli/config/nodeTransform.cjs',
        ),
        path.join(__dirname, 'client.ts'),
        planFile,
        resultFile,
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', resolve);
    });
    if (code !== 0)
      throw new Error(`The load generator (${name}) exited with ${code}`);
    const result: PhaseResult = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
    return {
      ...result,
      rssStart,
      rssPeak,
      heapPeak,
      loopP50: loop.percentile(50) / 1e6,
      loopP99: loop.percentile(99) / 1e6,
      loopMax: loop.max / 1e6,
    };
  } finally {
    loop.disable();
    clearInterval(sampler);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function errorsOf(r: PhaseResult): number {
  return (
    r.socketErrors +
    r.timeouts +
    Object.values(r.families).reduce((n, f) => n + f.unexpected, 0)
  );
}

/** Answers with an expected status (neither refused by a quota nor an error). */
function succeededOf(r: PhaseResult): number {
  return Object.values(r.families).reduce(
    (n, f) => n + f.latencies.length - f.unexpected - f.refused,
    0,
  );
}

function refusedOf(r: PhaseResult): number {
  return Object.values(r.families).reduce((n, f) => n + f.refused, 0);
}

function allLatencies(r: PhaseResult): number[] {
  return Object.values(r.families).flatMap(f => f.latencies);
}

function printPhase(name: string, r: Measured) {
  console.log(
    `\n${name}: ${fmt(r.total)} requests in ${r.seconds.toFixed(1)} s, ${(
      r.total / r.seconds
    ).toFixed(0)} req/s, ` +
      `${errorsOf(r)} errors (${r.socketErrors} socket, ${
        r.timeouts
      } timeouts), ${refusedOf(r)} refused by a quota (expected), ${
        r.leakCount
      } leaks`,
  );
  const rows = Object.entries(r.families).map(([family, f]) => {
    const statuses = Object.entries(f.statuses)
      .map(([s, n]) => `${s}:${n}`)
      .join(' ');
    return [
      family.padEnd(30),
      String(f.latencies.length).padStart(8),
      (f.latencies.length / r.seconds).toFixed(1).padStart(8),
      percentile(f.latencies, 50).toFixed(0).padStart(7),
      percentile(f.latencies, 95).toFixed(0).padStart(7),
      percentile(f.latencies, 99).toFixed(0).padStart(7),
      String(f.unexpected).padStart(7),
      String(f.refused).padStart(8),
      `  ${statuses}`,
    ].join('');
  });
  console.log(
    `${'route family'.padEnd(30)}${'req'.padStart(8)}${'req/s'.padStart(
      8,
    )}${'p50 ms'.padStart(7)}${'p95 ms'.padStart(7)}${'p99 ms'.padStart(
      7,
    )}${'errors'.padStart(7)}${'refused'.padStart(8)}  statuses`,
  );
  rows.forEach(row => console.log(row));
  console.log(
    `backend process: RSS ${mb(r.rssStart)} at start, peak ${mb(
      r.rssPeak,
    )}; heap peak ${mb(r.heapPeak)}; ` +
      `event-loop delay p50 ${r.loopP50.toFixed(1)} ms, p99 ${r.loopP99.toFixed(
        1,
      )} ms, max ${r.loopMax.toFixed(0)} ms`,
  );
  for (const e of r.unexpectedExamples) {
    console.log(
      `  unexpected: ${e.user} ${e.request} -> ${e.status} ${e.body}`,
    );
  }
  for (const e of r.leakExamples) {
    console.log(
      `  LEAK: ${e.user} ${e.request}: ${e.tenant}'s ${e.markers.join(', ')}`,
    );
  }
}

/** Prints both phases; answers the summary line (printed last, once the backend has stopped). */
function report(baseline: Measured, mix: Measured, plan: LoadPlan): string {
  printPhase('baseline (stock catalog route)', baseline);
  printPhase('Akili mix', mix);
  // Throughput of answers with their expected status (refusals and errors left out).
  const mixRate = succeededOf(mix) / mix.seconds;
  const baseRate = succeededOf(baseline) / baseline.seconds;
  const mixP95 = percentile(allLatencies(mix), 95);
  const baseP95 = percentile(allLatencies(baseline), 95);
  console.log(
    `\nNotes: the event-loop delay and memory are of the process holding the backend and the sweep's in-process peers (Dagster, GitLab, Argo CD, Kubernetes test servers, lake); the load generator runs in a process of its own. ` +
      `${plan.groups.length} users of ${TENANTS.length} tenants share the connections; errors are any status but the expected one, socket errors and timeouts; refused are the query API's 429 when a tenant already runs its quota of concurrent queries (by design); throughput counts answers with their expected status.`,
  );
  return (
    `load: ${CONNECTIONS} users x ${SECONDS} s, ${
      TENANTS.length
    } tenants, ${fmt(mix.total)} req, ${errorsOf(mix)} errors, ${refusedOf(
      mix,
    )} refused by the query quota, ` +
    `${mix.leakCount + baseline.leakCount} leaks, p95 ${mixP95.toFixed(
      0,
    )} ms (baseline ${baseP95.toFixed(0)} ms), ` +
    `mix throughput ${(mixRate / baseRate).toFixed(
      2,
    )} of the stock catalog route (${mixRate.toFixed(0)} vs ${baseRate.toFixed(
      0,
    )} req/s)`
  );
}

/** Drops this run's per-plugin databases (the process ends right after, timers and all). */
async function dropOwnDatabases(
  database: Extract<SweepDatabase, { client: 'pg' }>,
) {
  const knex = knexFactory({
    client: 'pg',
    connection: `${database.connection}/postgres`,
  });
  try {
    const names: string[] = await knex('pg_database')
      .where('datname', 'like', `${database.prefix}%`)
      .pluck('datname');
    for (const name of names) {
      await knex.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
    }
  } finally {
    await knex.destroy();
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
