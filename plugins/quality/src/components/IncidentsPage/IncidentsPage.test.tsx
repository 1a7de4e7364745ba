import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router-dom';
import { qualityApiRef } from '../../api';
import {
  FakeQualityApi,
  developerIdentity,
  fakeQualityApi,
  incident,
  responseError,
} from '../../__testUtils__/fakeQualityApi';
import { mountedRoutes } from '../../__testUtils__/renderEntity';
import { IncidentPage } from './IncidentPage';
import { IncidentsPage } from './IncidentsPage';

const ShowSearch = () => <div data-testid="search">{useLocation().search}</div>;

function renderQueue(api: FakeQualityApi, url = '/incidents') {
  return renderInTestApp(
    <>
      <IncidentsPage />
      <ShowSearch />
    </>,
    {
      apis: [[qualityApiRef, api], catalogApiMock({ entities: [] })],
      mountedRoutes,
      mountPath: '/incidents',
      initialRouteEntries: [url],
    },
  );
}

function renderIncident(api: FakeQualityApi, id = '12') {
  return renderInTestApp(<IncidentPage />, {
    apis: [[qualityApiRef, api], catalogApiMock({ entities: [] })],
    mountedRoutes: {
      '/catalog/:namespace/:kind/:name':
        mountedRoutes['/catalog/:namespace/:kind/:name'],
      '/incidents': mountedRoutes['/incidents'],
    },
    mountPath: '/incidents/:tenant/:incidentId',
    initialRouteEntries: [`/incidents/acme/${id}`],
  });
}

async function choose(label: string, option: string) {
  fireEvent.mouseDown(screen.getByLabelText(new RegExp(`^${label}: `)));
  const listbox = await screen.findByRole('listbox');
  await userEvent.click(within(listbox).getByText(option));
}

const incidents = () => [
  incident(),
  incident({
    id: '13',
    title: 'orders is stale',
    cause: { kind: 'freshness', key: 'freshness' },
    state: 'assigned',
    assignee: 'user:default/olga',
  }),
  incident({
    id: '9',
    title: 'daily_volume warned on orders-daily',
    product: 'dataproduct:acme/orders-daily',
    state: 'resolved',
  }),
];

describe('IncidentsPage', () => {
  it('lists the open incidents of the operated tenant, linked to their pages', async () => {
    const api = fakeQualityApi({ incidents: incidents() });
    await renderQueue(api);

    expect(
      await screen.findByRole('link', {
        name: 'order_id_unique fails on orders',
      }),
    ).toHaveAttribute('href', '/incidents/acme/12');
    expect(screen.getByText('orders is stale')).toBeInTheDocument();
    expect(
      screen.queryByText('daily_volume warned on orders-daily'),
    ).not.toBeInTheDocument();
    expect(screen.getByText('olga')).toBeInTheDocument();
    expect(api.listTenantIncidents).toHaveBeenCalledWith(
      'acme',
      expect.objectContaining({ state: 'open' }),
    );
  });

  it('filters by state and product, keeping them in the URL', async () => {
    const api = fakeQualityApi({ incidents: incidents() });
    await renderQueue(api, '/incidents?tenant=acme&state=resolved');

    expect(
      await screen.findByText('daily_volume warned on orders-daily'),
    ).toBeInTheDocument();
    expect(screen.queryByText('orders is stale')).not.toBeInTheDocument();

    await choose('State filter', 'Assigned');
    expect(await screen.findByText('orders is stale')).toBeInTheDocument();
    expect(screen.getByTestId('search')).toHaveTextContent(
      '?tenant=acme&state=assigned',
    );
    expect(api.listTenantIncidents).toHaveBeenLastCalledWith(
      'acme',
      expect.objectContaining({ state: 'assigned' }),
    );

    await choose('State filter', 'All');
    await userEvent.type(
      screen.getByLabelText('Product'),
      'orders-daily{enter}',
    );
    await waitFor(() =>
      expect(screen.getByTestId('search')).toHaveTextContent(
        '?tenant=acme&state=all&product=orders-daily',
      ),
    );
    expect(
      await screen.findByText('daily_volume warned on orders-daily'),
    ).toBeInTheDocument();
    expect(screen.queryByText('orders is stale')).not.toBeInTheDocument();
  });

  it('keeps the pages shown in the URL, and shows as many again from it', async () => {
    const many = Array.from({ length: 120 }, (_, i) =>
      incident({ id: String(1000 + i), title: `incident ${i}` }),
    );
    const api = fakeQualityApi({ incidents: many });
    api.listTenantIncidents.mockImplementation(async (_tenant, query) => {
      // The fake's own type names only the filters.
      const page = query as { cursor?: string; limit?: number } | undefined;
      const from = Number(page?.cursor ?? 0);
      const to = from + (page?.limit ?? 50);
      return {
        items: many.slice(from, to),
        nextCursor: to < many.length ? String(to) : undefined,
      };
    });
    await renderQueue(api, '/incidents?tenant=acme');
    expect(await screen.findByText('incident 49')).toBeInTheDocument();
    expect(screen.queryByText('incident 50')).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByText('incident 99')).toBeInTheDocument();
    expect(screen.getByTestId('search')).toHaveTextContent(
      '?tenant=acme&pages=2',
    );
    expect(api.listTenantIncidents).toHaveBeenLastCalledWith(
      'acme',
      expect.objectContaining({ cursor: '50', limit: 50 }),
    );
  });

  it('reads the pages shown from the URL', async () => {
    const api = fakeQualityApi({ incidents: incidents() });
    await renderQueue(api, '/incidents?tenant=acme&state=all&pages=3');
    expect(await screen.findByText('orders is stale')).toBeInTheDocument();
    expect(api.listTenantIncidents).toHaveBeenCalledWith(
      'acme',
      expect.objectContaining({ state: 'all', limit: 150 }),
    );
  });

  it('says when nothing is open, and explains a refusal', async () => {
    const api = fakeQualityApi({ incidents: [] });
    await renderQueue(api);
    expect(await screen.findByText('No open incidents')).toBeInTheDocument();

    api.listTenantIncidents.mockRejectedValue(
      await responseError(403, 'NotAllowedError', 'no'),
    );
    await choose('State filter', 'All');
    expect(
      await screen.findByText(/Only developers and operators of acme/),
    ).toBeInTheDocument();
  });
});

describe('IncidentPage', () => {
  it('shows the incident with its timeline', async () => {
    const api = fakeQualityApi();
    await renderIncident(api);
    expect(
      await screen.findByRole('heading', {
        name: 'order_id_unique fails on orders',
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('rule: order_id_unique')).toBeInTheDocument();
    const timeline = screen.getByRole('list', { name: 'Timeline' });
    expect(within(timeline).getByText('Opened')).toBeInTheDocument();
    expect(
      within(timeline).getByText(/Akili \(automatic\)/),
    ).toBeInTheDocument();
    expect(api.getIncident).toHaveBeenCalledWith('acme', '12');
  });

  it('acknowledges, assigns, comments and resolves through the API', async () => {
    const api = fakeQualityApi();
    await renderIncident(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Acknowledge' }),
    );
    await waitFor(() =>
      expect(api.acknowledgeIncident).toHaveBeenCalledWith('acme', '12'),
    );
    expect(
      await within(screen.getByRole('list', { name: 'Timeline' })).findByText(
        'Acknowledged',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Acknowledge' }),
    ).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Assign' }));
    const assign = await screen.findByRole('dialog');
    const field = within(assign).getByLabelText('Assignee');
    await userEvent.clear(field);
    await userEvent.type(field, 'omar');
    await userEvent.click(
      within(assign).getByRole('button', { name: 'Assign' }),
    );
    await waitFor(() =>
      expect(api.assignIncident).toHaveBeenCalledWith(
        'acme',
        '12',
        'user:default/omar',
      ),
    );
    expect(await screen.findByText('Assigned to omar')).toBeInTheDocument();

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Comment' }));
    const commentDialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(commentDialog).getByLabelText('Comment'),
      'looking at the loader',
    );
    await userEvent.click(
      within(commentDialog).getByRole('button', { name: 'Comment' }),
    );
    await waitFor(() =>
      expect(api.commentIncident).toHaveBeenCalledWith(
        'acme',
        '12',
        'looking at the loader',
      ),
    );

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Resolve' }));
    const resolve = await screen.findByRole('dialog');
    fireEvent.mouseDown(within(resolve).getByLabelText('Reason'));
    await userEvent.click(
      within(await screen.findByRole('listbox')).getByText('Other'),
    );
    // "Other" needs a comment.
    const submit = within(resolve).getByRole('button', { name: 'Resolve' });
    expect(submit).toBeDisabled();
    await userEvent.type(
      within(resolve).getByLabelText(/Comment/),
      'loader fixed upstream',
    );
    expect(submit).toBeEnabled();
    await userEvent.click(submit);
    await waitFor(() =>
      expect(api.resolveIncident).toHaveBeenCalledWith('acme', '12', {
        reason: 'other',
        comment: 'loader fixed upstream',
      }),
    );
    expect(await screen.findByText('Resolved')).toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.queryByRole('button', { name: 'Resolve' }),
      ).not.toBeInTheDocument(),
    );
  });

  it('hides the actions from those who may not manage incidents', async () => {
    const api = fakeQualityApi({ identity: developerIdentity });
    await renderIncident(api);
    expect(
      await screen.findByText(/Only operators of acme and platform admins can/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Acknowledge' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Resolve' }),
    ).not.toBeInTheDocument();
  });

  it('shows a 403 from the API as a clear message', async () => {
    const api = fakeQualityApi();
    api.acknowledgeIncident.mockRejectedValue(
      await responseError(403, 'NotAllowedError', 'Forbidden'),
    );
    await renderIncident(api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Acknowledge' }),
    );
    expect(
      await screen.findByText(
        'You are not allowed to change incidents of acme: only its operators and platform admins can.',
      ),
    ).toBeInTheDocument();
  });

  it('says when the incident does not exist', async () => {
    const api = fakeQualityApi();
    await renderIncident(api, '404');
    expect(
      await screen.findByText('No incident 404 in acme.'),
    ).toBeInTheDocument();
  });
});
