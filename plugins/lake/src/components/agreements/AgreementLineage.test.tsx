import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import {
  agreement,
  customer360,
  identities,
  renderWithLake,
  serveAgreements,
  shipments,
} from './__testUtils__/agreementsBackend';
import { ProductAccessCard } from './ProductAccessCard';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const DAY = 24 * 60 * 60 * 1000;
const inDays = (days: number) =>
  new Date(Date.now() + days * DAY).toISOString();

/** Agreements of every status on both products; only a1 and a6 are in force. */
const items = [
  agreement('a1', { status: 'approved' }),
  agreement('a2', { consumer: { tenant: 'initech' } }),
  agreement('a3', { status: 'rejected', consumer: { tenant: 'initech' } }),
  agreement('a4', {
    status: 'revoked',
    consumer: { tenant: 'globex', product: 'dataproduct:globex/other' },
  }),
  agreement('a5', {
    status: 'approved',
    until: inDays(-1),
    provider: {
      tenant: 'acme',
      product: 'dataproduct:acme/customer-360',
      port: 'segments',
    },
  }),
  agreement('a6', {
    status: 'approved',
    consumer: { tenant: 'initech' },
    provider: {
      tenant: 'acme',
      product: 'dataproduct:acme/customer-360',
      port: 'segments',
    },
  }),
  agreement('a7', { status: 'withdrawn' }),
  // globex's access to another acme product, for no product of globex: not shipments' lineage.
  agreement('a8', {
    status: 'approved',
    consumer: { tenant: 'globex' },
    provider: {
      tenant: 'acme',
      product: 'dataproduct:acme/orders',
      port: 'orders',
    },
  }),
];

const edges = () =>
  within(screen.getByRole('list', { name: 'Lineage across tenants' }))
    .getAllByRole('listitem')
    .map(li => li.getAttribute('aria-label'));

describe('AgreementLineage on the Access tab', () => {
  it("shows the provider's members the ports other tenants read under agreements in force only", async () => {
    serveAgreements(server, { identity: identities.acmeDeveloper, items });
    renderWithLake(<ProductAccessCard />, { entity: customer360 });
    await screen.findByRole('list', { name: 'Lineage across tenants' });
    expect(edges()).toEqual([
      'acme/customer-360 port customer_360 → globex/shipments',
      'acme/customer-360 port segments → initech (tenant)',
    ]);
    const first = screen.getAllByRole('listitem')[0];
    expect(
      within(first).getByRole('link', { name: /shipments/ }),
    ).toHaveAttribute('href', '/catalog/globex/dataproduct/shipments');

    // Approving a2 puts it in the lineage; revoking a1 takes it out.
    await userEvent.click(
      screen.getByRole('button', { name: 'Approve request a2' }),
    );
    let dialog = await screen.findByRole('dialog', { name: 'Approve access' });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );
    await waitFor(() =>
      expect(edges()).toContain(
        'acme/customer-360 port customer_360 → initech (tenant)',
      ),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Revoke agreement a1' }),
    );
    dialog = await screen.findByRole('dialog', { name: 'Revoke access' });
    await userEvent.type(within(dialog).getByLabelText(/Reason/), 'Ended');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Revoke' }),
    );
    await waitFor(() =>
      expect(edges()).toEqual([
        'acme/customer-360 port customer_360 → initech (tenant)',
        'acme/customer-360 port segments → initech (tenant)',
      ]),
    );
  });

  it("shows the consumer's members, on their own product, the other tenants' ports it reads", async () => {
    const { received } = serveAgreements(server, {
      identity: identities.globexConsumer,
      items,
    });
    renderWithLake(<ProductAccessCard />, { entity: shipments });
    await screen.findByRole('list', { name: 'Lineage across tenants' });
    expect(edges()).toEqual([
      'acme/customer-360 port customer_360 → globex/shipments',
    ]);
    // Read from the agreements API only: globex's own approved agreements.
    expect(
      received
        .filter(r => r.path === '/api/lake/v1/agreements')
        .map(r => r.query),
    ).toContainEqual({
      tenant: 'globex',
      side: 'consumer',
      status: 'approved',
    });
  });

  it('says when no agreement is in force', async () => {
    serveAgreements(server, {
      identity: identities.acmeDeveloper,
      items: [agreement('a2'), agreement('a3', { status: 'rejected' })],
    });
    renderWithLake(<ProductAccessCard />, { entity: customer360 });
    expect(
      await screen.findByText(/No agreement in force: no data of this product/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('list', { name: 'Lineage across tenants' }),
    ).not.toBeInTheDocument();
  });
});
