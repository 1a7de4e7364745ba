import WebSocket from 'ws';
import {
  invalidAuthorizations,
  markersFor,
  sweepIsolation,
  sweepUnauthenticated,
} from './__testUtils__/checks';
import { TENANT_A, TENANT_B } from './__testUtils__/fixtures';
import {
  Coverage,
  coverageMessage,
  dropStaleSweepDatabases,
  poll,
  retried,
  routeCoverage,
  send,
  sweepDatabases,
} from './__testUtils__/harness';
import {
  closedKinds,
  isKnownOpen,
  KNOWN_OPEN,
  Problem,
} from './__testUtils__/knownOpen';
import { findLeaks } from './__testUtils__/markers';
import {
  ACTION_CASES,
  json,
  PROXY_ENDPOINTS,
} from './__testUtils__/routeTable';
import { readConfigFile } from './__testUtils__/peers';
import { akiliApiSpecs } from './__testUtils__/openApiSpecs';
import { discoverRoutes, routeKey } from './__testUtils__/routeDiscovery';
import { specRoutes } from '@akili/plugin-akili-node/testUtils';
import { prepareSweep, SweepRun, VIEWERS } from './__testUtils__/setup';
import { startSweepBackend, SweepUser } from './__testUtils__/sweepBackend';
import { issueUserToken, readClaims } from './__testUtils__/tokens';

// The route walk sees through express-promise-router's handler wrappers (see the module).
jest.mock('express-promise-router', () =>
  jest
    .requireActual('./__testUtils__/seeThroughPromiseRouter')
    .seeThroughPromiseRouter(),
);

jest.setTimeout(180_000);

/** Problems matched by no KNOWN_OPEN entry. */
function unexpected(problems: Problem[]): Problem[] {
  return problems.filter(p => !KNOWN_OPEN.some(k => isKnownOpen(p, k)));
}

function report(problems: Problem[]): string {
  return problems
    .map(
      p =>
        `${p.route}${p.case ? ` [${p.case}]` : ''} (${p.kind}, as ${
          p.caller
        }):\n  ${p.detail}`,
    )
    .join('\n');
}

/**
 * The whole backend, as production starts it (features.ts), swept for tenant isolation: every
 * route and `use` handler of every plugin and module, called by a developer and operator and
 * by a consumer of each of two tenants, with their own resources, the other tenant's and
 * missing ones, and without valid credentials.
 */
describe.each(sweepDatabases())('security sweep on %s', (_id, database) => {
  let stop: () => Promise<void>;
  let run: SweepRun;
  let coverage: Coverage;
  const problems: Problem[] = [];
  /** How long the parts took, in seconds, for the summary. */
  const took: string[] = [];
  const timed = async <T>(what: string, work: () => Promise<T>) => {
    const started = Date.now();
    const result = await work();
    took.push(`${what} ${Math.round((Date.now() - started) / 100) / 10} s`);
    return result;
  };
  const as = (user: SweepUser) => `Bearer ${run.tokens[user]}`;
  const get = (user: SweepUser, url: string) =>
    send(run.server, { method: 'GET', url }, as(user));

  beforeAll(async () => {
    await dropStaleSweepDatabases(database);
    const started = await timed('start', () => startSweepBackend(database));
    stop = async () => {
      // The events service long-polls the events backend: cut its connection so the server
      // closes at once.
      const stopping = started.backend.stop();
      const cut = setInterval(() => started.server.closeAllConnections(), 100);
      try {
        await stopping;
      } finally {
        clearInterval(cut);
      }
    };
    coverage = routeCoverage(started.server);
    run = await timed('fixtures', () => prepareSweep(started));
  });

  afterAll(async () => {
    jest.useRealTimers();
    if (process.env.SWEEP_PROBLEMS) {
      // For working on the table: every problem found, as JSON.
      require('node:fs').writeFileSync(
        process.env.SWEEP_PROBLEMS,
        JSON.stringify(problems, null, 1),
      );
    }

    // Tasks the sweep started run to their end before the backend stops (a task that still
    // runs would publish its events into a stopped events service).
    if (run) {
      await poll('the scaffolder tasks the sweep started', async () => {
        const res = await get('root', '/api/scaffolder/v2/tasks?limit=1000');
        const tasks = JSON.parse(res.text).tasks as Array<{ status: string }>;
        return (
          tasks.every(t => !['open', 'processing'].includes(t.status)) ||
          undefined
        );
      }).catch(() => undefined);
    }
    await stop?.();
  });

  it('knows how to call every mounted route and handler', () => {
    expect(coverageMessage(coverage)).toBe('');
    // The walk found the plugins' routes at all (a broken walk would find few).
    expect(coverage.routes.length).toBeGreaterThanOrEqual(150);
  });

  it("mounts exactly the routes each Akili plugin's OpenAPI spec describes, and serves the spec", async () => {
    const mounted = discoverRoutes(run.server);
    const disagreements: string[] = [];
    for (const { pluginId, specFile } of akiliApiSpecs()) {
      const prefix = `/api/${pluginId}`;
      const res = await get('root', `${prefix}/openapi.json`);
      if (res.status !== 200) {
        disagreements.push(
          `GET ${prefix}/openapi.json answered ${res.status}: ${res.text.slice(
            0,
            200,
          )}`,
        );
        continue;
      }
      // The served spec's paths carry the plugin's mount path (`/api/<pluginId>/v1/...`).
      const described = specRoutes(JSON.parse(res.text));
      // Backstage's own routes in every plugin (auth JWKS, permission metadata, scheduler) are
      // the framework's, not the plugin's API.
      const answered = mounted
        .filter(r => r.path.startsWith(`${prefix}/`))
        .filter(
          r =>
            !/^\/\.(backstage|well-known)\//.test(r.path.slice(prefix.length)),
        )
        .map(routeKey)
        .filter(key => key !== `GET ${prefix}/openapi.json`);
      for (const key of answered.filter(k => !described.includes(k))) {
        disagreements.push(`${key} is mounted but not in ${specFile}`);
      }
      for (const key of described.filter(k => !answered.includes(k))) {
        disagreements.push(`${key} is in ${specFile} but mounted nowhere`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('has a case for every action of the actions registry', async () => {
    const registered: string[] = [];
    for (const pluginId of [
      'catalog',
      'scaffolder',
      'kubernetes',
      'search',
      'auth',
      'notifications',
      'mcp-actions',
      'starrocks',
    ]) {
      const res = await send(
        run.server,
        {
          method: 'GET',
          url: `/api/${pluginId}/.backstage/actions/v1/actions`,
        },
        `Bearer ${await run.probe.serviceToken(pluginId)}`,
      );
      expect({ pluginId, status: res.status }).toEqual({
        pluginId,
        status: 200,
      });
      registered.push(
        ...JSON.parse(res.text).actions.map((a: { id: string }) => a.id),
      );
    }
    const cased = ACTION_CASES.map(a => a.action);
    expect({
      withoutCase: registered.filter(id => !cased.includes(id)),
      stale: cased.filter(id => !registered.includes(id)),
    }).toEqual({ withoutCase: [], stale: [] });
  });

  it('has a case for every configured proxy endpoint', () => {
    // Endpoints in proxy.endpoints, or (deprecated) as keys of proxy starting with a slash.
    const configured = [
      'app-config.yaml',
      'app-config.production.yaml',
    ].flatMap(file => {
      const proxy = readConfigFile(file).proxy ?? {};
      return [
        ...Object.keys(proxy.endpoints ?? {}),
        ...Object.keys(proxy).filter(k => k.startsWith('/')),
      ];
    });
    expect(configured.sort()).toEqual([...PROXY_ENDPOINTS].sort());
  });

  it("has markers that recognise the other tenant's data", async () => {
    const markers = markersFor(run, TENANT_B.tenant, TENANT_A.tenant);
    expect(markers.strings).toEqual(
      expect.arrayContaining(['driver_card_id', 'Vehicle telemetry']),
    );
    // acme's own manifests name some globex products as inputs: those refs are acme's data.
    expect(markers.allowedRefs).not.toContain('globex/vehicle-telemetry');
    // The markers trip on globex's data as its own members get it.
    const export_ = await get(
      'bob',
      '/api/akili/v1/products/globex/vehicle-telemetry/export?format=odcs&port=positions',
    );
    expect(export_.status).toBe(200);
    expect(findLeaks(export_.text, markers)).toContain('driver_card_id');
    const entity = await get(
      'bob',
      '/api/catalog/entities/by-name/dataproduct/globex/shipments',
    );
    expect(findLeaks(entity.text, markers)).toContain('"namespace":"globex"');
    const tenant = await get('bob', '/api/akili/v1/tenants/globex');
    expect(findLeaks(tenant.text, markers)).toContain('akili-globex-developer');
    const task = await get(
      'bob',
      `/api/scaffolder/v2/tasks/${run.fixtures.globex.taskId}`,
    );
    expect(findLeaks(task.text, markers)).toContain(run.fixtures.globex.taskId);
    // A repeated request is not a leak.
    expect(
      findLeaks(
        'not found: dataproduct:globex/shipments',
        markers,
        'globex/shipments',
      ),
    ).toEqual([]);
  });

  it('answers 401 to every call without valid credentials', async () => {
    const found = await timed('401 sweep', async () =>
      sweepUnauthenticated(
        run,
        coverage.routes,
        await invalidAuthorizations(run),
      ),
    );
    problems.push(...found);
    expect(report(unexpected(found))).toBe('');
  });

  it("answers each tenant's users as the table says, and nothing of the other tenant", async () => {
    const {
      problems: found,
      calls,
      tenantScoped,
    } = await timed('isolation sweep', () =>
      sweepIsolation(run, coverage.routes),
    );
    took.push(
      `(${calls} calls, ${coverage.routes.length} routes and handlers)`,
    );
    problems.push(...found);
    expect(report(unexpected(found))).toBe('');
    // Not vacuous: many calls, many naming a tenant's resources.
    expect(calls).toBeGreaterThan(1000);
    expect(tenantScoped).toBeGreaterThan(40);
  });

  it("reads the catalog with the own tenant's entities and without the other's", async () => {
    for (const { user, own, other, role } of VIEWERS) {
      if (role !== 'member') continue;
      const products = await get(
        user,
        '/api/catalog/entities/by-query?filter=kind=dataproduct&limit=100',
      );
      const items = JSON.parse(products.text).items as Array<{
        metadata: { namespace: string };
      }>;
      expect(new Set(items.map(i => i.metadata.namespace))).toEqual(
        new Set([own]),
      );
      const facets = await get(
        user,
        '/api/catalog/entity-facets?facet=metadata.namespace',
      );
      const seen = JSON.parse(facets.text).facets['metadata.namespace'].map(
        (f: { value: string }) => f.value,
      );
      expect(seen).toContain(own);
      expect(seen).not.toContain(other);
    }
  });

  it("lets an API token read its own tenant's product and runs, nothing of the other's", async () => {
    const { server, apiTokenSecrets } = run;
    for (const [own, other] of [
      [TENANT_A, TENANT_B],
      [TENANT_B, TENANT_A],
    ]) {
      const authorization = `Bearer ${apiTokenSecrets[own.tenant]}`;
      const withToken = (url: string) =>
        send(server, { method: 'GET', url }, authorization);
      // The catalog refuses the token itself (its access is restricted to the Akili plugins):
      // the plugins read the token's own tenant's product with their own credentials.
      const exported = await withToken(
        `/api/akili/v1/products/${own.tenant}/${own.product}/export`,
      );
      expect({
        status: exported.status,
        text: exported.text.slice(0, 300),
      }).toEqual({ status: 200, text: expect.stringContaining(own.product) });
      const runs = await withToken(
        `/api/dagster/v1/products/${own.tenant}/${own.product}/runs`,
      );
      expect({ status: runs.status, text: runs.text.slice(0, 300) }).toEqual({
        status: 200,
        text: expect.stringContaining(own.product),
      });
      const catalog = await withToken(
        `/api/catalog/entities/by-name/dataproduct/${own.tenant}/${own.product}`,
      );
      expect(catalog.status).toBe(403);
      for (const url of [
        `/api/akili/v1/products/${other.tenant}/${other.product}/export`,
        `/api/dagster/v1/products/${other.tenant}/${other.product}/runs`,
      ]) {
        const foreign = await withToken(url);
        const missing = await withToken(
          url.replace(other.product, 'no-such-product'),
        );
        expect(foreign.status).toBe(404);
        expect(foreign.text.split(other.product).join('no-such-product')).toBe(
          missing.text,
        );
      }
    }
  });

  it('finds data products in search only for their own tenant', async () => {
    const term = 'driver_card_id';
    // The collator has indexed globex's products once bob finds the column's product.
    await poll('the search index', async () => {
      const res = await get('bob', `/api/search/query?term=${term}`);
      return (
        res.text.includes('/catalog/globex/dataproduct/vehicle-telemetry') ||
        undefined
      );
    });
    for (const { user, own, other } of VIEWERS) {
      const markers = markersFor(run, other, own);
      for (const query of [
        `term=${term}`,
        'term=globex',
        'term=acme',
        'term=shipments',
        'term=&types%5B0%5D=software-catalog&pageLimit=100',
      ]) {
        const res = await get(user, `/api/search/query?${query}`);
        expect({ user, query, status: res.status }).toEqual({
          user,
          query,
          status: 200,
        });
        expect({ user, query, leaks: findLeaks(res.text, markers) }).toEqual({
          user,
          query,
          leaks: [],
        });
      }
    }
  });

  it("delivers signals only to their recipients, never to the other tenant's users", async () => {
    const port = (run.server.address() as { port: number }).port;
    // The signals router installs its upgrade handler when the first upgrade request passes
    // through it as a plain request (the portal's frontend reconnects after that one).
    await send(
      run.server,
      {
        method: 'GET',
        url: '/api/signals',
        headers: { connection: 'Upgrade', upgrade: 'websocket' },
      },
      undefined,
      1000,
    );
    const connect = (user?: SweepUser) =>
      new Promise<{ socket: WebSocket; messages: string[] }>(
        (resolve, reject) => {
          const socket = new WebSocket(
            `ws://127.0.0.1:${port}/api/signals`,
            user ? run.tokens[user] : undefined,
          );
          const messages: string[] = [];
          socket.on('message', data => messages.push(String(data)));
          socket.on('open', () => {
            socket.send(
              JSON.stringify({ action: 'subscribe', channel: 'notifications' }),
            );
            resolve({ socket, messages });
          });
          socket.on('error', reject);
          socket.on('unexpected-response', (_req, res) =>
            reject(new Error(`websocket refused: ${res.statusCode}`)),
          );
        },
      );
    const alice = await connect('alice');
    const bob = await connect('bob');
    const dave = await connect('dave');
    const anonymous = await connect();
    try {
      await new Promise(resolve => setTimeout(resolve, 300));
      const sent = await send(
        run.server,
        {
          method: 'POST',
          url: '/api/notifications/notifications',
          body: json({
            recipients: { type: 'entity', entityRef: 'user:default/alice' },
            payload: { title: `Signal (${run.fixtures.acme.marker})` },
          }),
        },
        `Bearer ${await run.probe.serviceToken('notifications')}`,
      );
      expect(sent.status).toBe(200);
      await poll('the signal to alice', async () =>
        alice.messages.length ? true : undefined,
      );
      await new Promise(resolve => setTimeout(resolve, 300));
      expect({
        bob: bob.messages,
        dave: dave.messages,
        anonymous: anonymous.messages,
      }).toEqual({ bob: [], dave: [], anonymous: [] });
    } finally {
      for (const { socket } of [alice, bob, dave, anonymous]) socket.close();
    }
  });

  it('lists the known open holes, and none that is closed', () => {
    // eslint-disable-next-line no-console
    console.log(
      [
        `Took: ${took.join(', ')}`,
        `Calls made again after a transport failure inside the backend or a transient state: ${retried.length}`,
        ...retried.slice(0, 5).map(r => `- ${r}`),
        `KNOWN_OPEN: ${KNOWN_OPEN.length} hole(s) other workstreams of issue 10 are closing`,
        ...KNOWN_OPEN.map(k => {
          const seen = problems.filter(p => isKnownOpen(p, k));
          return `- ${k.route}${k.case ? ` [${k.case}]` : ''} (${k.kinds.join(
            ', ',
          )}): ${k.leaks}\n    closed by: ${k.closedBy}\n    seen ${
            seen.length
          }x, e.g. ${seen[0]?.detail.split('\n')[0] ?? '-'}`;
        }),
      ].join('\n'),
    );
    const closed = KNOWN_OPEN.map(k => ({ k, kinds: closedKinds(k, problems) }))
      .filter(({ kinds }) => kinds.length)
      .map(
        ({ k, kinds }) =>
          `${k.route}${k.case ? ` [${k.case}]` : ''}: no longer ${kinds.join(
            ', ',
          )}`,
      );
    // A closed hole: remove its entry (or the kinds no longer seen) from KNOWN_OPEN.
    expect(closed).toEqual([]);
  });

  // Last: it moves the clock.
  it('answers 401 to an expired user token', async () => {
    const token = run.tokens.alice;
    const { exp } = readClaims(token) as { exp: number };
    // Only Date is faked: timers, I/O and the server run for real.
    jest.useFakeTimers({
      advanceTimers: true,
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'requestAnimationFrame',
        'cancelAnimationFrame',
        'requestIdleCallback',
        'cancelIdleCallback',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    jest.setSystemTime(exp * 1000 + 60_000);
    try {
      // A token issued now is accepted now: the signing keys are still valid, so the old
      // token fails because it expired.
      const fresh = await issueUserToken(run.server, 'alice');
      const me = await send(
        run.server,
        { method: 'GET', url: '/api/akili/v1/me' },
        `Bearer ${fresh}`,
      );
      expect(me.status).toBe(200);
      const found = await sweepUnauthenticated(run, coverage.routes, [
        `Bearer ${token}`,
      ]);
      expect(report(unexpected(found))).toBe('');
    } finally {
      jest.useRealTimers();
    }
  });
});
