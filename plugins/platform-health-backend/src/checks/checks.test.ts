import { mockServices } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import { KafkaMock, startKafkaMock } from '@akili/plugin-akili-node/testUtils';
import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import { createDependencyChecks } from './checks';
import { runCheck } from './runCheck';

jest.setTimeout(60_000);

type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
) => void;

/** A real HTTP server on a free port. */
async function serve(
  handler: Handler,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', chunk => {
      body += chunk;
    });
    req.on('end', () => handler(req, res, body));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  }
});

async function started(handler: Handler) {
  const s = await serve(handler);
  servers.push(s.server);
  return s.url;
}

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<string> {
  const { url, server } = await serve(() => {});
  await new Promise(resolve => server.close(resolve));
  return url;
}

function checksOf(data: JsonObject, timeoutMs = 1000) {
  return createDependencyChecks({
    config: mockServices.rootConfig({ data }),
    database: async () => {
      throw new Error('no database in this test');
    },
    timeoutMs,
  });
}

const options = { timeoutMs: 1000, degradedLatencyMs: 500 };

describe('dependency checks over HTTP', () => {
  it('are not configured without their configuration', () => {
    const checks = checksOf({});
    expect(
      Object.entries(checks)
        .filter(([, check]) => check === undefined)
        .map(([id]) => id),
    ).toEqual([
      'redpanda',
      'dagster',
      'starrocks',
      'ceph-s3',
      'authentik',
      'gitlab',
      'argocd',
      'kubernetes',
    ]);
  });

  it('Dagster: up when POST /graphql answers { version }', async () => {
    const seen: string[] = [];
    const url = await started((req, res, body) => {
      seen.push(`${req.method} ${req.url} ${body}`);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: { version: '1.9.0' } }));
    });
    const result = await runCheck(
      checksOf({ dagster: { baseUrl: `${url}/` } }).dagster!,
      options,
    );
    expect(result).toMatchObject({ id: 'dagster', status: 'up' });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(seen).toEqual([
      `POST /graphql ${JSON.stringify({ query: '{ version }' })}`,
    ]);
  });

  it('down within the timeout when the server answers too slowly, also mid-body', async () => {
    const slow = await started((_req, res) => {
      setTimeout(() => res.end('{}'), 5000);
    });
    const stalling = await started((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":');
    });
    for (const url of [slow, stalling]) {
      const started_ = Date.now();
      const result = await runCheck(
        checksOf({ dagster: { baseUrl: url } }).dagster!,
        options,
      );
      expect(Date.now() - started_).toBeLessThan(2500);
      expect(result).toMatchObject({
        status: 'down',
        error: 'dagster did not answer within 1000 ms',
      });
    }
  });

  it('down within seconds when the port is closed, naming the reason', async () => {
    const url = await closedPort();
    const started_ = Date.now();
    const result = await runCheck(
      checksOf({ argocd: { baseUrl: url } }).argocd!,
      options,
    );
    expect(Date.now() - started_).toBeLessThan(2000);
    expect(result.status).toBe('down');
    expect(result.error).toMatch(/ECONNREFUSED/);
  });

  it('degraded when the answer is slower than degradedLatencyMs', async () => {
    const url = await started((_req, res) => {
      setTimeout(() => res.end(JSON.stringify({ Version: 'v2.13.0' })), 300);
    });
    const result = await runCheck(
      checksOf({ argocd: { baseUrl: url } }).argocd!,
      {
        timeoutMs: 2000,
        degradedLatencyMs: 100,
      },
    );
    expect(result.status).toBe('degraded');
    expect(result.error).toMatch(/slower than 100 ms/);
  });

  it('GitLab: sends the token, and a refusal is down without the token in the message', async () => {
    const token = 'glpat-SECRET-123456';
    const url = await started((req, res) => {
      if (
        req.url === '/api/v4/version' &&
        req.headers['private-token'] === token
      ) {
        res.end(JSON.stringify({ version: '17.5.0', revision: 'abc' }));
        return;
      }
      res.statusCode = 401;
      res.statusMessage = `Unauthorized token ${token}`;
      res.end('{"message":"401 Unauthorized"}');
    });
    const up = await runCheck(
      checksOf({
        integrations: {
          gitlab: [
            { host: 'gitlab.example', apiBaseUrl: `${url}/api/v4`, token },
          ],
        },
      }).gitlab!,
      options,
    );
    expect(up.status).toBe('up');
    const refused = await runCheck(
      checksOf({
        integrations: {
          gitlab: [
            { host: 'gitlab.example', apiBaseUrl: `${url}/api/v4/x`, token },
          ],
        },
      }).gitlab!,
      options,
    );
    expect(refused.status).toBe('down');
    expect(refused.error).toBe(
      'GitLab answered HTTP 401 Unauthorized token ***',
    );
  });

  it('Authentik: the discovery document of the environment’s OIDC provider', async () => {
    const url = await started((req, res) => {
      if (req.url === '/application/o/akili/.well-known/openid-configuration') {
        res.end(JSON.stringify({ issuer: 'http://x/application/o/akili/' }));
        return;
      }
      res.statusCode = 404;
      res.end();
    });
    const check = checksOf({
      auth: {
        environment: 'production',
        providers: {
          oidc: {
            development: { metadataUrl: `${url}/nope` },
            production: {
              metadataUrl: `${url}/application/o/akili/.well-known/openid-configuration`,
            },
          },
        },
      },
    }).authentik!;
    expect((await runCheck(check, options)).status).toBe('up');
  });

  it('Ceph S3: a live gateway answering 403 to an anonymous request is up; a 503 is down', async () => {
    const url = await started((req, res) => {
      res.statusCode = req.url === '/' ? 403 : 503;
      res.end('<Error><Code>AccessDenied</Code></Error>');
    });
    expect(
      (
        await runCheck(
          checksOf({ lake: { s3: { endpoint: url } } })['ceph-s3']!,
          options,
        )
      ).status,
    ).toBe('up');
    const down = await runCheck(
      checksOf({ lake: { s3: { endpoint: `${url}/x` } } })['ceph-s3']!,
      options,
    );
    expect(down).toMatchObject({
      status: 'down',
      error: 'Ceph S3 answered HTTP 503 Service Unavailable',
    });
  });

  it('Kubernetes: /readyz of each cluster with its token; one of two down is degraded', async () => {
    const token = 'sa-token-abcdef';
    const url = await started((req, res) => {
      res.statusCode =
        req.url === '/readyz' && req.headers.authorization === `Bearer ${token}`
          ? 200
          : 401;
      res.end('ok');
    });
    const closed = await closedPort();
    const cluster = (name: string, u: string) => ({
      name,
      url: u,
      authProvider: 'serviceAccount',
      serviceAccountToken: token,
    });
    const config = (clusters: JsonObject[]) => ({
      kubernetes: { clusterLocatorMethods: [{ type: 'config', clusters }] },
    });
    expect(
      (
        await runCheck(
          checksOf(config([cluster('a', url)])).kubernetes!,
          options,
        )
      ).status,
    ).toBe('up');
    const degraded = await runCheck(
      checksOf(config([cluster('a', url), cluster('b', closed)])).kubernetes!,
      options,
    );
    expect(degraded.status).toBe('degraded');
    expect(degraded.error).toMatch(/^b: fetch failed: .*ECONNREFUSED/);
    const down = await runCheck(
      checksOf(config([cluster('b', closed)])).kubernetes!,
      options,
    );
    expect(down.status).toBe('down');
  });
});

describe('StarRocks check on the MySQL protocol (MariaDB)', () => {
  const mysql = () => {
    const url = process.env.AKILI_TEST_MYSQL_URL;
    if (!url) {
      throw new Error(
        'AKILI_TEST_MYSQL_URL is not set: eval "$(scripts/test-services/up.sh)"',
      );
    }
    return new URL(url);
  };

  it('logs in with the first tenant’s read-only user and runs SELECT 1', async () => {
    const url = mysql();
    const check = checksOf({
      starrocks: {
        dialect: 'mariadb',
        tenants: {
          acme: {
            host: url.hostname,
            port: Number(url.port || 3306),
            user: decodeURIComponent(url.username),
            password: decodeURIComponent(url.password),
          },
        },
      },
    }).starrocks!;
    expect(await runCheck(check, options)).toMatchObject({ status: 'up' });
  });

  it('a refused login is down, and the password never appears in the message', async () => {
    const url = mysql();
    const password = 'wrong-Pa55word-xyz';
    const check = checksOf({
      platformHealth: {
        starrocks: {
          host: url.hostname,
          port: Number(url.port || 3306),
          user: decodeURIComponent(url.username),
          password,
        },
      },
    }).starrocks!;
    const result = await runCheck(check, options);
    expect(result.status).toBe('down');
    expect(result.error).toMatch(/Access denied/);
    expect(result.error).not.toContain(password);
  });
});

describe('Redpanda check on the Kafka protocol', () => {
  let kafka: KafkaMock;
  beforeAll(async () => {
    kafka = await startKafkaMock();
  });
  afterAll(async () => {
    await kafka?.stop();
  });

  it('is up while the brokers answer and down within the timeout while they do not', async () => {
    const check = checksOf(
      {
        akili: {
          events: { transport: 'kafka', kafka: { brokers: kafka.brokers } },
        },
      },
      2000,
    ).redpanda!;
    const opts = { timeoutMs: 2000, degradedLatencyMs: 2000 };
    expect(await runCheck(check, opts)).toMatchObject({ status: 'up' });
    await kafka.brokerDown('all');
    const started_ = Date.now();
    const down = await runCheck(check, opts);
    expect(down.status).toBe('down');
    expect(Date.now() - started_).toBeLessThan(4000);
    await kafka.brokerUp('all');
    expect(await runCheck(check, opts)).toMatchObject({ status: 'up' });
  });
});
