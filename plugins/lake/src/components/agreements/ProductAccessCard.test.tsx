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
import { ProductAccessCard } from './ProductAccessCard';
import { dateInDays } from './lib';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const NOW = new Date();

function render() {
  return renderWithLake(<ProductAccessCard now={NOW} />, {
    entity: customer360,
  });
}

const agreementQueries = (received: { path: string; query: any }[]) =>
  received.filter(r => r.path === '/api/lake/v1/agreements').map(r => r.query);

describe('ProductAccessCard', () => {
  it('shows a member of another tenant their own agreements and lets them request access', async () => {
    const { received, state } = serveAgreements(server, {
      identity: identities.globexConsumer,
      items: [
        agreement('a1', { status: 'approved', decidedBy: 'user:default/dana' }),
        agreement('a2', {
          consumer: { tenant: 'initech' },
          purpose: 'Initech only',
        }),
      ],
    });
    render();

    const table = await screen.findByRole('table', {
      name: 'Access agreements on customer_360',
    });
    expect(within(table).getByText('Approved')).toBeInTheDocument();
    expect(within(table).getByText('dana')).toBeInTheDocument();
    expect(
      within(table).getByText('customer_key, segment'),
    ).toBeInTheDocument();
    // Another tenant's agreement never reaches a globex member; no provider actions.
    expect(screen.queryByText('Initech only')).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /^Approve/ }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Give up agreement a1' }),
    ).toBeInTheDocument();
    // Only the consumer side of globex is asked, for this product.
    expect(agreementQueries(received)).toEqual([
      {
        tenant: 'globex',
        side: 'consumer',
        product: 'dataproduct:acme/customer-360',
      },
    ]);

    await userEvent.click(
      screen.getByRole('button', { name: 'Request access to customer_360' }),
    );
    const dialog = await screen.findByRole('dialog');
    const send = within(dialog).getByRole('button', { name: 'Send request' });
    expect(send).toBeDisabled();
    // The classified column is flagged.
    expect(within(dialog).getByText('PII')).toBeInTheDocument();

    // Validation: a purpose too short, no column, a date beyond a year.
    await userEvent.type(within(dialog).getByLabelText(/Purpose/), 'short');
    expect(
      within(dialog).getByText(/Say what the data is for/),
    ).toBeInTheDocument();
    await userEvent.click(within(dialog).getByLabelText('customer_key'));
    await userEvent.click(within(dialog).getByLabelText('customer_key'));
    expect(
      within(dialog).getByText('Choose at least one column.'),
    ).toBeInTheDocument();
    fireEvent.change(within(dialog).getByLabelText(/Until/), {
      target: { value: dateInDays(NOW, 400) },
    });
    expect(
      within(dialog).getByText(/At most a year ahead \(/),
    ).toBeInTheDocument();
    fireEvent.change(within(dialog).getByLabelText(/Until/), {
      target: { value: dateInDays(NOW, -1) },
    });
    expect(
      within(dialog).getByText('The date must be in the future.'),
    ).toBeInTheDocument();
    await userEvent.type(
      within(dialog).getByLabelText(/Consumer product/),
      'acme/orders',
    );
    expect(
      within(dialog).getByText("The product must be one of globex's."),
    ).toBeInTheDocument();
    expect(send).toBeDisabled();

    // Correct it and send.
    await userEvent.clear(within(dialog).getByLabelText(/Consumer product/));
    await userEvent.type(
      within(dialog).getByLabelText(/Consumer product/),
      'shipments',
    );
    await userEvent.type(
      within(dialog).getByLabelText(/Purpose/),
      ' of delivery addresses to segments',
    );
    await userEvent.click(within(dialog).getByLabelText('customer_key'));
    await userEvent.click(within(dialog).getByLabelText('email'));
    fireEvent.change(within(dialog).getByLabelText(/Until/), {
      target: { value: dateInDays(NOW, 30) },
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
      purpose: 'short of delivery addresses to segments',
      columns: ['customer_key', 'email'],
      until: `${dateInDays(NOW, 30)}T00:00:00.000Z`,
    });
    expect(state.items[0].status).toBe('requested');
    expect(
      await screen.findByText(
        /Your request for globex's access to acme\/customer-360 \(port customer_360\) is pending/,
      ),
    ).toBeInTheDocument();
    expect(within(table).getByText('Pending')).toBeInTheDocument();
    expect(within(table).getByText('customer_key, email')).toBeInTheDocument();
  });

  it("offers the provider's developers approve and reject, not a request", async () => {
    const { received } = serveAgreements(server, {
      identity: identities.acmeDeveloper,
      items: [
        agreement('a1'),
        agreement('a2', {
          consumer: { tenant: 'initech' },
          purpose: 'Fraud scoring of accounts',
        }),
      ],
    });
    render();

    await screen.findByRole('table', {
      name: 'Access agreements on customer_360',
    });
    expect(
      screen.queryByRole('button', { name: /^Request access/ }),
    ).not.toBeInTheDocument();
    expect(agreementQueries(received)).toEqual([
      {
        tenant: 'acme',
        side: 'provider',
        product: 'dataproduct:acme/customer-360',
      },
      // The lineage: what customer-360 itself reads under acme's agreements.
      { tenant: 'acme', side: 'consumer', status: 'approved' },
    ]);
    // Both tenants' requests are the provider's to see.
    expect(screen.getByText('Fraud scoring of accounts')).toBeInTheDocument();

    // Approve with a note.
    await userEvent.click(
      screen.getByRole('button', { name: 'Approve request a1' }),
    );
    let dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText(/customer_key, segment/),
    ).toBeInTheDocument();
    await userEvent.type(
      within(dialog).getByLabelText(/Note/),
      'Fine for 60 days',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(
      received.find(r => r.path === '/api/lake/v1/agreements/a1/approve')?.body,
    ).toEqual({ note: 'Fine for 60 days' });
    expect(
      screen.getByRole('button', { name: 'Revoke agreement a1' }),
    ).toBeInTheDocument();

    // Reject needs a note.
    await userEvent.click(
      screen.getByRole('button', { name: 'Reject request a2' }),
    );
    dialog = await screen.findByRole('dialog');
    const reject = within(dialog).getByRole('button', { name: 'Reject' });
    expect(reject).toBeDisabled();
    await userEvent.type(
      within(dialog).getByLabelText(/Why/),
      'No PII for fraud scoring',
    );
    await userEvent.click(reject);
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(
      received.find(r => r.path === '/api/lake/v1/agreements/a2/reject')?.body,
    ).toEqual({ note: 'No PII for fraud scoring' });
    expect(screen.getByText('Rejected')).toBeInTheDocument();
    expect(screen.getByText('“No PII for fraud scoring”')).toBeInTheDocument();

    // Revoke needs a reason.
    await userEvent.click(
      screen.getByRole('button', { name: 'Revoke agreement a1' }),
    );
    dialog = await screen.findByRole('dialog');
    const revoke = within(dialog).getByRole('button', { name: 'Revoke' });
    expect(revoke).toBeDisabled();
    await userEvent.type(
      within(dialog).getByLabelText(/Reason/),
      'Contract ended',
    );
    await userEvent.click(revoke);
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(
      received.find(r => r.path === '/api/lake/v1/agreements/a1/revoke')?.body,
    ).toEqual({ reason: 'Contract ended' });
    expect(screen.getByText('Revoked')).toBeInTheDocument();
  });

  it("shows the provider's consumers the agreements without decisions", async () => {
    serveAgreements(server, {
      identity: identities.acmeConsumer,
      items: [agreement('a1')],
    });
    render();
    const table = await screen.findByRole('table', {
      name: 'Access agreements on customer_360',
    });
    expect(within(table).getByText('Pending')).toBeInTheDocument();
    expect(within(table).queryAllByRole('button')).toHaveLength(0);
    expect(
      screen.getByText('No other tenant has asked for this port.'),
    ).toBeInTheDocument();
  });

  it('says the lake service did not answer on a 503', async () => {
    serveAgreements(server, {
      identity: identities.globexConsumer,
      fail: {
        status: 503,
        name: 'ServiceUnavailableError',
        message: 'The agreements database did not answer',
      },
    });
    render();
    expect(
      await screen.findByText(/^Warning: The lake service did not answer/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('The agreements database did not answer'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Try again' }),
    ).toBeInTheDocument();
  });

  it("says the portal's lake settings are wrong on a 502", async () => {
    serveAgreements(server, {
      identity: identities.globexConsumer,
      fail: {
        status: 502,
        name: 'LakeCredentialsError',
        message: 'S3 said 403',
      },
    });
    render();
    expect(
      await screen.findByText(/^Warning: The lake refused the portal/),
    ).toBeInTheDocument();
  });

  it('says when the caller may not see the agreements (403)', async () => {
    serveAgreements(server, {
      identity: identities.globexConsumer,
      fail: { status: 403, name: 'NotAllowedError', message: 'no' },
    });
    render();
    expect(
      await screen.findByText(
        'You are not allowed to see the access agreements of customer-360.',
      ),
    ).toBeInTheDocument();
  });
});
