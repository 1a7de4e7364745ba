import { renderInTestApp } from '@backstage/frontend-test-utils';
import { discoveryApiRef, fetchApiRef } from '@backstage/frontend-plugin-api';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { QualityTenantScores } from '@akili/plugin-quality-common';
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

const qualityUrl = 'http://localhost:7007/api/quality';

/** ACME's scores: orders fails, orders-daily is healthy. */
const acmeScores: QualityTenantScores = {
  tenant: 'acme',
  items: [
    {
      product: 'dataproduct:acme/orders',
      score: 42,
      status: 'failing',
      coverage: 0.75,
      freshness: 'fresh',
      openIncidents: 2,
    },
    {
      product: 'dataproduct:acme/orders-daily',
      score: 97.5,
      status: 'healthy',
      coverage: 1,
      freshness: 'fresh',
      openIncidents: 0,
    },
  ],
};

const server = setupServer();
const askedScores: string[] = [];

/** The quality backend's scores route: per tenant a body, or an HTTP status to fail with. */
function answerScores(byTenant: Record<string, QualityTenantScores | number>) {
  server.use(
    http.get(`${qualityUrl}/v1/tenants/:tenant/scores`, ({ params }) => {
      const tenant = params.tenant as string;
      askedScores.push(tenant);
      const answer = byTenant[tenant] ?? { tenant, items: [] };
      if (typeof answer === 'number') {
        return HttpResponse.json(
          { error: { name: 'Error', message: `scores of ${tenant} failed` } },
          { status: answer },
        );
      }
      return HttpResponse.json(answer);
    }),
  );
}

beforeAll(() => server.listen({ onUnhandledRequest: 'bypass' }));
beforeEach(() => {
  askedScores.length = 0;
  answerScores({ acme: acmeScores, globex: { tenant: 'globex', items: [] } });
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const backendApis = [
  [
    discoveryApiRef,
    { getBaseUrl: async (id: string) => `http://localhost:7007/api/${id}` },
  ],
  [fetchApiRef, { fetch: (input: any, init: any) => fetch(input, init) }],
] as const;

function render(options: { entities?: Entity[]; url?: string } = {}) {
  return renderInTestApp(<DataProductsPage />, {
    apis: [
      catalogApiMock({ entities: options.entities ?? entities }),
      ...backendApis,
    ],
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
  fireEvent.mouseDown(screen.getByLabelText(new RegExp(`^${label} filter: `)));
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
    expect(screen.getByLabelText(/^Type filter: /)).toHaveTextContent(
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

  describe('quality', () => {
    const qualityOf = (title: string) =>
      within(screen.getByRole('article', { name: title })).getByLabelText(
        'Quality',
      );

    it("shows each product's quality status and score from its tenant's scores", async () => {
      await render();
      await waitFor(() =>
        expect(qualityOf('Shop orders')).toHaveTextContent('Failing · 42'),
      );
      expect(qualityOf('Daily orders')).toHaveTextContent('Healthy · 98');
      // globex answered without clickstream: no check reported, so unknown, not healthy.
      expect(qualityOf('Web clickstream')).toHaveTextContent('Unknown');
      expect([...askedScores].sort()).toEqual(['acme', 'globex']);
    });

    it('filters by quality status, keeping it in the query string with the other filters', async () => {
      await render();
      await waitFor(() =>
        expect(qualityOf('Shop orders')).toHaveTextContent('Failing'),
      );

      await chooseFilter('Quality', 'Failing');
      await waitFor(() => expect(cardTitles()).toEqual(['Shop orders']));
      expect(screen.getByText('1 of 3 data products')).toBeInTheDocument();

      await chooseFilter('Quality', 'Unknown');
      await waitFor(() => expect(cardTitles()).toEqual(['Web clickstream']));

      // Another filter keeps the quality filter.
      await chooseFilter('Tenant', 'acme');
      expect(
        await screen.findByText('No data products match'),
      ).toBeInTheDocument();
      await userEvent.click(
        screen.getByRole('button', { name: 'Clear filters' }),
      );
      await waitFor(() => expect(cardTitles()).toHaveLength(3));
    });

    it('reads the quality filter from a shared link', async () => {
      await render({ url: '/data-products?quality=healthy&tenant=acme' });
      await waitFor(() => expect(cardTitles()).toEqual(['Daily orders']));
      expect(screen.getByLabelText(/^Quality filter: /)).toHaveTextContent(
        'Healthy',
      );
    });

    it("still lists every product when one tenant's scores fail, and says so", async () => {
      answerScores({ acme: acmeScores, globex: 500 });
      await render();
      expect(
        await screen.findByText(/Quality is unavailable for globex/),
      ).toBeInTheDocument();
      expect(cardTitles()).toHaveLength(3);
      expect(qualityOf('Web clickstream')).toHaveTextContent('unavailable');
      expect(qualityOf('Shop orders')).toHaveTextContent('Failing · 42');
    });

    it('works without the quality backend: products listed, quality unavailable, filter disabled', async () => {
      answerScores({ acme: 404, globex: 404 });
      await render();
      expect(
        await screen.findByText(/Quality is unavailable right now/),
      ).toBeInTheDocument();
      expect(cardTitles()).toEqual([
        'Daily orders',
        'Shop orders',
        'Web clickstream',
      ]);
      expect(screen.getByLabelText(/^Quality filter: /)).toHaveAttribute(
        'aria-disabled',
        'true',
      );
    });
  });
});
