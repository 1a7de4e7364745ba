import path from 'node:path';
import { startDagsterTestServer } from './DagsterTestServer';
import {
  addForgedRuns,
  addProductAssetChecks,
  addProductRuns,
  productTargetsFromManifests,
} from './products';
import { graphql } from './testUtils';

const examples = path.resolve(__dirname, '../../../examples/data-products');

describe('runs of real data products', () => {
  it('reads the Dagster targets of the example manifests', () => {
    const targets = productTargetsFromManifests(examples);
    expect(targets.length).toBeGreaterThanOrEqual(10);
    expect(targets).toContainEqual({
      tenant: 'acme',
      name: 'orders',
      codeLocation: 'acme_orders',
      repository: '__repository__',
      job: 'orders_hourly',
      assetKeys: [
        ['sales', 'orders'],
        ['sales', 'order_lines'],
      ],
      qualityRules: expect.arrayContaining([
        {
          name: 'order_id_unique',
          port: 'orders',
          dimension: 'uniqueness',
          severity: 'error',
        },
      ]),
    });
  });

  it('adds each product’s location and a history of tagged runs, the newest still running', async () => {
    const server = await startDagsterTestServer();
    try {
      const targets = productTargetsFromManifests(examples).slice(0, 2);
      const now = Date.UTC(2026, 10, 27, 12);
      const runs = addProductRuns(server, targets, { runsPerProduct: 8, now });
      const [first] = targets;
      const ref = `dataproduct:${first.tenant}/${first.name}`;
      const own = runs.get(ref)!;
      expect(own).toHaveLength(8);
      expect(own[7].status).toBe('STARTED');
      expect(own.map(r => r.status)).toContain('FAILURE');
      expect(own.every(r => r.tags['akili/tenant'] === first.tenant)).toBe(
        true,
      );
      expect(own.every(r => r.tags['akili/product'] === ref)).toBe(true);
      // Oldest first: creation times rise.
      const times = own.map(r => r.creationTime);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(server.getRun(own[7].runId)?.endTime).toBeNull();
    } finally {
      await server.stop();
    }
  });

  it('adds runs from one tenant’s location that claim another tenant and its product', async () => {
    const server = await startDagsterTestServer();
    try {
      const targets = productTargetsFromManifests(examples);
      addProductRuns(server, targets, { runsPerProduct: 1 });
      const forged = addForgedRuns(server, targets);
      expect(forged).toHaveLength(targets.length);
      for (const { run, claimedTenant, locationTenant } of forged) {
        expect(claimedTenant).not.toBe(locationTenant);
        expect(run.tags['akili/tenant']).toBe(claimedTenant);
        expect(run.tags['akili/product']).toMatch(
          new RegExp(`^dataproduct:${claimedTenant}/`),
        );
        expect(
          run.repositoryOrigin.repositoryLocationName.startsWith(
            `${locationTenant}_`,
          ),
        ).toBe(true);
        expect(server.getRun(run.runId)?.status).toBe('FAILURE');
      }
    } finally {
      await server.stop();
    }
  });

  it('makes the products’ contract rules asset checks, executed in their finished runs', async () => {
    const server = await startDagsterTestServer();
    try {
      const targets = productTargetsFromManifests(examples).filter(
        t => t.tenant === 'acme' && t.name === 'orders',
      );
      const runs = addProductRuns(server, targets, { runsPerProduct: 10 });
      const added = addProductAssetChecks(server, targets, runs);
      const rules = targets[0].qualityRules!.map(r => r.name);
      const executions = added.get('dataproduct:acme/orders')!;
      // Nine finished runs (the newest is still running), one execution per rule each.
      expect(executions).toHaveLength(9 * rules.length);
      const reply = await graphql(
        server,
        `
          query Checks($keys: [AssetKeyInput!]) {
            assetNodes(assetKeys: $keys) {
              repository {
                location {
                  name
                }
              }
              assetChecksOrError {
                ... on AssetChecks {
                  checks {
                    name
                  }
                }
              }
            }
          }
        `,
        { keys: [{ path: ['sales', 'order_lines'] }] },
      );
      expect(reply.body.data.assetNodes).toEqual([
        {
          repository: { location: { name: 'acme_orders' } },
          assetChecksOrError: { checks: rules.map(name => ({ name })) },
        },
      ]);
      const page = await graphql(
        server,
        `
          query Executions($key: AssetKeyInput!, $name: String!) {
            assetCheckExecutions(assetKey: $key, checkName: $name, limit: 100) {
              status
              evaluation {
                severity
                metadataEntries {
                  label
                }
              }
            }
          }
        `,
        { key: { path: ['sales', 'order_lines'] }, name: 'order_id_unique' },
      );
      const statuses = page.body.data.assetCheckExecutions.map(
        (e: { status: string }) => e.status,
      );
      expect(statuses).toHaveLength(9);
      expect(statuses).toContain('SUCCEEDED');
      expect(statuses).toContain('EXECUTION_FAILED');
      server.assertNoInvalidRequests();
    } finally {
      await server.stop();
    }
  });

  it('adds daily check history before the runs, oldest first, with failing spells', async () => {
    const server = await startDagsterTestServer();
    try {
      const targets = productTargetsFromManifests(examples).filter(
        t => t.tenant === 'acme' && t.name === 'orders',
      );
      const now = Date.UTC(2026, 11, 1, 12);
      const runs = addProductRuns(server, targets, { runsPerProduct: 4, now });
      const added = addProductAssetChecks(server, targets, runs, {
        historyDays: 60,
        now,
      })
        .get('dataproduct:acme/orders')!
        .filter(e => e.checkName === 'order_id_unique');
      // 60 days of history, then the three finished runs.
      expect(added).toHaveLength(63);
      const history = added.slice(0, 60);
      const oldestRun = Math.min(
        ...runs.get('dataproduct:acme/orders')!.map(r => r.creationTime),
      );
      expect(history[0].timestamp).toBeLessThan(oldestRun - 59 * 86_400);
      expect(history[59].timestamp).toBeLessThan(oldestRun);
      // Storage order is time order, and each day has its own run and partition.
      expect(history.map(e => e.timestamp)).toEqual(
        [...history.map(e => e.timestamp)].sort((a, b) => a - b),
      );
      expect(new Set(history.map(e => e.runId)).size).toBe(60);
      expect(new Set(history.map(e => e.partition)).size).toBe(60);
      const failed = history.filter(e => e.recordStatus === 'FAILED');
      // Bad spells of three days in a row, a few per 60 days; most days pass.
      expect(failed.length).toBeGreaterThanOrEqual(3);
      expect(failed.length).toBeLessThan(20);
    } finally {
      await server.stop();
    }
  });
});
