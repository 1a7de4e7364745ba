import request from 'supertest';
import http from 'node:http';
import net from 'node:net';
import {
  KUBE_TYPES,
  KubeObject,
  KubernetesTestServer,
  PRODUCT_LABEL,
  seedExampleWorkloads,
} from '@akili/kubernetes-test-server';
import {
  mockApiTokenHeader,
  mockApiTokenResolverFactory,
  mockTenantStatus,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import permissionModuleAkiliPolicy from '@akili/plugin-permission-backend-module-akili-policy';
import { actionsRegistryServiceFactory } from '@backstage/backend-defaults/alpha';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import kubernetesModuleAkili from '..';
import { LOG_LIMIT_BYTES } from './router';

jest.setTimeout(60_000);

const USERS: Record<string, string[]> = {
  'user:default/alice': ['user:default/alice', 'group:akili/acme.developer'],
  'user:default/carl': ['user:default/carl', 'group:akili/acme.consumer'],
  'user:default/olga': ['user:default/olga', 'group:akili/acme.operator'],
  'user:default/gina': ['user:default/gina', 'group:akili/globex.developer'],
  'user:default/root': ['user:default/root', 'group:akili/platform-admin'],
};

const product = (
  namespace: string,
  name: string,
  annotations: Record<string, string>,
): Entity => ({
  apiVersion: 'akili.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { namespace, name, annotations },
  spec: {},
});

const selectorOf = (name: string) => ({
  'backstage.io/kubernetes-label-selector': `${PRODUCT_LABEL}=${name}`,
});

// The catalog here answers every entity to everyone: the route must not rely on the catalog's
// filter to keep a tenant's pods to its members.
const ENTITIES = [
  product('acme', 'orders', selectorOf('orders')),
  product('acme', 'billing', selectorOf('billing')),
  product('acme', 'legacy', { 'backstage.io/kubernetes-id': 'legacy' }),
  product('acme', 'orders-in-globex', {
    ...selectorOf('fleet'),
    'backstage.io/kubernetes-namespace': 'akili-globex',
  }),
  product('globex', 'fleet', selectorOf('fleet')),
];

const pod = (
  namespace: string,
  name: string,
  labels: Record<string, string>,
  containers: string[],
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, uid: `${namespace}-${name}`, labels },
  spec: { containers: containers.map(c => ({ name: c, image: 'app:1' })) },
  status: { phase: 'Running' },
});

describe('pod logs route', () => {
  const k8s = new KubernetesTestServer();
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let downUrl: string;
  // Accepts connections and never answers: a cluster that hangs.
  const hung = http.createServer(() => {});

  const podsOf = (namespace: string, productName: string) =>
    k8s
      .objectsIn(namespace)
      .filter(
        o =>
          o.kind === 'Pod' &&
          o.metadata.labels?.[PRODUCT_LABEL] === productName,
      )
      .map(o => o.metadata.name);

  const logsPath = (
    entity: string,
    podNamespace: string,
    podName: string,
    query: Record<string, string> = { cluster: 'test-cluster' },
  ) =>
    `/api/kubernetes/akili/v1/entities/dataproduct/${entity}/pods/${podNamespace}/${podName}/logs?${new URLSearchParams(
      query,
    )}`;

  const as = (user: string, path: string) =>
    request(server)
      .get(path)
      .set('Authorization', mockCredentials.user.header(user));

  /** What the portal asked the cluster while `call` ran. */
  const clusterRequestsDuring = async (
    call: () => Promise<request.Response>,
  ) => {
    const before = k8s.requests.length;
    const res = await call();
    return { res, requests: k8s.requests.slice(before) };
  };

  beforeAll(async () => {
    await k8s.start();
    seedExampleWorkloads(k8s, [
      { tenant: 'acme', name: 'orders' },
      { tenant: 'acme', name: 'billing' },
      { tenant: 'globex', name: 'fleet' },
    ]);
    k8s.add(
      KUBE_TYPES.pods,
      pod(
        'akili-acme',
        'legacy-1',
        { 'backstage.io/kubernetes-id': 'legacy' },
        ['app', 'sidecar'],
      ),
    );
    k8s.setLogs('akili-acme', 'legacy-1', 'legacy says hello');
    // A pod of acme's product in a namespace of another tenant.
    k8s.add(
      KUBE_TYPES.pods,
      pod('akili-acme-evil', 'orders-evil', { [PRODUCT_LABEL]: 'orders' }, [
        'serve',
      ]),
    );

    // A port nobody listens on: a cluster that is down.
    const closed = net.createServer();
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
    downUrl = `http://127.0.0.1:${(closed.address() as net.AddressInfo).port}`;
    await new Promise<void>(resolve => closed.close(() => resolve()));
    await new Promise<void>(resolve => hung.listen(0, '127.0.0.1', resolve));

    ({ server } = await startTestBackend({
      features: [
        kubernetesPlugin,
        kubernetesModuleAkili,
        permissionPlugin,
        permissionModuleAkiliPolicy,
        catalogServiceMock.factory({ entities: ENTITIES }),
        actionsRegistryServiceFactory,
        userInfoFromDirectory(USERS),
        mockTenantStatus({ acme: 'active', globex: 'active' }).factory,
        mockApiTokenResolverFactory([
          {
            tokenId: 'acme-k8s',
            tenant: 'acme',
            permissions: ['kubernetes.resources.read'],
          },
        ]),
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'test-cluster',
                      url: k8s.url,
                      authProvider: 'serviceAccount',
                      serviceAccountToken: k8s.token,
                    },
                    {
                      name: 'down-cluster',
                      url: downUrl,
                      authProvider: 'serviceAccount',
                      serviceAccountToken: 'unused',
                    },
                    {
                      name: 'hung-cluster',
                      url: `http://127.0.0.1:${
                        (hung.address() as net.AddressInfo).port
                      }`,
                      authProvider: 'serviceAccount',
                      serviceAccountToken: 'unused',
                    },
                  ],
                },
              ],
            },
          },
        }),
      ],
    }));
  });

  afterAll(async () => {
    await k8s.stop();
    hung.closeAllConnections();
    await new Promise<void>(resolve => hung.close(() => resolve()));
  });

  it('gives every acme role the last lines of an acme product’s pod, asking the cluster in acme’s namespace only', async () => {
    const [ordersPod] = podsOf('akili-acme', 'orders');
    for (const user of [
      'user:default/alice',
      'user:default/carl',
      'user:default/olga',
      'user:default/root',
    ]) {
      const { res, requests } = await clusterRequestsDuring(() =>
        as(user, logsPath('acme/orders', 'akili-acme', ordersPod)),
      );
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        cluster: 'test-cluster',
        namespace: 'akili-acme',
        pod: ordersPod,
        container: 'serve',
        tailLines: 500,
        text: expect.stringContaining('starting orders (tenant acme)'),
      });
      expect(requests).toHaveLength(2);
      // The product's own selector, evaluated by the cluster in acme's namespace.
      expect(requests[0].namespace).toBe('akili-acme');
      expect(requests[0].labelSelector).toBe(`${PRODUCT_LABEL}=orders`);
      const log = new URL(requests[1].url, 'http://x');
      expect(log.pathname).toBe(
        `/api/v1/namespaces/akili-acme/pods/${ordersPod}/log`,
      );
      expect(Object.fromEntries(log.searchParams)).toEqual({
        container: 'serve',
        tailLines: '500',
        limitBytes: String(LOG_LIMIT_BYTES),
      });
    }
  });

  it('selects by backstage.io/kubernetes-id and validates the container against the pod', async () => {
    const ok = await as(
      'user:default/alice',
      logsPath('acme/legacy', 'akili-acme', 'legacy-1', {
        cluster: 'test-cluster',
        container: 'sidecar',
      }),
    );
    expect(ok.status).toBe(200);
    expect(ok.body.text).toBe('legacy says hello');
    expect(ok.body.container).toBe('sidecar');

    const { res: bad, requests } = await clusterRequestsDuring(() =>
      as(
        'user:default/alice',
        logsPath('acme/legacy', 'akili-acme', 'legacy-1', {
          cluster: 'test-cluster',
          container: 'db',
        }),
      ),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(
      "Pod akili-acme/legacy-1 has no container 'db': its containers are app, sidecar",
    );
    expect(requests.some(r => r.url.includes('/log'))).toBe(false);

    // Two containers and none named: which one is the caller's to say.
    const none = await as(
      'user:default/alice',
      logsPath('acme/legacy', 'akili-acme', 'legacy-1'),
    );
    expect(none.status).toBe(400);
    expect(none.body.error.message).toMatch(/container is required/);
  });

  it('bounds tailLines', async () => {
    const [ordersPod] = podsOf('akili-acme', 'orders');
    const { res, requests } = await clusterRequestsDuring(() =>
      as(
        'user:default/carl',
        logsPath('acme/orders', 'akili-acme', ordersPod, {
          cluster: 'test-cluster',
          tailLines: '5000',
        }),
      ),
    );
    expect(res.status).toBe(200);
    expect(requests[1].url).toContain('tailLines=5000');

    for (const tailLines of ['0', '5001', '-1', '1.5', 'all']) {
      const { res: bad, requests: none } = await clusterRequestsDuring(() =>
        as(
          'user:default/carl',
          logsPath('acme/orders', 'akili-acme', ordersPod, {
            cluster: 'test-cluster',
            tailLines,
          }),
        ),
      );
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(
        /tailLines must be a whole number from 1 to 5000/,
      );
      expect(none).toEqual([]);
    }
  });

  it('answers 404 to a member of another tenant, as for a product that does not exist, without asking the cluster', async () => {
    const [ordersPod] = podsOf('akili-acme', 'orders');
    const { res: foreign, requests } = await clusterRequestsDuring(() =>
      as('user:default/gina', logsPath('acme/orders', 'akili-acme', ordersPod)),
    );
    const { res: missing } = await clusterRequestsDuring(() =>
      as('user:default/alice', logsPath('acme/nope', 'akili-acme', ordersPod)),
    );
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(foreign.body.error.message).toBe(
      'No entity dataproduct:acme/orders',
    );
    expect(missing.body.error.message).toBe('No entity dataproduct:acme/nope');
    expect(requests).toEqual([]);
  });

  it('answers 404 for a pod of another tenant’s namespace named in the URL, without asking the cluster', async () => {
    const [fleetPod] = podsOf('akili-globex', 'fleet');
    for (const [entity, namespace, name] of [
      ['acme/orders', 'akili-globex', fleetPod],
      ['acme/orders', 'akili-acme-evil', 'orders-evil'],
      // The product's namespace annotation names globex's namespace: still not acme's.
      ['acme/orders-in-globex', 'akili-globex', fleetPod],
      ['acme/orders', 'kube-system', 'coredns'],
    ]) {
      const { res, requests } = await clusterRequestsDuring(() =>
        as('user:default/alice', logsPath(entity, namespace, name)),
      );
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe(
        `No pod ${namespace}/${name} of dataproduct:${entity}`,
      );
      expect(requests).toEqual([]);
    }
  });

  it('answers 404 for a pod of the right namespace that is another product’s', async () => {
    const [billingPod] = podsOf('akili-acme', 'billing');
    const { res, requests } = await clusterRequestsDuring(() =>
      as(
        'user:default/alice',
        logsPath('acme/orders', 'akili-acme', billingPod),
      ),
    );
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(
      `No pod akili-acme/${billingPod} of dataproduct:acme/orders`,
    );
    // The pod was looked up with orders' selector, and its log never read.
    expect(requests.map(r => r.labelSelector)).toEqual([
      `${PRODUCT_LABEL}=orders`,
    ]);

    // Not even a platform admin reads another product's pod through this product.
    const admin = await as(
      'user:default/root',
      logsPath('acme/orders', 'akili-acme', billingPod),
    );
    expect(admin.status).toBe(404);
  });

  it('answers 503 naming Kubernetes within seconds when the cluster is down, 400 for an unknown cluster', async () => {
    const [ordersPod] = podsOf('akili-acme', 'orders');
    const started = Date.now();
    const down = await as(
      'user:default/alice',
      logsPath('acme/orders', 'akili-acme', ordersPod, {
        cluster: 'down-cluster',
      }),
    );
    expect(down.status).toBe(503);
    expect(down.body.error.message).toMatch(
      /^Kubernetes \(cluster 'down-cluster'\) did not answer; caused by Error: connect ECONNREFUSED/,
    );
    expect(Date.now() - started).toBeLessThan(6_000);

    // A cluster that takes the connection and never answers: 503 after the 5 s timeout.
    const hangStarted = Date.now();
    const hanging = await as(
      'user:default/alice',
      logsPath('acme/orders', 'akili-acme', ordersPod, {
        cluster: 'hung-cluster',
      }),
    );
    expect(hanging.status).toBe(503);
    expect(hanging.body.error.message).toBe(
      "Kubernetes (cluster 'hung-cluster') did not answer; caused by Error: no answer in 5000 ms",
    );
    expect(Date.now() - hangStarted).toBeLessThan(8_000);

    const unknown = await as(
      'user:default/alice',
      logsPath('acme/orders', 'akili-acme', ordersPod, { cluster: 'other' }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe("No cluster 'other' is configured");

    // Two clusters configured: the caller names one.
    const unnamed = await as(
      'user:default/alice',
      logsPath('acme/orders', 'akili-acme', ordersPod, {}),
    );
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.error.message).toMatch(
      /cluster is required: one of test-cluster, down-cluster, hung-cluster/,
    );
  });

  it('refuses requests without credentials, service principals and API tokens', async () => {
    const [ordersPod] = podsOf('akili-acme', 'orders');
    const path = logsPath('acme/orders', 'akili-acme', ordersPod);
    const { res: anonymous, requests } = await clusterRequestsDuring(() =>
      request(server)
        .get(path)
        .set('Authorization', mockCredentials.none.header()),
    );
    expect(anonymous.status).toBe(401);

    const service = await request(server)
      .get(path)
      .set('Authorization', mockCredentials.service.header());
    expect(service.status).toBe(403);

    const token = await request(server)
      .get(path)
      .set('Authorization', mockApiTokenHeader('acme-k8s'));
    expect(token.status).toBe(403);
    expect(token.body.error.message).toMatch(/only on behalf of a user/);
    expect(requests).toEqual([]);
  });
});
