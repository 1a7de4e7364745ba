import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import {
  agreement,
  customer360,
  identities,
  renderWithLake,
  serveAgreements,
} from './__testUtils__/agreementsBackend';
import { AccessAgreementsPage } from './AccessAgreementsPage';
import { dateInDays } from './lib';

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
        /To read another tenant's product, use Request access above/,
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

  it('requests access to a product the caller cannot read: typed product and port, all columns of the port', async () => {
    const { received, state } = serveAgreements(server, {
      identity: identities.globexAndInitech,
      items: [],
    });
    // The catalog shows globex no product of acme (its policy): nothing to read there.
    renderWithLake(<AccessAgreementsPage />, { path: '/access?tenant=globex' });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Request access' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: "Request access to another tenant's data",
    });
    const send = within(dialog).getByRole('button', { name: 'Send request' });
    // The consumer tenant is the page's, among those the caller may request for.
    expect(within(dialog).getByLabelText(/Consumer tenant/)).toHaveTextContent(
      'globex',
    );

    await userEvent.type(
      within(dialog).getByLabelText(/^Product/),
      'customer-360',
    );
    expect(
      within(dialog).getByText(
        'Name the product as <tenant>/<name>, e.g. acme/customer-360.',
      ),
    ).toBeInTheDocument();
    await userEvent.clear(within(dialog).getByLabelText(/^Product/));
    await userEvent.type(
      within(dialog).getByLabelText(/^Product/),
      'acme/customer-360',
    );
    await userEvent.type(
      within(dialog).getByLabelText(/Output port/),
      'customer_360',
    );
    await userEvent.type(
      within(dialog).getByLabelText(/Consumer product/),
      'shipments',
    );
    await userEvent.type(
      within(dialog).getByLabelText(/Purpose/),
      'Delivery addresses for shipments',
    );
    // Columns cannot be picked: the catalog does not show the product.
    expect(
      await within(dialog).findByText(
        /You cannot read this product in the catalog/,
      ),
    ).toBeInTheDocument();
    const all = within(dialog).getByRole('radio', {
      name: 'All columns of the port — the provider chooses which to grant',
    });
    expect(all).toBeChecked();
    expect(
      within(dialog).getByRole('radio', {
        name: 'Only the columns checked below',
      }),
    ).toBeDisabled();
    fireEvent.change(within(dialog).getByLabelText(/Until/), {
      target: { value: dateInDays(new Date(), 30) },
    });
    expect(send).toBeEnabled();
    await userEvent.click(send);
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );

    const post = received.find(
      r => r.method === 'POST' && r.path === '/api/lake/v1/agreements',
    );
    expect(post?.body).toEqual({
      provider: {
        product: 'dataproduct:acme/customer-360',
        port: 'customer_360',
      },
      consumer: { tenant: 'globex', product: 'dataproduct:globex/shipments' },
      purpose: 'Delivery addresses for shipments',
      columns: [],
      until: `${dateInDays(new Date(), 30)}T00:00:00.000Z`,
    });
    expect(state.items[0]).toMatchObject({ status: 'requested', columns: [] });
    // The page turns to globex's access, where the pending request is listed.
    expect(
      await screen.findByText(
        /Your request for globex's access to acme\/customer-360/,
      ),
    ).toBeInTheDocument();
    const table = await screen.findByRole('table', {
      name: 'Our access: agreements of globex',
    });
    expect(within(table).getByText('Pending')).toBeInTheDocument();
    expect(
      within(table).getByText('All columns of the port (the provider chooses)'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('location-search')).toHaveTextContent(
      'tab=consumer',
    );
  });

  it('offers no request to a user of no tenant where they may request', async () => {
    serveAgreements(server, {
      identity: {
        userEntityRef: 'user:default/x',
        platformAdmin: false,
        tenants: [{ name: 'acme', roles: [] }],
      },
      items: [],
    });
    renderWithLake(<AccessAgreementsPage />, { path: '/access' });
    expect(await screen.findByText(/No one has asked/)).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Request access' }),
    ).not.toBeInTheDocument();
  });

  it('approves a request for all columns only once the provider picks the columns from the port', async () => {
    const { received } = serveAgreements(server, {
      identity: identities.acmeDeveloper,
      items: [agreement('a1', { columns: [] })],
    });
    renderWithLake(<AccessAgreementsPage />, {
      path: '/access',
      entities: [customer360],
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Approve request a1' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Approve access',
    });
    expect(
      within(dialog).getByText(/asks for all columns of the port/),
    ).toBeInTheDocument();
    const approve = within(dialog).getByRole('button', { name: 'Approve' });
    // The port's columns from the provider's own product, none granted yet.
    const email = await within(dialog).findByRole('checkbox', {
      name: 'email',
    });
    const group = within(dialog).getByRole('group', {
      name: 'Columns to grant',
    });
    expect(
      within(group)
        .getAllByRole('checkbox')
        .map(c => c.closest('label')?.textContent),
    ).toEqual(['customer_key', 'segment', 'email', 'lifetime_value']);
    expect(email).not.toBeChecked();
    expect(within(dialog).getByText('PII')).toBeInTheDocument();
    expect(approve).toBeDisabled();
    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: 'segment' }),
    );
    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: 'customer_key' }),
    );
    expect(approve).toBeEnabled();
    await userEvent.click(approve);
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    // In the port's order, whatever the order of the clicks.
    expect(
      received.find(r => r.path === '/api/lake/v1/agreements/a1/approve')?.body,
    ).toEqual({ columns: ['customer_key', 'segment'] });
    const table = screen.getByRole('table', {
      name: 'Requests to us: agreements of acme',
    });
    expect(within(table).getByText('Approved')).toBeInTheDocument();
    expect(
      within(table).getByText('customer_key, segment'),
    ).toBeInTheDocument();
  });

  it('narrows the requested columns, and sends none when all requested are granted', async () => {
    const { received } = serveAgreements(server, {
      identity: identities.acmeDeveloper,
      items: [
        agreement('a1', { columns: ['customer_key', 'email', 'segment'] }),
        agreement('a2', { purpose: 'Second request' }),
      ],
    });
    renderWithLake(<AccessAgreementsPage />, {
      path: '/access',
      entities: [customer360],
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Approve request a1' }),
    );
    let dialog = await screen.findByRole('dialog', { name: 'Approve access' });
    // Only the requested columns are offered, all granted at first.
    const boxes = within(dialog).getAllByRole('checkbox');
    expect(boxes.map(c => c.closest('label')?.textContent)).toEqual([
      'customer_key',
      'email',
      'segment',
    ]);
    expect(boxes.every(b => (b as HTMLInputElement).checked)).toBe(true);
    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: 'email' }),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(
      received.find(r => r.path === '/api/lake/v1/agreements/a1/approve')?.body,
    ).toEqual({ columns: ['customer_key', 'segment'] });

    await userEvent.click(
      screen.getByRole('button', { name: 'Approve request a2' }),
    );
    dialog = await screen.findByRole('dialog', { name: 'Approve access' });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(
      received.find(r => r.path === '/api/lake/v1/agreements/a2/approve')?.body,
    ).toEqual({});
  });
});
