import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router-dom';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import type { Entity } from '@backstage/catalog-model';
import { dagsterRunsApiRef } from '../../api';
import { runRouteRef, runsRouteRef } from '../../routes';
import {
  FakeRunsApi,
  fakeRunsApi,
  finishedRuns,
  responseError,
} from '../../__testUtils__/fakeRunsApi';
import { OperatorRunsPage } from './OperatorRunsPage';

const product = (namespace: string, name: string, title: string): Entity => ({
  apiVersion: 'akili.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { namespace, name, title },
  spec: {},
});

const customersRun = {
  ...finishedRuns()[0],
  runId: '99990000-0000-4000-8000-000000000009',
  jobName: 'customers_job',
  product: 'dataproduct:acme/customers',
  launchedBy: 'schedule:customers_hourly',
};

/** Shows the query string, so tests can see the filters land in the URL. */
const Location = () => <div data-testid="location">{useLocation().search}</div>;

function render(api: FakeRunsApi, url = '/runs') {
  return renderInTestApp(
    <>
      <OperatorRunsPage />
      <Location />
    </>,
    {
      apis: [
        catalogApiMock({
          entities: [
            product('acme', 'orders', 'Shop orders'),
            product('acme', 'customers', 'Customers'),
            product('globex', 'clicks', 'Clicks'),
          ],
        }),
        [dagsterRunsApiRef, api],
      ],
      mountedRoutes: {
        '/runs': runsRouteRef,
        '/runs/:runId': runRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
      initialRouteEntries: [url],
    },
  );
}

const location = () => screen.getByTestId('location').textContent;

describe('OperatorRunsPage', () => {
  it("lists the runs of the user's operated tenant across products", async () => {
    const api = fakeRunsApi({
      tenantRuns: [customersRun, ...finishedRuns()],
    });
    await render(api);
    const table = await screen.findByRole('table', { name: 'Runs of acme' });
    expect(api.listTenantRuns).toHaveBeenCalledWith('acme', { limit: 25 });
    const row = within(table)
      .getByRole('link', { name: '99990000' })
      .closest('tr')!;
    expect(
      within(row).getByRole('link', { name: 'acme/customers' }),
    ).toHaveAttribute('href', '/catalog/acme/dataproduct/customers');
    expect(within(row).getByText('customers_job')).toBeInTheDocument();
    expect(
      within(row).getByText('schedule customers_hourly'),
    ).toBeInTheDocument();
    expect(within(table).getAllByRole('row')).toHaveLength(5);
  });

  it('keeps tenant and filters in the URL', async () => {
    const api = fakeRunsApi({ tenantRuns: [customersRun, ...finishedRuns()] });
    await render(api);
    await screen.findByRole('table', { name: 'Runs of acme' });

    await userEvent.click(screen.getByRole('button', { name: /Status/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Success' }),
    );
    await userEvent.click(screen.getByRole('option', { name: 'Failure' }));
    await userEvent.keyboard('{Escape}');
    await waitFor(() =>
      expect(location()).toBe('?tenant=acme&status=SUCCESS%2CFAILURE'),
    );

    await userEvent.click(screen.getByRole('button', { name: /Product/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Customers' }),
    );
    await waitFor(() =>
      expect(location()).toBe(
        '?tenant=acme&status=SUCCESS%2CFAILURE&product=dataproduct%3Aacme%2Fcustomers',
      ),
    );

    await userEvent.type(
      screen.getByRole('textbox', { name: 'Job' }),
      'customers_job{Enter}',
    );
    await waitFor(() => expect(location()).toContain('&job=customers_job'));
    await waitFor(() =>
      expect(api.listTenantRuns).toHaveBeenLastCalledWith('acme', {
        statuses: ['SUCCESS', 'FAILURE'],
        product: 'dataproduct:acme/customers',
        job: 'customers_job',
        limit: 25,
      }),
    );
    const table = await screen.findByRole('table', { name: 'Runs of acme' });
    await waitFor(() =>
      expect(within(table).getAllByRole('row')).toHaveLength(2),
    );
    expect(
      within(table).getByRole('link', { name: '99990000' }),
    ).toBeInTheDocument();
  });

  it('reads tenant and filters from a shared URL', async () => {
    const api = fakeRunsApi();
    await render(
      api,
      '/runs?tenant=acme&status=FAILURE&range=7d&job=orders_job',
    );
    const table = await screen.findByRole('table', { name: 'Runs of acme' });
    expect(api.listTenantRuns).toHaveBeenCalledWith(
      'acme',
      expect.objectContaining({
        statuses: ['FAILURE'],
        job: 'orders_job',
        createdAfter: expect.any(String),
      }),
    );
    expect(within(table).getAllByRole('row')).toHaveLength(2);
    expect(screen.getByRole('textbox', { name: 'Job' })).toHaveValue(
      'orders_job',
    );
    expect(screen.getByRole('button', { name: /Created/ })).toHaveTextContent(
      'Last 7 days',
    );
  });

  it('switches tenant, keeping status but not product and job', async () => {
    const api = fakeRunsApi();
    await render(api, '/runs?tenant=acme&status=FAILURE&job=orders_job');
    await screen.findByRole('table', { name: 'Runs of acme' });
    await userEvent.click(screen.getByRole('button', { name: /Tenant/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'globex' }),
    );
    await waitFor(() =>
      expect(location()).toBe('?tenant=globex&status=FAILURE'),
    );
    await waitFor(() =>
      expect(api.listTenantRuns).toHaveBeenLastCalledWith('globex', {
        statuses: ['FAILURE'],
        limit: 25,
      }),
    );
  });

  it("offers only the user's own tenants, even from a link to another", async () => {
    const api = fakeRunsApi({ tenantRuns: [customersRun] });
    await render(api, '/runs?tenant=umbrella');
    // The user's operated tenant instead; the tenant is never asked for.
    await screen.findByRole('table', { name: 'Runs of acme' });
    await userEvent.click(screen.getByRole('button', { name: /acme/ }));
    const options = await screen.findAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual(['acme', 'globex']);
    expect(api.listTenantRuns).not.toHaveBeenCalledWith(
      'umbrella',
      expect.anything(),
    );
  });

  it('reads a 403 as a note for non-operators', async () => {
    const api = fakeRunsApi();
    api.listTenantRuns.mockRejectedValue(
      await responseError(403, 'NotAllowedError', 'Not an operator of globex'),
    );
    await render(api, '/runs?tenant=globex');
    expect(
      await screen.findByText(
        /Only operators of globex and platform admins can see all runs/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByText('Not an operator of globex'),
    ).not.toBeInTheDocument();
  });

  it('shows who launched, re-executed or terminated runs of the tenant', async () => {
    const api = fakeRunsApi();
    render(api);
    const audit = await screen.findByRole('table', {
      name: 'Run control audit',
    });
    const rows = within(audit).getAllByRole('row');
    // A launch Dagster was down for: no run, the error as its outcome.
    expect(rows[1]).toHaveTextContent('Launched');
    expect(rows[1]).toHaveTextContent(
      'FailedDagsterUnavailableError: Dagster at http://dagster:3000 could not be reached',
    );
    expect(within(rows[1]).queryByRole('link')).not.toBeInTheDocument();
    // Asked, but no answer recorded (in flight, or the portal stopped in between).
    expect(rows[2]).toHaveTextContent('Re-executed');
    expect(rows[2]).toHaveTextContent('No answer recorded');
    expect(rows[3]).toHaveTextContent('olga');
    expect(rows[3]).toHaveTextContent('Terminated');
    expect(rows[3]).toHaveTextContent('was STARTED');
    expect(rows[3]).toHaveTextContent('Done');
    expect(rows[4]).toHaveTextContent('Launched');
    expect(rows[4]).toHaveTextContent('job orders_job, with run config');
    expect(
      within(rows[4]).getByRole('link', { name: 'aaaa1111' }),
    ).toHaveAttribute('href', '/runs/aaaa1111-0000-4000-8000-000000000001');
    expect(api.listRunAudit).toHaveBeenCalledWith('acme', { limit: 50 });
  });

  it('offers a platform admin every tenant', async () => {
    const api = fakeRunsApi({
      identity: {
        userEntityRef: 'user:default/root',
        platformAdmin: true,
        tenants: [],
      },
    });
    await render(api);
    await screen.findByRole('table', { name: 'Runs of acme' });
    await userEvent.click(screen.getByRole('button', { name: /acme/ }));
    const options = await screen.findAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual([
      'acme',
      'globex',
      'initech',
    ]);
  });

  it('says so when the user has no tenant', async () => {
    const api = fakeRunsApi({
      identity: {
        userEntityRef: 'user:default/x',
        platformAdmin: false,
        tenants: [],
      },
    });
    await render(api);
    expect(
      await screen.findByText('You are not a member of any tenant'),
    ).toBeInTheDocument();
    expect(api.listTenantRuns).not.toHaveBeenCalled();
  });
});
