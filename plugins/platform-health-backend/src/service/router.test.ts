import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { SchedulerService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  mockTenantStatus,
  requireTestDatabaseIds,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import { PlatformDependenciesResponse } from '@akili/plugin-platform-health-common';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { platformHealthPlugin } from '../plugin';
import platformHealthRootHealth from '../rootHealth';

jest.setTimeout(90_000);

const directory: Record<string, string[]> = {
  'user:default/olga': ['user:default/olga', 'group:akili/acme.operator'],
  'user:default/alice': ['user:default/alice', 'group:akili/acme.developer'],
  'user:default/carl': ['user:default/carl', 'group:akili/acme.consumer'],
  'user:default/sam': ['user:default/sam', 'group:akili/globex.operator'],
  'user:default/root': ['user:default/root', 'group:akili/platform-admin'],
};

/** An ArgoCD stand-in that can be taken down (503 + closed connections) and brought back. */
async function startFlakyArgo() {
  let up = true;
  const server: Server = createServer((req, res) => {
    if (!up) {
      res.statusCode = 503;
      res.end('down for maintenance');
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(
      req.url === '/api/version'
        ? JSON.stringify({ Version: 'v2.13.1+abc' })
        : '{}',
    );
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setUp(value: boolean) {
      up = value;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
    },
  };
}

describe.each(requireTestDatabaseIds())(
  'platform health API on %s',
  databaseId => {
    const databases = TestDatabases.create({ ids: [databaseId] });
    let argo: Awaited<ReturnType<typeof startFlakyArgo>>;

    beforeEach(async () => {
      argo = await startFlakyArgo();
    });
    afterEach(async () => {
      await argo.stop();
    });

    async function start(
      options: {
        config?: JsonObject;
        extra?: Parameters<typeof startTestBackend>[0]['features'];
      } = {},
    ) {
      const knex = await databases.init(databaseId);
      const scheduler = mockServices.scheduler() as SchedulerService & {
        factory(o: { skipTaskRunOnStartup: boolean }): any;
        triggerTask(id: string): Promise<void>;
      };
      const { server } = await startTestBackend({
        features: [
          ...(options.extra ?? []),
          platformHealthPlugin,
          platformHealthRootHealth,
          userInfoFromDirectory(directory),
          mockTenantStatus({ acme: 'active', globex: 'suspended' }).factory,
          mockServices.database.factory({ knex }),
          scheduler.factory({ skipTaskRunOnStartup: true }),
          mockServices.rootConfig.factory({
            data: options.config ?? {
              argocd: { baseUrl: argo.url },
              platformHealth: { timeoutMs: 2000 },
            },
          }),
        ],
      });
      const get = (path: string, user: string) =>
        request(server)
          .get(`/api/platform-health${path}`)
          .set(
            'Authorization',
            mockCredentials.user.header(`user:default/${user}`),
          );
      const round = () => scheduler.triggerTask('platform-health-check');
      const prune = () => scheduler.triggerTask('platform-health-prune');
      return { server, knex, get, round, prune };
    }

    it('shows each dependency: checked ones with status and latency, the rest not configured', async () => {
      const { get, round } = await start();
      const before = await get('/v1/dependencies', 'olga');
      expect(before.status).toBe(200);
      const argocdBefore = before.body.dependencies.find(
        (d: { id: string }) => d.id === 'argocd',
      );
      expect(argocdBefore).toEqual({
        id: 'argocd',
        title: 'ArgoCD',
        status: 'unknown',
        critical: false,
      });

      await round();
      const res = await get('/v1/dependencies', 'olga');
      const body = res.body as PlatformDependenciesResponse;
      expect(body.frequencyMs).toBe(30_000);
      expect(body.dependencies.map(d => [d.id, d.status, d.critical])).toEqual([
        ['postgresql', 'up', true],
        ['redpanda', 'not-configured', false],
        ['dagster', 'not-configured', false],
        ['starrocks', 'not-configured', false],
        ['ceph-s3', 'not-configured', false],
        ['authentik', 'not-configured', false],
        ['gitlab', 'not-configured', false],
        ['argocd', 'up', false],
        ['kubernetes', 'not-configured', false],
      ]);
      const argocd = body.dependencies.find(d => d.id === 'argocd')!;
      expect(argocd.latencyMs).toEqual(expect.any(Number));
      expect(Date.parse(argocd.checkedAt!)).toBeGreaterThan(
        Date.now() - 60_000,
      );
      expect(argocd.lastError).toBeUndefined();
    });

    it('records a dependency going down and coming back, with the last error and the change', async () => {
      const { get, round } = await start();
      await round();
      argo.setUp(false);
      await round();
      const down = await get('/v1/dependencies', 'root');
      const argocdDown = down.body.dependencies.find(
        (d: { id: string }) => d.id === 'argocd',
      );
      expect(argocdDown.status).toBe('down');
      expect(argocdDown.lastError.message).toBe(
        'ArgoCD answered HTTP 503 Service Unavailable',
      );
      expect(argocdDown.lastChangeAt).toBe(argocdDown.checkedAt);

      argo.setUp(true);
      await round();
      const history = await get(
        '/v1/dependencies/argocd/history?hours=24',
        'olga',
      );
      expect(history.status).toBe(200);
      expect(history.body.id).toBe('argocd');
      expect(history.body.hours).toBe(24);
      expect(
        history.body.checks.map((c: { status: string }) => c.status),
      ).toEqual(['up', 'down', 'up']);
      expect(history.body.checks[1].error).toMatch(/503/);

      const back = await get('/v1/dependencies', 'olga');
      const argocdBack = back.body.dependencies.find(
        (d: { id: string }) => d.id === 'argocd',
      );
      expect(argocdBack.status).toBe('up');
      // The last error stays visible after recovery, with when it happened.
      expect(argocdBack.lastError.at).toBe(history.body.checks[1].checkedAt);
      expect(argocdBack.lastChangeAt).toBe(history.body.checks[2].checkedAt);
    });

    it('the prune task removes checks older than 24 h and keeps the rest', async () => {
      const { get, round, prune, knex } = await start();
      await knex('platform_health_checks').insert({
        dependency: 'argocd',
        status: 'down',
        latency_ms: 5000,
        checked_at: new Date(Date.now() - 25 * 3_600_000),
        error: 'a day ago',
      });
      await round();
      const history = async () =>
        (await get('/v1/dependencies/argocd/history?hours=24', 'olga')).body
          .checks;
      const before = await knex('platform_health_checks').where(
        'dependency',
        'argocd',
      );
      expect(before).toHaveLength(2);
      await prune();
      const after = await knex('platform_health_checks').where(
        'dependency',
        'argocd',
      );
      expect(after.map(r => r.status)).toEqual(['up']);
      expect(
        (await history()).map((c: { status: string }) => c.status),
      ).toEqual(['up']);
    });

    it('a closed port is down within seconds', async () => {
      const closed = createServer();
      await new Promise<void>(resolve =>
        closed.listen(0, '127.0.0.1', resolve),
      );
      const port = (closed.address() as AddressInfo).port;
      await new Promise(resolve => closed.close(resolve));
      const { get, round } = await start({
        config: {
          dagster: { baseUrl: `http://127.0.0.1:${port}` },
          platformHealth: { timeoutMs: 5000 },
        },
      });
      const started = Date.now();
      await round();
      expect(Date.now() - started).toBeLessThan(4000);
      const res = await get('/v1/dependencies', 'olga');
      const dagster = res.body.dependencies.find(
        (d: { id: string }) => d.id === 'dagster',
      );
      expect(dagster.status).toBe('down');
      expect(dagster.lastError.message).toMatch(/ECONNREFUSED/);
    });

    it('rejects bad history parameters with a 400 naming the parameter (checked against the OpenAPI spec), and unknown ids with 404', async () => {
      const { get } = await start();
      for (const [query, message] of [
        ['hours=0', 'request/query/hours must be >= 1'],
        ['hours=25', 'request/query/hours must be <= 24'],
        ['hours=abc', 'request/query/hours must be integer'],
        ['hours=1.5', 'request/query/hours must be integer'],
        ['since=1', "Unknown query parameter 'since'"],
      ]) {
        const res = await get(
          `/v1/dependencies/argocd/history?${query}`,
          'olga',
        );
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(message);
      }
      const unknown = await get('/v1/dependencies/oracle/history', 'olga');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toBe(
        "No platform dependency 'oracle'",
      );
    });

    it('allows operators and platform admins; denies consumers, developers, operators of a suspended tenant and unauthenticated callers', async () => {
      const { get, server } = await start();
      for (const user of ['olga', 'root']) {
        expect((await get('/v1/dependencies', user)).status).toBe(200);
        expect(
          (await get('/v1/dependencies/postgresql/history', user)).status,
        ).toBe(200);
      }
      for (const user of ['carl', 'alice', 'sam']) {
        const res = await get('/v1/dependencies', user);
        expect(res.status).toBe(403);
        expect(
          (await get('/v1/dependencies/postgresql/history', user)).status,
        ).toBe(403);
      }
      expect((await get('/v1/dependencies', 'carl')).body.error.message).toBe(
        'user:default/carl needs role operator in a tenant, or to be a platform admin, for akili.platform.health.read',
      );
      expect(
        (
          await request(server)
            .get('/api/platform-health/v1/dependencies')
            .set('Authorization', mockCredentials.none.header())
        ).status,
      ).toBe(401);
    });

    it('denies even operators when the permission policy denies', async () => {
      const { get } = await start({
        extra: [
          mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
        ],
      });
      const res = await get('/v1/dependencies', 'olga');
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        'The permission policy does not allow akili.platform.health.read',
      );
    });

    it('shows every tenant role the status of the configured dependencies and since when, without errors, latencies or addresses', async () => {
      const { get, round } = await start();
      const before = await get('/v1/status', 'carl');
      expect(before.status).toBe(200);
      expect(before.body).toEqual({
        dependencies: [
          { id: 'postgresql', title: 'PostgreSQL', status: 'unknown' },
          { id: 'argocd', title: 'ArgoCD', status: 'unknown' },
        ],
      });

      await round();
      const up = await get('/v1/status', 'carl');
      const postgresqlSince = up.body.dependencies[0].since;
      const firstCheck = up.body.dependencies[1].since;
      expect(Date.parse(firstCheck)).toBeGreaterThan(Date.now() - 60_000);
      expect(up.body.dependencies[1]).toEqual({
        id: 'argocd',
        title: 'ArgoCD',
        status: 'up',
        since: firstCheck,
      });

      argo.setUp(false);
      await round();
      await round();
      const full = await get('/v1/dependencies', 'olga');
      const argocdFull = full.body.dependencies.find(
        (d: { id: string }) => d.id === 'argocd',
      );
      expect(argocdFull.lastError.message).toMatch(/503/);

      for (const user of ['carl', 'alice', 'olga', 'root']) {
        const res = await get('/v1/status', user);
        expect(res.status).toBe(200);
        expect(res.body.dependencies).toEqual([
          {
            id: 'postgresql',
            title: 'PostgreSQL',
            status: 'up',
            since: postgresqlSince,
          },
          {
            id: 'argocd',
            title: 'ArgoCD',
            status: 'down',
            // The first failed check, not the latest one.
            since: argocdFull.lastChangeAt,
          },
        ]);
        expect(res.text).not.toMatch(/503|maintenance|127\.0\.0\.1|latency/i);
      }
    });

    it('refuses the status to members of a suspended tenant only, services and unauthenticated callers', async () => {
      const { get, server } = await start();
      const sam = await get('/v1/status', 'sam');
      expect(sam.status).toBe(403);
      expect(
        (
          await request(server)
            .get('/api/platform-health/v1/status')
            .set('Authorization', mockCredentials.none.header())
        ).status,
      ).toBe(401);
      const service = await request(server)
        .get('/api/platform-health/v1/status')
        .set('Authorization', mockCredentials.service.header());
      expect(service.status).toBe(403);
    });

    it('denies the status when the permission policy denies', async () => {
      const { get } = await start({
        extra: [
          mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
        ],
      });
      const res = await get('/v1/status', 'carl');
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        'The permission policy does not allow akili.platform.health.status.read',
      );
    });

    it('the portal is ready while PostgreSQL answers and not ready when it does not', async () => {
      const { server, knex } = await start();
      const ready = await request(server).get(
        '/.backstage/health/v1/readiness',
      );
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({
        status: 'ok',
        dependencies: { postgresql: 'up' },
      });
      // ArgoCD is one the portal degrades around: down, and the portal stays ready.
      argo.setUp(false);
      expect(
        (await request(server).get('/.backstage/health/v1/readiness')).status,
      ).toBe(200);

      await knex.destroy();
      const notReady = await request(server).get(
        '/.backstage/health/v1/readiness',
      );
      expect(notReady.status).toBe(503);
      expect(notReady.body).toEqual({
        status: 'error',
        message: 'Critical dependencies are down: postgresql',
        dependencies: { postgresql: 'down' },
      });
      expect(
        (await request(server).get('/.backstage/health/v1/liveness')).status,
      ).toBe(200);
    });
  },
);

describe('schedule', () => {
  it('checks every 30 s by default and prunes on its own schedule; frequency is configurable', async () => {
    for (const [config, frequency] of [
      [{}, { seconds: 30 }],
      [{ platformHealth: { frequency: { seconds: 10 } } }, { seconds: 10 }],
    ] as const) {
      const scheduler = mockServices.scheduler.mock();
      await startTestBackend({
        features: [
          platformHealthPlugin,
          scheduler.factory,
          mockServices.rootConfig.factory({ data: config as JsonObject }),
        ],
      });
      const tasks = scheduler.scheduleTask.mock.calls.map(([task]) => task);
      expect(tasks.map(t => [t.id, t.frequency])).toEqual([
        ['platform-health-check', frequency],
        ['platform-health-prune', { minutes: 10 }],
      ]);
    }
  });

  it('refuses a bad timeout at start-up, naming the key', async () => {
    await expect(
      startTestBackend({
        features: [
          platformHealthPlugin,
          mockServices.rootConfig.factory({
            data: { platformHealth: { timeoutMs: -5 } },
          }),
        ],
      }),
    ).rejects.toThrow(/platformHealth.timeoutMs must be a whole number/);
  });
});
