import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import type { Entity } from '@backstage/catalog-model';
import {
  agreement,
  customer360,
  identities,
  renderWithLake,
  serveAgreements,
  shipments,
} from './__testUtils__/agreementsBackend';
import {
  InputPortAccessCard,
  InputPortAccessNotice,
} from './InputPortAccessNotice';
import { ProductAccessCard } from './ProductAccessCard';
import { crossTenantInputs } from './lib';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const orders: Entity = {
  apiVersion: 'akili.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'orders', namespace: 'acme' },
  spec: {
    outputPorts: [
      {
        name: 'orders',
        kind: 'table',
        location: { table: { database: 'sales', table: 'orders' } },
        schema: [
          { name: 'order_id', type: 'string' },
          { name: 'total', type: 'decimal' },
        ],
      },
    ],
  },
};

describe('crossTenantInputs', () => {
  it("keeps the inputs on another tenant's product, whatever the ref's form", () => {
    expect(crossTenantInputs(shipments)).toEqual([
      expect.objectContaining({
        input: 'customers',
        product: 'dataproduct:acme/customer-360',
        port: 'customer_360',
      }),
      expect.objectContaining({
        input: 'orders',
        product: 'dataproduct:acme/orders',
        port: 'orders',
      }),
      expect.objectContaining({ input: 'segments', port: 'segments' }),
    ]);
    expect(crossTenantInputs(customer360)).toEqual([]);
  });
});

describe('InputPortAccessNotice', () => {
  it('says per input whether an agreement is in force, pending or missing, and requests the missing one', async () => {
    const { received } = serveAgreements(server, {
      identity: identities.globexConsumer,
      items: [
        agreement('a1', { status: 'approved' }),
        agreement('a2', {
          provider: {
            tenant: 'acme',
            product: 'dataproduct:acme/customer-360',
            port: 'segments',
          },
        }),
        // Expired: not in force.
        agreement('a3', {
          status: 'approved',
          until: new Date(Date.now() - 1000).toISOString(),
          provider: {
            tenant: 'acme',
            product: 'dataproduct:acme/orders',
            port: 'orders',
          },
        }),
      ],
    });
    renderWithLake(<InputPortAccessNotice />, {
      entity: shipments,
      entities: [shipments, orders, customer360],
    });

    const customers = await screen.findByLabelText('Input customers');
    expect(customers).toHaveTextContent(/agreement in force until/);
    expect(customers).toHaveTextContent('customer_key, segment');
    expect(screen.getByLabelText('Input segments')).toHaveTextContent(
      "globex's request is pending with acme",
    );
    const ordersNotice = screen.getByLabelText('Input orders');
    expect(ordersNotice).toHaveTextContent('no agreement is in force');
    expect(
      within(ordersNotice).getByRole('link', { name: /orders/ }),
    ).toHaveAttribute('href', '/catalog/acme/dataproduct/orders');

    await userEvent.click(
      within(ordersNotice).getByRole('button', {
        name: 'Request access for orders',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByLabelText(/Consumer product/)).toHaveValue(
      'shipments',
    );
    await userEvent.type(
      within(dialog).getByLabelText(/Purpose/),
      'Shipments per order for delivery promises',
    );
    await userEvent.click(within(dialog).getByLabelText('order_id'));
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Send request' }),
    );
    await waitFor(() =>
      expect(screen.getByLabelText('Input orders')).toHaveTextContent(
        'pending with acme',
      ),
    );
    const post = received.find(r => r.method === 'POST');
    expect(post?.body).toMatchObject({
      provider: { product: 'dataproduct:acme/orders', port: 'orders' },
      consumer: { tenant: 'globex', product: 'dataproduct:globex/shipments' },
      columns: ['order_id'],
    });
  });

  it("requests from the input port's product and port without reading the provider's product", async () => {
    const { received } = serveAgreements(server, {
      identity: identities.globexConsumer,
      items: [],
    });
    // As the catalog's policy has it: globex sees no product of acme.
    renderWithLake(<InputPortAccessNotice />, {
      entity: shipments,
      entities: [shipments],
    });
    const notice = await screen.findByLabelText('Input customers');
    await userEvent.click(
      within(notice).getByRole('button', {
        name: 'Request access for customers',
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Request access to acme/customer-360',
    });
    expect(within(dialog).getByLabelText(/^Product/)).toHaveValue(
      'acme/customer-360',
    );
    expect(within(dialog).getByLabelText(/^Product/)).toHaveAttribute(
      'readonly',
    );
    expect(within(dialog).getByLabelText(/Output port/)).toHaveValue(
      'customer_360',
    );
    expect(
      await within(dialog).findByText(
        /You cannot read this product in the catalog/,
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('radio', {
        name: 'All columns of the port — the provider chooses which to grant',
      }),
    ).toBeChecked();
    await userEvent.type(
      within(dialog).getByLabelText(/Purpose/),
      'Delivery addresses for shipments',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Send request' }),
    );
    await waitFor(() =>
      expect(screen.getByLabelText('Input customers')).toHaveTextContent(
        'pending with acme',
      ),
    );
    expect(received.find(r => r.method === 'POST')?.body).toMatchObject({
      provider: {
        product: 'dataproduct:acme/customer-360',
        port: 'customer_360',
      },
      consumer: { tenant: 'globex', product: 'dataproduct:globex/shipments' },
      columns: [],
    });
  });

  it("tells a member of another tenant that only the product's tenant sees its agreements", async () => {
    const { received } = serveAgreements(server, {
      identity: identities.acmeDeveloper,
      items: [agreement('a1', { status: 'approved' })],
    });
    renderWithLake(<InputPortAccessNotice />, { entity: shipments });
    expect(
      await screen.findByText(/only members of globex see whether/),
    ).toBeInTheDocument();
    expect(received.filter(r => r.path === '/api/lake/v1/agreements')).toEqual(
      [],
    );
  });

  it('shows nothing for a product whose inputs are all its own tenant’s', async () => {
    serveAgreements(server, { identity: identities.acmeDeveloper });
    renderWithLake(
      <>
        <InputPortAccessNotice />
        <span>rendered</span>
      </>,
      { entity: customer360 },
    );
    expect(await screen.findByText('rendered')).toBeInTheDocument();
    expect(
      screen.queryByText('Inputs from other tenants'),
    ).not.toBeInTheDocument();
  });

  it('heads the Access tab and the overview card of a product that reads another tenant', async () => {
    serveAgreements(server, {
      identity: identities.globexConsumer,
      items: [agreement('a1', { status: 'approved' })],
    });
    renderWithLake(
      <>
        <ProductAccessCard />
        <InputPortAccessCard />
      </>,
      { entity: shipments },
    );
    expect(
      await screen.findByText(
        'This product has no output ports: there is nothing to share.',
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText("Access to other tenants' data"),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getAllByLabelText('Input customers')).toHaveLength(2),
    );
  });
});
