import { execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startAkiliBackend } from './__testUtils__/startAkiliBackend';
import { startDataBackends } from './__testUtils__/startDataBackends';
import { version } from '../package.json';

jest.setTimeout(120_000);

const bin = path.resolve(__dirname, '../bin/akili');
const repoRoot = path.resolve(__dirname, '../../..');

/**
 * Runs `akili` as a user does: its own Node process through the package's bin (which loads
 * the TypeScript sources with Backstage's loader), with only the environment given.
 */
function akili(
  args: string[],
  env: Record<string, string> = {},
  cwd = repoRoot,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    execFile(
      process.execPath,
      [bin, ...args],
      {
        cwd,
        env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), ...env },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        // execFile's error carries the exit code; no error is exit 0.
        let code = 0;
        if (error) {
          code = typeof error.code === 'number' ? error.code : -1;
        }
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('the akili bin', () => {
  let home: string;
  beforeAll(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'akili-bin-'));
  });
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it('prints its version', async () => {
    const { code, stdout } = await akili(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(version);
  });

  it('prints usage for itself and every command', async () => {
    const root = await akili(['--help']);
    expect(root.code).toBe(0);
    for (const name of [
      'validate',
      'diff',
      'login',
      'logout',
      'whoami',
      'submit',
      'runs',
      'query',
    ]) {
      expect(root.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
    expect(root.stdout).toContain('Exit codes: 0 ok');

    const usages: Record<string, RegExp> = {
      validate: /akili validate \[--format json\] <file\.\.\.>/,
      diff: /akili diff \[--format json\] <old> <new>/,
      login:
        /akili login --url <url> \[--no-browser\] \[--timeout <seconds>\] \| --token <token>[\s\S]*--no-browser[\s\S]*--timeout <seconds>[\s\S]*one-time listener on 127\.0\.0\.1/,
      logout: /akili logout/,
      whoami: /akili whoami/,
      submit:
        /akili submit <file> --tenant <tenant> \[--dry-run\] \[--acknowledge-breaking\]/,
      runs: /akili runs <product> --tenant <tenant>[\s\S]*akili runs show <run id>[\s\S]*EXAMPLES:/,
      query:
        /akili query --tenant <tenant> \[--sql <text> \| --file <file>\][\s\S]*EXAMPLES:[\s\S]*Ctrl-C/,
    };
    const helps = await Promise.all(
      Object.keys(usages).map(name => akili([name, '--help'])),
    );
    Object.values(usages).forEach((usage, i) => {
      expect(helps[i].code).toBe(0);
      expect(helps[i].stdout).toMatch(/^USAGE:$/m);
      expect(helps[i].stdout).toMatch(usage);
    });
  });

  it('validates the example manifests with exit 0, and a bad one with file:line and exit 1', async () => {
    const ok = await akili([
      'validate',
      'examples/data-products/acme/orders/dataproduct.yaml',
      'examples/data-products/initech/payments-ledger/payments-ledger.odps.yaml',
    ]);
    expect(ok).toEqual({
      code: 0,
      stdout: [
        'examples/data-products/acme/orders/dataproduct.yaml: valid Akili manifest acme/orders',
        'examples/data-products/initech/payments-ledger/payments-ledger.odps.yaml: valid ODPS product initech/payments-ledger',
        '2 files: 2 valid',
        '',
      ].join('\n'),
      stderr: '',
    });

    const text = fs
      .readFileSync(
        path.join(
          repoRoot,
          'examples/data-products/acme/orders/dataproduct.yaml',
        ),
        'utf8',
      )
      .replace(/lifecycle: \w+/, 'lifecycle: forever');
    fs.writeFileSync(path.join(home, 'bad.yaml'), text);
    const line = text.split('\n').findIndex(l => l.includes('forever')) + 1;
    const bad = await akili(['validate', 'bad.yaml'], {}, home);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(
      new RegExp(`^bad\\.yaml:${line}:\\d+: \\$\\.spec\\.lifecycle: `, 'm'),
    );
    expect(bad.stderr).toBe('1 file: 0 valid, 1 invalid (1 problem)\n');

    const json = await akili(
      ['validate', '--format', 'json', 'bad.yaml'],
      {},
      home,
    );
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).files[0].errors[0]).toMatchObject({
      path: '$.spec.lifecycle',
      line,
    });
  });

  it('reads a pipe, such as <(git show main:dataproduct.yaml)', async () => {
    const text = fs.readFileSync(
      path.join(
        repoRoot,
        'examples/data-products/acme/orders/dataproduct.yaml',
      ),
      'utf8',
    );
    const fifo = path.join(home, 'manifest.fifo');
    execFileSync('mkfifo', [fifo]);
    const run = akili(['validate', fifo]);
    await fs.promises.writeFile(fifo, text);
    expect(await run).toMatchObject({
      code: 0,
      stdout: `${fifo}: valid Akili manifest acme/orders\n1 file: 1 valid\n`,
    });
  });

  it('exits 2 for wrong usage and unreadable files', async () => {
    const cases = await Promise.all([
      akili(['validate', 'missing.yaml'], {}, home),
      akili(['validate']),
      akili(['frobnicate']),
      akili(['validate', '--strict', 'x.yaml']),
      akili(['validate', '--format', 'xml', 'x.yaml']),
      akili([]),
    ]);
    expect(cases.map(c => c.code)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(cases[0].stderr).toContain(
      'missing.yaml: cannot read: no such file',
    );
    expect(cases[1].stderr).toContain(
      'akili validate: Name at least one manifest file to validate\nRun "akili validate --help" for usage.',
    );
    expect(cases[2].stderr).toContain('akili: Unknown command "frobnicate"');
    expect(cases[3].stderr).toContain(
      'akili validate: Unknown option: --strict',
    );
    expect(cases[4].stderr).toContain(
      '--format must be "text" or "json", not "xml"',
    );
    expect(cases[5].stdout).toContain('USAGE:');
  });

  it('diffs two manifests, exit 1 when a change is breaking', async () => {
    const source = path.join(
      repoRoot,
      'examples/data-products/acme/orders/dataproduct.yaml',
    );
    const text = fs.readFileSync(source, 'utf8');
    fs.writeFileSync(
      path.join(home, 'next.yaml'),
      text.replace(/\n {8}- name: store_id\n(?: {10}.*\n)+/, '\n'),
    );
    const same = await akili(['diff', source, source]);
    expect(same).toMatchObject({ code: 0, stdout: 'No changes\n' });
    const changed = await akili(['diff', source, 'next.yaml'], {}, home);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(
      /^ {2}BREAKING spec\.outputPorts\[orders\]\.schema\[store_id\]: Column store_id .*removed$/m,
    );
  });

  describe('with a running control plane', () => {
    let backend: Awaited<ReturnType<typeof startAkiliBackend>>;
    beforeAll(async () => {
      backend = await startAkiliBackend();
    });

    it('signs in, answers whoami, submits, signs out', async () => {
      const env = { XDG_CONFIG_HOME: path.join(home, 'config') };
      const noLogin = await akili(['whoami'], env);
      expect(noLogin.code).toBe(3);
      expect(noLogin.stderr).toContain('Not signed in');

      const login = await akili(
        ['login', '--url', backend.url, '--token', backend.tokens.acmeCi],
        env,
      );
      expect(login).toMatchObject({ code: 0, stderr: '' });
      const file = path.join(home, 'config', 'akili', 'config.json');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);

      const whoami = await akili(['whoami'], env);
      expect(whoami.code).toBe(0);
      expect(whoami.stdout).toContain('token:acme.ci\n  acme: API token\n');

      const submit = await akili(
        [
          'submit',
          'examples/data-products/acme/orders/dataproduct.yaml',
          '--tenant',
          'acme',
          '--dry-run',
        ],
        env,
      );
      expect(submit.code).toBe(0);
      expect(submit.stdout).toContain(
        'Dry run, nothing stored: dataproduct:acme/orders would be revision 1',
      );

      const other = await akili(
        [
          'submit',
          'examples/data-products/acme/orders/dataproduct.yaml',
          '--tenant',
          'globex',
        ],
        env,
      );
      expect(other.code).toBe(4);

      const logout = await akili(['logout'], env);
      expect(logout.code).toBe(0);
      expect(fs.existsSync(file)).toBe(false);
    });
  });
  describe('with the runs and query APIs', () => {
    let backends: Awaited<ReturnType<typeof startDataBackends>>;
    let env: Record<string, string>;
    beforeAll(async () => {
      backends = await startDataBackends({ rowsPerTable: 300 });
      env = { AKILI_URL: backends.url, AKILI_TOKEN: backends.tokens.analyst };
    });
    afterAll(() => backends.stop());

    it('lists runs with exit 0, and 2, 3, 4 for usage, permission and tenant', async () => {
      const run = backends.dagster.addRun({
        jobName: 'orders_hourly',
        status: 'SUCCESS',
        tags: {
          'akili/tenant': 'acme',
          'akili/product': 'dataproduct:acme/orders',
        },
      });
      const [ok, usage, auth, other] = await Promise.all([
        akili(['runs', 'orders', '--tenant', 'acme'], env),
        akili(['runs', 'orders'], env),
        akili(['runs', 'orders', '--tenant', 'acme'], {
          ...env,
          AKILI_TOKEN: backends.tokens.ci,
        }),
        akili(['runs', 'orders', '--tenant', 'globex'], env),
      ]);
      expect(ok).toMatchObject({ code: 0, stderr: '' });
      expect(ok.stdout).toMatch(/^RUN ID +STATUS +STARTED +DURATION +JOB\n/);
      expect(ok.stdout).toContain(`${run.runId}  SUCCESS`);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain('akili runs: Give the tenant');
      expect(auth.code).toBe(3);
      expect(other.code).toBe(4);

      const show = await akili(
        ['runs', 'show', run.runId, '--format', 'json'],
        env,
      );
      expect(show.code).toBe(0);
      expect(JSON.parse(show.stdout)).toMatchObject({
        runId: run.runId,
        status: 'SUCCESS',
      });
    });

    it('queries with CSV into a pipe, exit 1 for a refusal, and 130 on Ctrl-C', async () => {
      const csv = await akili(
        [
          'query',
          '--tenant',
          'acme',
          '--sql',
          'SELECT order_id FROM iceberg_acme.sales.orders ORDER BY order_id',
          '--limit',
          '2',
        ],
        env,
      );
      expect(csv.code).toBe(0);
      expect(csv.stdout).toMatch(/^order_id\r\n\d+\r\n\d+\r\n$/);
      // CSV carries no summary; the masked columns come in a response header.
      expect(csv.stderr).toBe(
        'Masked (NULL for you): iceberg_acme.sales.orders.customer_email (pii)\n',
      );

      const refused = await akili(
        [
          'query',
          '--tenant',
          'acme',
          '--sql',
          'DROP TABLE iceberg_acme.sales.orders',
        ],
        env,
      );
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /Refused \(400\): Query refused: .*line 1, column 1/,
      );

      // The statement on standard input; it runs for minutes unless stopped.
      const t = (alias: string) => `iceberg_acme.sales.orders ${alias}`;
      const slow = `SELECT sum(a.order_id * b.order_id + c.order_id * d.order_id - e.order_id) AS s FROM ${t(
        'a',
      )} CROSS JOIN ${t('b')} CROSS JOIN ${t('c')} CROSS JOIN ${t(
        'd',
      )} CROSS JOIN ${t('e')}`;
      const child = spawn(
        process.execPath,
        [bin, 'query', '--tenant', 'acme'],
        {
          cwd: repoRoot,
          env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), ...env },
        },
      );
      let stderr = '';
      child.stderr.on('data', chunk => {
        stderr += chunk;
      });
      const exited = new Promise<number | null>(resolve =>
        child.on('exit', code => resolve(code)),
      );
      child.stdin.end(slow);
      // Long enough for the bin to load and the portal to start the query.
      await new Promise(resolve => setTimeout(resolve, 4000));
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(stderr).toContain('Interrupted');
    });
  });
});
