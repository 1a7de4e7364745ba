import { startDagsterTestServer } from './DagsterTestServer';

describe('the code location of an added run', () => {
  it('is the first location defining its job, unless the test names one (a forged run)', async () => {
    const server = await startDagsterTestServer({
      locations: [
        {
          name: 'acme_orders',
          repositories: [{ jobs: [{ name: 'orders_daily' }] }],
        },
        {
          name: 'globex_shipments',
          repositories: [
            { name: 'shipping', jobs: [{ name: 'shipments_daily' }] },
          ],
        },
      ],
    });
    try {
      expect(
        server.addRun({ jobName: 'shipments_daily' }).repositoryOrigin,
      ).toEqual({
        repositoryLocationName: 'globex_shipments',
        repositoryName: 'shipping',
      });
      // Tags are whatever whoever launched it wrote: a globex run may claim acme.
      const forged = server.addRun({
        jobName: 'shipments_daily',
        tags: {
          'akili/tenant': 'acme',
          'akili/product': 'dataproduct:acme/orders',
        },
      });
      expect(forged.repositoryOrigin.repositoryLocationName).toBe(
        'globex_shipments',
      );
      expect(
        server.addRun({
          jobName: 'orders_daily',
          repositoryOrigin: {
            repositoryLocationName: 'elsewhere',
            repositoryName: '__repository__',
          },
        }).repositoryOrigin.repositoryLocationName,
      ).toBe('elsewhere');
      // A job no location defines: the first location, as before.
      expect(
        server.addRun({ jobName: 'adhoc' }).repositoryOrigin
          .repositoryLocationName,
      ).toBe('acme_orders');
    } finally {
      await server.stop();
    }
  });
});
