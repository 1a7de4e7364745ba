import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notifyOwnersOfFailure } from './startRunTracking';

const product = {
  apiVersion: 'akili.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { namespace: 'acme', name: 'orders', title: 'Shop orders' },
  spec: {},
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/acme-sales-analytics' },
    { type: 'partOf', targetRef: 'domain:default/sales' },
  ],
};

describe('notifyOwnersOfFailure', () => {
  it('notifies the product’s owners with a link to the run', async () => {
    const send = jest.fn(async () => {});
    await notifyOwnersOfFailure(
      {
        tenant: 'acme',
        product: 'dataproduct:acme/orders',
        runId: 'r-1',
        job: 'orders_hourly',
      },
      {
        catalog: catalogServiceMock({ entities: [product] }),
        auth: mockServices.auth(),
        notifications: { send },
      },
    );
    expect(send).toHaveBeenCalledWith({
      recipients: {
        type: 'entity',
        entityRef: ['group:default/acme-sales-analytics'],
      },
      payload: {
        title: 'Run of Shop orders failed',
        description:
          'Run r-1 of job orders_hourly (dataproduct:acme/orders) failed.',
        link: '/runs/r-1',
        severity: 'high',
        topic: 'akili-run-failed',
        scope: 'akili-run-failed:dataproduct:acme/orders',
      },
    });
  });

  it('sends nothing for a product it cannot find or without an owner', async () => {
    const send = jest.fn(async () => {});
    const deps = {
      catalog: catalogServiceMock({
        entities: [{ ...product, relations: [] }],
      }),
      auth: mockServices.auth(),
      notifications: { send },
    };
    for (const ref of ['dataproduct:acme/orders', 'dataproduct:acme/ghost']) {
      await notifyOwnersOfFailure(
        { tenant: 'acme', product: ref, runId: 'r-2', job: 'j' },
        deps,
      );
    }
    expect(send).not.toHaveBeenCalled();
  });

  it('sends nothing about a product of another tenant than the run’s', async () => {
    const send = jest.fn(async () => {});
    const deps = {
      catalog: catalogServiceMock({ entities: [product] }),
      auth: mockServices.auth(),
      notifications: { send },
    };
    for (const tenant of ['globex', 'acme-evil']) {
      await notifyOwnersOfFailure(
        { tenant, product: 'dataproduct:acme/orders', runId: 'r-3', job: 'j' },
        deps,
      );
    }
    await notifyOwnersOfFailure(
      {
        tenant: 'acme',
        product: 'component:acme/orders',
        runId: 'r-4',
        job: 'j',
      },
      deps,
    );
    expect(send).not.toHaveBeenCalled();
  });
});
