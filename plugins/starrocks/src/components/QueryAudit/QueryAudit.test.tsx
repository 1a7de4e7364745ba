import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { starrocksQueryApiRef } from '../../api';
import { queryRouteRef } from '../../routes';
import {
  auditEntry,
  consumerIdentity,
  FakeQueryApi,
  fakeQueryApi,
  operatorIdentity,
  responseError,
} from '../../__testUtils__/fakeQueryApi';
import { QueryPage } from '../QueryPage';

function render(api: FakeQueryApi, url = '/query') {
  return renderInTestApp(<QueryPage />, {
    apis: [[starrocksQueryApiRef, api]],
    mountedRoutes: { '/query': queryRouteRef },
    initialRouteEntries: [url],
  });
}

/** The data rows of the audit table (its header and opened details left out). */
async function auditRows() {
  const table = await screen.findByRole('table', { name: 'Query audit' });
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .filter(row => !row.id);
}

describe('QueryAudit on the Query page', () => {
  it('shows an operator the tenant’s queries and pages to older ones with the cursor', async () => {
    const api = fakeQueryApi({ identity: operatorIdentity });
    const longStatement = `SELECT ${'order_id, '.repeat(
      30,
    )}amount FROM acme_sales.orders`;
    api.listAudit
      .mockResolvedValueOnce({
        items: [
          auditEntry({
            id: '43',
            actorRef: 'token:ci-bot',
            outcome: 'refused',
            statement: 'SELECT sleep(1)',
            products: [],
            tables: [],
            rowCount: 0,
            bytes: 0,
            durationMs: 3,
            message: 'Query refused: function sleep is not allowed',
          }),
          auditEntry({
            id: '42',
            statement: longStatement,
            statementTruncated: true,
          }),
        ],
        nextCursor: '42',
      })
      .mockResolvedValueOnce({
        items: [
          auditEntry({
            id: '7',
            actorRef: 'user:default/olga',
            outcome: 'timeout',
            rowCount: 100_000,
            bytes: 12_300_000,
            durationMs: 65_000,
            message: 'The query ran longer than 60 s',
          }),
        ],
      });
    await render(api);

    await userEvent.click(await screen.findByRole('tab', { name: 'Audit' }));
    let rows = await auditRows();
    expect(api.listAudit).toHaveBeenCalledTimes(1);
    expect(api.listAudit).toHaveBeenLastCalledWith('acme', {
      limit: 50,
      actor: undefined,
      outcome: undefined,
    });
    expect(rows).toHaveLength(2);
    const refused = within(rows[0]);
    expect(refused.getByRole('button', { name: 'token ci-bot' })).toBeVisible();
    expect(refused.getByText('Refused')).toBeInTheDocument();
    expect(refused.getByText('SELECT sleep(1)')).toBeInTheDocument();
    expect(
      refused.getByText('Query refused: function sleep is not allowed'),
    ).toBeInTheDocument();
    const succeeded = within(rows[1]);
    expect(succeeded.getByRole('button', { name: 'jane' })).toHaveAttribute(
      'title',
      'Only the queries of user:default/jane',
    );
    expect(succeeded.getByText('Succeeded')).toBeInTheDocument();
    expect(succeeded.getByTitle('dataproduct:acme/orders')).toHaveTextContent(
      /^orders$/,
    );
    expect(succeeded.getByText('2.0 kB')).toBeInTheDocument();
    expect(succeeded.getByText('1.2 s')).toBeInTheDocument();
    // The table shows the start of a long statement and that the trail cut it.
    expect(succeeded.getByText(/^SELECT order_id, order_id.*…$/)).toBeVisible();
    expect(succeeded.getByText(/\(cut\)/)).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('2 queries');

    // Expanded: the whole statement, and why it may still be incomplete.
    await userEvent.click(
      succeeded.getByRole('button', { name: 'Show the details' }),
    );
    expect(screen.getByLabelText('Statement')).toHaveTextContent(longStatement);
    expect(
      screen.getByText(/this one was longer and is cut/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Tables read: default_catalog.acme_sales.orders'),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Load older' }));
    await waitFor(async () => expect(await auditRows()).toHaveLength(3));
    expect(api.listAudit).toHaveBeenLastCalledWith('acme', {
      limit: 50,
      cursor: '42',
      actor: undefined,
      outcome: undefined,
    });
    rows = await auditRows();
    expect(within(rows[2]).getByText('Timed out')).toBeInTheDocument();
    expect(within(rows[2]).getByText('100,000')).toBeInTheDocument();
    expect(within(rows[2]).getByText('12 MB')).toBeInTheDocument();
    expect(within(rows[2]).getByText('1 min 5 s')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent(
      '3 queries, to the start of the trail',
    );
    expect(
      screen.queryByRole('button', { name: 'Load older' }),
    ).not.toBeInTheDocument();
  });

  it('filters by outcome and by who, and pages within the filters', async () => {
    const api = fakeQueryApi({ identity: operatorIdentity });
    api.listAudit.mockImplementation(async (_tenant, options) => ({
      items: [auditEntry({ outcome: options?.outcome ?? 'succeeded' })],
      nextCursor: options?.cursor ? undefined : '1',
    }));
    await render(api, '/query?tenant=acme&view=audit');
    await auditRows();

    await userEvent.click(screen.getByRole('button', { name: /Outcome/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Refused' }),
    );
    await waitFor(() =>
      expect(api.listAudit).toHaveBeenLastCalledWith('acme', {
        limit: 50,
        actor: undefined,
        outcome: 'refused',
      }),
    );

    await userEvent.type(
      await screen.findByRole('textbox', { name: 'Who' }),
      'jane{Enter}',
    );
    await waitFor(() =>
      expect(api.listAudit).toHaveBeenLastCalledWith('acme', {
        limit: 50,
        actor: 'user:default/jane',
        outcome: 'refused',
      }),
    );
    expect(
      await screen.findByText('Showing user:default/jane'),
    ).toBeInTheDocument();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Load older' }),
    );
    await waitFor(() =>
      expect(api.listAudit).toHaveBeenLastCalledWith('acme', {
        limit: 50,
        cursor: '1',
        actor: 'user:default/jane',
        outcome: 'refused',
      }),
    );

    // A token typed as such goes as typed; "Everyone" drops the filter.
    const who = screen.getByRole('textbox', { name: 'Who' });
    await userEvent.clear(who);
    await userEvent.type(who, 'token:ci-bot{Enter}');
    await waitFor(() =>
      expect(api.listAudit).toHaveBeenLastCalledWith(
        'acme',
        expect.objectContaining({ actor: 'token:ci-bot' }),
      ),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Everyone' }));
    await waitFor(() =>
      expect(api.listAudit).toHaveBeenLastCalledWith('acme', {
        limit: 50,
        actor: undefined,
        outcome: 'refused',
      }),
    );

    // Clicking who ran a query shows only theirs.
    const [row] = await auditRows();
    await userEvent.click(within(row).getByRole('button', { name: 'jane' }));
    await waitFor(() =>
      expect(api.listAudit).toHaveBeenLastCalledWith(
        'acme',
        expect.objectContaining({ actor: 'user:default/jane' }),
      ),
    );
  });

  it('reads its filters and the pages shown from the URL, so a filtered trail is a link to share', async () => {
    const api = fakeQueryApi({ identity: operatorIdentity });
    api.listAudit.mockImplementation(async (_tenant, options) => ({
      items: [auditEntry({ outcome: options?.outcome ?? 'succeeded' })],
    }));
    await render(
      api,
      '/query?tenant=acme&view=audit&outcome=refused&actor=user%3Adefault%2Fjane&pages=2',
    );
    await auditRows();
    expect(api.listAudit).toHaveBeenCalledTimes(1);
    // Two pages were shown ("Load older" clicked once): as many again, in one read.
    expect(api.listAudit).toHaveBeenCalledWith('acme', {
      limit: 100,
      actor: 'user:default/jane',
      outcome: 'refused',
    });
    expect(screen.getByRole('textbox', { name: 'Who' })).toHaveValue(
      'user:default/jane',
    );
    expect(screen.getByRole('button', { name: /Outcome/ })).toHaveTextContent(
      'Refused',
    );
  });

  it('never shows the audit to a consumer, even through a link, and asks nothing', async () => {
    const api = fakeQueryApi({ identity: consumerIdentity });
    await render(api, '/query?tenant=acme&view=audit');
    expect(
      await screen.findByRole('region', { name: 'SQL editor' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('tab', { name: 'Audit' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('table', { name: 'Query audit' }),
    ).not.toBeInTheDocument();
    expect(api.listAudit).not.toHaveBeenCalled();
  });

  it('shows the Audit view for the tenants the user operates only, all tenants for a platform admin', async () => {
    const api = fakeQueryApi({ identity: operatorIdentity });
    const operator = await render(api, '/query?tenant=globex&view=audit');
    expect(
      await screen.findByRole('region', { name: 'SQL editor' }),
    ).toBeVisible();
    expect(
      screen.queryByRole('tab', { name: 'Audit' }),
    ).not.toBeInTheDocument();
    expect(api.listAudit).not.toHaveBeenCalled();
    operator.unmount();

    const admin = fakeQueryApi({
      identity: { ...consumerIdentity, platformAdmin: true },
    });
    await render(admin, '/query?tenant=initech&view=audit');
    expect(
      await screen.findByText(
        /Nobody has queried the data products of initech yet/,
      ),
    ).toBeInTheDocument();
    expect(admin.listAudit).toHaveBeenCalledWith('initech', expect.anything());
  });

  it('shows why the trail could not be read and tries again; a 403 is a note, not an error', async () => {
    const api = fakeQueryApi({ identity: operatorIdentity });
    api.listAudit.mockRejectedValueOnce(
      await responseError(500, 'Error', 'connection to the database was lost'),
    );
    await render(api, '/query?tenant=acme&view=audit');
    expect(
      await screen.findByText(
        /The query audit trail of acme could not be loaded/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/connection to the database was lost/),
    ).toBeInTheDocument();
    api.listAudit.mockResolvedValue({ items: [auditEntry()] });
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await auditRows()).toHaveLength(1);

    // A filter the backend cannot take: its reason beside the filters, the filters still there.
    api.listAudit.mockRejectedValueOnce(
      await responseError(
        400,
        'InputError',
        'Invalid audit query: actor must be a user entity ref (user:<namespace>/<name>) or token:<id>',
      ),
    );
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Who' }),
      'user:bad ref{Enter}',
    );
    expect(
      await screen.findByText(
        'actor must be a user entity ref (user:<namespace>/<name>) or token:<id>',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/could not be loaded/)).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Everyone' }));
    expect(await auditRows()).toHaveLength(1);

    // Roles changed since the page read them: the backend refuses, the page says so calmly.
    api.listAudit.mockRejectedValueOnce(
      await responseError(403, 'NotAllowedError', 'Not allowed'),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(
      await screen.findByText(/Only operators of acme and platform admins/),
    ).toBeInTheDocument();
    expect(screen.queryByText(/could not be loaded/)).not.toBeInTheDocument();
    expect(screen.queryByText('Not allowed')).not.toBeInTheDocument();
  });

  it('keeps the workbench as it was while the operator looks at the audit', async () => {
    const api = fakeQueryApi({ identity: operatorIdentity });
    await render(api);
    const editorRegion = await screen.findByRole('region', {
      name: 'SQL editor',
    });
    await userEvent.click(await screen.findByRole('tab', { name: 'Audit' }));
    expect(
      await screen.findByText(
        /Nobody has queried the data products of acme yet/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('region', { name: 'SQL editor' }),
    ).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('tab', { name: 'Workbench' }));
    // The same editor, not a new one: what was typed and run is still there.
    expect(screen.getByRole('region', { name: 'SQL editor' })).toBe(
      editorRegion,
    );
    expect(
      screen.queryByText(/Nobody has queried the data products of acme yet/),
    ).not.toBeInTheDocument();
  });
});
