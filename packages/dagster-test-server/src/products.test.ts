import path from 'node:path';
import { startDagsterTestServer } from './DagsterTestServer';
import {
  addForgedRuns,
  addProductRuns,
  productTargetsFromManifests,
} from './products';

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
});
