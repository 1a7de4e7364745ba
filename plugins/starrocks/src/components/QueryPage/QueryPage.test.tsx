import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EditorView } from '@codemirror/view';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { starrocksQueryApiRef } from '../../api';
import { queryRouteRef } from '../../routes';
import {
  FakeQueryApi,
  fakeQueryApi,
  responseError,
} from '../../__testUtils__/fakeQueryApi';
import { QueryPage } from './QueryPage';

function render(
  api: FakeQueryApi,
  storage = mockApis.storage(),
  url = '/query',
) {
  return renderInTestApp(<QueryPage />, {
    apis: [[starrocksQueryApiRef, api], storage],
    mountedRoutes: { '/query': queryRouteRef },
    initialRouteEntries: [url],
  });
}

/** The CodeMirror view behind the editor's text box. */
async function editor(): Promise<EditorView> {
  const content = await screen.findByRole('textbox', { name: 'SQL' });
  return EditorView.findFromDOM(content)!;
}

async function typeSql(sql: string) {
  const view = await editor();
  act(() => {
    view.dispatch({
      changes: { from: 0, to: view.state.doc.length, insert: sql },
    });
  });
}

async function runSql(api: FakeQueryApi, sql: string) {
  await typeSql(sql);
  await userEvent.click(screen.getByRole('button', { name: 'Run' }));
  await waitFor(() => expect(api.queries).toHaveLength(1));
  return api.queries[api.queries.length - 1];
}

describe('QueryPage', () => {
  it("runs a query over the user's tenant and streams its rows into the grid", async () => {
    const api = fakeQueryApi();
    await render(api);
    // The tree names a table first, its catalog and database below.
    expect(
      await screen.findByTitle('default_catalog.acme_sales.orders'),
    ).toHaveTextContent(/^orders.*default_catalog\.acme_sales$/);
    // Only the user's tenants.
    await userEvent.click(screen.getByRole('button', { name: /acme/ }));
    const options = await screen.findAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual(['acme', 'globex']);
    await userEvent.keyboard('{Escape}');

    const query = await runSql(
      api,
      'SELECT order_id, email, total FROM acme_sales.orders',
    );
    expect(query).toMatchObject({ tenant: 'acme', limit: 1000 });
    expect(screen.getByRole('button', { name: 'Run' })).toBeDisabled();
    act(() => {
      query.columns(['order_id', 'email', 'total']);
      query.rows([
        [1, null, '10.50'],
        [2, null, '7.00'],
      ]);
    });
    expect(await screen.findByText(/2 rows received/)).toBeInTheDocument();
    act(() => query.rows([[3, null, '1.00']]));
    expect(await screen.findByText(/3 rows received/)).toBeInTheDocument();
    act(() =>
      query.finish({
        masked: [
          {
            table: 'default_catalog.acme_sales.orders',
            column: 'email',
            classification: 'pii',
          },
        ],
      }),
    );
    expect(
      await screen.findByText('3 rows · 1.2 s · 2.0 kB'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Masked for you \(values are NULL\): email \(pii\)/),
    ).toBeInTheDocument();

    const grid = screen.getByRole('grid', { name: 'Query result' });
    expect(grid).toHaveAttribute('aria-rowcount', '4');
    expect(
      within(grid)
        .getAllByRole('columnheader')
        .map(h => h.textContent),
    ).toEqual(['#', 'order_id', 'email', 'total']);
    expect(within(grid).getByText('10.50')).toBeInTheDocument();
    expect(within(grid).getAllByText('NULL')).toHaveLength(3);

    // Beside the grid: what the manifest says about the matching columns.
    const columns = screen.getByRole('list', { name: 'Result columns' });
    expect(within(columns).getByText('The order number')).toBeInTheDocument();
    expect(within(columns).getByText(/order_id_unique/)).toBeInTheDocument();
    expect(within(columns).getByText(/no manifest column/)).toBeInTheDocument();
  });

  it('shows a refusal with its reason and marks its position in the editor', async () => {
    const api = fakeQueryApi();
    await render(api);
    const query = await runSql(api, 'SELECT sleep(1)\nFROM acme_sales.orders');
    await act(async () =>
      query.fail(
        await responseError(
          400,
          'InputError',
          'Query refused: function sleep is not allowed (line 1, column 8)',
        ),
      ),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Query refused');
    expect(alert).toHaveTextContent('function sleep is not allowed');
    expect(
      screen.getByText(/Marked in the editor at line 1,\s*column 8/),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(document.querySelector('.cm-lintRange-error')).not.toBeNull(),
    );
    expect(document.querySelector('.cm-lintRange-error')).toHaveTextContent(
      's',
    );
  });

  it('cancels a running query: the request is aborted', async () => {
    const api = fakeQueryApi();
    await render(api);
    const query = await runSql(api, 'SELECT * FROM acme_sales.orders');
    act(() => {
      query.columns(['order_id']);
      query.rows([[1]]);
    });
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(query.signal?.aborted).toBe(true);
    expect(
      await screen.findByText('Cancelled after 1 rows.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeDisabled();
  });

  it('downloads the result as CSV under a file name of the tenant', async () => {
    const api = fakeQueryApi();
    const createObjectURL = jest.fn(() => 'blob:csv');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const clicked: string[] = [];
    jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function recordClick(this: HTMLAnchorElement) {
        clicked.push(this.download);
      });
    await render(api);
    await typeSql('SELECT * FROM acme_sales.orders');
    await userEvent.click(screen.getByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(api.downloadCsv).toHaveBeenCalledWith('acme', {
      sql: 'SELECT * FROM acme_sales.orders',
      limit: 1000,
      spreadsheetSafe: true,
    });
    expect(createObjectURL).toHaveBeenCalledWith(expect.any(Blob));
    expect(clicked[0]).toMatch(
      /^acme-query-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.csv$/,
    );
  });

  it('keeps history and saved queries in storage: they survive a remount', async () => {
    const storage = mockApis.storage();
    const api = fakeQueryApi();
    const first = await render(api, storage);
    const query = await runSql(api, 'SELECT order_id FROM acme_sales.orders');
    act(() => {
      query.columns(['order_id']);
      query.rows([[1], [2]]);
      query.finish();
    });
    await screen.findByText(/^2 rows/);
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await userEvent.type(
      await screen.findByRole('textbox', { name: 'Name' }),
      'All order ids',
    );
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', { name: 'Save' }),
    );
    first.unmount();

    await render(fakeQueryApi(), storage);
    await userEvent.click(await screen.findByRole('tab', { name: 'History' }));
    const history = await screen.findByRole('list', { name: 'Query history' });
    expect(
      within(history).getByText('SELECT order_id FROM acme_sales.orders'),
    ).toBeInTheDocument();
    expect(within(history).getByText(/2 rows in 1.2 s/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('tab', { name: 'Saved (1)' }));
    await userEvent.click(await screen.findByText('All order ids'));
    await waitFor(async () =>
      expect((await editor()).state.doc.toString()).toBe(
        'SELECT order_id FROM acme_sales.orders',
      ),
    );
  });

  it('renders only a window of a 100,000-row result', async () => {
    const api = fakeQueryApi();
    await render(api);
    const query = await runSql(api, 'SELECT * FROM acme_sales.orders');
    const rows = Array.from({ length: 100_000 }, (_, i) => [i, `row ${i}`]);
    act(() => {
      query.columns(['order_id', 'note']);
      query.rows(rows);
      query.finish({ truncated: true });
    });
    const grid = await screen.findByRole('grid', { name: 'Query result' });
    expect(grid).toHaveAttribute('aria-rowcount', '100001');
    expect(
      screen.getByText('100,000 rows · 1.2 s · 2.0 kB'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/The result was cut at 100,000 rows/),
    ).toBeInTheDocument();
    const rendered = within(grid).getAllByRole('row');
    expect(rendered.length).toBeGreaterThan(5);
    expect(rendered.length).toBeLessThan(60);
    expect(within(grid).getByText('row 0')).toBeInTheDocument();
    expect(within(grid).queryByText('row 99999')).not.toBeInTheDocument();
  });

  it('explains a tenant without a query engine (503) and a full concurrency quota (429)', async () => {
    const api = fakeQueryApi();
    api.getSchema.mockRejectedValue(
      await responseError(
        503,
        'StarrocksTenantNotConfiguredError',
        'StarRocks is not configured for tenant acme',
      ),
    );
    await render(api);
    expect(
      await screen.findByText(/Querying is not set up for acme/),
    ).toBeInTheDocument();
    const query = await runSql(api, 'SELECT 1');
    await act(async () =>
      query.fail(
        await responseError(429, 'TooManyRequests', 'acme runs 4 queries'),
      ),
    );
    expect(
      await screen.findByText('Too many queries running'),
    ).toBeInTheDocument();
  });

  it('names StarRocks when it does not answer (503), not a generic error', async () => {
    const api = fakeQueryApi();
    api.getSchema.mockRejectedValue(
      await responseError(
        503,
        'ServiceUnavailableError',
        'StarRocks of tenant acme (127.0.0.1:9030) could not be reached (ECONNREFUSED)',
      ),
    );
    await render(api);
    expect(
      await screen.findByText(/StarRocks did not answer/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/did not answer in time for the tables of acme/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/could not be reached \(ECONNREFUSED\)/),
    ).toBeInTheDocument();
    expect(
      screen.queryByText(/Querying is not set up/),
    ).not.toBeInTheDocument();
  });
});
