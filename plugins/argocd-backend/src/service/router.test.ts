import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  mockTenantStatus,
  requireTestDatabaseIds,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import {
  ArgoCdTestServer,
  ArgoTokenGrant,
  seedExampleApplications,
  startArgoCdTestServer,
} from '@akili/argocd-test-server';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { argocdPlugin } from '../plugin';

jest.setTimeout(60_000);

const directory: Record<string, string[]> = {
  'user:default/alice': ['user:default/alice', 'group:akili/acme.developer'],
  'user:default/olga': ['user:default/olga', 'group:akili/acme.operator'],
  'user:default/carl': ['user:default/carl', 'group:akili/acme.consumer'],
  'user:default/bob': ['user:default/bob', 'group:akili/globex.operator'],
  'user:default/root': ['user:default/root', 'group:akili/platform-admin'],
};

function product(namespace: string, name: string): Entity {
  return {
    apiVersion: 'akili.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { namespace, name, title: name },
    spec: {
      type: 'source-aligned',
      lifecycle: 'production',
      owner: `${namespace}-team`,
      domain: 'sales',
    },
  };
}

const entities = [
  product('acme', 'orders'),
  product('acme', 'customers'),
  product('acme', 'clickstream'),
  product('acme', 'ledger'),
  product('acme', 'undeployed'),
  product('globex', 'shipments'),
];

const PORTAL_TOKEN = 'portal-token';

describe.each(requireTestDatabaseIds())('deployment API on %s', databaseId => {
  const databases = TestDatabases.create({ ids: [databaseId] });
  let argocd: ArgoCdTestServer;

  async function startArgo(grant: Partial<ArgoTokenGrant> = {}) {
    argocd = await startArgoCdTestServer({
      syncDurationMs: 60_000,
      tokens: {
        [PORTAL_TOKEN]: { subject: 'akili-portal', projects: '*', ...grant },
      },
    });
    seedExampleApplications(argocd, {
      products: [
        { tenant: 'acme', name: 'orders' },
        { tenant: 'acme', name: 'customers' },
        { tenant: 'acme', name: 'clickstream' },
        { tenant: 'globex', name: 'shipments' },
      ],
    });
  }

  afterEach(async () => {
    await argocd?.stop();
  });

  async function start(
    argocdConfig?: JsonObject | null,
    extraFeatures: Parameters<typeof startTestBackend>[0]['features'] = [],
  ) {
    const knex = await databases.init(databaseId);
    const { server } = await startTestBackend({
      features: [
        ...(extraFeatures ?? []),
        argocdPlugin,
        userInfoFromDirectory(directory),
        mockTenantStatus({ acme: 'active', globex: 'active' }).factory,
        catalogServiceMock.factory({ entities }),
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data:
            argocdConfig === null
              ? {}
              : {
                  argocd: argocdConfig ?? {
                    baseUrl: argocd.url,
                    token: PORTAL_TOKEN,
                  },
                },
        }),
      ],
    });
    const as = (user: string) =>
      mockCredentials.user.header(`user:default/${user}`);
    return {
      server,
      get: (path: string, user: string) =>
        request(server)
          .get(`/api/argocd${path}`)
          .set('Authorization', as(user)),
      post: (path: string, user: string, body: object = {}) =>
        request(server)
          .post(`/api/argocd${path}`)
          .set('Authorization', as(user))
          .send(body),
    };
  }

  const ORDERS = '/v1/products/acme/orders/deployment';

  it('shows a product’s Application to every role of its tenant and to platform admins', async () => {
    await startArgo();
    const api = await start();
    for (const user of ['carl', 'alice', 'olga', 'root']) {
      const res = await api.get(ORDERS, user);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('deployed');
      expect(res.body.canSync).toBe(user === 'olga' || user === 'root');
    }
    const { application } = (await api.get(ORDERS, 'carl')).body;
    expect(application).toMatchObject({
      name: 'acme-orders',
      project: 'akili-acme',
      namespace: 'akili-acme',
      repoURL: 'https://gitlab.example.com/akili/acme/orders.git',
      path: 'deploy/overlays/production',
      targetRevision: 'main',
      syncStatus: 'OutOfSync',
      health: { status: 'Healthy' },
      lastSync: {
        phase: 'Succeeded',
        initiatedBy: { username: 'akili-portal', automated: false },
      },
      url: `${argocd.url}/applications/argocd/acme-orders`,
    });
    expect(application.operation).toBeUndefined();
    expect(application.history).toHaveLength(3);
    expect(application.history[1].initiatedBy).toEqual({ automated: true });
    expect(application.resources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          group: 'apps',
          kind: 'Deployment',
          name: 'orders',
          namespace: 'akili-acme',
          syncStatus: 'OutOfSync',
          health: { status: 'Healthy' },
        }),
      ]),
    );
    // The portal asked in the tenant's project, for the product's label.
    const lists = argocd.requests.filter(
      r => r.path === '/api/v1/applications',
    );
    expect(lists[0].query).toEqual({
      projects: ['akili-acme'],
      selector: ['akili.io/product=orders'],
    });
    expect(lists.every(r => r.token === PORTAL_TOKEN)).toBe(true);

    const degraded = await api.get(
      '/v1/products/acme/clickstream/deployment',
      'carl',
    );
    expect(degraded.body.application.health).toEqual({
      status: 'Degraded',
      message: 'Deployment "clickstream" exceeded its progress deadline',
    });
  });

  it('answers a product of another tenant exactly as a missing one, without asking ArgoCD', async () => {
    await startArgo();
    const api = await start();
    const foreign = await api.get(ORDERS, 'bob');
    const missing = await api.get('/v1/products/globex/nope/deployment', 'bob');
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(foreign.body.error.message).toBe(
      'No data product dataproduct:acme/orders',
    );
    expect(missing.body.error.message).toBe(
      'No data product dataproduct:globex/nope',
    );
    expect(foreign.body.error.name).toBe(missing.body.error.name);
    for (const path of [`${ORDERS}/drift`]) {
      expect((await api.get(path, 'bob')).status).toBe(404);
    }
    expect((await api.post(`${ORDERS}/sync`, 'bob')).status).toBe(404);
    expect(argocd.requests).toEqual([]);
  });

  it('says not-deployed with the expected project, namespace and labels', async () => {
    await startArgo();
    const api = await start();
    const res = await api.get(
      '/v1/products/acme/undeployed/deployment',
      'carl',
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'not-deployed',
      expectedApplication: {
        project: 'akili-acme',
        namespace: 'akili-acme',
        labels: { 'akili.io/tenant': 'acme', 'akili.io/product': 'undeployed' },
      },
    });
  });

  it('never shows nor syncs an Application that claims the product from another project or namespace', async () => {
    await startArgo();
    const spoof = (name: string, project: string, namespace: string) =>
      argocd.addApplication({
        metadata: {
          name,
          labels: { 'akili.io/tenant': 'acme', 'akili.io/product': 'ledger' },
        },
        spec: {
          project,
          destination: {
            server: 'https://kubernetes.default.svc',
            namespace,
          },
          source: { repoURL: 'https://evil.example.com/x.git', path: '.' },
        },
        status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } },
      });
    // Labels of acme's product, in globex's project (deploying into acme's namespace).
    spoof('acme-ledger', 'akili-globex', 'akili-acme');
    // In acme's project, but deploying into globex's namespace.
    spoof('ledger-elsewhere', 'akili-acme', 'akili-globex');
    const api = await start();
    const res = await api.get('/v1/products/acme/ledger/deployment', 'olga');
    expect(res.body.status).toBe('not-deployed');
    const drift = await api.get(
      '/v1/products/acme/ledger/deployment/drift',
      'olga',
    );
    expect(drift.body).toEqual({ status: 'not-deployed', resources: [] });
    const sync = await api.post(
      '/v1/products/acme/ledger/deployment/sync',
      'olga',
    );
    expect(sync.status).toBe(404);
    expect(argocd.requests.filter(r => r.method === 'POST')).toEqual([]);
    expect(argocd.requests.some(r => r.path.includes('ledger-elsewhere'))).toBe(
      false,
    );
  });

  it('computes drift resource by resource from the managed resources', async () => {
    await startArgo();
    const api = await start();
    const res = await api.get(`${ORDERS}/drift`, 'carl');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('deployed');
    expect(res.body.application).toBe('acme-orders');
    const deployment = res.body.resources.find(
      (r: any) => r.kind === 'Deployment',
    );
    expect(deployment).toMatchObject({
      group: 'apps',
      namespace: 'akili-acme',
      name: 'orders',
    });
    expect(deployment.changes).toEqual([
      { path: 'spec.replicas', live: 1, desired: 2 },
      {
        path: 'spec.template.spec.containers[0].image',
        live: 'registry.gitlab.example.com/akili/acme/orders:v2',
        desired: 'registry.gitlab.example.com/akili/acme/orders:v3',
      },
    ]);
    const config = res.body.resources.find((r: any) => r.kind === 'ConfigMap');
    expect(config.changes).toEqual([
      { path: 'data.LOG_LEVEL', live: 'debug', desired: 'info' },
    ]);
    const managed = argocd.requests.find(r =>
      r.path.endsWith('/managed-resources'),
    )!;
    expect(managed.path).toBe(
      '/api/v1/applications/acme-orders/managed-resources',
    );
    expect(managed.query.project).toEqual(['akili-acme']);

    const synced = await api.get(
      '/v1/products/acme/customers/deployment/drift',
      'carl',
    );
    expect(synced.body.resources).toEqual([]);

    const prune = await api.get(
      '/v1/products/globex/shipments/deployment/drift',
      'bob',
    );
    expect(
      prune.body.resources.find((r: any) => r.kind === 'CronJob').changes,
    ).toEqual([{ path: '$', live: 'present', desired: null }]);
  });

  it('lets operators of the tenant start a sync, audited, and shows it running then done', async () => {
    await startArgo();
    const api = await start();
    for (const user of ['carl', 'alice']) {
      const denied = await api.post(`${ORDERS}/sync`, user);
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toContain('akili.deployment.sync');
    }
    expect(argocd.requests.filter(r => r.method === 'POST')).toEqual([]);

    const res = await api.post(`${ORDERS}/sync`, 'olga', { prune: true });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      application: 'acme-orders',
      revision: 'main',
      operation: {
        phase: 'Running',
        revision: 'main',
        initiatedBy: { username: 'akili-portal', automated: false },
      },
    });
    const post = argocd.requests.find(r => r.method === 'POST')!;
    expect(post.path).toBe('/api/v1/applications/acme-orders/sync');
    expect(post.body).toEqual({
      name: 'acme-orders',
      appNamespace: 'argocd',
      project: 'akili-acme',
      revision: 'main',
      prune: true,
    });

    const running = await api.get(ORDERS, 'carl');
    expect(running.body.application.operation.phase).toBe('Running');
    // ArgoCD refuses a second operation meanwhile: a 409 naming it, audited as failed.
    const again = await api.post(`${ORDERS}/sync`, 'olga');
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already running an operation/);

    argocd.completeSync('acme-orders');
    const done = (await api.get(ORDERS, 'carl')).body.application;
    expect(done.operation).toBeUndefined();
    expect(done.lastSync).toMatchObject({
      phase: 'Succeeded',
      initiatedBy: { username: 'akili-portal' },
    });
    expect(done.syncStatus).toBe('Synced');
    expect(done.history).toHaveLength(4);
    expect(done.history[3]).toMatchObject({ id: 3, revision: 'main' });

    const audit = await api.get('/v1/tenants/acme/deployment-audit', 'olga');
    expect(audit.status).toBe(200);
    expect(
      audit.body.items.map((e: any) => [
        e.actor,
        e.product,
        e.application,
        e.revision,
        e.outcome,
      ]),
    ).toEqual([
      [
        'user:default/olga',
        'dataproduct:acme/orders',
        'acme-orders',
        'main',
        'failed',
      ],
      [
        'user:default/olga',
        'dataproduct:acme/orders',
        'acme-orders',
        'main',
        'succeeded',
      ],
    ]);
    expect(audit.body.items[0].error).toMatch(/already running/);
    expect(audit.body.items[1].id).toBe(res.body.auditId);
    // The audit is the tenant's operators', and nobody else's.
    expect(
      (await api.get('/v1/tenants/acme/deployment-audit', 'alice')).status,
    ).toBe(403);
    expect(
      (await api.get('/v1/tenants/acme/deployment-audit', 'bob')).status,
    ).toBe(404);
    const globexAudit = await api.get(
      '/v1/tenants/globex/deployment-audit',
      'bob',
    );
    expect(globexAudit.body.items).toEqual([]);
  });

  it('lets a platform admin sync a revision; the permission policy can still deny', async () => {
    await startArgo();
    const api = await start();
    const res = await api.post(`${ORDERS}/sync`, 'root', {
      revision: 'v1.2.3',
    });
    expect(res.status).toBe(202);
    expect(res.body.revision).toBe('v1.2.3');

    await argocd.stop();
    await startArgo();
    const denied = await start(undefined, [
      mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
    ]);
    expect((await denied.post(`${ORDERS}/sync`, 'olga')).status).toBe(403);
    expect((await denied.get(ORDERS, 'carl')).status).toBe(403);
    expect(argocd.requests).toEqual([]);
  });

  it('rejects bad parameters naming them (checked against the OpenAPI spec, names by the router)', async () => {
    await startArgo();
    const api = await start();
    const cases: Array<[Promise<request.Response>, RegExp]> = [
      [
        api.post(`${ORDERS}/sync`, 'olga', { revision: 'a b' }),
        /request\/body\/revision must match pattern/,
      ],
      [
        api.post(`${ORDERS}/sync`, 'olga', { prune: 'yes' }),
        /request\/body\/prune must be boolean/,
      ],
      [
        api.post(`${ORDERS}/sync`, 'olga', { force: true }),
        /Invalid body: unknown field force/,
      ],
      [
        api.get(`${ORDERS}?refresh=hard`, 'carl'),
        /Unknown query parameter 'refresh'/,
      ],
      [
        api.get('/v1/products/acme/Orders!/deployment', 'carl'),
        /Invalid path: name must be a data product name/,
      ],
      [
        api.get('/v1/products/ACME/orders/deployment', 'carl'),
        /Invalid path: namespace must be a tenant name/,
      ],
      [
        api.get('/v1/tenants/acme/deployment-audit?limit=0', 'olga'),
        /request\/query\/limit must be >= 1/,
      ],
      [
        api.get('/v1/tenants/acme/deployment-audit?cursor=abc', 'olga'),
        /request\/query\/cursor must match pattern/,
      ],
    ];
    for (const [pending, message] of cases) {
      const res = await pending;
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    expect(argocd.requests.filter(r => r.method === 'POST')).toEqual([]);
  });

  it('serves its OpenAPI spec; a sync needs no body at all (curl -X POST)', async () => {
    await startArgo();
    const api = await start();
    const spec = await api.get('/openapi.json', 'carl');
    expect(spec.status).toBe(200);
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/argocd/v1/products/{namespace}/{name}/deployment/sync',
      ]),
    );
    const res = await request(api.server)
      .post(`/api/argocd${ORDERS}/sync`)
      .set('Authorization', mockCredentials.user.header('user:default/olga'));
    expect(res.status).toBe(202);
    expect(res.body.revision).toBe('main');
  });

  it('answers not-configured without argocd config; a sync says what to configure', async () => {
    const api = await start(null);
    expect((await api.get(ORDERS, 'carl')).body).toEqual({
      status: 'not-configured',
    });
    expect((await api.get(`${ORDERS}/drift`, 'carl')).body).toEqual({
      status: 'not-configured',
      resources: [],
    });
    const sync = await api.post(`${ORDERS}/sync`, 'olga');
    expect(sync.status).toBe(503);
    expect(sync.body.error.message).toMatch(/ArgoCD is not configured/);
    // Still the tenant's: another tenant's product is missing, configured or not.
    expect((await api.get(ORDERS, 'bob')).status).toBe(404);
  });

  it('answers 503 within seconds, naming ArgoCD, when it is down or does not answer', async () => {
    // A port nothing listens on.
    const closed = http.createServer();
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>(resolve => closed.close(() => resolve()));
    const down = await start({
      baseUrl: `http://127.0.0.1:${port}`,
      token: PORTAL_TOKEN,
    });
    const res = await down.get(ORDERS, 'carl');
    expect(res.status).toBe(503);
    expect(res.body.error.message).toMatch(
      new RegExp(`ArgoCD at http://127.0.0.1:${port} could not be reached`),
    );
    expect(res.body.error.name).toBe('ArgoCdUnavailableError');
    const sync = await down.post(`${ORDERS}/sync`, 'olga');
    expect(sync.status).toBe(503);

    await startArgo();
    argocd.delayMs = 5000;
    const slow = await start({
      baseUrl: argocd.url,
      token: PORTAL_TOKEN,
      timeoutMs: 500,
    });
    const started = Date.now();
    const timedOut = await slow.get(`${ORDERS}/drift`, 'carl');
    expect(timedOut.status).toBe(503);
    expect(timedOut.body.error.message).toMatch(/did not answer within 0.5 s/);
    expect(Date.now() - started).toBeLessThan(3000);
    argocd.delayMs = 0;

    argocd.failWith = { status: 500, message: 'etcd is down' };
    const failing = await slow.get(ORDERS, 'carl');
    expect(failing.status).toBe(503);
    expect(failing.body.error.message).toMatch(/ArgoCD at .* failed/);
    expect(failing.body.error.message).not.toContain('etcd');
  });

  it('answers 502 naming the portal’s account when ArgoCD refuses it', async () => {
    await startArgo({ sync: false });
    const api = await start();
    const sync = await api.post(`${ORDERS}/sync`, 'olga');
    expect(sync.status).toBe(502);
    expect(sync.body.error.message).toMatch(
      /portal's ArgoCD account lacks the rights/,
    );
    expect(sync.body.error.name).toBe('ArgoCdFailedError');
    const audit = await api.get('/v1/tenants/acme/deployment-audit', 'olga');
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({
      outcome: 'failed',
      error: expect.stringMatching(/lacks the rights/),
    });

    const badToken = await start({ baseUrl: argocd.url, token: 'wrong' });
    const res = await badToken.get(ORDERS, 'carl');
    expect(res.status).toBe(502);
    expect(res.body.error.message).toMatch(/refused the portal's token/);
  });

  it('treats a project the portal’s account may not read as ArgoCD does: no Application', async () => {
    await startArgo({ projects: ['akili-globex'] });
    const api = await start();
    expect((await api.get(ORDERS, 'carl')).body.status).toBe('not-deployed');
    expect(
      (await api.get('/v1/products/globex/shipments/deployment', 'bob')).body
        .status,
    ).toBe('deployed');
  });
});
