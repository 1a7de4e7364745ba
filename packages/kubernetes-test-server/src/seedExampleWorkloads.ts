import { KubeObject, KubernetesTestServer } from './KubernetesTestServer';

/** A data product whose workloads the cluster runs. */
export interface ExampleProduct {
  tenant: string;
  name: string;
}

/** Options of {@link seedExampleWorkloads}. */
export interface SeedExampleWorkloadsOptions {
  /** The tenant's namespace; default `akili-{tenant}` (`akili.tenancy.kubernetes.namespacePattern`). */
  namespaceOf?: (tenant: string) => string;
  /** Products (`tenant/name`) whose pods crash-loop, so the portal shows their errors. */
  failing?: string[];
  /** The clock of the objects' timestamps. */
  now?: Date;
}

/** The label that ties a product's workloads to it (`backstage.io/kubernetes-label-selector`). */
export const PRODUCT_LABEL = 'akili.io/product';

const TYPES = {
  deployments: { group: 'apps', version: 'v1', plural: 'deployments' },
  replicasets: { group: 'apps', version: 'v1', plural: 'replicasets' },
  pods: { group: '', version: 'v1', plural: 'pods' },
  services: { group: '', version: 'v1', plural: 'services' },
} as const;

/** A stable pseudo-random hex string, so seeded names and uids do not change between runs. */
function hash(text: string, length: number): string {
  let h = 2166136261;
  let out = '';
  while (out.length < length) {
    for (const c of `${text}${out.length}`) {
      h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
    }
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}

/**
 * Seeds a Kubernetes test server with the workloads of data products, as their GitOps
 * Applications deploy them: per product a Deployment, its ReplicaSet, two Pods and a Service in
 * the tenant's namespace, labelled `akili.io/product` and `akili.io/tenant`. Pods of a failing
 * product crash-loop (waiting `CrashLoopBackOff`, restarts, a failed last state) and log an
 * error; the others are running and log their work.
 */
export function seedExampleWorkloads(
  server: KubernetesTestServer,
  products: ExampleProduct[],
  options: SeedExampleWorkloadsOptions = {},
) {
  const namespaceOf = options.namespaceOf ?? (t => `akili-${t}`);
  const now = options.now ?? new Date();
  const failing = new Set(options.failing ?? []);
  const at = (minutesAgo: number) =>
    new Date(now.getTime() - minutesAgo * 60_000).toISOString();

  for (const product of products) {
    const namespace = namespaceOf(product.tenant);
    const id = `${product.tenant}/${product.name}`;
    const broken = failing.has(id);
    const labels = {
      'app.kubernetes.io/name': product.name,
      'app.kubernetes.io/part-of': 'akili',
      [PRODUCT_LABEL]: product.name,
      'akili.io/tenant': product.tenant,
    };
    const template = hash(id, 10);
    const image = `registry.gitlab.example.com/data-products/${
      product.tenant
    }/${product.name}:${hash(`${id}-image`, 8)}`;
    const meta = (name: string, extra: Record<string, unknown> = {}) => ({
      name,
      namespace,
      uid: `${hash(`${namespace}/${name}`, 8)}-${hash(name, 4)}-4${hash(
        id,
        3,
      )}-8${hash(name, 3)}-${hash(`${name}!`, 12)}`,
      labels,
      creationTimestamp: at(60 * 24 * 3),
      resourceVersion: '1',
      ...extra,
    });
    const replicas = 2;
    const ready = broken ? 0 : replicas;
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(product.name, { generation: 3 }),
      spec: {
        replicas,
        selector: { matchLabels: { [PRODUCT_LABEL]: product.name } },
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
        },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'serve',
                image,
                ports: [{ containerPort: 8080, name: 'http' }],
                resources: {
                  requests: { cpu: '100m', memory: '256Mi' },
                  limits: { cpu: '500m', memory: '512Mi' },
                },
              },
            ],
          },
        },
      },
      status: {
        observedGeneration: 3,
        replicas,
        updatedReplicas: replicas,
        readyReplicas: ready,
        availableReplicas: ready,
        unavailableReplicas: replicas - ready,
        conditions: [
          {
            type: 'Available',
            status: broken ? 'False' : 'True',
            reason: broken
              ? 'MinimumReplicasUnavailable'
              : 'MinimumReplicasAvailable',
            message: broken
              ? 'Deployment does not have minimum availability.'
              : 'Deployment has minimum availability.',
            lastTransitionTime: at(broken ? 25 : 60 * 24),
            lastUpdateTime: at(broken ? 25 : 60 * 24),
          },
        ],
      },
    };
    const replicaSetName = `${product.name}-${template}`;
    const replicaSet: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: meta(replicaSetName, {
        labels: { ...labels, 'pod-template-hash': template },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: product.name,
            uid: deployment.metadata.uid,
            controller: true,
          },
        ],
      }),
      spec: {
        replicas,
        selector: {
          matchLabels: {
            [PRODUCT_LABEL]: product.name,
            'pod-template-hash': template,
          },
        },
      },
      status: { replicas, readyReplicas: ready, availableReplicas: ready },
    };
    server.add(TYPES.deployments, deployment);
    server.add(TYPES.replicasets, replicaSet);
    for (let i = 0; i < replicas; i++) {
      const podName = `${replicaSetName}-${hash(`${id}-pod-${i}`, 5)}`;
      const container = broken
        ? {
            name: 'serve',
            image,
            ready: false,
            started: false,
            restartCount: 7 + i,
            state: {
              waiting: {
                reason: 'CrashLoopBackOff',
                message: `back-off 5m0s restarting failed container=serve pod=${podName}`,
              },
            },
            lastState: {
              terminated: {
                exitCode: 1,
                reason: 'Error',
                startedAt: at(6),
                finishedAt: at(5),
              },
            },
          }
        : {
            name: 'serve',
            image,
            ready: true,
            started: true,
            restartCount: 0,
            state: { running: { startedAt: at(60 * 24) } },
          };
      server.add(TYPES.pods, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: meta(podName, {
          labels: { ...labels, 'pod-template-hash': template },
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: replicaSetName,
              uid: replicaSet.metadata.uid,
              controller: true,
            },
          ],
        }),
        spec: {
          nodeName: `k3s-node-${i + 1}`,
          containers: [
            {
              name: 'serve',
              image,
              resources: {
                requests: { cpu: '100m', memory: '256Mi' },
                limits: { cpu: '500m', memory: '512Mi' },
              },
            },
          ],
        },
        status: {
          phase: 'Running',
          podIP: `10.42.${i}.${(parseInt(hash(id, 2), 16) % 250) + 2}`,
          startTime: at(60 * 24),
          conditions: [
            {
              type: 'Initialized',
              status: 'True',
              lastTransitionTime: at(60 * 24),
            },
            {
              type: 'Ready',
              status: broken ? 'False' : 'True',
              lastTransitionTime: at(broken ? 25 : 60 * 24),
            },
            {
              type: 'ContainersReady',
              status: broken ? 'False' : 'True',
              lastTransitionTime: at(broken ? 25 : 60 * 24),
            },
            {
              type: 'PodScheduled',
              status: 'True',
              lastTransitionTime: at(60 * 24),
            },
          ],
          containerStatuses: [container],
        },
      });
      server.setLogs(
        namespace,
        podName,
        broken
          ? [
              `${at(6)} INFO  starting ${product.name} (tenant ${
                product.tenant
              })`,
              `${at(6)} INFO  connecting to the lake`,
              `${at(5)} ERROR output port ${
                product.name
              }: could not read the upstream table (access denied)`,
              `${at(5)} ERROR exiting with status 1`,
            ].join('\n')
          : [
              `${at(60 * 24)} INFO  starting ${product.name} (tenant ${
                product.tenant
              })`,
              `${at(30)} INFO  served 1204 requests in the last hour`,
              `${at(1)} INFO  health check ok`,
            ].join('\n'),
      );
    }
    server.add(TYPES.services, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(product.name),
      spec: {
        type: 'ClusterIP',
        selector: { [PRODUCT_LABEL]: product.name },
        ports: [
          { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
        ],
      },
    });
  }
}
