import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { dagsterRunsApiRef } from '../../api';
import { runRouteRef, runsRouteRef } from '../../routes';
import {
  FakeRunsApi,
  failedRunLog,
  fakeRunsApi,
  finishedRuns,
  minutesAgo,
  responseError,
  runDetail,
  runningRun,
} from '../../__testUtils__/fakeRunsApi';
import { RunPage } from './RunPage';

const failedId = 'bbbb2222-0000-4000-8000-000000000002';
const runningId = 'dddd4444-0000-4000-8000-000000000004';

/** A failed re-execution of an earlier run, with its log. */
function failedApi(options: Parameters<typeof fakeRunsApi>[0] = {}) {
  const failed = runDetail(finishedRuns()[1], {
    parentRunId: '11112222-0000-4000-8000-00000000000a',
    rootRunId: '33334444-0000-4000-8000-00000000000b',
  });
  return fakeRunsApi({
    details: [failed],
    logs: { [failedId]: failedRunLog() },
    ...options,
  });
}

function render(api: FakeRunsApi, runId: string) {
  return renderInTestApp(<RunPage />, {
    apis: [catalogApiMock(), [dagsterRunsApiRef, api]],
    mountedRoutes: {
      '/runs': runsRouteRef,
      '/runs/:runId': runRouteRef,
      '/catalog/:namespace/:kind/:name': entityRouteRef,
    },
    mountPath: '/runs/:runId',
    initialRouteEntries: [`/runs/${runId}`],
  });
}

const logRows = () => screen.getAllByTestId('log-event');

describe('RunPage', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('shows the run, its lineage and its steps', async () => {
    const api = failedApi();
    await render(api, failedId);

    expect(
      await screen.findByRole('heading', { name: 'orders_job · run bbbb2222' }),
    ).toBeInTheDocument();
    expect(api.getRun).toHaveBeenCalledWith(failedId);
    const facts = screen.getByRole('group', { name: 'Run facts' });
    expect(within(facts).getAllByText('Failure')).toHaveLength(1);
    expect(
      within(facts).getByRole('link', { name: 'acme/orders' }),
    ).toHaveAttribute('href', '/catalog/acme/dataproduct/orders');
    expect(
      within(facts).getByRole('link', { name: 'jane' }),
    ).toBeInTheDocument();
    expect(within(facts).getByText('1h 02m')).toBeInTheDocument();
    expect(
      within(facts).getByRole('link', { name: '11112222' }),
    ).toHaveAttribute('href', '/runs/11112222-0000-4000-8000-00000000000a');
    expect(
      within(facts).getByRole('link', { name: '33334444' }),
    ).toBeInTheDocument();

    const steps = screen.getByRole('table', { name: 'Steps' });
    const load = within(steps).getByText('load_orders').closest('tr')!;
    expect(within(load).getByText('Success')).toBeInTheDocument();
    expect(within(load).getByText('42s')).toBeInTheDocument();
    expect(within(load).getByText('1')).toBeInTheDocument();
    const clean = within(steps).getByText('clean_orders').closest('tr')!;
    expect(within(clean).getByText('Failure')).toBeInTheDocument();
    expect(within(clean).getByText('2')).toBeInTheDocument();
  });

  it('says when the run does not exist or is hidden', async () => {
    await render(fakeRunsApi(), 'nope');
    expect(
      await screen.findByText(
        /No run nope: it does not exist, or it belongs to a tenant/,
      ),
    ).toBeInTheDocument();
  });
});

describe('RunPage log', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('filters by level on the server and searches the loaded events', async () => {
    const api = failedApi();
    await render(api, failedId);
    await screen.findByRole('table', { name: 'Log events' });
    expect(logRows()).toHaveLength(4);
    expect(screen.getByText('4 events loaded')).toBeInTheDocument();
    expect(api.getRunLogs).toHaveBeenCalledWith(failedId, {
      cursor: undefined,
      limit: 200,
      levels: undefined,
    });

    await userEvent.click(screen.getByRole('button', { name: /Levels/ }));
    await userEvent.click(await screen.findByRole('option', { name: 'ERROR' }));
    await userEvent.click(screen.getByRole('option', { name: 'WARNING' }));
    await userEvent.keyboard('{Escape}');
    await waitFor(() =>
      expect(api.getRunLogs).toHaveBeenLastCalledWith(failedId, {
        cursor: undefined,
        limit: 200,
        levels: ['ERROR', 'WARNING'],
      }),
    );
    await waitFor(() => expect(logRows()).toHaveLength(2));

    await userEvent.type(
      screen.getByLabelText('Search loaded events'),
      'ORDERS',
    );
    expect(screen.getByText('2 of 2 loaded events match')).toBeInTheDocument();
    await userEvent.clear(screen.getByLabelText('Search loaded events'));
    await userEvent.type(
      screen.getByLabelText('Search loaded events'),
      'email',
    );
    expect(screen.getByText('1 of 2 loaded events match')).toBeInTheDocument();
    expect(logRows()).toHaveLength(1);
    const mark = logRows()[0].querySelector('mark');
    expect(mark).toHaveTextContent('email');
    expect(logRows()[0]).toHaveTextContent('17 orders without customer email');
  });

  it('shows the error of a failure event on request', async () => {
    await render(failedApi(), failedId);
    await screen.findByRole('table', { name: 'Log events' });
    const failure = screen
      .getByText(/Execution of step "clean_orders" failed/)
      .closest('tr')!;
    expect(within(failure).queryByText(/Traceback/)).not.toBeInTheDocument();
    await userEvent.click(
      within(failure).getByRole('button', { name: 'Show error' }),
    );
    expect(
      within(failure).getByText(/KeyError: total_amount/),
    ).toBeInTheDocument();
    expect(
      within(failure).getByText(/Traceback \(most recent call last\)/),
    ).toBeInTheDocument();
  });

  it('follows a run in flight every 2 seconds until switched off', async () => {
    jest.useFakeTimers();
    const log = failedRunLog().slice(0, 2);
    const api = fakeRunsApi({
      runs: [runningRun()],
      logs: { [runningId]: log },
    });
    await render(api, runningId);
    await screen.findByRole('table', { name: 'Log events' });
    expect(logRows()).toHaveLength(2);
    const follow = screen.getByRole('checkbox', { name: 'Follow' });
    expect(follow).toBeChecked();

    log.push({
      timestamp: minutesAgo(0),
      level: 'INFO',
      message: 'Wrote 1,187 rows to iceberg_acme.sales.orders',
      stepKey: 'clean_orders',
    });
    await act(async () => {
      jest.advanceTimersByTime(2_000);
    });
    expect(
      await screen.findByText('Wrote 1,187 rows to iceberg_acme.sales.orders'),
    ).toBeInTheDocument();
    expect(api.getRunLogs).toHaveBeenLastCalledWith(runningId, {
      cursor: '2',
      limit: 200,
      levels: undefined,
    });

    await act(async () => {
      follow.click();
    });
    expect(follow).not.toBeChecked();
    const calls = api.getRunLogs.mock.calls.length;
    await act(async () => {
      jest.advanceTimersByTime(10_000);
    });
    expect(api.getRunLogs).toHaveBeenCalledTimes(calls);
    expect(
      screen.getByRole('button', { name: 'Load new events' }),
    ).toBeInTheDocument();
  });

  it('does not follow a finished run', async () => {
    jest.useFakeTimers();
    const api = failedApi();
    await render(api, failedId);
    await screen.findByRole('table', { name: 'Log events' });
    expect(screen.getByRole('checkbox', { name: /Follow/ })).toBeDisabled();
    await act(async () => {
      jest.advanceTimersByTime(10_000);
    });
    expect(api.getRunLogs).toHaveBeenCalledTimes(1);
    expect(api.getRun).toHaveBeenCalledTimes(1);
  });
});

describe('RunPage actions', () => {
  it('re-executes a failed run from the failure after confirmation and opens the new run', async () => {
    const api = failedApi();
    await render(api, failedId);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Re-execute' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Re-execute run bbbb2222?',
    });
    expect(
      within(dialog).getByRole('radio', { name: /From failure/ }),
    ).toBeChecked();
    expect(api.reexecuteRun).not.toHaveBeenCalled();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Re-execute' }),
    );
    await waitFor(() =>
      expect(api.reexecuteRun).toHaveBeenCalledWith(failedId, {
        strategy: 'FROM_FAILURE',
      }),
    );
    expect(
      await screen.findByRole('heading', { name: 'orders_job · run ffff6666' }),
    ).toBeInTheDocument();
    expect(api.getRun).toHaveBeenLastCalledWith(
      'ffff6666-0000-4000-8000-000000000006',
    );
  });

  it('offers only all steps for a run that did not fail', async () => {
    const api = fakeRunsApi();
    await render(api, 'aaaa1111-0000-4000-8000-000000000001');
    await userEvent.click(
      await screen.findByRole('button', { name: 'Re-execute' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Re-execute run aaaa1111?',
    });
    expect(
      within(dialog).getByRole('radio', { name: /From failure/ }),
    ).toBeDisabled();
    expect(
      within(dialog).getByRole('radio', { name: 'All steps' }),
    ).toBeChecked();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Re-execute' }),
    );
    await waitFor(() =>
      expect(api.reexecuteRun).toHaveBeenCalledWith(
        'aaaa1111-0000-4000-8000-000000000001',
        { strategy: 'ALL_STEPS' },
      ),
    );
  });

  it('terminates a running run after confirmation', async () => {
    const api = fakeRunsApi({ runs: [runningRun()] });
    await render(api, runningId);
    expect(
      screen.queryByRole('button', { name: 'Re-execute' }),
    ).not.toBeInTheDocument();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Terminate' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Terminate run dddd4444?',
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Terminate' }),
    );
    await waitFor(() =>
      expect(api.terminateRun).toHaveBeenCalledWith(runningId),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    const facts = screen.getByRole('group', { name: 'Run facts' });
    expect(within(facts).getByText('Canceling')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Terminate' }),
    ).not.toBeInTheDocument();
  });

  it('keeps the terminate dialog open with the reason it failed', async () => {
    const api = fakeRunsApi({ runs: [runningRun()] });
    api.terminateRun.mockRejectedValue(
      await responseError(
        409,
        'ConflictError',
        'Run dddd4444 has already finished',
      ),
    );
    await render(api, runningId);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Terminate' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Terminate run dddd4444?',
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Terminate' }),
    );
    expect(
      await within(dialog).findByText('Run dddd4444 has already finished'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('dialog', { name: 'Terminate run dddd4444?' }),
    ).toBeInTheDocument();
  });

  it('shows no action without the permissions', async () => {
    const api = fakeRunsApi({
      runs: [runningRun(), ...finishedRuns()],
      permissions: { launch: false, terminate: false },
    });
    await render(api, runningId);
    await screen.findByRole('table', { name: 'Steps' });
    await waitFor(() =>
      expect(api.getRunPermissions).toHaveBeenCalledWith('acme'),
    );
    expect(
      screen.queryByRole('button', { name: 'Terminate' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Re-execute' }),
    ).not.toBeInTheDocument();
  });
});
