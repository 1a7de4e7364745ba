import { DagsterTestServer, startDagsterTestServer } from './DagsterTestServer';
import { graphql } from './testUtils';

const ASSET_CHECKS = `
query AssetChecks($assetKeys: [AssetKeyInput!]) {
  assetNodes(assetKeys: $assetKeys) {
    assetKey { path }
    hasAssetChecks
    repository { name location { name } }
    assetChecksOrError {
      __typename
      ... on AssetChecks { checks { name description blocking jobNames } }
    }
  }
}`;

const EXECUTIONS = `
query Executions($assetKey: AssetKeyInput!, $checkName: String!, $limit: Int!, $cursor: String, $partition: String) {
  assetCheckExecutions(assetKey: $assetKey, checkName: $checkName, limit: $limit, cursor: $cursor, partition: $partition) {
    id
    runId
    status
    timestamp
    partition
    stepKey
    evaluation {
      success
      severity
      timestamp
      description
      partition
      checkName
      assetKey { path }
      targetMaterialization { storageId runId timestamp }
      metadataEntries {
        __typename
        label
        ... on FloatMetadataEntry { floatValue }
        ... on IntMetadataEntry { intValue intRepr }
        ... on TextMetadataEntry { text }
        ... on BoolMetadataEntry { boolValue }
        ... on JsonMetadataEntry { jsonString }
      }
    }
  }
}`;

const ORDERS = ['acme', 'orders', 'published'];

async function executions(
  server: DagsterTestServer,
  variables: Record<string, unknown>,
) {
  const reply = await graphql(server, EXECUTIONS, variables);
  expect(reply.status).toBe(200);
  return reply.body.data.assetCheckExecutions as Array<Record<string, any>>;
}

describe('asset checks', () => {
  let server: DagsterTestServer;

  beforeEach(async () => {
    server = await startDagsterTestServer({
      locations: [
        {
          name: 'acme_orders',
          repositories: [
            {
              jobs: [{ name: 'orders_daily', assetKeys: [ORDERS] }],
              assetChecks: [
                {
                  assetKey: ORDERS,
                  name: 'row_count',
                  description: 'Not empty',
                },
                { assetKey: ORDERS, name: 'unique_ids', blocking: true },
              ],
            },
          ],
        },
        {
          name: 'globex_shipments',
          repositories: [
            {
              jobs: [
                {
                  name: 'shipments_daily',
                  assetKeys: [['globex', 'shipments']],
                },
              ],
            },
          ],
        },
      ],
    });
  });
  afterEach(async () => {
    server.assertNoInvalidRequests();
    await server.stop();
  });

  it('lists the checks of each asset node with its repository', async () => {
    const reply = await graphql(server, ASSET_CHECKS, {
      assetKeys: [{ path: ORDERS }, { path: ['globex', 'shipments'] }],
    });
    expect(reply.status).toBe(200);
    expect(reply.body.data.assetNodes).toEqual([
      {
        assetKey: { path: ORDERS },
        hasAssetChecks: true,
        repository: {
          name: '__repository__',
          location: { name: 'acme_orders' },
        },
        assetChecksOrError: {
          __typename: 'AssetChecks',
          checks: [
            {
              name: 'row_count',
              description: 'Not empty',
              blocking: false,
              jobNames: ['orders_daily'],
            },
            {
              name: 'unique_ids',
              description: null,
              blocking: true,
              jobNames: ['orders_daily'],
            },
          ],
        },
      },
      {
        assetKey: { path: ['globex', 'shipments'] },
        hasAssetChecks: false,
        repository: {
          name: '__repository__',
          location: { name: 'globex_shipments' },
        },
        assetChecksOrError: { __typename: 'AssetChecks', checks: [] },
      },
    ]);
  });

  it('answers executions newest first, the cursor reading older ones', async () => {
    const run = server.addRun({ jobName: 'orders_daily', status: 'SUCCESS' });
    const added = Array.from({ length: 5 }, (_, i) =>
      server.addAssetCheckExecution({
        assetKey: ORDERS,
        checkName: 'row_count',
        runId: run.runId,
        success: i !== 3,
        timestamp: 1_700_000_000 + i,
      }),
    );
    // Another check's executions share the storage id sequence but not the history.
    server.addAssetCheckExecution({
      assetKey: ORDERS,
      checkName: 'unique_ids',
      runId: run.runId,
      success: true,
    });

    const first = await executions(server, {
      assetKey: { path: ORDERS },
      checkName: 'row_count',
      limit: 2,
    });
    expect(first.map(e => e.id)).toEqual([added[4].id, added[3].id]);
    expect(first[1]).toMatchObject({
      runId: run.runId,
      status: 'FAILED',
      timestamp: 1_700_000_003,
      evaluation: { success: false, severity: 'ERROR', checkName: 'row_count' },
    });
    const second = await executions(server, {
      assetKey: { path: ORDERS },
      checkName: 'row_count',
      limit: 2,
      cursor: first[1].id,
    });
    expect(second.map(e => e.id)).toEqual([added[2].id, added[1].id]);
    const last = await executions(server, {
      assetKey: { path: ORDERS },
      checkName: 'row_count',
      limit: 2,
      cursor: second[1].id,
    });
    expect(last.map(e => e.id)).toEqual([added[0].id]);
    // Ids are storage ids: any number is a cursor, and only older ones come back.
    expect(
      await executions(server, {
        assetKey: { path: ORDERS },
        checkName: 'row_count',
        limit: 10,
        cursor: '1',
      }),
    ).toEqual([]);
    expect(
      await executions(server, {
        assetKey: { path: ['acme', 'nothing'] },
        checkName: 'row_count',
        limit: 10,
      }),
    ).toEqual([]);
  });

  it('refuses a cursor that is not an execution id, as Dagster’s int(cursor) does', async () => {
    const reply = await graphql(server, EXECUTIONS, {
      assetKey: { path: ORDERS },
      checkName: 'row_count',
      limit: 10,
      cursor: 'abc',
    });
    expect(reply.status).toBe(500);
    expect(reply.body.errors[0].message).toBe(
      "invalid literal for int() with base 10: 'abc'",
    );
  });

  it('resolves the status of planned executions from their run', async () => {
    const running = server.addRun({
      jobName: 'orders_daily',
      status: 'STARTED',
    });
    const failed = server.addRun({
      jobName: 'orders_daily',
      status: 'FAILURE',
    });
    const succeeded = server.addRun({
      jobName: 'orders_daily',
      status: 'SUCCESS',
    });
    const plan = (runId: string) =>
      server.addAssetCheckExecution({
        assetKey: ORDERS,
        checkName: 'row_count',
        runId,
      });
    const inProgress = plan(running.runId);
    plan(failed.runId);
    plan(succeeded.runId);
    plan('00000000-0000-4000-8000-000000000000');
    const statuses = async () =>
      (
        await executions(server, {
          assetKey: { path: ORDERS },
          checkName: 'row_count',
          limit: 10,
        })
      ).map(e => [e.status, e.evaluation]);
    expect(await statuses()).toEqual([
      ['EXECUTION_FAILED', null],
      ['SKIPPED', null],
      ['EXECUTION_FAILED', null],
      ['IN_PROGRESS', null],
    ]);

    server.evaluateAssetCheckExecution(inProgress.id, {
      success: false,
      severity: 'WARN',
      metadataEntries: [
        { label: 'null_ratio', type: 'float', value: 0.04 },
        { label: 'rows', type: 'int', value: 5_000_000_000 },
        { label: 'dimension', type: 'text', text: 'completeness' },
        { label: 'ok', type: 'bool', value: false },
        { label: 'details', type: 'json', json: { columns: ['a'] } },
      ],
      partition: '2026-12-01',
    });
    const [, , , evaluated] = await executions(server, {
      assetKey: { path: ORDERS },
      checkName: 'row_count',
      limit: 10,
    });
    expect(evaluated).toMatchObject({
      id: inProgress.id,
      status: 'FAILED',
      evaluation: {
        success: false,
        severity: 'WARN',
        metadataEntries: [
          {
            __typename: 'FloatMetadataEntry',
            label: 'null_ratio',
            floatValue: 0.04,
          },
          // Beyond GraphQL's 32-bit Int: only the text carries it, as in Dagster.
          {
            __typename: 'IntMetadataEntry',
            label: 'rows',
            intValue: null,
            intRepr: '5000000000',
          },
          { __typename: 'TextMetadataEntry', text: 'completeness' },
          { __typename: 'BoolMetadataEntry', boolValue: false },
          { __typename: 'JsonMetadataEntry', jsonString: '{"columns":["a"]}' },
        ],
      },
    });
  });

  it('filters by partition', async () => {
    const run = server.addRun({ jobName: 'orders_daily', status: 'SUCCESS' });
    for (const partition of ['2026-12-01', '2026-12-02', '2026-12-01']) {
      server.addAssetCheckExecution({
        assetKey: ORDERS,
        checkName: 'row_count',
        runId: run.runId,
        success: true,
        partition,
      });
    }
    const page = await executions(server, {
      assetKey: { path: ORDERS },
      checkName: 'row_count',
      limit: 10,
      partition: '2026-12-01',
    });
    expect(page.map(e => e.partition)).toEqual(['2026-12-01', '2026-12-01']);
  });

  it('seeds checks and their executions with the runs that materialized them', async () => {
    const seeded = await startDagsterTestServer({
      seed: {
        runs: 300,
        tenants: ['acme'],
        productsPerTenant: 2,
        seed: 3,
        assetChecks: true,
      },
    });
    try {
      const [product] = seeded.seeded!.products;
      const published = product.assetKeys[2];
      expect(seeded.seeded!.assetCheckExecutions).toBeGreaterThan(100);
      const nodes = await graphql(seeded, ASSET_CHECKS, {
        assetKeys: [{ path: published }],
      });
      expect(
        nodes.body.data.assetNodes[0].assetChecksOrError.checks.map(
          (c: { name: string }) => c.name,
        ),
      ).toEqual(['row_count', 'unique_keys', 'null_ratio']);
      const page = await executions(seeded, {
        assetKey: { path: published },
        checkName: 'null_ratio',
        limit: 500,
      });
      const statuses = new Set(page.map(e => e.status));
      expect(statuses).toContain('SUCCEEDED');
      expect(statuses).toContain('FAILED');
      expect(statuses).toContain('EXECUTION_FAILED');
      const evaluated = page.find(e => e.evaluation)!;
      expect(evaluated.evaluation.severity).toBe('WARN');
      expect(evaluated.evaluation.metadataEntries).toContainEqual({
        __typename: 'TextMetadataEntry',
        label: 'dimension',
        text: 'completeness',
      });
      // Newest first: ids fall.
      const ids = page.map(e => Number(e.id));
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      seeded.assertNoInvalidRequests();
    } finally {
      await seeded.stop();
    }
  });
});
