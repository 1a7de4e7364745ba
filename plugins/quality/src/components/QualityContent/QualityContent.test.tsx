import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  fakeQualityApi,
  ordersSummary,
  responseError,
  silentSummary,
} from '../../__testUtils__/fakeQualityApi';
import { formatAbsoluteTime } from '@akili/plugin-akili-react';
import { renderForEntity } from '../../__testUtils__/renderEntity';
import { QualityContent } from './QualityContent';

const rowOf = (rule: string) => screen.getByText(rule).closest('tr')!;

describe('QualityContent', () => {
  it('shows the score, status, coverage apart and the dimension breakdown', async () => {
    const api = fakeQualityApi();
    await renderForEntity(<QualityContent />, api);

    expect(await screen.findByLabelText('Quality score')).toHaveTextContent(
      '71.4',
    );
    expect(screen.getAllByText('Failing')[0]).toBeInTheDocument();
    expect(
      screen.getByText('7 of 9 rules ran (2 unknown)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Fresh: last success 1 h 30 min ago, SLO 6h/),
    ).toBeInTheDocument();

    const dimensions = screen.getByRole('list', { name: 'Dimensions' });
    expect(
      within(dimensions).getByRole('meter', { name: 'uniqueness score' }),
    ).toHaveAttribute('aria-valuenow', '0');
    expect(
      within(dimensions).getByRole('meter', { name: 'completeness score' }),
    ).toHaveAttribute('aria-valuenow', '83.3');
    // A dimension none of whose rules reported is "no results", not 0 or 100.
    // It is no meter (a meter needs a value), but an image named so.
    expect(
      within(dimensions).queryByRole('meter', { name: /coverage/ }),
    ).not.toBeInTheDocument();
    expect(
      within(dimensions).getByRole('img', {
        name: 'coverage score: no results',
      }),
    ).toBeInTheDocument();
    expect(api.getSummary).toHaveBeenCalledWith('acme', 'orders');
  });

  it('lists every rule with its last result; rules that never ran are unknown, not passed', async () => {
    const api = fakeQualityApi();
    await renderForEntity(<QualityContent />, api);
    await screen.findByText('order_id_unique');

    const failing = rowOf('order_id_unique');
    expect(within(failing).getByText('Failed')).toBeInTheDocument();
    // The observed value's cell (the sparkline's titles hold times, 17:xx UTC among them).
    expect(
      within(failing).getByText(/^17/, { selector: 'td' }),
    ).toBeInTheDocument();
    expect(within(failing).getByText(/expected = 0/)).toBeInTheDocument();
    expect(within(failing).getByText(/ago/).closest('time')).toHaveAttribute(
      'title',
      formatAbsoluteTime('2026-12-03T10:15:00Z'),
    );

    for (const rule of ['country_coverage', 'soda_row_checks']) {
      const row = rowOf(rule);
      expect(within(row).getByText('Unknown')).toBeInTheDocument();
      expect(within(row).queryByText('Passed')).not.toBeInTheDocument();
      expect(within(row).getByText(/never ran/)).toBeInTheDocument();
    }
    expect(
      within(rowOf('soda_row_checks')).getByText(/checked by soda/),
    ).toBeInTheDocument();

    // History sparklines come from the results of each rule that ran.
    await waitFor(() =>
      expect(
        within(failing).getByRole('img', {
          name: /History of order_id_unique: last 3 results, 2 passed, 0 warned, 1 failed/,
        }),
      ).toBeInTheDocument(),
    );
    expect(api.listResults).toHaveBeenCalledWith('acme', 'orders', {
      rule: 'order_id_unique',
      limit: 30,
    });
    expect(api.listResults).not.toHaveBeenCalledWith(
      'acme',
      'orders',
      expect.objectContaining({ rule: 'country_coverage' }),
    );
  });

  it('draws the trend over 30 days with gaps for days without results, and 90 on request', async () => {
    const api = fakeQualityApi();
    await renderForEntity(<QualityContent />, api);

    const chart = await screen.findByRole('img', {
      name: /Daily quality score of orders over 30 days/,
    });
    expect(chart.getAttribute('aria-label')).toMatch(/3 days without results/);
    // Gaps at days 3-4 and 10 split the line into three segments.
    expect(within(chart).getAllByTestId('quality-trend-segment')).toHaveLength(
      3,
    );
    expect(api.getTrend).toHaveBeenCalledWith('acme', 'orders', 30);

    await userEvent.click(screen.getByRole('button', { name: '90 days' }));
    expect(
      await screen.findByRole('img', {
        name: /Daily quality score of orders over 90 days/,
      }),
    ).toBeInTheDocument();
    expect(api.getTrend).toHaveBeenLastCalledWith('acme', 'orders', 90);
  });

  it('shows open incidents and calls out failing upstream products with links', async () => {
    const api = fakeQualityApi();
    await renderForEntity(<QualityContent />, api);

    const incidents = await screen.findByRole('list', {
      name: 'Open incidents',
    });
    expect(
      within(incidents).getByRole('link', {
        name: 'order_id_unique fails on orders',
      }),
    ).toHaveAttribute('href', '/incidents/acme/12');
    expect(api.listProductIncidents).toHaveBeenCalledWith(
      'acme',
      'orders',
      'open',
    );

    expect(
      screen.getByText(/An upstream product fails its quality checks/),
    ).toBeInTheDocument();
    const upstream = screen.getByRole('list', { name: 'Upstream products' });
    expect(
      within(upstream).getByRole('link', { name: 'customers' }),
    ).toHaveAttribute('href', '/catalog/acme/dataproduct/customers/quality');
    expect(within(upstream).getByText('Failing · 40')).toBeInTheDocument();
  });

  it('says no check has reported yet, with how to report, and lists the rules as unknown', async () => {
    const api = fakeQualityApi({ summary: silentSummary() });
    await renderForEntity(<QualityContent />, api);

    expect(
      await screen.findByText('No checks have reported for this product yet'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Report command')).toHaveTextContent(
      /curl -X POST .*\/v1\/products\/acme\/orders\/results/,
    );
    expect(
      screen.getByText('0 of 2 rules ran (2 unknown)'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Quality score')).toHaveTextContent('—');
    expect(
      screen.getByText(/Never materialized successfully/),
    ).toBeInTheDocument();
  });

  it('says when the contract has no quality rules', async () => {
    const api = fakeQualityApi({
      summary: {
        ...silentSummary(),
        rules: [],
        dimensions: [],
        coverage: { rules: 0, rulesWithResults: 0, ratio: null },
        freshness: { status: 'no-slo' },
      },
    });
    await renderForEntity(<QualityContent />, api);
    expect(
      await screen.findByText("This product's contract has no quality rules"),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No freshness SLO in the manifest'),
    ).toBeInTheDocument();
  });

  it('explains a refusal, a missing quality backend and other errors', async () => {
    const api = fakeQualityApi();
    api.getSummary.mockRejectedValueOnce(
      await responseError(403, 'NotAllowedError', 'no'),
    );
    const first = await renderForEntity(<QualityContent />, api);
    expect(
      await screen.findByText(
        'You are not allowed to see the quality of orders.',
      ),
    ).toBeInTheDocument();
    first.unmount();

    api.getSummary.mockRejectedValueOnce(
      await responseError(404, undefined, 'Cannot GET /api/quality/v1/...'),
    );
    const second = await renderForEntity(<QualityContent />, api);
    expect(
      await screen.findByText(/Quality is not available in this portal/),
    ).toBeInTheDocument();
    second.unmount();

    api.getSummary.mockRejectedValueOnce(new Error('socket hang up'));
    await renderForEntity(<QualityContent />, api);
    expect(
      await screen.findByText(/Could not load the quality of orders/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByLabelText('Quality score')).toHaveTextContent(
      '71.4',
    );
  });
});

describe('ordersSummary fixture', () => {
  it('has 9 rules of which 7 ran', () => {
    const s = ordersSummary();
    expect(s.rules).toHaveLength(9);
    expect(s.rules.filter(r => r.status !== 'unknown')).toHaveLength(7);
  });
});
