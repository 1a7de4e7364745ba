import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { QualityRule } from '@akili/plugin-akili-common';
import { ordersTable } from '../../__testUtils__/fakeQueryApi';
import { RuleList } from './SchemaFacts';

/** Akili's own rule of the orders table, and one Great Expectations checks. */
const rules: QualityRule[] = [
  ...ordersTable.rules,
  {
    name: 'order_id-greatExpectations',
    type: 'custom',
    column: 'order_id',
    engine: 'greatExpectations',
    implementation: JSON.stringify({
      expectation_type: 'expect_column_values_to_not_be_null',
    }),
    severity: 'warning',
  },
];

describe('RuleList', () => {
  it("shows Akili's rules with their threshold and others' as checked elsewhere", async () => {
    render(<RuleList rules={rules} />);
    const list = screen.getByRole('list', { name: 'Quality rules' });
    const [own, elsewhere] = within(list).getAllByRole('listitem');
    expect(own).toHaveTextContent('order_id_unique duplicate_ratio = 0');
    expect(within(own).getByText('error')).toBeInTheDocument();

    expect(elsewhere).toHaveTextContent(
      'order_id-greatExpectations custom checked elsewhere (greatExpectations)',
    );
    const implementation = within(elsewhere).getByLabelText(
      'Implementation of order_id-greatExpectations for greatExpectations',
    );
    expect(implementation).not.toBeVisible();
    await userEvent.click(
      within(elsewhere).getByText('checked elsewhere (greatExpectations)'),
    );
    expect(implementation).toBeVisible();
    expect(implementation).toHaveTextContent(
      '"expectation_type": "expect_column_values_to_not_be_null"',
    );
  });

  it('shows nothing without rules', () => {
    const { container } = render(<RuleList rules={[]} />);
    expect(container).toBeEmptyDOMElement();
  });
});
