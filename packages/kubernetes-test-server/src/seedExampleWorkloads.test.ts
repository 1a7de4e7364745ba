import { KubernetesTestServer } from './KubernetesTestServer';
import { seedExampleWorkloads } from './seedExampleWorkloads';

describe('seedExampleWorkloads', () => {
  const server = new KubernetesTestServer('token');
  beforeAll(async () => {
    await server.start();
    seedExampleWorkloads(
      server,
      [
        { tenant: 'acme', name: 'orders' },
        { tenant: 'globex', name: 'shipments' },
      ],
      { failing: ['globex/shipments'], now: new Date('2026-12-01T12:00:00Z') },
    );
  });
  afterAll(() => server.stop());

  const get = async (path: string) => {
    const res = await fetch(`${server.url}${path}`, {
      headers: { authorization: 'Bearer token' },
    });
    return { status: res.status, text: await res.text() };
  };

  it("puts each product's workloads in its tenant's namespace, selected by the product label", async () => {
    const pods = JSON.parse(
      (
        await get(
          '/api/v1/namespaces/akili-acme/pods?labelSelector=akili.io%2Fproduct%3Dorders',
        )
      ).text,
    );
    expect(pods.kind).toBe('PodList');
    expect(pods.items).toHaveLength(2);
    expect(
      pods.items.every((p: any) => p.status.containerStatuses[0].ready),
    ).toBe(true);
    const other = JSON.parse(
      (
        await get(
          '/api/v1/namespaces/akili-acme/pods?labelSelector=akili.io%2Fproduct%3Dshipments',
        )
      ).text,
    );
    expect(other.items).toEqual([]);
    const deployments = JSON.parse(
      (await get('/apis/apps/v1/namespaces/akili-globex/deployments')).text,
    );
    expect(deployments.items.map((d: any) => d.metadata.name)).toEqual([
      'shipments',
    ]);
    expect(deployments.items[0].status.availableReplicas).toBe(0);
  });

  it('crash-loops the pods of a failing product and serves their logs', async () => {
    const pods = JSON.parse(
      (await get('/api/v1/namespaces/akili-globex/pods')).text,
    );
    const [pod] = pods.items;
    expect(pod.status.containerStatuses[0].state.waiting.reason).toBe(
      'CrashLoopBackOff',
    );
    const log = await get(
      `/api/v1/namespaces/akili-globex/pods/${pod.metadata.name}/log`,
    );
    expect(log.status).toBe(200);
    expect(log.text).toContain('ERROR');
    expect(
      (await get('/api/v1/namespaces/akili-acme/pods/nope/log')).status,
    ).toBe(404);
    // The same pod name in another namespace is not found.
    expect(
      (await get(`/api/v1/namespaces/akili-acme/pods/${pod.metadata.name}/log`))
        .status,
    ).toBe(404);
  });

  it('answers the API server health and version endpoints', async () => {
    expect((await get('/readyz')).text).toBe('ok');
    expect(JSON.parse((await get('/version')).text).major).toBe('1');
  });
});
