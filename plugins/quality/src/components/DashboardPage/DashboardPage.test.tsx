import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { qualityApiRef } from '../../api';
import {
  FakeQualityApi,
  fakeQualityApi,
} from '../../__testUtils__/fakeQualityApi';
import { mountedRoutes } from '../../__testUtils__/renderEntity';
import { DashboardPage } from './DashboardPage';

function render(api: FakeQualityApi, url = '/quality') {
  return renderInTestApp(<DashboardPage />, {
    apis: [[qualityApiRef, api], catalogApiMock({ entities: [] })],
    mountedRoutes,
    mountPath: '/quality',
    initialRouteEntries: [url],
  });
}

describe('DashboardPage', () => {
  it('shows worst products, failing rules, stale products, trend and response times', async () => {
    const api = fakeQualityApi();
    await render(api);

    expect(await screen.findByLabelText('Open incidents')).toHaveTextContent(
      '2',
    );
    expect(screen.getByLabelText('Mean time to acknowledge')).toHaveTextContent(
      '42 min',
    );
    expect(screen.getByLabelText('Mean time to resolve')).toHaveTextContent(
      '3 h 20 min',
    );
    const open = await screen.findByRole('list', {
      name: 'Open incidents list',
    });
    expect(
      within(open).getByRole('link', {
        name: 'order_id_unique fails on orders',
      }),
    ).toHaveAttribute('href', '/incidents/acme/12');
    expect(
      screen.getByRole('link', { name: 'Open the incident queue' }),
    ).toHaveAttribute('href', '/incidents?tenant=acme');

    // Worst first, as the backend orders them.
    expect(
      screen
        .getAllByText(/^(Failing|Stale|Healthy)$/)
        .map(chip => chip.textContent),
    ).toEqual(['Failing', 'Stale', 'Healthy']);
    const orders = screen.getAllByRole('link', { name: 'orders' })[0];
    expect(orders).toHaveAttribute(
      'href',
      '/catalog/acme/dataproduct/orders/quality',
    );

    expect(screen.getByText('order_id_unique')).toBeInTheDocument();
    const stale = screen.getByRole('list', { name: 'Stale products' });
    expect(
      within(stale).getByRole('link', { name: 'returns' }),
    ).toBeInTheDocument();
    expect(
      within(stale).getByText(/Stale: last success 2 d 2 h ago, SLO 1d/),
    ).toBeInTheDocument();

    const chart = screen.getByRole('img', {
      name: /Daily quality score of acme over 30 days/,
    });
    expect(chart.getAttribute('aria-label')).toMatch(/2 days without results/);
    expect(api.getDashboard).toHaveBeenCalledWith('acme', 30);

    await userEvent.click(screen.getByRole('button', { name: '90 days' }));
    expect(api.getDashboard).toHaveBeenLastCalledWith('acme', 90);
  });

  it('explains a tenant whose dashboard the user may not see', async () => {
    const api = fakeQualityApi();
    await render(api, '/quality?tenant=globex');
    expect(
      await screen.findByText(/Only developers and operators of globex/),
    ).toBeInTheDocument();

    fireEvent.mouseDown(screen.getByLabelText('Tenant'));
    await userEvent.click(
      within(await screen.findByRole('listbox')).getByText('acme'),
    );
    expect(await screen.findByText('Worst products')).toBeInTheDocument();
  });

  it('says when the tenant has no products with quality rules', async () => {
    const api = fakeQualityApi({
      dashboard: {
        tenant: 'acme',
        products: [],
        failingRules: [],
        staleProducts: [],
        trend: [],
        incidents: {
          open: 0,
          meanMinutesToAcknowledge: null,
          meanMinutesToResolve: null,
          days: 30,
        },
      },
    });
    await render(api);
    expect(
      await screen.findByText(
        'No data products of acme have quality rules yet',
      ),
    ).toBeInTheDocument();
  });
});
