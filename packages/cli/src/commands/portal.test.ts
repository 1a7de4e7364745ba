import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { captureIo } from '../__testUtils__/captureIo';
import { startAkiliBackend } from '../__testUtils__/startAkiliBackend';
import { startProductsServer } from '../__testUtils__/productsServer';
import { configFile } from '../lib/config';
import { ExitCode } from '../lib/io';
import { runLogin, runLogout, runWhoami } from './login';
import { runSubmit } from './submit';

jest.setTimeout(60_000);

/** A port nothing listens on: one just used and closed again. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

const orders = (version: string, columns = ['order_id', 'store_id']) =>
  `apiVersion: akili.io/v1alpha1
kind: DataProduct
metadata:
  name: orders
  namespace: acme
spec:
  type: source-aligned
  lifecycle: production
  owner: acme-sales-analytics
  domain: sales
  version: ${version}
  outputPorts:
    - name: orders
      kind: table
      location:
        table: { catalog: iceberg_acme, database: sales, table: orders }
      schema:
${columns.map(c => `        - name: ${c}\n          type: string`).join('\n')}
`;

describe('the CLI against the control plane', () => {
  let backend: Awaited<ReturnType<typeof startAkiliBackend>>;
  let home: string;

  beforeAll(async () => {
    backend = await startAkiliBackend();
  });
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'akili-cli-'));
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(home, name), text);
    return name;
  };

  describe('login, whoami, logout', () => {
    it('signs in with an API token, keeps it private, and tells who it is', async () => {
      const env = { XDG_CONFIG_HOME: home };
      const io = captureIo(env, home);
      expect(
        await runLogin(
          { url: `${backend.url}/`, token: backend.tokens.acmeCi },
          io,
        ),
      ).toBe(ExitCode.Ok);
      expect(io.stdout()).toContain(
        `Signed in to ${backend.url} as token:acme.ci`,
      );
      const file = configFile(env);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({
        url: backend.url,
        token: backend.tokens.acmeCi,
      });

      const who = captureIo(env, home);
      expect(await runWhoami({ format: 'json' }, who)).toBe(ExitCode.Ok);
      expect(JSON.parse(who.stdout())).toEqual({
        url: backend.url,
        userEntityRef: 'token:acme.ci',
        platformAdmin: false,
        tenants: [{ name: 'acme', roles: [] }],
      });

      const out = captureIo(env, home);
      expect(await runLogout(out)).toBe(ExitCode.Ok);
      expect(fs.existsSync(file)).toBe(false);
      const after = captureIo(env, home);
      expect(await runWhoami({ format: 'text' }, after)).toBe(ExitCode.Auth);
      expect(after.stderr()).toContain('Not signed in');
    });

    it('takes AKILI_URL and AKILI_TOKEN over the saved login', async () => {
      const env: Record<string, string> = { XDG_CONFIG_HOME: home };
      await runLogin(
        { url: backend.url, token: backend.tokens.acmeCi },
        captureIo(env),
      );
      const io = captureIo({ ...env, AKILI_TOKEN: backend.tokens.olga }, home);
      expect(await runWhoami({ format: 'text' }, io)).toBe(ExitCode.Ok);
      expect(io.stdout()).toContain(
        ['user:default/olga', '  acme: operator', '  globex: consumer'].join(
          '\n',
        ),
      );
      expect(io.stdout()).toContain('token from AKILI_TOKEN');

      // In CI there is no saved login at all.
      const ci = captureIo(
        {
          XDG_CONFIG_HOME: path.join(home, 'empty'),
          AKILI_URL: backend.url,
          AKILI_TOKEN: backend.tokens.acmeCi,
        },
        home,
      );
      expect(await runWhoami({ format: 'text' }, ci)).toBe(ExitCode.Ok);
      expect(ci.stdout()).toContain('token:acme.ci');
    });

    it('saves nothing when the portal refuses the token or cannot be reached', async () => {
      const env = { XDG_CONFIG_HOME: home };
      const refused = captureIo(env, home);
      expect(
        await runLogin({ url: backend.url, token: 'not-a-token' }, refused),
      ).toBe(ExitCode.Auth);
      expect(refused.stderr()).toMatch(
        /refused the token \(401: .+\).*run "akili login" with a new one/,
      );
      expect(fs.existsSync(configFile(env))).toBe(false);

      const closed = await closedPort();
      const down = captureIo(env, home);
      const started = Date.now();
      expect(
        await runLogin({ url: `http://127.0.0.1:${closed}`, token: 'x' }, down),
      ).toBe(ExitCode.Unavailable);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(down.stderr()).toContain(
        `Cannot reach the portal at http://127.0.0.1:${closed}: ECONNREFUSED`,
      );
      expect(fs.existsSync(configFile(env))).toBe(false);

      // A redirect is not followed: the token would go wherever it points.
      const redirecting = http.createServer((_req, res) => {
        res.writeHead(301, { location: 'https://elsewhere.example.com/' });
        res.end();
      });
      await new Promise<void>(resolve =>
        redirecting.listen(0, '127.0.0.1', resolve),
      );
      const { port } = redirecting.address() as AddressInfo;
      const moved = captureIo(env, home);
      try {
        expect(
          await runLogin(
            { url: `http://127.0.0.1:${port}`, token: 'x' },
            moved,
          ),
        ).toBe(ExitCode.Unavailable);
      } finally {
        await new Promise(resolve => redirecting.close(resolve));
      }
      expect(moved.stderr()).toContain(
        `The portal at http://127.0.0.1:${port} answered with a redirect; give its final address`,
      );
      expect(fs.existsSync(configFile(env))).toBe(false);
    });
  });

  describe('submit', () => {
    const ci = () => ({
      XDG_CONFIG_HOME: home,
      AKILI_URL: backend.url,
      AKILI_TOKEN: backend.tokens.acmeCi,
    });

    it('registers, holds back a breaking change, and takes it acknowledged with a major version', async () => {
      const first = captureIo(ci(), home);
      expect(
        await runSubmit(
          write('v1.yaml', orders('1.0.0')),
          {
            tenant: 'acme',
            dryRun: false,
            acknowledgeBreaking: false,
            format: 'text',
          },
          first,
        ),
      ).toBe(ExitCode.Ok);
      expect(first.stdout()).toMatch(
        /^Submitted dataproduct:acme\/orders: revision 1, version 1\.0\.0, status registered\nNo changes\n/,
      );

      // A column removed under a minor version: a dry run says so, stores nothing, exits 1.
      const breaking = write('v1.1.yaml', orders('1.1.0', ['order_id']));
      const dry = captureIo(ci(), home);
      expect(
        await runSubmit(
          breaking,
          {
            tenant: 'acme',
            dryRun: true,
            acknowledgeBreaking: false,
            format: 'text',
          },
          dry,
        ),
      ).toBe(ExitCode.Refused);
      expect(dry.stdout()).toContain(
        'Dry run, nothing stored: dataproduct:acme/orders would be revision 2, version 1.1.0',
      );
      expect(dry.stdout()).toMatch(
        /BREAKING spec\.outputPorts\[orders\]\.schema\[store_id\]: Column store_id .*removed/,
      );
      expect(dry.stderr()).toContain(
        'v1.1.yaml: the submission would be refused: dataproduct:acme/orders has 1 breaking change',
      );

      const refused = captureIo(ci(), home);
      expect(
        await runSubmit(
          breaking,
          {
            tenant: 'acme',
            dryRun: false,
            acknowledgeBreaking: true,
            format: 'text',
          },
          refused,
        ),
      ).toBe(ExitCode.Refused);
      expect(refused.stderr()).toMatch(
        /^v1\.1\.yaml: Refused \(409\): .*a new major version in spec\.version/,
      );
      expect(refused.stderr()).toContain(
        'BREAKING spec.outputPorts[orders].schema[store_id]',
      );

      const accepted = captureIo(ci(), home);
      expect(
        await runSubmit(
          write('v2.yaml', orders('2.0.0', ['order_id'])),
          {
            tenant: 'acme',
            dryRun: false,
            acknowledgeBreaking: true,
            format: 'json',
          },
          accepted,
        ),
      ).toBe(ExitCode.Ok);
      const answer = JSON.parse(accepted.stdout());
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({
        stored: true,
        product: {
          entityRef: 'dataproduct:acme/orders',
          revision: 2,
          version: '2.0.0',
        },
        diff: { breaking: true, requiresMajorBump: false },
      });
    });

    it('lands in the tenant of the command, whatever the file says', async () => {
      const io = captureIo({ ...ci(), AKILI_TOKEN: backend.tokens.olga }, home);
      const file = write(
        'claims-globex.yaml',
        orders('1.0.0')
          .replace('name: orders', 'name: returns')
          .replace('namespace: acme', 'namespace: globex'),
      );
      expect(
        await runSubmit(
          file,
          {
            tenant: 'acme',
            dryRun: true,
            acknowledgeBreaking: false,
            format: 'text',
          },
          io,
        ),
      ).toBe(ExitCode.Ok);
      expect(io.stdout()).toContain(
        'dataproduct:acme/returns would be revision 1',
      );
      expect(io.stdout()).toContain(
        "Warning: metadata.namespace 'globex' is not the tenant of the route",
      );
    });

    it('exits 4 for another tenant, 3 without the permission, 1 for an invalid manifest', async () => {
      const file = write('v1.yaml', orders('1.0.0'));
      const options = {
        tenant: 'globex',
        dryRun: true,
        acknowledgeBreaking: false,
        format: 'text' as const,
      };
      const other = captureIo(ci(), home);
      expect(await runSubmit(file, options, other)).toBe(ExitCode.NotFound);
      expect(other.stderr()).toMatch(/^v1\.yaml: Not found \(404\): /);

      const reader = captureIo(
        { ...ci(), AKILI_TOKEN: backend.tokens.acmeReader },
        home,
      );
      expect(
        await runSubmit(file, { ...options, tenant: 'acme' }, reader),
      ).toBe(ExitCode.Auth);
      expect(reader.stderr()).toMatch(/^v1\.yaml: Not allowed \(403\): /);

      const invalid = captureIo(ci(), home);
      expect(
        await runSubmit(
          write('bad.yaml', orders('1.0.0').replace('production', 'forever')),
          { ...options, tenant: 'acme' },
          invalid,
        ),
      ).toBe(ExitCode.Refused);
      expect(invalid.stderr()).toMatch(
        /^bad\.yaml: Refused \(400\): The manifest is not valid: \$\.spec\.lifecycle \(line 8, column \d+\): /,
      );

      const odcs = captureIo(ci(), home);
      expect(
        await runSubmit(
          path.resolve(
            __dirname,
            '../../../../examples/data-products/initech/payments-ledger/ledger-entries.odcs.yaml',
          ),
          { ...options, tenant: 'acme', dryRun: true },
          odcs,
        ),
      ).toBe(ExitCode.Ok);
      // An ODCS contract is submitted as a product; its own tenant loses to the route's.
      expect(odcs.stdout()).toContain(
        "Warning: $.tenant (line 8, column 9): tenant 'initech' is not the tenant of the document's source: it belongs to tenant 'acme'",
      );
    });

    it('exits 2 for a file it cannot read and for a bad tenant name, before any call', async () => {
      const io = captureIo(ci(), home);
      const options = {
        tenant: 'acme',
        dryRun: false,
        acknowledgeBreaking: false,
        format: 'text' as const,
      };
      expect(await runSubmit('missing.yaml', options, io)).toBe(ExitCode.Usage);
      expect(io.stderr()).toMatch(/^missing\.yaml: cannot read: ENOENT/);
      await expect(
        runSubmit(
          write('v.yaml', orders('1.0.0')),
          { ...options, tenant: 'Acme!' },
          io,
        ),
      ).rejects.toThrow('"Acme!" is not a tenant name');
    });
  });

  describe('a portal that fails', () => {
    it('exits 5 on a 5xx and on a portal that does not answer in time', async () => {
      let answer: 'hang' | { status: number; body: unknown } = {
        status: 503,
        body: {
          error: {
            name: 'ServiceUnavailableError',
            message: 'Registry is down',
          },
        },
      };
      const portal = await startProductsServer(() => answer);
      try {
        const file = write('v1.yaml', orders('1.0.0'));
        const options = {
          tenant: 'acme',
          dryRun: false,
          acknowledgeBreaking: false,
          format: 'text' as const,
        };
        const env = {
          XDG_CONFIG_HOME: home,
          AKILI_URL: portal.url,
          AKILI_TOKEN: 'akili_token',
          AKILI_TIMEOUT: '0.5',
        };
        const failed = captureIo(env, home);
        expect(await runSubmit(file, options, failed)).toBe(
          ExitCode.Unavailable,
        );
        expect(failed.stderr()).toBe(
          `v1.yaml: The portal at ${portal.url} failed (503): Registry is down\n`,
        );
        expect(portal.requests[0]).toMatchObject({
          method: 'POST',
          path: '/api/akili/v1/tenants/acme/products',
          query: {},
          body: orders('1.0.0'),
        });
        expect(portal.requests[0].headers).toMatchObject({
          authorization: 'Bearer akili_token',
          'content-type': 'application/yaml',
        });

        answer = 'hang';
        const slow = captureIo(env, home);
        const started = Date.now();
        expect(
          await runSubmit(
            file,
            { ...options, dryRun: true, acknowledgeBreaking: true },
            slow,
          ),
        ).toBe(ExitCode.Unavailable);
        expect(Date.now() - started).toBeLessThan(3_000);
        expect(slow.stderr()).toContain(
          `The portal at ${portal.url} did not answer within 0.5 s`,
        );
        expect(portal.requests[1].query).toEqual({
          dryRun: 'true',
          acknowledgeBreaking: 'true',
        });
      } finally {
        await portal.stop();
      }
    });
  });
});
