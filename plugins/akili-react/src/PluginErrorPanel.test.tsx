import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { PluginErrorCase, PluginErrorPanel } from './PluginErrorPanel';
import { responseError } from './__testUtils__/responseError';

const cases: PluginErrorCase[] = [
  {
    matches: error =>
      error instanceof ResponseError && error.statusCode === 503,
    severity: 'warning',
    title: 'Thing did not answer',
    description: what => `So ${what} could not be loaded.`,
    showDetails: true,
  },
  {
    matches: error =>
      error instanceof ResponseError && error.body.error.name === 'Unset',
    severity: 'info',
    title: 'Thing is not set up',
    description: what => `Cannot show ${what}.`,
  },
];

describe('PluginErrorPanel', () => {
  it("explains the plugin's own cases, with the server's message and a retry when asked", async () => {
    const onRetry = jest.fn();
    await renderInTestApp(
      <PluginErrorPanel
        error={await responseError(503, 'Down', 'thing timed out')}
        what="the runs of orders"
        cases={cases}
        onRetry={onRetry}
      />,
    );
    expect(screen.getByText(/Thing did not answer/)).toBeInTheDocument();
    expect(
      screen.getByText('So the runs of orders could not be loaded.'),
    ).toBeInTheDocument();
    expect(screen.getByText('thing timed out')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(onRetry).toHaveBeenCalledTimes(1);
  });

  it('shows neither message nor retry for a case without details', async () => {
    await renderInTestApp(
      <PluginErrorPanel
        error={await responseError(404, 'Unset', 'no base url')}
        what="the runs of orders"
        cases={cases}
        onRetry={() => {}}
      />,
    );
    expect(screen.getByText(/Thing is not set up/)).toBeInTheDocument();
    expect(
      screen.getByText('Cannot show the runs of orders.'),
    ).toBeInTheDocument();
    expect(screen.queryByText('no base url')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
  });

  it('says 403 and 404 in its own words or the given ones', async () => {
    const forbidden = await responseError(403, 'NotAllowedError', 'nope');
    const { unmount } = await renderInTestApp(
      <PluginErrorPanel error={forbidden} what="the audit of acme" />,
    );
    expect(
      screen.getByText('You are not allowed to see the audit of acme.'),
    ).toBeInTheDocument();
    unmount();
    await renderInTestApp(
      <PluginErrorPanel
        error={await responseError(404, 'NotFoundError', 'No run r1')}
        what="run r1"
        notFound="There is no such run."
      />,
    );
    expect(screen.getByText('There is no such run.')).toBeInTheDocument();
  });

  it('shows any other failure with what could not be loaded', async () => {
    await renderInTestApp(
      <PluginErrorPanel error={new Error('socket hang up')} what="the runs" />,
    );
    expect(screen.getByText(/Could not load the runs/)).toBeInTheDocument();
    expect(screen.getAllByText(/socket hang up/).length).toBeGreaterThan(0);
  });
});
