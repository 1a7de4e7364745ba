import request from 'supertest';
import {
  KUBE_TYPES,
  KubeObject,
  KubernetesTestServer,
} from '@akili/kubernetes-test-server';
import { userInfoFromDirectory } from '@akili/plugin-akili-node/testUtils';
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
import kubernetesModuleAkili from '.';

jest.setTimeout(60_000);

const USERS: Record<string, string[]> = {
  'user:default/alice': ['user:default/alice', 'group:akili/acme.developer'],
  'user:default/carl': ['user:default/carl', 'group:akili/acme.consumer'],
  'user:default/root': ['user:default/root', 'group:akili/platform-admin'],
};

const component = (
  namespace: string,
  name: string,
  annotations: Record<string, string> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { namespace, name, annotations },
  spec: { type: 'service', lifecycle: 'production', owner: 'group:team' },
});

// The catalog here answers every entity to everyone: the module must not rely on the catalog's
// filter to keep a tenant's workloads to its members.
const ENTITIES = [
  component('acme', 'orders', { 'backstage.io/kubernetes-id': 'orders' }),
  component('acme', 'orders-in-globex', {
    'backstage.io/kubernetes-id': 'orders',
    'backstage.io/kubernetes-namespace': 'akili-globex',
  }),
  // Tenant `acme-evil` is another tenant: its namespace is not acme's.
  component('acme', 'orders-in-acme-evil', {
    'backstage.io/kubernetes-id': 'orders',
    'backstage.io/kubernetes-namespace': 'akili-acme-evil',
  }),
  component('acme', 'orders-in-own', {
    'backstage.io/kubernetes-id': 'orders',
    'backstage.io/kubernetes-namespace': 'akili-acme',
  }),
  // Selects every object that has the label at all.
  component('acme', 'everything', {
    'backstage.io/kubernetes-label-selector': 'backstage.io/kubernetes-id',
  }),
  component('globex', 'fleet', { 'backstage.io/kubernetes-id': 'fleet' }),
  component('default', 'portal', {
    'backstage.io/kubernetes-id': 'portal',
    'backstage.io/kubernetes-namespace': 'kube-system',
  }),
  component('default', 'unbound', { 'backstage.io/kubernetes-id': 'orders' }),
];

const pod = (namespace: string, name: string, id: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace,
    uid: `${namespace}-${name}`,
    labels: { 'backstage.io/kubernetes-id': id },
  },
  spec: {
    containers: [
      {
        name: 'app',
        image: 'registry.example.com/app:1',
        resources: {
          requests: { cpu: '100m', memory: '64Mi' },
          limits: { cpu: '500m', memory: '128Mi' },
        },
      },
    ],
  },
  status: { phase: 'Running' },
});

const podMetrics = (namespace: string, name: string): KubeObject => ({
  apiVersion: 'metrics.k8s.io/v1beta1',
  kind: 'PodMetrics',
  metadata: {
    name,
    namespace,
    labels: { 'backstage.io/kubernetes-id': 'orders' },
  },
  timestamp: '2025-01-01T00:00:00Z',
  window: '30s',
  containers: [{ name: 'app', usage: { cpu: '50m', memory: '32Mi' } }],
});

describe('kubernetes-backend-module-akili', () => {
  const k8s = new KubernetesTestServer();
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

  const as = (user: string) => ({
    post: (url: string, body: object) =>
      request(server)
        .post(url)
        .set('Authorization', mockCredentials.user.header(user))
        .send(body),
    get: (url: string) =>
      request(server)
        .get(url)
        .set('Authorization', mockCredentials.user.header(user)),
  });

  /** What the portal asked the cluster while `call` ran. */
  const clusterRequestsDuring = async (call: () => Promise<unknown>) => {
    const before = k8s.requests.length;
    const result = await call();
    return { result, requests: k8s.requests.slice(before) };
  };

  const podNames = (body: any): string[] =>
    (body.items ?? [])
      .flatMap((cluster: any) => cluster.resources)
      .filter((r: any) => r.type === 'pods')
      .flatMap((r: any) => r.resources)
      .map((p: any) => `${p.metadata.namespace}/${p.metadata.name}`)
      .sort();

  beforeAll(async () => {
    await k8s.start();
    for (const namespace of ['akili-acme', 'akili-globex', 'akili-acme-evil']) {
      k8s.add(KUBE_TYPES.pods, pod(namespace, 'orders-1', 'orders'));
      k8s.add(KUBE_TYPES.podMetrics, podMetrics(namespace, 'orders-1'));
    }
    k8s.add(KUBE_TYPES.pods, pod('akili-globex', 'fleet-1', 'fleet'));
    k8s.add(KUBE_TYPES.pods, pod('kube-system', 'portal-1', 'portal'));

    ({ server } = await startTestBackend({
      features: [
        kubernetesPlugin,
        kubernetesModuleAkili,
        permissionPlugin,
        permissionModuleAkiliPolicy,
        catalogServiceMock.factory({ entities: ENTITIES }),
        // The real actions registry: the plugin's get-kubernetes-resources-for-entity action.
        actionsRegistryServiceFactory,
        userInfoFromDirectory(USERS),
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
  });

  const workloads = (user: string, entityRef: string) =>
    as(user).post('/api/kubernetes/resources/workloads/query', {
      entityRef,
      auth: {},
    });

  it('lists an acme product’s workloads from acme’s namespace only, also without a namespace annotation', async () => {
    for (const user of ['user:default/alice', 'user:default/carl']) {
      const { result, requests } = await clusterRequestsDuring(() =>
        workloads(user, 'component:acme/orders'),
      );
      const res = result as request.Response;
      expect(res.status).toBe(200);
      expect(podNames(res.body)).toEqual(['akili-acme/orders-1']);
      // The stock backend would list pods, deployments, ... across the whole cluster here.
      expect(requests.length).toBeGreaterThan(0);
      expect(requests.filter(r => r.namespace !== 'akili-acme')).toEqual([]);
      // Pod metrics were read too, from the same namespace.
      expect(
        requests.some(r => r.type?.group === 'metrics.k8s.io'),
      ).toBeTruthy();
    }
  });

  it('refuses a namespace annotation naming another tenant’s namespace, without asking the cluster', async () => {
    for (const ref of [
      'component:acme/orders-in-globex',
      'component:acme/orders-in-acme-evil',
    ]) {
      const { result, requests } = await clusterRequestsDuring(() =>
        workloads('user:default/alice', ref),
      );
      const res = result as request.Response;
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(
        /is not a namespace of tenant 'acme'/,
      );
      expect(requests).toEqual([]);
    }
  });

  it('keeps a label selector within the tenant’s namespace', async () => {
    const { result, requests } = await clusterRequestsDuring(() =>
      workloads('user:default/alice', 'component:acme/everything'),
    );
    const res = result as request.Response;
    expect(res.status).toBe(200);
    expect(podNames(res.body)).toEqual(['akili-acme/orders-1']);
    expect(requests.filter(r => r.namespace !== 'akili-acme')).toEqual([]);

    const own = await workloads(
      'user:default/alice',
      'component:acme/orders-in-own',
    );
    expect(podNames(own.body)).toEqual(['akili-acme/orders-1']);
  });

  it('shows another tenant’s or a shared entity’s workloads to no member', async () => {
    for (const ref of [
      'component:globex/fleet',
      'component:default/portal',
      'component:default/unbound',
    ]) {
      const { result, requests } = await clusterRequestsDuring(() =>
        workloads('user:default/alice', ref),
      );
      expect((result as request.Response).status).toBe(403);
      expect(requests).toEqual([]);
    }
  });

  it('applies the same rules to /services/:id and custom resources', async () => {
    const services = await clusterRequestsDuring(() =>
      as('user:default/alice').post('/api/kubernetes/services/orders', {
        entity: ENTITIES[1],
      }),
    );
    expect((services.result as request.Response).status).toBe(403);
    expect(services.requests).toEqual([]);

    const own = await clusterRequestsDuring(() =>
      as('user:default/alice').post('/api/kubernetes/services/orders', {
        entity: ENTITIES[0],
      }),
    );
    expect((own.result as request.Response).status).toBe(200);
    expect(own.requests.filter(r => r.namespace !== 'akili-acme')).toEqual([]);

    // A custom resource nobody configured: not even in the tenant's namespace.
    const custom = await clusterRequestsDuring(() =>
      as('user:default/alice').post('/api/kubernetes/resources/custom/query', {
        entityRef: 'component:acme/orders',
        customResources: [{ group: '', apiVersion: 'v1', plural: 'secrets' }],
      }),
    );
    expect((custom.result as request.Response).status).toBe(403);
    expect(custom.requests).toEqual([]);
  });

  it('applies the same rules to the plugin’s action', async () => {
    const invoke = (user: string, namespace: string, name: string) =>
      as(user).post(
        '/api/kubernetes/.backstage/actions/v1/actions/kubernetes:get-kubernetes-resources-for-entity/invoke',
        { kind: 'Component', namespace, name },
      );
    const own = await clusterRequestsDuring(() =>
      invoke('user:default/alice', 'acme', 'orders'),
    );
    const ownRes = own.result as request.Response;
    expect(ownRes.status).toBe(200);
    expect(podNames(ownRes.body.output)).toEqual(['akili-acme/orders-1']);
    expect(own.requests.filter(r => r.namespace !== 'akili-acme')).toEqual([]);

    for (const [namespace, name] of [
      ['globex', 'fleet'],
      ['acme', 'orders-in-globex'],
    ]) {
      const denied = await clusterRequestsDuring(() =>
        invoke('user:default/alice', namespace, name),
      );
      expect((denied.result as request.Response).status).toBe(403);
      expect(denied.requests).toEqual([]);
    }
  });

  it('keeps the proxy to platform admins', async () => {
    const path = '/api/kubernetes/proxy/api/v1/namespaces/akili-globex/pods';
    const denied = await clusterRequestsDuring(() =>
      request(server)
        .get(path)
        .set('Authorization', mockCredentials.user.header('user:default/alice'))
        .set('Backstage-Kubernetes-Cluster', 'test-cluster'),
    );
    expect((denied.result as request.Response).status).toBe(403);
    expect(denied.requests).toEqual([]);

    const admin = await clusterRequestsDuring(() =>
      request(server)
        .get(path)
        .set('Authorization', mockCredentials.user.header('user:default/root'))
        .set('Backstage-Kubernetes-Cluster', 'test-cluster'),
    );
    expect((admin.result as request.Response).status).toBe(200);
    expect(admin.requests.map(r => r.namespace)).toEqual(['akili-globex']);
  });

  it('lets platform admins read a tenant’s namespace and a shared entity’s annotated one, never cluster-wide', async () => {
    const fleet = await workloads(
      'user:default/root',
      'component:globex/fleet',
    );
    expect(podNames(fleet.body)).toEqual(['akili-globex/fleet-1']);
    const portal = await workloads(
      'user:default/root',
      'component:default/portal',
    );
    expect(podNames(portal.body)).toEqual(['kube-system/portal-1']);
    const unbound = await clusterRequestsDuring(() =>
      workloads('user:default/root', 'component:default/unbound'),
    );
    expect((unbound.result as request.Response).status).toBe(403);
    expect(unbound.requests).toEqual([]);
  });

  it('never listed anything across the cluster', () => {
    expect(k8s.requests.length).toBeGreaterThan(0);
    expect(k8s.requests.filter(r => !r.namespace)).toEqual([]);
  });
});
