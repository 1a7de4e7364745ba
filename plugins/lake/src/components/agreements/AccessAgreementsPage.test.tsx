import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import {
  agreement,
  identities,
  renderWithLake,
  serveAgreements,
} from './__testUtils__/agreementsBackend';
import { AccessAgreementsPage } from './AccessAgreementsPage';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const DAY = 24 * 60 * 60 * 1000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

const listQueries = (received: { path: string; query: any }[]) =>
  received.filter(r => r.path === '/api/lake/v1/agreements').map(r => r.query);

describe('AccessAgreementsPage', () => {
  it('lists requests to the provider, pending first, and keeps the status filter in the URL', async () => {
    const { received } = serveAgreements(server, {
      identity: identities.acmeDeveloper,
      items: [
        agreement('a1', {
          status: 'approved',
          requestedAt: ago(1),
          purpose: 'Approved one',
        }),
        agreement('a2', { requestedAt: ago(5), purpose: 'Older pending' }),
        agreement('a3', {
          requestedAt: ago(3),
          purpose: 'Newer pending',
          consumer: { tenant: 'initech' },
        }),
      ],
    });
    renderWithLake(<AccessAgreementsPage />, { path: '/access' });

    const table = await screen.findByRole('table', {
      name: 'Requests to us: agreements of acme',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(
      rows.map(r => within(r).getAllByRole('cell')[3].textContent),
    ).toEqual(['Older pending', 'Newer pending', 'Approved one']);
    // Each row links to the product.
    expect(
      within(rows[0]).getByRole('link', { name: /customer-360/ }),
    ).toHaveAttribute('href', '/catalog/acme/dataproduct/customer-360');
    expect(
      within(rows[0]).getByRole('button', { name: 'Approve request a2' }),
    ).toBeInTheDocument();
    expect(listQueries(received)).toEqual([
      { tenant: 'acme', side: 'provider' },
    ]);

    // Filter by status: in the URL and in the request.
    await userEvent.click(screen.getByLabelText('Status'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Approved' }),
    );
    await waitFor(() =>
      expect(screen.getByTestId('location-search')).toHaveTextContent(
        'status=approved',
      ),
    );
    await waitFor(() =>
      expect(listQueries(received).at(-1)).toEqual({
        tenant: 'acme',
        side: 'provider',
        status: 'approved',
      }),
    );
    expect(await screen.findByText('Approved one')).toBeInTheDocument();
    expect(screen.queryByText('Older pending')).not.toBeInTheDocument();
  });

  it("reads tab and status from the URL and shows the consumer's access with what to do when there is none", async () => {
    const { received } = serveAgreements(server, {
      identity: identities.globexConsumer,
      items: [],
    });
    renderWithLake(<AccessAgreementsPage />, {
      path: '/access?tab=consumer',
    });
    expect(
      await screen.findByText(
        /To read another tenant's product, open it in the catalog and request access/,
      ),
    ).toBeInTheDocument();
    expect(listQueries(received)).toEqual([
      { tenant: 'globex', side: 'consumer' },
    ]);

    // The other tab: the provider's empty inbox says so.
    await userEvent.click(screen.getByRole('tab', { name: 'Requests to us' }));
    expect(
      await screen.findByText(/No one has asked for your products' data yet/),
    ).toBeInTheDocument();
    expect(screen.getByTestId('location-search')).not.toHaveTextContent('tab=');
  });

  it('lets the consumer withdraw a pending request and hides provider actions', async () => {
    const { received } = serveAgreements(server, {
      identity: identities.globexConsumer,
      items: [agreement('a1'), agreement('a2', { status: 'approved' })],
    });
    renderWithLake(<AccessAgreementsPage />, {
      path: '/access?tab=consumer&status=requested',
    });
    const table = await screen.findByRole('table', {
      name: 'Our access: agreements of globex',
    });
    expect(listQueries(received)).toEqual([
      { tenant: 'globex', side: 'consumer', status: 'requested' },
    ]);
    expect(within(table).getAllByRole('row')).toHaveLength(2);
    expect(
      within(table).queryByRole('button', { name: /Approve/ }),
    ).not.toBeInTheDocument();
    await userEvent.click(
      within(table).getByRole('button', { name: 'Withdraw request a1' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Withdraw' }),
    );
    await waitFor(() =>
      expect(within(table).getByText('Withdrawn')).toBeInTheDocument(),
    );
    expect(
      received.some(r => r.path === '/api/lake/v1/agreements/a1/withdraw'),
    ).toBe(true);
  });

  it('says when the caller has no role in the tenant (403)', async () => {
    serveAgreements(server, {
      identity: identities.acmeDeveloper,
      fail: { status: 403, name: 'NotAllowedError', message: 'no' },
    });
    renderWithLake(<AccessAgreementsPage />, { path: '/access' });
    expect(
      await screen.findByText(
        'You are not allowed to see the access agreements of acme: you need a role in it.',
      ),
    ).toBeInTheDocument();
  });
});
