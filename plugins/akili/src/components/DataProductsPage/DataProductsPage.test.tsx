import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { Entity } from '@backstage/catalog-model';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  clickstreamEntity,
  ordersDailyEntity,
  ordersEntity,
} from '../../__testUtils__/fixtures';
import { DataProductsPage } from './DataProductsPage';

const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-service', namespace: 'acme' },
  spec: { type: 'service', owner: 'x', lifecycle: 'production' },
};

const entities = [
  ordersEntity,
  ordersDailyEntity,
  clickstreamEntity,
  component,
];

function render(options: { entities?: Entity[]; url?: string } = {}) {
  return renderInTestApp(<DataProductsPage />, {
    apis: [catalogApiMock({ entities: options.entities ?? entities })],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    mountPath: '/data-products',
    initialRouteEntries: [options.url ?? '/data-products'],
  });
}

const cardTitles = () =>
  screen
    .queryAllByRole('article')
    .map(card => within(card).getByRole('heading').textContent);

async function chooseFilter(label: string, option: string) {
  fireEvent.mouseDown(screen.getByLabelText(`${label} filter`));
  const listbox = await screen.findByRole('listbox');
  await userEvent.click(within(listbox).getByText(option));
}

describe('DataProductsPage', () => {
  it('lists only data products, with their facts, PII badge and entity links', async () => {
    await render();

    expect(await screen.findByText('3 data products')).toBeInTheDocument();
    expect(cardTitles()).toEqual([
      'Daily orders',
      'Shop orders',
      'Web clickstream',
    ]);
    expect(screen.queryByText('orders-service')).not.toBeInTheDocument();

    const orders = screen.getByRole('article', { name: 'Shop orders' });
    expect(
      within(orders).getByRole('link', { name: 'Shop orders' }),
    ).toHaveAttribute('href', '/catalog/acme/dataproduct/orders');
    expect(within(orders).getByText('PII')).toBeInTheDocument();
    expect(
      within(orders).getByText('acme/sales-analytics'),
    ).toBeInTheDocument();
    expect(within(orders).getByText('revenue')).toBeInTheDocument();

    const clickstream = screen.getByRole('article', {
      name: 'Web clickstream',
    });
    expect(within(clickstream).queryByText('PII')).not.toBeInTheDocument();
    expect(within(clickstream).getByText('globex')).toBeInTheDocument();
    expect(within(clickstream).getByText('marketing')).toBeInTheDocument();
  });

  it('narrows the list by free-text search, including column names', async () => {
    await render();
    await screen.findByText('3 data products');

    await userEvent.type(
      screen.getByLabelText('Search data products'),
      'customer_email',
    );
    await waitFor(() => expect(cardTitles()).toEqual(['Shop orders']));
    expect(screen.getByText('1 of 3 data products')).toBeInTheDocument();
  });

  it('narrows the list by tenant and tag filters', async () => {
    await render();
    await screen.findByText('3 data products');

    await chooseFilter('Tenant', 'acme');
    await waitFor(() =>
      expect(cardTitles()).toEqual(['Daily orders', 'Shop orders']),
    );

    await chooseFilter('Tag', 'kpi');
    await waitFor(() => expect(cardTitles()).toEqual(['Daily orders']));
  });

  it('reads the filters from the query string of a shared link', async () => {
    await render({ url: '/data-products?type=source-aligned&domain=sales' });
    await waitFor(() => expect(cardTitles()).toEqual(['Shop orders']));
    expect(screen.getByLabelText('Type filter')).toHaveTextContent(
      'source-aligned',
    );
  });

  it('says when nothing matches and clears the filters', async () => {
    await render({ url: '/data-products?q=nothing-like-this' });
    expect(
      await screen.findByText('No data products match'),
    ).toBeInTheDocument();
    expect(cardTitles()).toEqual([]);

    await userEvent.click(
      screen.getByRole('button', { name: 'Clear filters' }),
    );
    await waitFor(() => expect(cardTitles()).toHaveLength(3));
  });

  it('says when there are no data products yet', async () => {
    await render({ entities: [component] });
    expect(await screen.findByText('No data products yet')).toBeInTheDocument();
    expect(
      screen.getByText(/manifest is registered in the catalog/),
    ).toBeInTheDocument();
  });

  it('shows an error when the catalog fails', async () => {
    await renderInTestApp(<DataProductsPage />, {
      apis: [
        catalogApiMock.mock({
          getEntities: jest.fn().mockRejectedValue(new Error('catalog down')),
        }),
      ],
    });
    expect(
      await screen.findByText(/The data products could not be loaded/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/catalog down/).length).toBeGreaterThan(0);
  });

  it('asks the catalog for DataProduct entities and only the fields it shows', async () => {
    const api = catalogApiMock.mock({
      getEntities: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderInTestApp(<DataProductsPage />, { apis: [api] });
    await screen.findByText('No data products yet');
    expect(api.getEntities).toHaveBeenCalledWith({
      filter: { kind: 'DataProduct' },
      fields: expect.arrayContaining([
        'metadata.name',
        'metadata.namespace',
        'spec.outputPorts',
      ]),
    });
  });
});
