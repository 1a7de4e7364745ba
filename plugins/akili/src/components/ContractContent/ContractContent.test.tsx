import type { QualityRule } from '@akili/plugin-akili-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  dataProductEntity,
  ordersDailyEntity,
  ordersEntity,
} from '../../__testUtils__/fixtures';
import { renderForEntity } from '../../__testUtils__/renderEntity';
import { ContractContent } from './ContractContent';

describe('ContractContent', () => {
  it('renders the contract terms of each output port', async () => {
    await renderForEntity(<ContractContent />, ordersEntity);
    expect(await screen.findByText('Contract of Orders')).toBeInTheDocument();
    expect(screen.getByText('1.0.0')).toBeInTheDocument();
    expect(screen.getByText('active')).toBeInTheDocument();
    expect(
      screen.getByText('Revenue reporting and order analytics.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Cancelled orders disappear after 90 days.'),
    ).toBeInTheDocument();
  });

  it('renders quality rules with expectation and severity', async () => {
    await renderForEntity(<ContractContent />, ordersEntity);
    const table = await screen.findByRole('table', {
      name: 'Quality rules of orders',
    });
    const unique = within(table).getByRole('row', { name: /order_id_unique/ });
    expect(within(unique).getAllByText('uniqueness')).toHaveLength(2);
    expect(within(unique).getByText('duplicate_ratio')).toBeInTheDocument();
    expect(within(unique).getByText('= 0')).toBeInTheDocument();
    expect(within(unique).getByText('error')).toBeInTheDocument();

    const volume = within(table).getByRole('row', { name: /daily_volume/ });
    expect(
      within(volume).getByText('between 100 and 50000'),
    ).toBeInTheDocument();
    expect(within(volume).getByText('warning')).toBeInTheDocument();
  });

  it('renders SLOs in words', async () => {
    await renderForEntity(<ContractContent />, ordersEntity);
    const slos = await screen.findByRole('list', {
      name: 'Service level objectives',
    });
    expect(slos).toHaveTextContent(
      'Freshness: the newest data is at most 2 hours old',
    );
    expect(slos).toHaveTextContent('Availability: 99.5% of the time');
  });

  it('says so when a port has no contract, rules or SLOs', async () => {
    await renderForEntity(<ContractContent />, ordersDailyEntity);
    expect(
      await screen.findAllByText('This port has no data contract terms yet.'),
    ).toHaveLength(2);
    expect(
      screen.getAllByText('No quality rules are declared for this port.'),
    ).toHaveLength(2);
    expect(
      screen.getAllByText(
        'No service level objectives are declared for this port.',
      ),
    ).toHaveLength(2);
  });

  /** Two ports (of orders-daily) and rules tied to neither, in a table of their own. */
  const renderWithRules = async (quality: QualityRule[]) => {
    await renderForEntity(
      <ContractContent />,
      dataProductEntity({
        name: 'two-ports',
        spec: { ...(ordersDailyEntity.spec as object), quality },
      }),
    );
    return screen.findByRole('table', {
      name: 'Rules not tied to one output port',
    });
  };
  const rowsExist: QualityRule = {
    name: 'rows_exist',
    type: 'volume',
    metric: 'row_count',
    operator: '>',
    threshold: 0,
    severity: 'info',
  };

  it('lists rules that belong to no output port separately', async () => {
    const table = await renderWithRules([rowsExist]);
    expect(within(table).getByText('rows_exist')).toBeInTheDocument();
  });

  it('shows rules of other engines as checked elsewhere, with their implementation', async () => {
    const table = await renderWithRules([
      {
        name: 'orders-soda',
        type: 'custom',
        engine: 'soda',
        implementation: 'checks for orders:\n  - row_count > 0',
        severity: 'error',
      },
      rowsExist,
    ]);
    const soda = within(table).getByRole('row', { name: /orders-soda/ });
    await userEvent.click(within(soda).getByText('checked elsewhere (soda)'));
    expect(
      within(soda).getByLabelText('Implementation of orders-soda for soda'),
    ).toHaveTextContent('checks for orders: - row_count > 0');
    const own = within(table).getByRole('row', { name: /rows_exist/ });
    expect(within(own).getByText('> 0')).toBeInTheDocument();
    expect(within(own).queryByText(/checked elsewhere/)).toBeNull();
  });

  it('says so when there are no output ports', async () => {
    await renderForEntity(
      <ContractContent />,
      dataProductEntity({ name: 'empty', spec: { outputPorts: [] } }),
    );
    expect(
      await screen.findByText(/publishes no output ports/),
    ).toBeInTheDocument();
  });
});
