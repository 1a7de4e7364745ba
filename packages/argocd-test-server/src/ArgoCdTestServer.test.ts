import { ArgoCdTestServer, startArgoCdTestServer } from './ArgoCdTestServer';
import { seedExampleApplications } from './seed';
import { expectSwaggerShape } from './__testUtils__/swaggerValidator';

const ADMIN = 'admin-token';
const ACME = 'acme-token';
const ACME_READONLY = 'acme-readonly';

describe('ArgoCdTestServer', () => {
  let server: ArgoCdTestServer;

  beforeEach(async () => {
    server = await startArgoCdTestServer({
      syncDurationMs: 60_000,
      tokens: {
        [ADMIN]: { subject: 'akili-portal', projects: '*' },
        [ACME]: { subject: 'acme-ci', projects: ['akili-acme'] },
        [ACME_READONLY]: {
          subject: 'acme-viewer',
          projects: ['akili-acme'],
          sync: false,
        },
      },
    });
    seedExampleApplications(server);
  });

  afterEach(() => server.stop());

  const call = async (
    path: string,
    token: string | null = ADMIN,
    init: RequestInit = {},
  ) => {
    const response = await fetch(`${server.url}${path}`, {
      ...init,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
    });
    return { status: response.status, body: await response.json() };
  };

  it('seeds an Application per example product, in the shape of v1alpha1ApplicationList', async () => {
    const { status, body } = await call('/api/v1/applications');
    expect(status).toBe(200);
    expectSwaggerShape('v1alpha1ApplicationList', body);
    const names = body.items.map((a: any) => a.metadata.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'acme-orders',
        'acme-clickstream',
        'globex-shipments',
        'initech-card-transactions',
      ]),
    );
    const orders = body.items.find(
      (a: any) => a.metadata.name === 'acme-orders',
    );
    expect(orders.spec.project).toBe('akili-acme');
    expect(orders.spec.destination.namespace).toBe('akili-acme');
    expect(orders.metadata.labels).toEqual({
      'akili.io/tenant': 'acme',
      'akili.io/product': 'orders',
    });
    const status_ = (name: string) =>
      body.items.find((a: any) => a.metadata.name === name).status;
    expect(status_('acme-orders').sync.status).toBe('OutOfSync');
    expect(status_('acme-customers').sync.status).toBe('Synced');
    expect(status_('acme-customers').health.status).toBe('Healthy');
    expect(status_('acme-clickstream').health.status).toBe('Degraded');
    expect(status_('acme-orders-daily').health.status).toBe('Progressing');
    expect(status_('acme-orders').history).toHaveLength(3);
  });

  it('answers every read path in the shapes of swagger.json', async () => {
    const version = await call('/api/version', null);
    expect(version.status).toBe(200);
    expectSwaggerShape('versionVersionMessage', version.body);

    for (const name of [
      'acme-orders',
      'globex-shipments',
      'acme-clickstream',
    ]) {
      const app = await call(`/api/v1/applications/${name}`);
      expect(app.status).toBe(200);
      expectSwaggerShape('v1alpha1Application', app.body);

      const tree = await call(`/api/v1/applications/${name}/resource-tree`);
      expect(tree.status).toBe(200);
      expectSwaggerShape('v1alpha1ApplicationTree', tree.body);
      expect(tree.body.nodes.map((n: any) => n.kind)).toEqual(
        expect.arrayContaining([
          'Deployment',
          'ReplicaSet',
          'Pod',
          'ConfigMap',
        ]),
      );

      const managed = await call(
        `/api/v1/applications/${name}/managed-resources`,
      );
      expect(managed.status).toBe(200);
      expectSwaggerShape('applicationManagedResourcesResponse', managed.body);

      const events = await call(`/api/v1/applications/${name}/events`);
      expect(events.status).toBe(200);
      expectSwaggerShape('eventsEventList', events.body);
    }
  });

  it('the validator itself rejects a misspelt or mistyped field', async () => {
    const app = (await call('/api/v1/applications/acme-orders')).body;
    expect(() =>
      expectSwaggerShape('v1alpha1Application', {
        ...app,
        status: { ...app.status, syncStatus: 'Synced' },
      }),
    ).toThrow(/additionalProperties|syncStatus/);
    expect(() =>
      expectSwaggerShape('v1alpha1Application', {
        ...app,
        status: { ...app.status, history: [{ id: 'one' }] },
      }),
    ).toThrow(/integer/);
  });

  it('sends managed resources with their states as JSON strings, drift where out of sync', async () => {
    const { body } = await call(
      '/api/v1/applications/acme-orders/managed-resources',
    );
    const deployment = body.items.find((r: any) => r.kind === 'Deployment');
    expect(typeof deployment.liveState).toBe('string');
    expect(typeof deployment.targetState).toBe('string');
    expect(typeof deployment.normalizedLiveState).toBe('string');
    expect(typeof deployment.predictedLiveState).toBe('string');
    expect(JSON.parse(deployment.liveState).spec.replicas).toBe(1);
    expect(JSON.parse(deployment.targetState).spec.replicas).toBe(2);
    expect(deployment.modified).toBe(true);

    const synced = await call(
      '/api/v1/applications/acme-customers/managed-resources',
    );
    expect(synced.body.items.every((r: any) => r.modified === false)).toBe(
      true,
    );

    const pruned = await call(
      '/api/v1/applications/globex-shipments/managed-resources',
    );
    const cron = pruned.body.items.find((r: any) => r.kind === 'CronJob');
    expect(cron.targetState).toBe('null');
    const app = await call('/api/v1/applications/globex-shipments');
    expect(
      app.body.status.resources.find((r: any) => r.kind === 'CronJob'),
    ).toMatchObject({ requiresPruning: true, status: 'OutOfSync' });
  });

  it('filters lists by projects, label selector and name', async () => {
    const byProject = await call('/api/v1/applications?projects=akili-globex');
    expect(
      byProject.body.items.every((a: any) => a.spec.project === 'akili-globex'),
    ).toBe(true);
    expect(byProject.body.items.length).toBeGreaterThan(1);

    const bySelector = await call(
      `/api/v1/applications?projects=akili-acme&selector=${encodeURIComponent(
        'akili.io/product=orders',
      )}`,
    );
    expect(bySelector.body.items.map((a: any) => a.metadata.name)).toEqual([
      'acme-orders',
    ]);

    const byName = await call('/api/v1/applications?name=globex-shipments');
    expect(byName.body.items).toHaveLength(1);

    const twoProjects = await call(
      '/api/v1/applications?projects=akili-acme&projects=akili-initech',
    );
    expect(
      new Set(twoProjects.body.items.map((a: any) => a.spec.project)),
    ).toEqual(new Set(['akili-acme', 'akili-initech']));

    const bad = await call('/api/v1/applications?selector=%3D%3Dx');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe(3);
  });

  it('answers 401 with ArgoCD error bodies without a valid token', async () => {
    const none = await call('/api/v1/applications', null);
    expect(none.status).toBe(401);
    expect(none.body).toEqual({
      error: 'no session information',
      code: 16,
      message: 'no session information',
    });
    const wrong = await call('/api/v1/applications/acme-orders', 'nope');
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toMatch(/^invalid session/);
    expectSwaggerShape('runtimeError', wrong.body);
  });

  it('applies RBAC per token: other projects are left out of lists and denied', async () => {
    const list = await call('/api/v1/applications', ACME);
    expect(list.body.items.length).toBeGreaterThan(0);
    expect(
      list.body.items.every((a: any) => a.spec.project === 'akili-acme'),
    ).toBe(true);
    const foreignList = await call(
      '/api/v1/applications?projects=akili-globex',
      ACME,
    );
    expect(foreignList.body.items).toEqual([]);

    const foreign = await call('/api/v1/applications/globex-shipments', ACME);
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe(7);
    expect(foreign.body.message).toMatch(/^permission denied/);
    // A missing application answers the same to a token that could not read it.
    const missing = await call(
      '/api/v1/applications/nope?project=akili-globex',
      ACME,
    );
    expect(missing.status).toBe(403);
    // In a project the token reads, a missing application is a 404.
    const missingOwn = await call(
      '/api/v1/applications/nope?project=akili-acme',
      ACME,
    );
    expect(missingOwn.status).toBe(404);
    expect(missingOwn.body).toMatchObject({
      code: 5,
      message: 'applications.argoproj.io "nope" not found',
    });
    // Asked in another project than its own, an application is denied.
    const wrongProject = await call(
      '/api/v1/applications/acme-orders?project=akili-globex',
      ADMIN,
    );
    expect(wrongProject.status).toBe(403);
    const tree = await call(
      '/api/v1/applications/globex-shipments/resource-tree',
      ACME,
    );
    expect(tree.status).toBe(403);
    const sync = await call(
      '/api/v1/applications/acme-orders/sync',
      ACME_READONLY,
      {
        method: 'POST',
        body: '{}',
      },
    );
    expect(sync.status).toBe(403);
    expect(sync.body.message).toMatch(
      /applications, sync, akili-acme\/acme-orders/,
    );
  });

  it('answers 404 for an unknown application to an admin token', async () => {
    const { status, body } = await call('/api/v1/applications/nope');
    expect(status).toBe(404);
    expect(body.error).toBe('applications.argoproj.io "nope" not found');
  });

  it('runs a sync: Running, then Succeeded with a history entry by the token account', async () => {
    const started = await call('/api/v1/applications/acme-orders/sync', ADMIN, {
      method: 'POST',
      body: JSON.stringify({
        name: 'acme-orders',
        revision: 'main',
        prune: false,
      }),
    });
    expect(started.status).toBe(200);
    expectSwaggerShape('v1alpha1Application', started.body);
    expect(started.body.status.operationState).toMatchObject({
      phase: 'Running',
      operation: {
        sync: { revision: 'main' },
        initiatedBy: { username: 'akili-portal' },
      },
    });
    const again = await call('/api/v1/applications/acme-orders/sync', ADMIN, {
      method: 'POST',
      body: '{}',
    });
    expect(again.status).toBe(400);
    expect(again.body.message).toBe('another operation is already in progress');

    server.completeSync('acme-orders');
    const after = await call('/api/v1/applications/acme-orders');
    expectSwaggerShape('v1alpha1Application', after.body);
    expect(after.body.status.operationState.phase).toBe('Succeeded');
    expect(after.body.status.operationState.finishedAt).toBeDefined();
    expect(after.body.status.sync.status).toBe('Synced');
    expect(after.body.status.history).toHaveLength(4);
    expect(after.body.status.history[3]).toMatchObject({
      id: 3,
      revision: 'main',
      initiatedBy: { username: 'akili-portal' },
    });
    const managed = await call(
      '/api/v1/applications/acme-orders/managed-resources',
    );
    expect(managed.body.items.every((r: any) => r.modified === false)).toBe(
      true,
    );
    expect(server.requests.filter(r => r.method === 'POST')[0]).toMatchObject({
      path: '/api/v1/applications/acme-orders/sync',
      token: ADMIN,
      body: { name: 'acme-orders', revision: 'main', prune: false },
    });
  });

  it('finishes a sync by itself after syncDurationMs', async () => {
    const quick = await startArgoCdTestServer({
      syncDurationMs: 50,
      tokens: { t: { subject: 'me', projects: '*' } },
    });
    try {
      seedExampleApplications(quick);
      const response = await fetch(
        `${quick.url}/api/v1/applications/globex-shipments/sync`,
        {
          method: 'POST',
          headers: { authorization: 'Bearer t' },
          body: JSON.stringify({ prune: true }),
        },
      );
      expect(response.status).toBe(200);
      await new Promise(resolve => setTimeout(resolve, 200));
      const app = quick.getApplication('globex-shipments')!;
      expect(app.status?.operationState?.phase).toBe('Succeeded');
      expect(app.status?.sync?.status).toBe('Synced');
      expect(
        quick.managedResources('globex-shipments').map(r => r.kind),
      ).not.toContain('CronJob');
    } finally {
      await quick.stop();
    }
  });

  it('seeds into the projects and namespaces it is given', async () => {
    const other = await startArgoCdTestServer();
    try {
      const seeded = seedExampleApplications(other, {
        products: [{ tenant: 'acme', name: 'orders' }],
        projectOf: tenant => `${tenant}-apps`,
        namespaceOf: tenant => `${tenant}-prod`,
      });
      expect(seeded).toEqual([
        {
          tenant: 'acme',
          name: 'orders',
          application: 'acme-orders',
          scenario: 'out-of-sync',
        },
      ]);
      const app = other.getApplication('acme-orders')!;
      expect(app.spec.project).toBe('acme-apps');
      expect(app.spec.destination.namespace).toBe('acme-prod');
      expect(
        other
          .managedResources('acme-orders')
          .every(r => r.namespace === 'acme-prod'),
      ).toBe(true);
    } finally {
      await other.stop();
    }
  });
});
