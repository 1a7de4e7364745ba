import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { acmeUsage, globexUsage } from '../../__testUtils__/fixtures';
import {
  Answer,
  renderWithLake,
  serveLake,
} from '../../__testUtils__/renderEntity';
import { StoragePage } from './StoragePage';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function render(...answers: Answer[]) {
  let call = 0;
  const received = serveLake(server, {
    usage: () => answers[Math.min(call++, answers.length - 1)],
  });
  renderWithLake(<StoragePage />);
  return received;
}

describe('StoragePage', () => {
  it('shows each tenant against its quota, warning from 80 %, with its history and products by bytes', async () => {
    render({ tenants: [globexUsage, acmeUsage] });
    const acmeBar = await screen.findByRole('progressbar', {
      name: 'Storage of acme against its quota',
    });
    expect(acmeBar).toHaveAttribute('aria-valuenow', '85');
    expect(acmeBar).toHaveAttribute('data-level', 'warning');
    expect(screen.getByText('85 GB of 100 GB (85 %)')).toBeInTheDocument();
    expect(
      screen.getByText('acme has used 85 % of its quota.'),
    ).toBeInTheDocument();
    expect(screen.getByText('120,431')).toBeInTheDocument();
    expect(screen.getByText('+4.2 GB')).toBeInTheDocument();

    const globexBar = screen.getByRole('progressbar', {
      name: 'Storage of globex against its quota',
    });
    expect(globexBar).toHaveAttribute('data-level', 'ok');
    expect(screen.queryByText(/globex has used/)).not.toBeInTheDocument();
    expect(
      screen.getByText("No objects under any product's port."),
    ).toBeInTheDocument();

    // One chart: acme has history, globex has none.
    const charts = screen.getAllByTestId('lake-usage-chart');
    expect(charts).toHaveLength(1);
    expect(charts[0]).toHaveAttribute(
      'aria-label',
      expect.stringMatching(
        /^Storage of acme\. 80\.8 GB on .*, 85 GB on .*, 3 measurements\.$/,
      ),
    );

    const rows = within(
      screen.getByRole('table', { name: 'Storage per product of acme' }),
    ).getAllByRole('row');
    expect(
      rows.slice(1).map(r => within(r).getAllByRole('cell')[0].textContent),
    ).toEqual([
      'acme/churn-features',
      'acme/orders-daily',
      "Under no product's port",
    ]);
    expect(within(rows[1]).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/acme/dataproduct/churn-features',
    );
    expect(within(rows[1]).getByText('79 GB')).toBeInTheDocument();
    expect(within(rows[2]).getByText('-20 MB')).toBeInTheDocument();
    expect(within(rows[3]).getByText('—')).toBeInTheDocument();
  });

  it('turns the bar red beyond the quota and says when there is no quota', async () => {
    render({
      tenants: [
        { ...acmeUsage, bytes: 120_000_000_000 },
        { ...globexUsage, quotaBytes: undefined },
      ],
    });
    expect(
      await screen.findByRole('progressbar', {
        name: 'Storage of acme against its quota',
      }),
    ).toHaveAttribute('data-level', 'over');
    expect(
      screen.getByText('acme stores more than its quota.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'No storage quota is set for globex in the tenant registry.',
      ),
    ).toBeInTheDocument();
  });

  it('says when a tenant was never measured', async () => {
    render({
      tenants: [{ ...globexUsage, measuredAt: undefined, history: [] }],
    });
    expect(
      await screen.findByText(/globex's storage has not been measured yet/),
    ).toBeInTheDocument();
  });

  it('has an empty state for a caller who operates no tenant', async () => {
    render({ tenants: [] });
    expect(
      await screen.findByText("No tenant's storage to show"),
    ).toBeInTheDocument();
  });

  it('names the lake when it does not answer, and tries again', async () => {
    const received = render(
      {
        status: 503,
        name: 'ServiceUnavailableError',
        message: "The lake's S3 endpoint http://ceph:7480 could not be reached",
      },
      { tenants: [globexUsage] },
    );
    expect(
      await screen.findByText(/The data lake \(Ceph S3\) did not answer/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/http:\/\/ceph:7480 could not be reached/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(
      await screen.findByRole('progressbar', {
        name: 'Storage of globex against its quota',
      }),
    ).toBeInTheDocument();
    expect(received.filter(r => r.path === '/api/lake/v1/usage')).toHaveLength(
      2,
    );
  });

  it('explains a refusal (403)', async () => {
    render({ status: 403, name: 'NotAllowedError', message: 'no' });
    expect(
      await screen.findByText(
        'Storage is for the operators of a tenant; you operate none.',
      ),
    ).toBeInTheDocument();
  });
});
