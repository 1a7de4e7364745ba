import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve as resolvePath } from 'node:path';

jest.setTimeout(60_000);

const INSTRUMENTATION = resolvePath(__dirname, '../instrumentation.js');
const APP = resolvePath(__dirname, '__fixtures__/metricsApp.js');
const BACKEND = resolvePath(__dirname, '__fixtures__/metricsBackend.js');
const BACKEND_CONFIG = resolvePath(
  __dirname,
  '__fixtures__/metricsBackend.yaml',
);

/** A port free right now (the exporter binds it a moment later). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        resolve(typeof address === 'object' && address ? address.port : 0),
      );
    });
  });
}

interface Started {
  child: ChildProcess;
  /** The app's port, or the exit code when it stopped first. */
  result: Promise<{ port: number } | { code: number | null; stderr: string }>;
}

function start(
  args: string[],
  env: Record<string, string>,
  main: string[] = [APP],
): Started {
  const child = spawn(process.execPath, [...args, ...main], {
    cwd: resolvePath(__dirname, '..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const result = new Promise<
    { port: number } | { code: number | null; stderr: string }
  >(resolve => {
    child.stdout!.on('data', chunk => {
      stdout += chunk;
      const match = stdout.match(/LISTENING (\d+)/);
      if (match) resolve({ port: Number(match[1]) });
      if (stdout.includes('STARTED'))
        resolve({ port: Number(env.FIXTURE_BACKEND_PORT) });
    });
    child.stderr!.on('data', chunk => {
      stderr += chunk;
    });
    child.once('exit', code => resolve({ code, stderr }));
  });
  return { child, result };
}

async function appPort(started: Started): Promise<number> {
  const result = await started.result;
  if (!('port' in result)) {
    throw new Error(`The app stopped (${result.code}): ${result.stderr}`);
  }
  return result.port;
}

describe('instrumentation.js', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill();
  });

  it('serves the Prometheus text format on OTEL_EXPORTER_PROMETHEUS_PORT, with HTTP metrics by route pattern and the meters of @opentelemetry/api', async () => {
    const metricsPort = await freePort();
    const started = start(['--require', INSTRUMENTATION], {
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
    });
    children.push(started.child);
    const port = await appPort(started);

    for (const tenant of ['acme', 'globex']) {
      const res = await fetch(
        `http://127.0.0.1:${port}/api/fixture/runs/${tenant}/run-${tenant}`,
      );
      expect(res.status).toBe(200);
    }

    const scrape = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await scrape.text();
    expect(text).toContain('# TYPE http_server_request_duration histogram');
    // The route pattern, counted over both tenants: no tenant or id in the labels.
    expect(text).toMatch(
      /http_server_request_duration_count\{[^}]*http_route="\/api\/fixture\/runs\/:tenant\/:runId"[^}]*http_response_status_code="200"[^}]*\} 2/,
    );
    expect(text).not.toMatch(/run-acme|run-globex/);
    expect(text).toMatch(
      /akili_fixture_calls_total\{[^}]*outcome="ok"[^}]*\} 2/,
    );
    expect(text).toMatch(/target_info\{[^}]*service_name="akili-portal"/);
  });

  it("records a plugin's route behind Backstage's own routers by its pattern", async () => {
    const metricsPort = await freePort();
    const started = start(
      ['--require', INSTRUMENTATION],
      {
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
        FIXTURE_BACKEND_PORT: String(await freePort()),
      },
      [BACKEND, '--config', BACKEND_CONFIG],
    );
    children.push(started.child);
    const port = await appPort(started);

    const ok = await fetch(`http://127.0.0.1:${port}/api/fixture/runs/acme/r1`);
    expect(ok.status).toBe(200);
    // Refused by Backstage's auth before any route of the plugin matched.
    const refused = await fetch(
      `http://127.0.0.1:${port}/api/fixture/acme/secret`,
    );
    expect(refused.status).toBe(401);

    const text = await (
      await fetch(`http://127.0.0.1:${metricsPort}/metrics`)
    ).text();
    expect(text).toMatch(
      /http_server_request_duration_count\{[^}]*http_route="\/api\/fixture\/runs\/:tenant\/:runId"[^}]*http_response_status_code="200"[^}]*\} 1/,
    );
    // Unmatched: the plugin's mount path, never the URL.
    expect(text).toMatch(
      /http_server_request_duration_count\{[^}]*http_route="\/api\/fixture"[^}]*http_response_status_code="401"[^}]*\} 1/,
    );
    expect(text).not.toMatch(/acme|secret|r1"/);
  });

  it('changes nothing when it is not loaded: no metrics server', async () => {
    const metricsPort = await freePort();
    const started = start([], {
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
    });
    children.push(started.child);
    const port = await appPort(started);
    expect(
      (await fetch(`http://127.0.0.1:${port}/api/fixture/runs/acme/r1`)).status,
    ).toBe(200);
    await expect(
      fetch(`http://127.0.0.1:${metricsPort}/metrics`),
    ).rejects.toThrow();
  });

  it('refuses a bad port, naming the variable', async () => {
    const started = start(['--require', INSTRUMENTATION], {
      OTEL_EXPORTER_PROMETHEUS_PORT: 'ninety',
    });
    children.push(started.child);
    const result = await started.result;
    expect(result).toMatchObject({ code: 1 });
    expect((result as { stderr: string }).stderr).toContain(
      "OTEL_EXPORTER_PROMETHEUS_PORT must be a port number between 1 and 65535, not 'ninety'",
    );
  });
});
