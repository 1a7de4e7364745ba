import {
  DagsterTestServer,
  SERVER_TIME_HEADER,
  startDagsterTestServer,
} from './DagsterTestServer';
import { GET_RUN, LIST_RUNS, graphql } from './testUtils';

describe('startDagsterTestServer', () => {
  let server: DagsterTestServer;

  beforeEach(async () => {
    server = await startDagsterTestServer({
      seed: { runs: 50, tenants: ['acme'], productsPerTenant: 2, seed: 7 },
    });
  });

  afterEach(async () => {
    await server.stop();
  });

  describe('validation', () => {
    it('rejects an unknown field with 400 and records the request', async () => {
      const reply = await graphql(
        server,
        'query Broken { runsOrError { ... on Runs { results { runId tenant } } } }',
      );

      expect(reply.status).toBe(400);
      expect(reply.body.data).toBeNull();
      expect(reply.body.errors).toEqual([
        {
          message: 'Cannot query field "tenant" on type "Run".',
          locations: [{ line: 1, column: 60 }],
        },
      ]);
      expect(server.invalidRequests()).toEqual([
        expect.objectContaining({
          operationName: 'Broken',
          valid: false,
          status: 400,
          errors: ['Cannot query field "tenant" on type "Run".'],
        }),
      ]);
      expect(() => server.assertNoInvalidRequests()).toThrow(
        /1 request\(s\) Dagster would reject:\n- Broken: Cannot query field "tenant"/,
      );
    });

    it('rejects an argument of the wrong type', async () => {
      const reply = await graphql(
        server,
        '{ runsOrError(limit: "ten") { __typename } }',
      );

      expect(reply.status).toBe(400);
      expect(reply.body.errors[0].message).toBe(
        'Int cannot represent non-integer value: "ten"',
      );
      expect(server.invalidRequests()).toHaveLength(1);
    });

    it('rejects variables that do not fit their types', async () => {
      const reply = await graphql(server, LIST_RUNS, {
        filter: { statuses: ['DONE'] },
      });

      expect(reply.status).toBe(400);
      expect(reply.body.errors[0].message).toMatch(
        /Variable "\$filter" got invalid value "DONE" at "filter.statuses\[0\]"/,
      );
      expect(server.invalidRequests()).toHaveLength(1);
    });

    it('rejects an input field the schema does not have', async () => {
      const reply = await graphql(server, LIST_RUNS, {
        filter: { tenant: 'acme' },
      });

      expect(reply.status).toBe(400);
      expect(server.invalidRequests()[0].errors?.[0]).toMatch(
        /Field "tenant" is not defined by type "RunsFilter"/,
      );
    });

    it('answers a syntax error and a bad body like the webserver', async () => {
      const syntax = await graphql(server, 'query {');
      expect(syntax.status).toBe(400);
      expect(syntax.body.errors[0].message).toMatch(/^Syntax Error/);

      const badJson = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":',
      });
      expect(badJson.status).toBe(400);
      expect(await badJson.text()).toBe(
        'GraphQL request is invalid JSON:\n{"query":',
      );

      const noQuery = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(noQuery.status).toBe(400);
      expect(await noQuery.text()).toBe(
        'No GraphQL query found in the request',
      );

      expect(server.invalidRequests()).toHaveLength(3);
    });

    it('records valid requests with their processing time', async () => {
      const reply = await graphql(server, LIST_RUNS, { limit: 5 });

      expect(reply.status).toBe(200);
      expect(
        Number(reply.headers.get(SERVER_TIME_HEADER)),
      ).toBeGreaterThanOrEqual(0);
      expect(server.requests()).toEqual([
        {
          operationName: 'ListRuns',
          variables: { limit: 5 },
          query: LIST_RUNS,
          valid: true,
          status: 200,
          durationMs: expect.any(Number),
        },
      ]);
      expect(() => server.assertNoInvalidRequests()).not.toThrow();
    });

    it('answers a required field it does not model with a 500 naming it', async () => {
      const reply = await graphql(server, '{ instance { info } }');

      expect(reply.status).toBe(500);
      expect(reply.body.errors[0]).toMatchObject({
        message: 'The Dagster test server does not model Query.instance',
        path: ['instance'],
        extensions: { errorInfo: { __class__: 'SerializableErrorInfo' } },
      });
      expect(server.requests()[0]).toMatchObject({ valid: true, status: 500 });
    });

    it('also serves GET and application/graphql requests', async () => {
      const get = await fetch(
        `${server.url}/graphql?query=${encodeURIComponent('{ version }')}`,
      );
      expect(await get.json()).toEqual({ data: { version: '1.11.0' } });

      const post = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/graphql' },
        body: '{ version }',
      });
      expect(await post.json()).toEqual({ data: { version: '1.11.0' } });
    });
  });

  describe('faults', () => {
    it('answers the next operations with a PythonError where the union allows it', async () => {
      server.failNext(1, 'python-error', { message: 'boom\n' });
      const [product] = server.seeded!.products;

      const failed = await graphql(
        server,
        `
          query Both($runId: ID!) {
            runOrError(runId: $runId) {
              __typename
              ... on PythonError {
                message
                stack
              }
            }
            runsOrError(limit: 1) {
              __typename
              ... on PythonError {
                message
              }
            }
          }
        `,
        { runId: 'x' },
      );
      expect(failed.status).toBe(200);
      expect(failed.body.data).toEqual({
        runOrError: {
          __typename: 'PythonError',
          message: 'boom\n',
          stack: expect.any(Array),
        },
        runsOrError: { __typename: 'PythonError', message: 'boom\n' },
      });

      const next = await graphql(server, LIST_RUNS, {
        filter: { tags: [{ key: 'akili/product', value: product.ref }] },
        limit: 1,
      });
      expect(next.body.data.runsOrError.__typename).toBe('Runs');
      expect(server.requests().map(request => request.fault)).toEqual([
        'python-error',
        undefined,
      ]);
    });

    it('fails fields without PythonError in their result with a top-level error', async () => {
      server.failNext(1, 'python-error');

      const reply = await graphql(server, '{ assetNodes { id } }');

      expect(reply.status).toBe(500);
      expect(reply.body.errors[0].message).toMatch(
        /DagsterUserCodeUnreachableError/,
      );
    });

    it('raises a resolver exception from every root field: HTTP 500 with the message and errorInfo', async () => {
      server.failNext(1, 'resolver-error', {
        message:
          "dagster._core.errors.DagsterInvariantViolationError: Could not find job 'nope'. Found: 'orders_daily'.\n",
      });

      const reply = await graphql(
        server,
        '{ runOrError(runId: "x") { __typename } version }',
      );

      expect(reply.status).toBe(500);
      // Both root fields are non-null: the error nulls the whole answer.
      expect(reply.body.data).toBeNull();
      expect(reply.body.errors.length).toBeGreaterThanOrEqual(1);
      expect(reply.body.errors[0]).toMatchObject({
        message:
          "dagster._core.errors.DagsterInvariantViolationError: Could not find job 'nope'. Found: 'orders_daily'.",
        extensions: {
          errorInfo: { __class__: 'SerializableErrorInfo', cls_name: 'Error' },
        },
      });
      expect((await graphql(server, '{ version }')).status).toBe(200);
    });

    it('answers HTTP 500 and cut-off JSON, without running the operation', async () => {
      server.failNext(1, 'http-500');
      server.failNext(1, 'invalid-json');

      const crashed = await graphql(server, '{ version }');
      expect(crashed).toMatchObject({
        status: 500,
        body: 'Internal Server Error',
      });

      const cutOff = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ version }' }),
      });
      expect(cutOff.status).toBe(200);
      await expect(cutOff.json()).rejects.toThrow(/JSON/);

      expect((await graphql(server, '{ version }')).status).toBe(200);
    });

    it('does not spend a fault on a request Dagster would reject anyway', async () => {
      server.failNext(1, 'http-500');

      expect((await graphql(server, '{ nope }')).status).toBe(400);
      expect((await graphql(server, '{ version }')).status).toBe(500);
    });

    it('answers late when slow', async () => {
      server.setLatency(200);
      const started = Date.now();

      const reply = await graphql(server, '{ version }');

      expect(reply.status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
      expect(server.requests()[0].durationMs).toBeLessThan(100);
    });

    it('refuses connections while down and serves the same URL when back up', async () => {
      const { url } = server;
      await server.setDown(true);

      await expect(
        fetch(`${url}/graphql`, { method: 'POST' }),
      ).rejects.toThrow();

      await server.setDown(false);
      expect(server.url).toBe(url);
      expect((await graphql(server, '{ version }')).body).toEqual({
        data: { version: '1.11.0' },
      });
    });

    it('accepts and never answers while stuck, and drops the held requests when unstuck', async () => {
      server.setStuck(true);
      const held = fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ version }' }),
      });
      await expect(
        fetch(`${server.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ version }' }),
          signal: AbortSignal.timeout(300),
        }),
      ).rejects.toMatchObject({ name: 'TimeoutError' });
      // Never run: nothing is recorded.
      expect(server.requests()).toEqual([]);

      server.setStuck(false);

      await expect(held).rejects.toThrow();
      expect((await graphql(server, '{ version }')).status).toBe(200);
    });

    it('runs the operation but loses its answer when stuck after processing', async () => {
      server.setStuck(true, { afterProcessing: true });

      await expect(
        fetch(`${server.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ version }' }),
          signal: AbortSignal.timeout(300),
        }),
      ).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(server.requests()).toMatchObject([
        { operationName: null, valid: true, status: 200 },
      ]);
      server.setStuck(false);
    });

    it('drops a request in flight when it goes down', async () => {
      server.setLatency(1000);
      const pending = graphql(server, '{ version }');
      await new Promise(resolve => setTimeout(resolve, 100));

      await server.setDown(true);

      await expect(pending).rejects.toThrow();
    });
  });

  describe('workspace', () => {
    beforeEach(() => {
      server.addLocation({
        name: 'etl',
        repositories: [
          {
            jobs: [
              { name: 'daily_etl', assetKeys: [['raw', 'orders']] },
              {
                name: '__ASSET_JOB',
                assetKeys: [
                  ['raw', 'orders'],
                  ['raw', 'customers'],
                ],
              },
            ],
          },
        ],
      });
      server.addLocation({
        name: 'broken',
        loadError: 'ModuleNotFoundError: akili_etl',
      });
    });

    it('lists repositories and their jobs', async () => {
      const reply = await graphql(
        server,
        `
          query Repositories {
            repositoriesOrError {
              __typename
              ... on RepositoryConnection {
                nodes {
                  name
                  location {
                    name
                  }
                  jobs {
                    name
                    isAssetJob
                  }
                }
              }
            }
          }
        `,
      );

      const nodes = reply.body.data.repositoriesOrError.nodes;
      expect(nodes).toHaveLength(3);
      expect(nodes[2]).toEqual({
        name: '__repository__',
        location: { name: 'etl' },
        jobs: [
          { name: 'daily_etl', isAssetJob: true },
          { name: '__ASSET_JOB', isAssetJob: true },
        ],
      });
    });

    it('answers RepositoryNotFoundError for an unknown selector', async () => {
      const reply = await graphql(
        server,
        `
          {
            repositoriesOrError(
              repositorySelector: {
                repositoryName: "__repository__"
                repositoryLocationName: "nope"
              }
            ) {
              __typename
              ... on RepositoryNotFoundError {
                message
                repositoryName
                repositoryLocationName
              }
            }
          }
        `,
      );

      expect(reply.body.data.repositoriesOrError).toEqual({
        __typename: 'RepositoryNotFoundError',
        message: 'Could not find Repository nope.__repository__',
        repositoryName: '__repository__',
        repositoryLocationName: 'nope',
      });
    });

    it('shows locations that failed to load in the workspace', async () => {
      const reply = await graphql(
        server,
        `
          {
            workspaceOrError {
              __typename
              ... on Workspace {
                locationEntries {
                  name
                  loadStatus
                  locationOrLoadError {
                    __typename
                    ... on RepositoryLocation {
                      name
                      repositories {
                        name
                        jobs {
                          name
                        }
                      }
                    }
                    ... on PythonError {
                      message
                    }
                  }
                }
              }
            }
          }
        `,
      );

      const entries = reply.body.data.workspaceOrError.locationEntries;
      expect(entries.map((entry: { name: string }) => entry.name)).toEqual([
        'acme_orders',
        'acme_customers',
        'etl',
        'broken',
      ]);
      expect(entries[3]).toEqual({
        name: 'broken',
        loadStatus: 'LOADED',
        locationOrLoadError: {
          __typename: 'PythonError',
          message:
            'dagster._core.errors.DagsterUserCodeLoadError: ModuleNotFoundError: akili_etl\n',
        },
      });
    });

    it('lists asset nodes with the jobs that materialize them', async () => {
      const reply = await graphql(
        server,
        `
          query Assets($assetKeys: [AssetKeyInput!]) {
            assetNodes(assetKeys: $assetKeys) {
              assetKey {
                path
              }
              jobNames
              repository {
                name
                location {
                  name
                }
              }
            }
          }
        `,
        {
          assetKeys: [
            { path: ['raw', 'orders'] },
            { path: ['raw', 'customers'] },
          ],
        },
      );

      expect(reply.body.data.assetNodes).toEqual([
        {
          assetKey: { path: ['raw', 'orders'] },
          jobNames: ['daily_etl', '__ASSET_JOB'],
          repository: { name: '__repository__', location: { name: 'etl' } },
        },
        {
          assetKey: { path: ['raw', 'customers'] },
          jobNames: ['__ASSET_JOB'],
          repository: { name: '__repository__', location: { name: 'etl' } },
        },
      ]);
    });
  });

  it('answers a run and RunNotFoundError', async () => {
    const run = server.addRun({
      jobName: 'daily_etl',
      status: 'FAILURE',
      tags: { 'akili/tenant': 'acme' },
    });

    const found = await graphql(server, GET_RUN, { runId: run.runId });
    const missing = await graphql(server, GET_RUN, { runId: 'nope' });

    expect(found.body.data.runOrError).toMatchObject({
      __typename: 'Run',
      runId: run.runId,
      status: 'FAILURE',
      canTerminate: false,
      runConfigYaml: '{}\n',
      tags: [{ key: 'akili/tenant', value: 'acme' }],
      stats: {
        __typename: 'RunStatsSnapshot',
        stepsFailed: 1,
        endTime: run.endTime,
      },
      stepStats: [
        {
          stepKey: 'daily_etl',
          status: 'FAILURE',
          attempts: [{ startTime: run.stepStats[0].startTime }],
        },
      ],
    });
    expect(missing.body.data.runOrError).toEqual({
      __typename: 'RunNotFoundError',
      runId: 'nope',
      message: 'Run nope could not be found.',
    });
  });
});
