import { captureIo } from '../__testUtils__/captureIo';
import { startDataBackends } from '../__testUtils__/startDataBackends';
import { ExitCode, UsageError } from '../lib/io';
import { formatDuration, runListRuns, runShowRun } from './runs';

jest.setTimeout(60_000);

const tags = (tenant: string, name: string) => ({
  'akili/tenant': tenant,
  'akili/product': `dataproduct:${tenant}/${name}`,
});

describe('akili runs against the runs API and a Dagster test server', () => {
  let backends: Awaited<ReturnType<typeof startDataBackends>>;
  const runIds: string[] = [];

  beforeAll(async () => {
    backends = await startDataBackends({ rowsPerTable: 5 });
    const now = Date.now() / 1000;
    for (let i = 0; i < 4; i++) {
      runIds.push(
        backends.dagster.addRun({
          jobName: 'orders_hourly',
          status: i === 2 ? 'FAILURE' : 'SUCCESS',
          tags: tags('acme', 'orders'),
          creationTime: now - 3600 * (4 - i),
          startTime: now - 3600 * (4 - i) + 5,
          endTime: now - 3600 * (4 - i) + 5 + 125,
        }).runId,
      );
    }
    // Another tenant's run, tagged with acme's product: never listed for acme.
    backends.dagster.addRun({
      jobName: 'shipments_daily',
      tags: {
        'akili/tenant': 'globex',
        'akili/product': 'dataproduct:acme/orders',
      },
    });
  });
  afterAll(async () => {
    backends.dagster.assertNoInvalidRequests();
    await backends.stop();
  });

  const env = (token: string) => ({
    AKILI_URL: backends.url,
    AKILI_TOKEN: token,
  });

  it('lists the runs of a product, newest first, as a table', async () => {
    const io = captureIo(env(backends.tokens.analyst));
    expect(
      await runListRuns('orders', { tenant: 'acme', format: 'text' }, io),
    ).toBe(ExitCode.Ok);
    const lines = io.stdout().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RUN ID +STATUS +STARTED +DURATION +JOB$/);
    expect(lines).toHaveLength(5);
    expect(lines.slice(1).map(line => line.split(/ +/)[0])).toEqual(
      [...runIds].reverse(),
    );
    expect(lines[2]).toMatch(
      /^[0-9a-f-]{36} +FAILURE +\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ +2m 05s +orders_hourly$/,
    );
    expect(io.stderr()).toBe('');
  });

  it('filters by status and limits, in JSON', async () => {
    const io = captureIo(env(backends.tokens.olga));
    expect(
      await runListRuns(
        'orders',
        { tenant: 'acme', status: 'success', limit: 2, format: 'json' },
        io,
      ),
    ).toBe(ExitCode.Ok);
    const body = JSON.parse(io.stdout());
    expect(body.items.map((r: { runId: string }) => r.runId)).toEqual([
      runIds[3],
      runIds[1],
    ]);
    expect(body.target.product).toBe('dataproduct:acme/orders');
    expect(body.nextCursor).toEqual(expect.any(String));

    // The next page, as a table, from the cursor.
    const next = captureIo(env(backends.tokens.olga));
    expect(
      await runListRuns(
        'orders',
        {
          tenant: 'acme',
          status: 'SUCCESS',
          limit: 2,
          cursor: body.nextCursor,
          format: 'text',
        },
        next,
      ),
    ).toBe(ExitCode.Ok);
    expect(
      next
        .stdout()
        .trimEnd()
        .split('\n')
        .slice(1)
        .map(l => l.split(' ')[0]),
    ).toEqual([runIds[0]]);
    expect(next.stderr()).toBe('');

    const paged = captureIo(env(backends.tokens.olga));
    await runListRuns(
      'orders',
      { tenant: 'acme', limit: 1, format: 'text' },
      paged,
    );
    expect(paged.stderr()).toBe(
      `More runs: add --cursor ${runIds[3]} for the next 1\n`,
    );
  });

  it('shows one run', async () => {
    const io = captureIo(env(backends.tokens.analyst));
    expect(await runShowRun(runIds[2], { format: 'text' }, io)).toBe(
      ExitCode.Ok,
    );
    expect(io.stdout()).toContain(`Run:         ${runIds[2]}\n`);
    expect(io.stdout()).toContain('Status:      FAILURE\n');
    expect(io.stdout()).toContain('Product:     dataproduct:acme/orders\n');
    expect(io.stdout()).toContain('Duration:    2m 05s\n');
  });

  it('answers 3 without akili.runs.read, 4 for another tenant, an unknown run or a bad id', async () => {
    const noPermission = captureIo(env(backends.tokens.ci));
    expect(
      await runListRuns(
        'orders',
        { tenant: 'acme', format: 'text' },
        noPermission,
      ),
    ).toBe(ExitCode.Auth);
    expect(noPermission.stderr()).toMatch(
      /^dataproduct:acme\/orders: Not allowed \(403\): /,
    );

    const otherTenant = captureIo(env(backends.tokens.bob));
    expect(
      await runListRuns(
        'orders',
        { tenant: 'acme', format: 'text' },
        otherTenant,
      ),
    ).toBe(ExitCode.NotFound);
    expect(otherTenant.stdout()).toBe('');

    const bobShow = captureIo(env(backends.tokens.bob));
    expect(await runShowRun(runIds[0], { format: 'json' }, bobShow)).toBe(
      ExitCode.NotFound,
    );
    expect(bobShow.stdout()).toBe('');

    const unknown = captureIo(env(backends.tokens.analyst));
    expect(
      await runShowRun(
        '00000000-0000-4000-8000-000000000000',
        { format: 'text' },
        unknown,
      ),
    ).toBe(ExitCode.NotFound);

    const badId = captureIo(env(backends.tokens.analyst));
    // The runs API answers any id that is not a UUID as a run it does not have.
    expect(await runShowRun('not-a-run', { format: 'text' }, badId)).toBe(
      ExitCode.NotFound,
    );
    expect(badId.stderr()).toMatch(/^Run not-a-run: Not found \(404\): /);
  });

  it('refuses bad options before calling the portal', async () => {
    const io = captureIo(env(backends.tokens.analyst));
    await expect(
      runListRuns(
        'orders',
        { tenant: 'acme', status: 'DONE', format: 'text' },
        io,
      ),
    ).rejects.toThrow(
      new UsageError(
        '--status: unknown DONE (one of QUEUED, NOT_STARTED, MANAGED, STARTING, STARTED, SUCCESS, FAILURE, CANCELING, CANCELED, comma-separated)',
      ),
    );
    await expect(
      runListRuns('orders', { tenant: 'acme', limit: 201, format: 'text' }, io),
    ).rejects.toThrow('--limit must be a whole number from 1 to 200, not 201');
    await expect(runListRuns('orders', { format: 'text' }, io)).rejects.toThrow(
      '--tenant',
    );
    await expect(
      runListRuns('Orders!', { tenant: 'acme', format: 'text' }, io),
    ).rejects.toThrow('"Orders!" is not a product name');
  });

  it('formats durations', () => {
    expect(
      [undefined, 850, 42_000, 185_000, 7_620_000].map(formatDuration),
    ).toEqual(['-', '850ms', '42s', '3m 05s', '2h 07m']);
  });
});
