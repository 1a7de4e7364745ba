/*
 * bench/runs: pages of 50 runs of one data product through the portal's runs API
 * (`GET /api/dagster/v1/products/:namespace/:name/runs`, a real backend with the dagster
 * plugin and the catalog, the product read from it over HTTP as in production) from the
 * Dagster test server holding 100,000 runs across tenants. Prints the portal's own overhead per
 * page (its latency minus the Dagster server's processing time) p50/p95, the GraphQL and
 * catalog round trips per page, and, as the baseline in the same run, the same query sent
 * straight to Dagster. Both sides use the same client (fetch, connections kept alive), so the
 * ratio is the portal's own. A second backend in the same run reads the product on every request
 * (`dagster.productCacheSeconds: 0`, the portal before the product cache): pages alternate
 * between the three. `AKILI_BENCH_DAGSTER_PLUGIN` measures another version of the plugin.
 *
 *   make bench NAME=runs        (AKILI_BENCH_RUNS=10000 for a quicker run)
 */
import { AddressInfo } from 'node:net';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import {
  mockTenantStatus,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import {
  SERVER_TIME_HEADER,
  startDagsterTestServer,
} from '@akili/dagster-test-server';
import currentDagsterPlugin from '@akili/plugin-dagster-backend';

const RUNS = Number(process.env.AKILI_BENCH_RUNS ?? 100_000);
const PAGE = 50;
const PAGES = Number(process.env.AKILI_BENCH_PAGES ?? 200);
const WARMUP = 10;
/**
 * `AKILI_BENCH_DAGSTER_PLUGIN=<path of a src/index.ts>` measures another version of the plugin,
 * such as the one before a change (run with `NODE_PATH=<repo>/node_modules` when it lies
 * outside the repository).
 */
const dagsterPlugin: typeof currentDagsterPlugin = process.env
  .AKILI_BENCH_DAGSTER_PLUGIN
  ? require(process.env.AKILI_BENCH_DAGSTER_PLUGIN).default
  : currentDagsterPlugin;

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

  // The product in a real catalog: a provider gives it, a processor owns its kind (the Akili
  // processor validates more; what is measured here is reading it, not ingesting it).
  const productModule = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'bench-runs-product',
    register(reg) {
      reg.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          catalog.addProcessor({
            getProcessorName: () => 'bench-runs-dataproduct',
            validateEntityKind: async e => e.kind === 'DataProduct',
          });
          catalog.addEntityProvider({
            getProviderName: () => 'bench-runs',
            connect: async connection => {
              const location = 'url:https://example.com/bench-runs.yaml';
              await connection.applyMutation({
                type: 'full',
                entities: [
                  {
                    locationKey: 'bench-runs',
                    entity: {
                      ...entity,
                      metadata: {
                        ...entity.metadata,
                        annotations: {
                          'backstage.io/managed-by-location': location,
                          'backstage.io/managed-by-origin-location': location,
                        },
                      },
                    },
                  },
                ],
              });
            },
          });
        },
      });
    },
  });

  const auth = mockCredentials.user.header(user);
  const path = `/api/dagster/v1/products/${product.tenant}/${product.name}/runs`;
  /** A backend with the dagster plugin and the catalog; counts the catalog requests it serves. */
  const startPortal = async (productCacheSeconds?: number) => {
    const backend = await startTestBackend({
      features: [
        dagsterPlugin,
        catalogPlugin,
        productModule,
        userInfoFromDirectory({
          [user]: [user, `group:akili/${product.tenant}.developer`],
        }),
        // The control plane's tenant registry, which this backend does not run.
        mockTenantStatus({ [product.tenant]: 'active' }).factory,
        // The test backend's SQLite, a database per plugin.
        mockServices.rootConfig.factory({
          data: {
            dagster: {
              baseUrl: dagster.url,
              tracker: { enabled: false },
              qualityChecks: { enabled: false },
              ...(productCacheSeconds === undefined
                ? {}
                : { productCacheSeconds }),
            },
            catalog: { processingInterval: { seconds: 3600 } },
          },
        }),
      ],
    });
    const counter = { catalog: 0 };
    // Express has run first and rewritten `url` to the mounted router's path by now.
    backend.server.on(
      'request',
      (req: { url?: string; originalUrl?: string }) => {
        if ((req.originalUrl ?? req.url)?.startsWith('/api/catalog')) {
          counter.catalog += 1;
        }
      },
    );
    const base = `http://127.0.0.1:${
      (backend.server.address() as AddressInfo).port
    }`;
    // The product is stitched before anything is measured.
    const waitedFrom = now();
    for (;;) {
      const res = await fetch(`${base}${path}?limit=1`, {
        headers: { authorization: auth },
      });
      await res.text();
      if (res.status === 200) break;
      if (now() - waitedFrom > 60_000) {
        throw new Error(`the portal answers ${res.status} after 60 s`);
      }
      await new Promise(r => setTimeout(r, 200));
    }
    return { backend, base, counter };
  };
  const cached = await startPortal();
  const uncached = await startPortal(0);

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

  type Side = ReturnType<typeof newSide>;
  const newSide = () => ({
    latency: [] as number[],
    server: [] as number[],
    overhead: [] as number[],
    roundTrips: [] as number[],
    catalogTrips: [] as number[],
    runs: 0,
    cursor: undefined as string | undefined,
  });
  const sides = { cached: newSide(), uncached: newSide() };
  /** One page through a portal, measured: latency, Dagster's time and round trips. */
  const pageOf = async (
    portal: Awaited<ReturnType<typeof startPortal>>,
    side: Side,
    page: number,
  ) => {
    dagster.clearRequests();
    const catalogBefore = portal.counter.catalog;
    const query = new URLSearchParams({ limit: String(PAGE) });
    if (side.cursor) query.set('cursor', side.cursor);
    const started = now();
    const res = await fetch(`${portal.base}${path}?${query}`, {
      headers: { authorization: auth },
    });
    const body = await res.json();
    const latency = now() - started;
    if (res.status !== 200) {
      throw new Error(
        `page ${page}: HTTP ${res.status} ${JSON.stringify(body)}`,
      );
    }
    const calls = dagster.requests();
    const serverTime = calls.reduce((sum, call) => sum + call.durationMs, 0);
    if (page >= WARMUP) {
      side.latency.push(latency);
      side.server.push(serverTime);
      side.overhead.push(latency - serverTime);
      side.roundTrips.push(calls.length);
      side.catalogTrips.push(portal.counter.catalog - catalogBefore);
      side.runs += body.items.length;
    }
    side.cursor = body.nextCursor;
  };

  const baseline: number[] = [];
  let directCursor: string | undefined;
  for (let page = 0; page < WARMUP + PAGES; page++) {
    // The three take turns, in an order that changes, so noise falls on all of them alike.
    const steps = [
      () => pageOf(cached, sides.cached, page),
      () => pageOf(uncached, sides.uncached, page),
      async () => {
        const d = await direct(directCursor);
        if (page >= WARMUP) baseline.push(d.overhead);
        directCursor = d.next;
      },
    ];
    for (let i = 0; i < steps.length; i++) {
      await steps[(page + i) % steps.length]();
    }
    if (!sides.cached.cursor || !sides.uncached.cursor || !directCursor) {
      sides.cached.cursor = undefined;
      sides.uncached.cursor = undefined;
      directCursor = undefined;
    }
  }
  dagster.assertNoInvalidRequests();

  const mean = (values: number[]) =>
    values.reduce((a, b) => a + b, 0) / values.length;
  const directP95 = percentile(baseline, 95);
  console.log(
    `direct: the same query with fetch, latency minus server time p50 ${ms(
      percentile(baseline, 50),
    )} p95 ${ms(directP95)}`,
  );
  const report = (label: string, side: Side) => {
    console.log(
      `${label}: ${PAGES} pages, ${side.runs} runs; latency p50 ${ms(
        percentile(side.latency, 50),
      )} p95 ${ms(percentile(side.latency, 95))}; Dagster server time p50 ${ms(
        percentile(side.server, 50),
      )}; overhead p50 ${ms(percentile(side.overhead, 50))} p95 ${ms(
        percentile(side.overhead, 95),
      )}, ratio to direct at p95 ${(
        percentile(side.overhead, 95) / directP95
      ).toFixed(2)}; per page ${mean(side.roundTrips).toFixed(
        2,
      )} GraphQL and ${mean(side.catalogTrips).toFixed(2)} catalog round trips`,
    );
  };
  report('portal, product read on every request', sides.uncached);
  report('portal', sides.cached);
  const p95 = percentile(sides.cached.overhead, 95);
  console.log(
    `runs: portal overhead p50 ${ms(
      percentile(sides.cached.overhead, 50),
    )} p95 ${ms(p95)} (goal < 20 ms), ${mean(sides.cached.roundTrips).toFixed(
      2,
    )} GraphQL round trips per page (max ${Math.max(
      ...sides.cached.roundTrips,
    )}, goal 1); vs direct fetch overhead p95 ratio ${(p95 / directP95).toFixed(
      2,
    )} (goal <= 1.2; ${(
      percentile(sides.uncached.overhead, 95) / directP95
    ).toFixed(2)} reading the product on every request)`,
  );
  await cached.backend.stop();
  await uncached.backend.stop();
  await dagster.stop();
}

main().then(
  // The catalog's tasks would keep the process alive for nothing.
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
