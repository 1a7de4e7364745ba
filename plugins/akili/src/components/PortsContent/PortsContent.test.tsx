import { screen, waitFor, within } from '@testing-library/react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  clickstreamEntity,
  dataProductEntity,
  ordersDailyEntity,
  ordersEntity,
} from '../../__testUtils__/fixtures';
import { renderForEntity } from '../../__testUtils__/renderEntity';
import { PortsContent } from './PortsContent';

describe('PortsContent', () => {
  it('renders an output port schema with types, keys and classification badges', async () => {
    await renderForEntity(<PortsContent />, ordersEntity);

    const table = await screen.findByRole('table', {
      name: 'Schema of orders',
    });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(4);

    const email = within(table).getByRole('row', { name: /customer_email/ });
    expect(within(email).getByText('VARCHAR(255)')).toBeInTheDocument();
    expect(within(email).getByText('PII')).toBeInTheDocument();

    const id = within(table).getByRole('row', { name: /order_id/ });
    expect(within(id).getByText('Public')).toBeInTheDocument();
    expect(within(id).getByTitle('required')).toBeInTheDocument();
    expect(within(id).getByTitle('primary key')).toBeInTheDocument();

    // No classification in the manifest reads as internal.
    const total = within(table).getByRole('row', { name: /total_amount/ });
    expect(within(total).getByText('Internal')).toBeInTheDocument();
    expect(within(total).queryByTitle('primary key')).not.toBeInTheDocument();

    expect(screen.getByLabelText('Location')).toHaveTextContent(
      'iceberg_acme.sales.orders',
    );
  });

  it('shows external sources as such', async () => {
    await renderForEntity(<PortsContent />, ordersEntity);
    const inputs = await screen.findByRole('table', { name: 'Input ports' });
    const row = within(inputs).getByRole('row', { name: /shop_orders/ });
    expect(within(row).getByText('external')).toBeInTheDocument();
    expect(
      within(row).getByText('shop-db:5432/shop/public.orders'),
    ).toBeInTheDocument();
  });

  it('links resolved upstream products and marks missing ones unresolved', async () => {
    await renderForEntity(<PortsContent />, ordersDailyEntity, {
      catalog: [ordersEntity, ordersDailyEntity],
    });
    const inputs = await screen.findByRole('table', { name: 'Input ports' });

    const returns = within(inputs).getByRole('row', { name: /returns/ });
    expect(await within(returns).findByText('unresolved')).toBeInTheDocument();
    expect(
      within(returns).getByText('dataproduct:acme/returns'),
    ).toBeInTheDocument();
    expect(within(returns).queryByRole('link')).not.toBeInTheDocument();

    const orders = within(inputs).getAllByRole('row')[1];
    await waitFor(() =>
      expect(within(orders).getByRole('link')).toHaveAttribute(
        'href',
        '/catalog/acme/dataproduct/orders',
      ),
    );
    expect(within(orders).queryByText('unresolved')).not.toBeInTheDocument();
    expect(
      within(orders).queryByText('port not found'),
    ).not.toBeInTheDocument();

    // Not an error: no error panel for a missing upstream.
    expect(
      screen.queryByText(/Upstream products could not be checked/),
    ).not.toBeInTheDocument();
  });

  it('flags an upstream port the upstream product does not publish', async () => {
    const reader = dataProductEntity({
      name: 'reader',
      spec: {
        inputPorts: [{ name: 'in', product: 'orders', port: 'no_such_port' }],
        outputPorts: [],
      },
    });
    await renderForEntity(<PortsContent />, reader, {
      catalog: [ordersEntity, reader],
    });
    expect(await screen.findByText('port not found')).toBeInTheDocument();
  });

  it('keeps listing input ports when the catalog cannot be asked', async () => {
    await renderInTestApp(
      <EntityProvider entity={ordersDailyEntity}>
        <PortsContent />
      </EntityProvider>,
      {
        apis: [
          catalogApiMock.mock({
            getEntitiesByRefs: jest.fn().mockRejectedValue(new Error('down')),
          }),
        ],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByText(/Upstream products could not be checked/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('table', { name: 'Input ports' }),
    ).toBeInTheDocument();
    expect(screen.queryByText('unresolved')).not.toBeInTheDocument();
  });

  it('renders s3 and kafka locations readably', async () => {
    await renderForEntity(<PortsContent />, ordersDailyEntity, {
      catalog: [ordersDailyEntity],
    });
    const locations = (await screen.findAllByLabelText('Location')).map(
      l => l.textContent,
    );
    expect(locations).toEqual([
      'kpi.orders_daily',
      's3://acme-lake/exports/daily',
    ]);
    expect(screen.getByText('csv')).toBeInTheDocument();

    await renderForEntity(<PortsContent />, clickstreamEntity);
    expect(
      await screen.findByText('kafka: globex.web.events'),
    ).toBeInTheDocument();
  });

  it('says so when there are no input ports', async () => {
    await renderForEntity(<PortsContent />, clickstreamEntity);
    expect(
      await screen.findByText(/This product has no input ports/),
    ).toBeInTheDocument();
  });
});
