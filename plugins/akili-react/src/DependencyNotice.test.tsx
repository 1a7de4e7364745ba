import { renderInTestApp } from '@backstage/frontend-test-utils';
import type { PlatformStatusResponse } from '@akili/plugin-platform-health-common';
import { cleanup, screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { DependencyNotice } from './DependencyNotice';

const statusUrl = 'http://localhost:7007/api/platform-health/v1/status';
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

// Today at 12:02 local time: the notice shows the time alone for a day that is today (a fixed
// date would show "3 Dec, …" on every other day).
const since = (() => {
  const at = new Date();
  at.setHours(12, 2, 0, 0);
  return at.toISOString();
})();
const time = new Date(since).toLocaleTimeString(undefined, {
  hour: '2-digit',
  minute: '2-digit',
});

/** Answers the status route in turn (the last answer repeats); counts the calls. */
function answer(...answers: Array<PlatformStatusResponse | number>) {
  const calls = { count: 0 };
  server.use(
    http.get(statusUrl, () => {
      const next = answers[Math.min(calls.count++, answers.length - 1)];
      if (typeof next === 'number') {
        return HttpResponse.json(
          { error: { name: 'Error', message: `status ${next}` } },
          { status: next },
        );
      }
      return HttpResponse.json(next);
    }),
  );
  return calls;
}

const dagster = (
  status: PlatformStatusResponse['dependencies'][number]['status'],
): PlatformStatusResponse => ({
  dependencies: [
    { id: 'postgresql', title: 'PostgreSQL', status: 'up', since },
    { id: 'dagster', title: 'Dagster', status, since },
    { id: 'starrocks', title: 'StarRocks', status: 'down', since },
  ],
});

/** Renders the notice under a marker, so "nothing" is told from "not rendered yet". */
async function renderNotice(
  props: Parameters<typeof DependencyNotice>[0] = { dependencies: ['dagster'] },
) {
  await renderInTestApp(
    <>
      <DependencyNotice {...props} />
      <span>the page</span>
    </>,
  );
  expect(await screen.findByText('the page')).toBeInTheDocument();
}

describe('DependencyNotice', () => {
  it('names a dependency that is down and since when, and only the ones asked for', async () => {
    answer(dagster('down'));
    await renderNotice();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      `Dagster is not answering since ${time} — runs and quality checks may be missing or stale. The platform team has been told on the Platform health page.`,
    );
    // The exact time with its zone on hover.
    expect(alert.querySelector('time')).toHaveAttribute(
      'title',
      expect.stringMatching(/ UTC[+-]\d\d:\d\d \(.+\)$/),
    );
    // StarRocks is down too, but this page does not need it.
    expect(screen.queryByText(/StarRocks/)).not.toBeInTheDocument();
  });

  it('says a degraded dependency answers slowly, with the page’s own consequence', async () => {
    answer(dagster('degraded'));
    await renderNotice({
      dependencies: ['dagster'],
      consequence: 'quality results may be late',
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      `Dagster is answering slowly or only partly since ${time} — quality results may be late.`,
    );
  });

  it('shows nothing while the dependency is up, unknown or not configured', async () => {
    for (const response of [
      dagster('up'),
      dagster('unknown'),
      { dependencies: [] },
    ]) {
      const calls = answer(response);
      await renderNotice();
      await waitFor(() => expect(calls.count).toBe(1));
      // Give a wrong render time to show up before asserting it did not.
      await new Promise(resolve => setTimeout(resolve, 50));
      expect(screen.queryByRole('alert')).not.toBeInTheDocument();
      cleanup();
    }
  });

  it('shows nothing when the status route is absent (404) or failing (500), and never breaks the page', async () => {
    for (const status of [404, 500, 403]) {
      const calls = answer(status);
      await renderNotice();
      await waitFor(() => expect(calls.count).toBe(1));
      await new Promise(resolve => setTimeout(resolve, 50));
      expect(screen.queryByRole('alert')).not.toBeInTheDocument();
      expect(screen.getByText('the page')).toBeInTheDocument();
      cleanup();
    }
  });

  it('polls: a dependency going down shows, coming back hides, the route failing hides', async () => {
    const calls = answer(dagster('up'), dagster('down'), dagster('up'), 500);
    await renderNotice({ dependencies: ['dagster'], intervalMs: 200 });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Dagster is not answering',
    );
    await waitFor(() =>
      expect(screen.queryByRole('alert')).not.toBeInTheDocument(),
    );
    expect(calls.count).toBeGreaterThanOrEqual(3);
    await waitFor(() => expect(calls.count).toBeGreaterThanOrEqual(4));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('stops asking once the plugin is known not to be installed (404)', async () => {
    const calls = answer(404);
    await renderNotice({ dependencies: ['dagster'], intervalMs: 100 });
    await waitFor(() => expect(calls.count).toBe(1));
    await new Promise(resolve => setTimeout(resolve, 500));
    expect(calls.count).toBe(1);
  });

  it('asks every 30 s by default', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
    try {
      const setIntervalSpy = jest.spyOn(global, 'setInterval');
      answer(dagster('up'));
      await renderInTestApp(<DependencyNotice dependencies={['dagster']} />);
      expect(setIntervalSpy).toHaveBeenCalledWith(expect.any(Function), 30_000);
    } finally {
      jest.useRealTimers();
    }
  });
});
