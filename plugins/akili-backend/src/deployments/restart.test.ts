import { TestDatabases } from '@backstage/backend-test-utils';
import { GitlabTestServer } from '@akili/gitlab-test-server';
import { requireTestDatabaseIds } from '@akili/plugin-akili-node/testUtils';
import {
  addProject,
  deploymentEvents,
  eventually,
  startDeploymentsBackend,
} from './__testUtils__/deploymentsBackend';

jest.setTimeout(90_000);

describe.each(requireTestDatabaseIds())(
  'deployments across a restart on %s',
  databaseId => {
    const databases = TestDatabases.create({ ids: [databaseId] });
    const gitlab = new GitlabTestServer('platform-token');

    beforeAll(async () => {
      await gitlab.start();
      addProject(gitlab, 1, 'data-products/acme/orders');
      addProject(gitlab, 2, 'data-products/acme/parcels');
    });

    afterAll(async () => {
      await gitlab.stop();
    });

    it('ends a deployment whose pipeline ended while no backend ran, with one event, when two backends start', async () => {
      const knex = await databases.init(databaseId);
      const first = await startDeploymentsBackend({ knex, gitlab });
      await first.register(
        ['acme', 'orders', 'dev'],
        ['acme', 'parcels', 'dev'],
      );
      const orders = (await first.deploy('acme', 'orders')).body;
      const parcels = (await first.deploy('acme', 'parcels')).body;
      expect([orders.status, parcels.status]).toEqual(['pending', 'pending']);
      gitlab.setPipelineStatus(orders.pipelineId, 'running');
      await eventually(
        async () =>
          (await first.statusOf('acme', 'orders', orders.id)) === 'running',
      );
      await first.backend.stop();

      // While no backend follows them, one pipeline succeeds and the other fails.
      gitlab.setPipelineStatus(orders.pipelineId, 'success');
      gitlab.setPipelineStatus(parcels.pipelineId, 'failed');
      await new Promise(resolve => setTimeout(resolve, 200));
      expect(
        await knex('akili_product_deployments')
          .whereIn('id', [orders.id, parcels.id])
          .orderBy('status')
          .pluck('status'),
      ).toEqual(
        // Row-level security hides the rows from the owner role on PostgreSQL.
        String(databaseId).startsWith('POSTGRES') ? [] : ['pending', 'running'],
      );

      // Two instances start on the same database: both follow what is unfinished.
      const [second, third] = [
        await startDeploymentsBackend({ knex, gitlab }),
        await startDeploymentsBackend({ knex, gitlab }),
      ];
      try {
        await eventually(
          async () =>
            (await second.statusOf('acme', 'orders', orders.id)) ===
              'success' &&
            (await second.statusOf('acme', 'parcels', parcels.id)) === 'failed',
        );
        // Both had time to read the pipelines' ends.
        await new Promise(resolve => setTimeout(resolve, 500));
        expect(
          (await third.get('tenants/acme/products/orders')).body.status,
        ).toBe('deployed');
        const events = await deploymentEvents(knex, 'acme');
        expect(
          events.map(event => [event.type, event.data.deploymentId]).sort(),
        ).toEqual([
          ['product.deployed', orders.id],
          ['product.deployment.failed', parcels.id],
        ]);
      } finally {
        await second.backend.stop();
        await third.backend.stop();
      }
    });
  },
);
