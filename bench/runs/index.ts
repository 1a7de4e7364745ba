/*
 * bench/runs: pages of 50 runs of one data product through the portal's runs API
 * (`GET /api/dagster/v1/products/:namespace/:name/runs`, a real backend with the dagster
 * plugin) from the Dagster test server holding 100,000 runs across tenants. Prints the portal's
 * own overhead per page (its latency minus the Dagster server's processing time) p50/p95, the
 * GraphQL round trips per page, and, as the baseline in the same run, the same query sent
 * straight to Dagster with fetch.
 *
 *   make bench NAME=runs        (AKILI_BENCH_RUNS=10000 for a quicker run)
 */
import knexFactory from 'knex';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  mockTenantStatus,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import {
  SERVER_TIME_HEADER,
  startDagsterTestServer,
} from '@akili/dagster-test-server';
import dagsterPlugin from '@akili/plugin-dagster-backend';

const RUNS = Number(process.env.AKILI_BENCH_RUNS ?? 100_000);
const PAGE = 50;
const PAGES = Number(process.env.AKILI_BENCH_PAGES ?? 200);
const WARMUP = 10;

const now = () => performance.now();

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

async function main() {
  const seededAt = now();
  const dagster = await startDagsterTestServer({
    seed: {
      runs: RUNS,
      tenants: ['acme', 'globex', 'initech', 'umbrella'],
      productsPerTenant: 4,
      seed: 42,
    },
  });
  const product = dagster.seeded!.products[0];
  const productRuns = RUNS / dagster.seeded!.products.length;
  console.log(
    `runs: Dagster test server with ${dagster.seeded!.runs} runs of ${
      dagster.seeded!.products.length
    } products in 4 tenants (seeded in ${((now() - seededAt) / 1000).toFixed(
      1,
    )} s); paging ${product.ref} (~${Math.round(
      productRuns,
    )} runs), ${PAGE} per page`,
  );

  const entity: Entity = {
    apiVersion: 'akili.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { namespace: product.tenant, name: product.name },
    spec: {
      owner: `${product.tenant}-team`,
      transformation: {
        language: 'python',
        entrypoint: 'defs.py',
        dagster: {
          codeLocation: product.location,
          job: product.job,
          assetKeys: product.assetKeys,
        },
      },
    },
  };
  const user = `user:default/${product.tenant}-dev`;
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  const backend = await startTestBackend({
    features: [
      dagsterPlugin,
      userInfoFromDirectory({
        [user]: [user, `group:akili/${product.tenant}.developer`],
      }),
      // The control plane's tenant registry, which this backend does not run.
      mockTenantStatus({ [product.tenant]: 'active' }).factory,
      catalogServiceMock.factory({ entities: [entity] }),
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          dagster: { baseUrl: dagster.url, tracker: { enabled: false } },
        },
      }),
    ],
  });
  const auth = mockCredentials.user.header(user);
  const path = `/api/dagster/v1/products/${product.tenant}/${product.name}/runs`;

  // The same page asked of Dagster directly: the baseline (what any client pays).
  const direct = async (cursor?: string) => {
    const started = now();
    const response = await fetch(`${dagster.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        operationName: 'AkiliListRuns',
        query: `query AkiliListRuns($filter: RunsFilter, $cursor: String, $limit: Int) {
          runsOrError(filter: $filter, cursor: $cursor, limit: $limit) {
            __typename
            ... on Runs { results { runId jobName status creationTime startTime endTime updateTime
              parentRunId rootRunId tags { key value } assetSelection { path } } }
          }
        }`,
        variables: {
          filter: {
            tags: [
              { key: 'akili/tenant', value: product.tenant },
              { key: 'akili/product', value: product.ref },
            ],
          },
          cursor: cursor ?? null,
          limit: PAGE + 1,
        },
      }),
    });
    const body = await response.json();
    const latency = now() - started;
    const serverTime = Number(response.headers.get(SERVER_TIME_HEADER));
    const results = body.data.runsOrError.results as Array<{ runId: string }>;
    return { overhead: latency - serverTime, next: results[PAGE - 1]?.runId };
  };

  const portal = {
    latency: [] as number[],
    server: [] as number[],
    overhead: [] as number[],
    roundTrips: [] as number[],
    runs: 0,
  };
  const baseline: number[] = [];
  let cursor: string | undefined;
  let directCursor: string | undefined;
  for (let page = 0; page < WARMUP + PAGES; page++) {
    dagster.clearRequests();
    const started = now();
    const res = await request(backend.server)
      .get(path)
      .query({ limit: PAGE, ...(cursor ? { cursor } : {}) })
      .set('Authorization', auth);
    const latency = now() - started;
    if (res.status !== 200) {
      throw new Error(`page ${page}: HTTP ${res.status} ${res.text}`);
    }
    const calls = dagster.requests();
    const serverTime = calls.reduce((sum, call) => sum + call.durationMs, 0);
    const d = await direct(directCursor);
    if (page >= WARMUP) {
      portal.latency.push(latency);
      portal.server.push(serverTime);
      portal.overhead.push(latency - serverTime);
      portal.roundTrips.push(calls.length);
      portal.runs += res.body.items.length;
      baseline.push(d.overhead);
    }
    cursor = res.body.nextCursor;
    directCursor = d.next;
    if (!cursor) {
      cursor = undefined;
      directCursor = undefined;
    }
  }
  dagster.assertNoInvalidRequests();

  const maxTrips = Math.max(...portal.roundTrips);
  const meanTrips = portal.roundTrips.reduce((a, b) => a + b, 0) / PAGES;
  console.log(
    `portal: ${PAGES} pages, ${portal.runs} runs; latency p50 ${ms(
      percentile(portal.latency, 50),
    )} p95 ${ms(percentile(portal.latency, 95))}; Dagster server time p50 ${ms(
      percentile(portal.server, 50),
    )}`,
  );
  console.log(
    `direct: the same query with fetch, latency minus server time p50 ${ms(
      percentile(baseline, 50),
    )} p95 ${ms(percentile(baseline, 95))}`,
  );
  const p95 = percentile(portal.overhead, 95);
  console.log(
    `runs: portal overhead p50 ${ms(percentile(portal.overhead, 50))} p95 ${ms(
      p95,
    )} (goal < 20 ms), ${meanTrips.toFixed(
      2,
    )} GraphQL round trips per page (max ${maxTrips}, goal 1); vs direct fetch overhead p95 ratio ${(
      p95 / percentile(baseline, 95)
    ).toFixed(2)}`,
  );
  await backend.stop();
  await dagster.stop();
  await knex.destroy();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
