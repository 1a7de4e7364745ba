import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { QualityRule } from '@akili/plugin-akili-common';
import {
  formatThreshold,
  RuleExpectation,
  ruleExpectation,
} from './qualityRules';

/** A Soda rule of an imported ODCS contract, as the import keeps it. */
const sodaRule: QualityRule = {
  name: 'orders-soda',
  type: 'custom',
  engine: 'soda',
  implementation: JSON.stringify({
    type: 'custom',
    engine: 'soda',
    implementation: 'checks for orders:\n  - row_count > 0',
  }),
  severity: 'error',
};

describe('formatThreshold', () => {
  it('writes the operator and the number, or a range for between', () => {
    expect(formatThreshold('<=', 0.01)).toBe('<= 0.01');
    expect(formatThreshold('=', 0)).toBe('= 0');
    expect(formatThreshold('between', [100, 5000])).toBe(
      'between 100 and 5000',
    );
    expect(formatThreshold(undefined, undefined)).toBe('');
  });
});

describe('ruleExpectation', () => {
  it("writes Akili's rules as their threshold and others' as checked elsewhere", () => {
    expect(ruleExpectation({ operator: '<=', threshold: 0.01 })).toBe(
      '<= 0.01',
    );
    expect(ruleExpectation(sodaRule)).toBe('checked elsewhere (soda)');
    expect(
      ruleExpectation({ engine: 'montecarlo', operator: '<', threshold: 5 }),
    ).toBe('checked elsewhere (montecarlo): < 5');
  });
});

describe('RuleExpectation', () => {
  it('opens a rule checked elsewhere on its implementation, indented', async () => {
    render(<RuleExpectation rule={sodaRule} />);
    const summary = screen.getByText('checked elsewhere (soda)');
    const implementation = screen.getByLabelText(
      'Implementation of orders-soda for soda',
    );
    expect(implementation).not.toBeVisible();
    await userEvent.click(summary);
    expect(implementation).toBeVisible();
    expect(implementation.textContent).toBe(
      JSON.stringify(JSON.parse(sodaRule.implementation!), null, 2),
    );
  });

  it('keeps a text implementation as written and says who checks a rule without one', () => {
    const { unmount } = render(
      <RuleExpectation
        rule={{
          ...sodaRule,
          engine: 'greatExpectations',
          implementation: 'expect_column_values_to_not_be_null',
        }}
      />,
    );
    expect(
      screen.getByLabelText(
        'Implementation of orders-soda for greatExpectations',
      ),
    ).toHaveTextContent(/^expect_column_values_to_not_be_null$/);
    unmount();
    render(
      <RuleExpectation rule={{ ...sodaRule, implementation: undefined }} />,
    );
    expect(screen.getByText('checked elsewhere (soda)')).toHaveAttribute(
      'title',
      'Checked by soda, not by Akili; its results arrive through the quality API',
    );
    expect(screen.queryByLabelText(/^Implementation of/)).toBeNull();
  });

  it("shows Akili's own rule as its threshold, with nothing to open", () => {
    render(
      <RuleExpectation
        rule={{ name: 'fresh', operator: '<=', threshold: 60 }}
      />,
    );
    expect(screen.getByText('<= 60')).toBeInTheDocument();
    expect(screen.queryByText(/checked elsewhere/)).toBeNull();
  });
});
