import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  fakeRunsApi,
  finishedRuns,
  notConfiguredError,
  responseError,
  runningRun,
  unavailableError,
} from '../../__testUtils__/fakeRunsApi';
import { renderForEntity } from '../../__testUtils__/renderEntity';
import { RunsContent } from './RunsContent';

const runsTable = () =>
  screen.findByRole('table', { name: 'Runs of Shop orders' });
const rowOf = (shortId: string) =>
  screen.getByRole('link', { name: shortId }).closest('tr') as HTMLElement;

describe('RunsContent', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('lists the runs with status, job, start, duration and who launched them', async () => {
    const api = fakeRunsApi();
    await renderForEntity(<RunsContent />, api);
    await runsTable();
    expect(api.listProductRuns).toHaveBeenCalledWith('acme', 'orders', {
      limit: 25,
    });

    const scheduled = rowOf('aaaa1111');
    expect(
      within(scheduled).getByRole('link', { name: 'aaaa1111' }),
    ).toHaveAttribute('href', '/runs/aaaa1111-0000-4000-8000-000000000001');
    expect(within(scheduled).getByText('Success')).toBeInTheDocument();
    expect(within(scheduled).getByText('orders_job')).toBeInTheDocument();
    expect(within(scheduled).getByText('1 hour ago')).toHaveAttribute('title');
    expect(within(scheduled).getByText('1m 05s')).toBeInTheDocument();
    expect(
      within(scheduled).getByText('schedule orders_daily'),
    ).toBeInTheDocument();

    const failed = rowOf('bbbb2222');
    expect(within(failed).getByText('Failure')).toBeInTheDocument();
    expect(within(failed).getByText('1h 02m')).toBeInTheDocument();
    expect(
      within(failed).getByRole('link', { name: 'jane' }),
    ).toBeInTheDocument();

    const sensor = rowOf('cccc3333');
    expect(within(sensor).getByText('orders_backfill_job')).toBeInTheDocument();
    expect(within(sensor).getByText('sensor new_orders')).toBeInTheDocument();
    expect(within(sensor).getByText('yesterday')).toBeInTheDocument();

    // The chart: one bar per run, oldest first, named for screen readers.
    const bars = screen.getAllByTestId('run-bar');
    expect(bars.map(b => b.getAttribute('data-status'))).toEqual([
      'SUCCESS',
      'FAILURE',
      'SUCCESS',
    ]);
    expect(bars[1]).toHaveAccessibleName('Run bbbb2222: Failure, 1h 02m');
    expect(
      screen.getByRole('group', {
        name: /Recent runs 3 most recent runs, 1 failed/,
      }),
    ).toBeInTheDocument();
  });

  it('refreshes every 5 seconds while a run is in flight and stops once none is', async () => {
    jest.useFakeTimers();
    const api = fakeRunsApi({ runs: [runningRun(), ...finishedRuns()] });
    await renderForEntity(<RunsContent />, api);
    await runsTable();
    expect(within(rowOf('dddd4444')).getByText('Running')).toBeInTheDocument();
    expect(screen.getByText(/refreshing every 5 seconds/)).toBeInTheDocument();
    expect(api.listProductRuns).toHaveBeenCalledTimes(1);

    await act(async () => {
      jest.advanceTimersByTime(5_000);
    });
    await waitFor(() => expect(api.listProductRuns).toHaveBeenCalledTimes(2));

    // The run finishes; the next refresh shows it, and then no more refreshes happen.
    api.state.runs = api.state.runs.map(run =>
      run.runId.startsWith('dddd4444')
        ? {
            ...run,
            status: 'SUCCESS',
            endedAt: new Date().toISOString(),
            durationMs: 200_000,
          }
        : run,
    );
    await act(async () => {
      jest.advanceTimersByTime(5_000);
    });
    await waitFor(() =>
      expect(
        within(rowOf('dddd4444')).getByText('Success'),
      ).toBeInTheDocument(),
    );
    expect(api.listProductRuns).toHaveBeenCalledTimes(3);
    await act(async () => {
      jest.advanceTimersByTime(30_000);
    });
    expect(api.listProductRuns).toHaveBeenCalledTimes(3);
    expect(
      screen.queryByText(/refreshing every 5 seconds/),
    ).not.toBeInTheDocument();
  });

  it('does not refresh a list of finished runs', async () => {
    jest.useFakeTimers();
    const api = fakeRunsApi();
    await renderForEntity(<RunsContent />, api);
    await runsTable();
    await act(async () => {
      jest.advanceTimersByTime(20_000);
    });
    expect(api.listProductRuns).toHaveBeenCalledTimes(1);
  });

  it('filters by status and time range', async () => {
    const api = fakeRunsApi();
    await renderForEntity(<RunsContent />, api);
    await runsTable();

    await userEvent.click(screen.getByRole('button', { name: /Status/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Failure' }),
    );
    await userEvent.keyboard('{Escape}');
    await waitFor(() =>
      expect(api.listProductRuns).toHaveBeenLastCalledWith('acme', 'orders', {
        statuses: ['FAILURE'],
        limit: 25,
      }),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('link', { name: 'aaaa1111' }),
      ).not.toBeInTheDocument(),
    );
    expect(screen.getByRole('link', { name: 'bbbb2222' })).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: /Created/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Last 24 hours' }),
    );
    await waitFor(() =>
      expect(api.listProductRuns).toHaveBeenLastCalledWith(
        'acme',
        'orders',
        expect.objectContaining({
          statuses: ['FAILURE'],
          createdAfter: expect.any(String),
        }),
      ),
    );
    const { createdAfter } = api.listProductRuns.mock.calls.at(-1)![2];
    expect(Date.now() - Date.parse(createdAfter)).toBeGreaterThan(86_000_000);
    expect(Date.now() - Date.parse(createdAfter)).toBeLessThan(87_000_000);
  });

  it('pages with Load more', async () => {
    const runs = Array.from({ length: 30 }, (_, i) => ({
      ...finishedRuns()[0],
      runId: `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`,
    }));
    const api = fakeRunsApi({ runs });
    await renderForEntity(<RunsContent />, api);
    const table = await runsTable();
    expect(within(table).getAllByRole('row')).toHaveLength(26);
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() =>
      expect(within(table).getAllByRole('row')).toHaveLength(31),
    );
    expect(api.listProductRuns).toHaveBeenLastCalledWith('acme', 'orders', {
      cursor: '25',
      limit: 25,
    });
    expect(
      screen.queryByRole('button', { name: 'Load more' }),
    ).not.toBeInTheDocument();
  });

  it('keeps the filters and the pages shown in the URL, and reads them back', async () => {
    const runs = Array.from({ length: 60 }, (_, i) => ({
      ...finishedRuns()[1],
      runId: `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`,
    }));
    const api = fakeRunsApi({ runs });
    // A shared link: failed runs, two pages shown.
    await renderForEntity(<RunsContent />, api, undefined, [
      '/?status=FAILURE&pages=2',
    ]);
    const table = await runsTable();
    expect(api.listProductRuns).toHaveBeenCalledTimes(1);
    expect(api.listProductRuns).toHaveBeenCalledWith('acme', 'orders', {
      statuses: ['FAILURE'],
      limit: 50,
    });
    expect(within(table).getAllByRole('row')).toHaveLength(51);
    expect(screen.getByRole('button', { name: /Status/ })).toHaveTextContent(
      /Failure/,
    );

    // Another page, then another filter: the page count starts over.
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() =>
      expect(within(table).getAllByRole('row')).toHaveLength(61),
    );
    await userEvent.click(screen.getByRole('button', { name: /Created/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Last 24 hours' }),
    );
    await waitFor(() =>
      expect(api.listProductRuns).toHaveBeenLastCalledWith(
        'acme',
        'orders',
        expect.objectContaining({ statuses: ['FAILURE'], limit: 25 }),
      ),
    );
  });

  it('says when the product has no runs yet', async () => {
    await renderForEntity(<RunsContent />, fakeRunsApi({ runs: [] }));
    expect(await screen.findByText('No runs yet')).toBeInTheDocument();
    expect(
      screen.getByText(/Shop orders has not run in Dagster yet/),
    ).toBeInTheDocument();
  });

  it('names the missing setting when Dagster is not configured', async () => {
    const api = fakeRunsApi();
    api.listProductRuns.mockRejectedValue(await notConfiguredError());
    await renderForEntity(<RunsContent />, api);
    expect(
      await screen.findByText(/Runs are not set up in this portal/),
    ).toBeInTheDocument();
    expect(screen.getByText('dagster.baseUrl')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Try again' }),
    ).not.toBeInTheDocument();
  });

  it('says Dagster did not answer and tries again on request', async () => {
    const api = fakeRunsApi();
    api.listProductRuns.mockRejectedValueOnce(await unavailableError());
    await renderForEntity(<RunsContent />, api);
    expect(
      await screen.findByText(/^Warning: Dagster did not answer/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await runsTable()).toBeInTheDocument();
    expect(api.listProductRuns).toHaveBeenCalledTimes(2);
  });

  it('explains a 403 and a 404', async () => {
    const api = fakeRunsApi();
    api.listProductRuns.mockRejectedValue(
      await responseError(403, 'NotAllowedError', 'no'),
    );
    const { unmount } = await renderForEntity(<RunsContent />, api);
    expect(
      await screen.findByText(
        /You are not allowed to see the runs of Shop orders/,
      ),
    ).toBeInTheDocument();
    unmount();

    api.listProductRuns.mockRejectedValue(
      await responseError(404, 'NotFoundError', 'No product acme/orders'),
    );
    await renderForEntity(<RunsContent />, api);
    expect(
      await screen.findByText(/The runs service does not know Shop orders/),
    ).toBeInTheDocument();
  });
});

describe('RunsContent launch', () => {
  async function openDialog(api = fakeRunsApi()) {
    await renderForEntity(<RunsContent />, api);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Launch run' }),
    );
    return screen.findByRole('dialog', { name: 'Launch a run of acme/orders' });
  }

  it('is not offered without the launch permission', async () => {
    const api = fakeRunsApi({ permissions: { launch: false } });
    await renderForEntity(<RunsContent />, api);
    await runsTable();
    await waitFor(() =>
      expect(api.getRunPermissions).toHaveBeenCalledWith('acme'),
    );
    expect(
      screen.queryByRole('button', { name: 'Launch run' }),
    ).not.toBeInTheDocument();
  });

  it('is not offered, and says why, when the manifest names another tenant’s code location', async () => {
    // Tenant names may hold dashes, not underscores: acme-evil_x is tenant acme-evil's.
    const api = fakeRunsApi({ target: { codeLocation: 'acme-evil_x' } });
    await renderForEntity(<RunsContent />, api);
    await runsTable();
    await waitFor(() =>
      expect(api.getRunPermissions).toHaveBeenCalledWith('acme'),
    );
    expect(screen.getByText(/names Dagster code location/).textContent).toBe(
      "The manifest of Shop orders names Dagster code location acme-evil_x, which is not one of tenant acme's (acme or a name that starts with acme_). Its runs cannot be launched from the portal until spec.transformation.dagster.codeLocation names one.",
    );
    expect(
      screen.queryByRole('button', { name: 'Launch run' }),
    ).not.toBeInTheDocument();
  });

  it('checks the run config JSON before sending anything', async () => {
    const api = fakeRunsApi();
    const dialog = await openDialog(api);
    const config = within(dialog).getByLabelText(/Run config/);
    const launch = within(dialog).getByRole('button', { name: 'Launch' });

    fireEvent.change(config, { target: { value: '{"ops": ' } });
    expect(within(dialog).getByText(/Not valid JSON/)).toBeInTheDocument();
    expect(launch).toBeDisabled();

    fireEvent.change(config, { target: { value: '[1, 2]' } });
    expect(
      within(dialog).getByText(/must be a JSON object/),
    ).toBeInTheDocument();
    expect(launch).toBeDisabled();

    // Executor and resource config belong to the code location (another namespace, other storage).
    fireEvent.change(config, {
      target: {
        value:
          '{"ops": {}, "execution": {"config": {"job_namespace": "globex"}}}',
      },
    });
    expect(
      within(dialog).getByText(
        "The run config may set only ops, not execution: execution, resources and loggers come from the product's code location",
      ),
    ).toBeInTheDocument();
    expect(launch).toBeDisabled();

    fireEvent.change(config, { target: { value: '{"ops": {}}' } });
    expect(
      within(dialog).queryByText(
        /Not valid JSON|must be a JSON object|may set only/,
      ),
    ).not.toBeInTheDocument();
    expect(launch).toBeEnabled();
    expect(api.launchRun).not.toHaveBeenCalled();
  });

  it("keeps the dialog open with Dagster's message when it rejects the run config", async () => {
    const api = fakeRunsApi();
    api.launchRun.mockRejectedValue(
      await responseError(
        400,
        'InputError',
        'Dagster rejected the run config: missing required config entry "day" at ops.load.config',
      ),
    );
    const dialog = await openDialog(api);
    fireEvent.change(within(dialog).getByLabelText(/Run config/), {
      target: { value: '{"ops": {"load": {"config": {}}}}' },
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Launch' }),
    );
    expect(
      await within(dialog).findByText(/missing required config entry "day"/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('dialog', { name: 'Launch a run of acme/orders' }),
    ).toBeInTheDocument();
  });

  it('launches the chosen job on some assets and shows the new run', async () => {
    const api = fakeRunsApi();
    const dialog = await openDialog(api);
    await userEvent.click(
      within(dialog).getByRole('button', { name: /orders_job/ }),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: 'orders_backfill_job' }),
    );
    await userEvent.click(within(dialog).getByLabelText('sales/order_lines'));
    fireEvent.change(within(dialog).getByLabelText(/Run config/), {
      target: { value: '{"ops": {"load": {"config": {"day": "2025-03-01"}}}}' },
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Launch' }),
    );

    await waitFor(() =>
      expect(api.launchRun).toHaveBeenCalledWith('acme', 'orders', {
        job: 'orders_backfill_job',
        assetKeys: [['sales', 'order_lines']],
        runConfig: { ops: { load: { config: { day: '2025-03-01' } } } },
      }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    const row = rowOf('eeee5551');
    expect(within(row).getByText('Queued')).toBeInTheDocument();
    expect(within(row).getByText('orders_backfill_job')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Follow its logs' }),
    ).toHaveAttribute('href', '/runs/eeee5551-0000-4000-8000-000000000001');
  });
});
