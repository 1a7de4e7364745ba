import { renderInTestApp } from '@backstage/frontend-test-utils';
import type {
  PlatformDependenciesResponse,
  PlatformDependencyState,
} from '@akili/plugin-platform-health-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { platformHealthApiRef, PlatformHealthClient } from '../../api';
import { PlatformHealthPage } from './PlatformHealthPage';

const baseUrl = 'http://localhost:7007/api/platform-health';
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const minutesAgo = (m: number) =>
  new Date(Date.now() - m * 60_000).toISOString();

const notConfigured = (
  id: PlatformDependencyState['id'],
  title: string,
): PlatformDependencyState => ({
  id,
  title,
  status: 'not-configured',
  critical: false,
});

function dependencies(
  argocd: Partial<PlatformDependencyState>,
): PlatformDependenciesResponse {
  return {
    frequencyMs: 30_000,
    dependencies: [
      {
        id: 'postgresql',
        title: 'PostgreSQL',
        status: 'up',
        critical: true,
        latencyMs: 3,
        checkedAt: minutesAgo(0.5),
      },
      {
        id: 'argocd',
        title: 'ArgoCD',
        status: 'up',
        critical: false,
        latencyMs: 42,
        checkedAt: minutesAgo(1),
        ...argocd,
      },
      notConfigured('gitlab', 'GitLab'),
    ],
  };
}

/** The backend's routes: dependencies answered in turn, history per id. */
function answer(
  ...answers: Array<PlatformDependenciesResponse | number>
): string[] {
  const asked: string[] = [];
  let call = 0;
  server.use(
    http.get(`${baseUrl}/v1/dependencies`, () => {
      const next = answers[Math.min(call++, answers.length - 1)];
      asked.push('dependencies');
      if (typeof next === 'number') {
        return HttpResponse.json(
          {
            error: {
              name: next === 403 ? 'NotAllowedError' : 'Error',
              message:
                next === 403
                  ? 'user:default/carl needs role operator'
                  : 'database is down',
            },
          },
          { status: next },
        );
      }
      return HttpResponse.json(next);
    }),
    http.get(
      `${baseUrl}/v1/dependencies/:id/history`,
      ({ params, request }) => {
        asked.push(`history ${params.id} ${new URL(request.url).search}`);
        return HttpResponse.json({
          id: params.id,
          hours: 24,
          checks: [
            { status: 'up', latencyMs: 40, checkedAt: minutesAgo(10) },
            {
              status: 'down',
              latencyMs: 5000,
              checkedAt: minutesAgo(5),
              error: 'argocd did not answer within 5000 ms',
            },
            { status: 'up', latencyMs: 42, checkedAt: minutesAgo(1) },
          ],
        });
      },
    ),
  );
  return asked;
}

function render(refreshMs?: number) {
  return renderInTestApp(<PlatformHealthPage refreshMs={refreshMs} />, {
    apis: [
      [
        platformHealthApiRef,
        new PlatformHealthClient({
          discoveryApi: {
            getBaseUrl: async (id: string) => `http://localhost:7007/api/${id}`,
          },
          fetchApi: { fetch: (input: any, init: any) => fetch(input, init) },
        }),
      ],
    ],
  });
}

describe('PlatformHealthPage', () => {
  it('shows each dependency with status, latency, last check, last error and its 24 h strip', async () => {
    const asked = answer(
      dependencies({
        lastError: {
          message: 'argocd did not answer within 5000 ms',
          at: minutesAgo(5),
        },
        lastChangeAt: minutesAgo(4),
      }),
    );
    await render();
    const argocd = await screen.findByTestId('dependency-argocd');
    expect(within(argocd).getByText('ArgoCD')).toBeInTheDocument();
    expect(within(argocd).getByText('Up')).toBeInTheDocument();
    expect(within(argocd).getByText('42 ms')).toBeInTheDocument();
    expect(within(argocd).getByText('1 minute ago')).toBeInTheDocument();
    expect(
      within(argocd).getByText('argocd did not answer within 5000 ms'),
    ).toBeInTheDocument();
    const strip = await within(argocd).findByRole('img', {
      name: 'ArgoCD in the last 24 h: 3 checks in the last 24 h, 1 not up',
    });
    expect(
      [...strip.querySelectorAll('rect[data-status]')].map(r =>
        r.getAttribute('data-status'),
      ),
    ).toEqual(['up', 'down', 'up']);

    // The absolute time with its zone on hover.
    expect(within(argocd).getByText('1 minute ago')).toHaveAttribute(
      'title',
      expect.stringMatching(
        /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC[+-]\d\d:\d\d \(.+\)$/,
      ),
    );

    const postgres = screen.getByTestId('dependency-postgresql');
    expect(
      within(postgres).getByText(
        'Required: the portal is not ready without it',
      ),
    ).toBeInTheDocument();

    const gitlab = screen.getByTestId('dependency-gitlab');
    expect(within(gitlab).getByText('Not configured')).toBeInTheDocument();
    expect(
      within(gitlab).getByText(
        'Not checked: this portal has no configuration for GitLab.',
      ),
    ).toBeInTheDocument();
    // Not-configured dependencies have no history to ask for.
    await waitFor(() =>
      expect(asked.filter(a => a.startsWith('history')).sort()).toEqual([
        'history argocd ?hours=24',
        'history postgresql ?hours=24',
      ]),
    );
  });

  it('names the dependencies that are down', async () => {
    answer(dependencies({ status: 'down' }));
    await render();
    expect(await screen.findByText('Down: ArgoCD')).toBeInTheDocument();
  });

  it('refreshes on its own: a dependency that comes back shows as up', async () => {
    const asked = answer(dependencies({ status: 'down' }), dependencies({}));
    await render(300);
    expect(await screen.findByText('Down: ArgoCD')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByText('Down: ArgoCD')).toBeNull());
    expect(
      within(screen.getByTestId('dependency-argocd')).getByText('Up'),
    ).toBeInTheDocument();
    expect(asked.filter(a => a === 'dependencies').length).toBeGreaterThan(1);
  });

  it('tells consumers and developers the page is for operators', async () => {
    answer(403);
    await render();
    expect(
      await screen.findByText(
        'Platform health is for operators and platform admins.',
      ),
    ).toBeInTheDocument();
  });

  it('shows an error with a retry that loads the page', async () => {
    answer(500, dependencies({}));
    await render();
    expect(await screen.findByText(/database is down/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('dependency-argocd')).toBeInTheDocument();
  });

  it('says when nothing is configured, and when there is nothing at all', async () => {
    answer({
      frequencyMs: 30_000,
      dependencies: [notConfigured('gitlab', 'GitLab')],
    });
    const first = await render();
    expect(
      await screen.findByText(
        'No platform dependency is configured in this portal, so none is checked.',
      ),
    ).toBeInTheDocument();
    first.unmount();

    answer({ frequencyMs: 30_000, dependencies: [] });
    await render();
    expect(
      await screen.findByText('No platform dependencies'),
    ).toBeInTheDocument();
  });
});
