import { DagsterTestServer, startDagsterTestServer } from './DagsterTestServer';
import {
  COUNT_RUNS,
  GET_RUN,
  LIST_RUNS,
  RUN_LOGS,
  graphql,
  tagsOf,
} from './testUtils';

interface ListedRun {
  runId: string;
  jobName: string;
  status: string;
  creationTime: number;
  updateTime: number;
  tags: Array<{ key: string; value: string }>;
}

async function listRuns(
  server: DagsterTestServer,
  filter: Record<string, unknown>,
  options: { cursor?: string; limit?: number } = {},
): Promise<ListedRun[]> {
  const reply = await graphql(server, LIST_RUNS, { filter, ...options });
  expect(reply.status).toBe(200);
  return reply.body.data.runsOrError.results;
}

/** Pages through every run matching the filter the way the portal does. */
async function pageAll(
  server: DagsterTestServer,
  filter: Record<string, unknown>,
  limit: number,
) {
  const pages: ListedRun[][] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await listRuns(server, filter, { cursor, limit });
    if (page.length) pages.push(page);
    if (page.length < limit) return pages;
    cursor = page[page.length - 1].runId;
  }
}

const productFilter = (ref: string) => ({
  tags: [{ key: 'akili/product', value: ref }],
});

describe('runs of a seeded instance of 100,000 runs', () => {
  let server: DagsterTestServer;

  beforeAll(async () => {
    server = await startDagsterTestServer({
      seed: {
        runs: 100_000,
        tenants: ['acme', 'globex', 'initech'],
        productsPerTenant: 4,
        seed: 42,
      },
    });
  }, 60_000);

  afterAll(async () => {
    await server.stop();
  });

  // How fast seeding and a page are is measured by bench/runs (the server's own time per page
  // against the portal's), not asserted here: a loaded CI machine would fail a time limit.
  it("seeds 100,000 runs over the tenants' products", () => {
    expect(server.seeded).toMatchObject({ runs: 100_000 });
    expect(server.seeded!.products).toHaveLength(12);
  });

  it("pages one product's runs newest first, in disjoint pages that add up to all of them", async () => {
    const product = server.seeded!.products[5];
    const pages = await pageAll(server, productFilter(product.ref), 50);
    const runs = pages.flat();

    const count = await graphql(server, COUNT_RUNS, {
      filter: productFilter(product.ref),
    });
    expect(runs).toHaveLength(count.body.data.runsOrError.count);
    expect(runs.length).toBeGreaterThan(7000);
    expect(new Set(runs.map(run => run.runId)).size).toBe(runs.length);
    expect(pages.slice(0, -1).every(page => page.length === 50)).toBe(true);
    for (let i = 1; i < runs.length; i++) {
      expect(runs[i].creationTime).toBeLessThan(runs[i - 1].creationTime);
    }
    expect(
      runs.every(run => tagsOf(run)['akili/product'] === product.ref),
    ).toBe(true);
    expect(
      runs.every(run => tagsOf(run)['akili/tenant'] === product.tenant),
    ).toBe(true);
  }, 60_000);

  it('spreads runs over 90 days with mostly successes and a few in flight', async () => {
    const count = async (filter: Record<string, unknown>) =>
      (await graphql(server, COUNT_RUNS, { filter })).body.data.runsOrError
        .count;
    const sample = await listRuns(server, {}, { limit: 2000 });
    const share = (tag: string) =>
      sample.filter(run => tagsOf(run)[tag]).length / sample.length;
    const now = Date.now() / 1000;

    expect(await count({})).toBe(100_000);
    expect(await count({ statuses: ['SUCCESS'] })).toBeGreaterThan(80_000);
    expect(await count({ statuses: ['FAILURE'] })).toBeGreaterThan(5000);
    expect(await count({ statuses: ['CANCELED'] })).toBeGreaterThan(1000);
    expect(await count({ statuses: ['STARTED', 'QUEUED'] })).toBe(100);
    expect(
      sample
        .slice(0, 100)
        .every(run => ['STARTED', 'QUEUED'].includes(run.status)),
    ).toBe(true);
    expect(sample[0].creationTime).toBeLessThan(now);
    expect(await count({ createdBefore: now - 91 * 86400 })).toBe(0);
    expect(await count({ createdBefore: now - 89 * 86400 })).toBeGreaterThan(
      1000,
    );
    expect(share('akili/requested-by')).toBeGreaterThan(0.3);
    expect(share('dagster/schedule_name')).toBeGreaterThan(0.4);
  });
});

describe('runsOrError filters', () => {
  let server: DagsterTestServer;

  beforeAll(async () => {
    server = await startDagsterTestServer({
      seed: {
        runs: 2000,
        tenants: ['acme', 'globex'],
        productsPerTenant: 3,
        seed: 3,
      },
    });
  });

  afterAll(async () => {
    await server.stop();
  });

  it('pages to exactly the unpaged result', async () => {
    const filter = {
      tags: [{ key: 'akili/tenant', value: 'acme' }],
      statuses: ['SUCCESS'],
    };
    const all = await listRuns(server, filter);
    const paged = (await pageAll(server, filter, 50)).flat();

    expect(all.length).toBeGreaterThan(500);
    expect(paged.map(run => run.runId)).toEqual(all.map(run => run.runId));
  });

  it('requires every tag to match exactly', async () => {
    const [acmeOrders] = server.seeded!.products;
    const globexOrders = server.seeded!.products.find(
      product => product.tenant === 'globex',
    )!;

    const both = await listRuns(server, {
      tags: [
        { key: 'akili/tenant', value: 'acme' },
        { key: 'akili/product', value: acmeOrders.ref },
      ],
    });
    const crossed = await listRuns(server, {
      tags: [
        { key: 'akili/tenant', value: 'acme' },
        { key: 'akili/product', value: globexOrders.ref },
      ],
    });
    const prefix = await listRuns(server, {
      tags: [{ key: 'akili/tenant', value: 'acm' }],
    });

    expect(both.length).toBeGreaterThan(0);
    expect(
      both.every(run => tagsOf(run)['akili/product'] === acmeOrders.ref),
    ).toBe(true);
    expect(crossed).toEqual([]);
    expect(prefix).toEqual([]);
  });

  it('keeps the last value of a repeated tag key, as Dagster does', async () => {
    const [first, second] = server.seeded!.products;

    const runs = await listRuns(server, {
      tags: [
        { key: 'akili/product', value: first.ref },
        { key: 'akili/product', value: second.ref },
      ],
    });

    expect(runs).toEqual(await listRuns(server, productFilter(second.ref)));
  });

  it('filters by job name across tenants', async () => {
    const runs = await listRuns(server, { pipelineName: 'orders_daily' });

    expect(new Set(runs.map(run => tagsOf(run)['akili/tenant']))).toEqual(
      new Set(['acme', 'globex']),
    );
    expect(runs.every(run => run.jobName === 'orders_daily')).toBe(true);
  });

  it('filters by status, run id and time', async () => {
    const failed = await listRuns(server, {
      statuses: ['FAILURE', 'CANCELED'],
    });
    expect(
      failed.every(run => ['FAILURE', 'CANCELED'].includes(run.status)),
    ).toBe(true);

    const picked = [failed[3].runId, failed[0].runId, 'unknown'];
    expect(
      (await listRuns(server, { runIds: picked })).map(run => run.runId),
    ).toEqual([failed[0].runId, failed[3].runId]);

    const middle = failed[10].creationTime;
    const newer = await listRuns(server, {
      statuses: ['FAILURE', 'CANCELED'],
      createdAfter: middle,
    });
    expect(newer.map(run => run.runId)).toEqual(
      failed.slice(0, 10).map(run => run.runId),
    );
    const older = await listRuns(server, {
      statuses: ['FAILURE', 'CANCELED'],
      createdBefore: middle,
    });
    expect(older.map(run => run.runId)).toEqual(
      failed.slice(11).map(run => run.runId),
    );

    const updated = await listRuns(server, {
      updatedAfter: failed[10].updateTime,
    });
    expect(updated.every(run => run.updateTime > failed[10].updateTime)).toBe(
      true,
    );
  });

  it('answers an empty page for an unknown cursor', async () => {
    expect(
      await listRuns(server, {}, { cursor: 'no-such-run', limit: 10 }),
    ).toEqual([]);
  });

  it('lists runs added later first, as storage order says', async () => {
    const run = server.addRun({
      jobName: 'orders_daily',
      creationTime: 1_000,
      tags: { 'akili/tenant': 'acme' },
    });

    const [newest] = await listRuns(
      server,
      { tags: [{ key: 'akili/tenant', value: 'acme' }] },
      { limit: 1 },
    );

    expect(newest.runId).toBe(run.runId);
  });
});

describe('runs and their logs', () => {
  let server: DagsterTestServer;

  beforeAll(async () => {
    server = await startDagsterTestServer({ seed: { runs: 300, seed: 9 } });
  });

  afterAll(async () => {
    await server.stop();
  });

  it('pages a log with the cursor it returns until hasMore is false', async () => {
    const [failed] = await listRuns(
      server,
      { statuses: ['FAILURE'] },
      { limit: 1 },
    );
    const full = server.getRun(failed.runId)!;
    const events = [];
    let afterCursor: string | undefined;
    for (;;) {
      const reply = await graphql(server, RUN_LOGS, {
        runId: failed.runId,
        afterCursor,
        limit: 3,
      });
      const page = reply.body.data.logsForRun;
      events.push(...page.events);
      afterCursor = page.cursor;
      if (!page.hasMore) break;
    }

    expect(events).toHaveLength(full.events.length);
    expect(events[0]).toMatchObject({
      __typename: 'RunEnqueuedEvent',
      runId: failed.runId,
      eventType: 'RUN_ENQUEUED',
      level: 'DEBUG',
      stepKey: null,
    });
    expect(Number(events[0].timestamp)).toBe(
      Math.round(failed.creationTime * 1000),
    );
    const stepFailure = events.find(
      event => event.__typename === 'ExecutionStepFailureEvent',
    );
    expect(stepFailure).toMatchObject({
      level: 'ERROR',
      eventType: 'STEP_FAILURE',
      stepKey: expect.any(String),
      error: {
        message: expect.stringMatching(/\n$/),
        stack: [expect.any(String)],
      },
    });
    expect(events[events.length - 1]).toMatchObject({
      __typename: 'RunFailureEvent',
      eventType: 'RUN_FAILURE',
      message: expect.stringContaining('Steps failed'),
    });

    const after = await graphql(server, RUN_LOGS, {
      runId: failed.runId,
      afterCursor,
    });
    expect(after.body.data.logsForRun).toEqual({
      __typename: 'EventConnection',
      cursor: afterCursor,
      hasMore: false,
      events: [],
    });
  });

  it('serves the same log through Run.eventConnection', async () => {
    const [run] = await listRuns(
      server,
      { statuses: ['SUCCESS'] },
      { limit: 1 },
    );

    const reply = await graphql(
      server,
      `
        query Log($runId: ID!) {
          runOrError(runId: $runId) {
            ... on Run {
              eventConnection(limit: 2) {
                cursor
                hasMore
                events {
                  __typename
                }
              }
            }
          }
        }
      `,
      { runId: run.runId },
    );

    expect(reply.body.data.runOrError.eventConnection).toEqual({
      cursor: '1',
      hasMore: true,
      events: [
        { __typename: 'RunEnqueuedEvent' },
        { __typename: 'RunDequeuedEvent' },
      ],
    });
  });

  it('answers RunNotFoundError for the log of an unknown run', async () => {
    const reply = await graphql(server, RUN_LOGS, { runId: 'nope' });

    expect(reply.body.data.logsForRun).toEqual({
      __typename: 'RunNotFoundError',
      message: 'Run nope could not be found.',
    });
  });

  it('derives stats and step stats from the log', async () => {
    const [run] = await listRuns(
      server,
      { statuses: ['SUCCESS'], pipelineName: 'orders_daily' },
      { limit: 1 },
    );

    const reply = await graphql(server, GET_RUN, { runId: run.runId });
    const detail = reply.body.data.runOrError;

    expect(detail.stats).toEqual({
      __typename: 'RunStatsSnapshot',
      stepsSucceeded: 3,
      stepsFailed: 0,
      enqueuedTime: expect.closeTo(detail.creationTime, 2),
      launchTime: expect.any(Number),
      startTime: expect.closeTo(detail.startTime, 2),
      endTime: expect.closeTo(detail.endTime, 2),
    });
    expect(
      detail.stepStats.map((step: { stepKey: string }) => step.stepKey),
    ).toEqual([
      expect.stringMatching(/__orders__raw$/),
      expect.stringMatching(/__orders__staged$/),
      expect.stringMatching(/__orders__published$/),
    ]);
    expect(detail.runConfigYaml).toMatch(
      /^ops:\n {2}\w+__orders__raw:\n {4}config:\n {6}source_table: \w+\.orders\n {6}full_refresh: false\n$/,
    );
  });
});

describe('seeding', () => {
  const seed = {
    runs: 500,
    tenants: ['acme', 'globex'],
    productsPerTenant: 2,
    seed: 42,
    now: new Date('2025-06-01T00:00:00Z'),
  };

  it('generates the same runs from the same options', async () => {
    const one = await startDagsterTestServer({ seed });
    const two = await startDagsterTestServer({ seed });
    const other = await startDagsterTestServer({ seed: { ...seed, seed: 43 } });
    try {
      const [a, b, c] = await Promise.all(
        [one, two, other].map(server => listRuns(server, {})),
      );

      expect(a).toHaveLength(500);
      expect(
        a.every(run =>
          /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(
            run.runId,
          ),
        ),
      ).toBe(true);
      expect(b).toEqual(a);
      expect(c.map(run => run.runId)).not.toEqual(a.map(run => run.runId));
      expect(a[0].creationTime).toBeLessThan(seed.now.getTime() / 1000);
      expect(one.getRun(a[7].runId)!.events).toEqual(
        two.getRun(a[7].runId)!.events,
      );
    } finally {
      await Promise.all([one.stop(), two.stop(), other.stop()]);
    }
  });

  it('re-executes some failures from the portal, linking them to their root', async () => {
    const server = await startDagsterTestServer({ seed });
    try {
      const runs = await listRuns(server, {});
      const child = runs.find(run => tagsOf(run)['dagster/parent_run_id'])!;
      const detail = server.getRun(child.runId)!;
      const parent = server.getRun(detail.parentRunId!)!;

      expect(parent.status).toBe('FAILURE');
      expect(detail.rootRunId).toBe(parent.rootRunId ?? parent.runId);
      expect(detail.tags).toMatchObject({
        'akili/tenant': parent.tags['akili/tenant'],
        'akili/product': parent.tags['akili/product'],
        'dagster/is_resume_retry': 'true',
      });
      const failedStep = parent.stepStats.find(
        step => step.status === 'FAILURE',
      )!.stepKey;
      expect(detail.stepKeysToExecute![0]).toBe(failedStep);
    } finally {
      await server.stop();
    }
  });
});
