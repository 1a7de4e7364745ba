import { KUBE_TYPES, KubernetesTestServer } from './KubernetesTestServer';
import { parseLabelSelector } from './labelSelector';

describe('parseLabelSelector', () => {
  const matches = (selector: string, labels: Record<string, string>) =>
    parseLabelSelector(selector).every(r => r(labels));

  it('reads equality and set-based requirements', () => {
    const labels = { app: 'orders', tier: 'web' };
    expect(matches('app=orders', labels)).toBe(true);
    expect(matches('app==orders,tier=web', labels)).toBe(true);
    expect(matches('app!=orders', labels)).toBe(false);
    expect(matches('tier in (web, api)', labels)).toBe(true);
    expect(matches('tier notin (web)', labels)).toBe(false);
    expect(matches('app', labels)).toBe(true);
    expect(matches('!app', labels)).toBe(false);
    expect(matches('', labels)).toBe(true);
    expect(() => parseLabelSelector('app in orders')).toThrow();
  });
});

describe('KubernetesTestServer', () => {
  const server = new KubernetesTestServer('token');
  beforeAll(async () => {
    await server.start();
    server.add(KUBE_TYPES.pods, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'a', namespace: 'ns1', labels: { app: 'a' } },
    });
    server.add(KUBE_TYPES.pods, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'b', namespace: 'ns2', labels: { app: 'b' } },
    });
  });
  afterAll(() => server.stop());

  const get = (path: string, token = 'token') =>
    fetch(`${server.url}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });

  it('lists by namespace and selector, as Kubernetes does, and records the request', async () => {
    const res = await get('/api/v1/namespaces/ns1/pods?labelSelector=app%3Da');
    expect(await res.json()).toMatchObject({
      kind: 'PodList',
      apiVersion: 'v1',
      metadata: { resourceVersion: '1' },
      items: [{ metadata: { name: 'a' } }],
    });
    const all = await (await get('/api/v1/pods')).json();
    expect(all.items.map((p: any) => p.metadata.name)).toEqual(['a', 'b']);
    expect(
      (await (await get('/apis/apps/v1/namespaces/ns1/deployments')).json())
        .kind,
    ).toBe('DeploymentList');
    expect(server.requests.slice(-3).map(r => r.namespace)).toEqual([
      'ns1',
      undefined,
      'ns1',
    ]);
  });

  it('answers errors with a Status', async () => {
    expect((await get('/api/v1/pods', 'wrong')).status).toBe(401);
    const missing = await get('/api/v1/namespaces/ns1/pods/zzz');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ kind: 'Status', code: 404 });
    expect((await get('/api/v1/pods?labelSelector=a%20in%20b')).status).toBe(
      400,
    );
  });
});
