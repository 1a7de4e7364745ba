import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  ArgoApplication,
  ArgoCdTestServer,
  ArgoManagedResource,
  ArgoRevisionHistory,
} from './ArgoCdTestServer';

/** A data product to seed an Application for. */
export interface SeedProduct {
  tenant: string;
  name: string;
}

/** How a seeded Application stands. */
export type SeedScenario =
  | 'synced'
  | 'out-of-sync'
  | 'degraded'
  | 'progressing';

/** What {@link seedExampleApplications} added, per Application name. */
export interface SeededApplication extends SeedProduct {
  application: string;
  scenario: SeedScenario;
}

/** The Akili labels an Application of a data product carries. */
export const TENANT_LABEL = 'akili.io/tenant';
/** @see TENANT_LABEL */
export const PRODUCT_LABEL = 'akili.io/product';

/**
 * The repository's examples folder (`examples/data-products`, laid out as
 * `<tenant>/<product>/dataproduct.yaml`): the nearest one from the working directory up.
 */
export function exampleProductsDir(from: string = process.cwd()): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'examples', 'data-products');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) {
      throw new Error(`No examples/data-products folder in ${from} or above`);
    }
  }
}

/**
 * The products of a folder laid out as `<tenant>/<product>/dataproduct.yaml`: the tenant is the
 * folder's (where the manifest comes from), sorted.
 */
export function productsFromExamples(
  dir: string = exampleProductsDir(),
): SeedProduct[] {
  const products: SeedProduct[] = [];
  for (const tenant of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!tenant.isDirectory()) continue;
    for (const product of fs.readdirSync(path.join(dir, tenant.name), {
      withFileTypes: true,
    })) {
      if (
        product.isDirectory() &&
        fs.existsSync(
          path.join(dir, tenant.name, product.name, 'dataproduct.yaml'),
        )
      ) {
        products.push({ tenant: tenant.name, name: product.name });
      }
    }
  }
  return products.sort((a, b) =>
    `${a.tenant}/${a.name}`.localeCompare(`${b.tenant}/${b.name}`),
  );
}

/** The scenario of each example product that is not simply synced and healthy. */
const SCENARIOS: Record<string, SeedScenario> = {
  'acme/orders': 'out-of-sync',
  'acme/clickstream': 'degraded',
  'acme/orders-daily': 'progressing',
  'globex/shipments': 'out-of-sync',
  'initech/card-transactions': 'out-of-sync',
};

/** A stable fake Git commit for a product and a history step. */
export function seedRevision(product: SeedProduct, step: number): string {
  return crypto
    .createHash('sha1')
    .update(`${product.tenant}/${product.name}#${step}`)
    .digest('hex');
}

const HOUR = 3_600_000;

/**
 * Adds an ArgoCD Application for each product (default: the repository's example products,
 * tenants acme, globex and initech): name `<tenant>-<product>`, project and destination
 * namespace `akili-<tenant>`, labels `akili.io/tenant` and `akili.io/product`, a ConfigMap and a
 * Deployment as managed resources and three syncs of history. Most are Synced and Healthy;
 * `acme/orders`, `globex/shipments` and `initech/card-transactions` are OutOfSync (drift in the
 * Deployment's replicas and image, the ConfigMap's data; shipments also has a resource to prune),
 * `acme/clickstream` is Degraded and `acme/orders-daily` Progressing.
 */
export function seedExampleApplications(
  server: ArgoCdTestServer,
  options: {
    products?: SeedProduct[];
    now?: Date;
    /** The ArgoCD project of a tenant; default `akili-<tenant>`. */
    projectOf?: (tenant: string) => string;
    /** The Kubernetes namespace of a tenant; default `akili-<tenant>`. */
    namespaceOf?: (tenant: string) => string;
  } = {},
): SeededApplication[] {
  const products = options.products ?? productsFromExamples();
  const projectOf = options.projectOf ?? (tenant => `akili-${tenant}`);
  const namespaceOf = options.namespaceOf ?? (tenant => `akili-${tenant}`);
  const now = (options.now ?? new Date()).getTime();
  return products.map((product, index) => {
    const scenario = SCENARIOS[`${product.tenant}/${product.name}`] ?? 'synced';
    const application = `${product.tenant}-${product.name}`;
    const namespace = namespaceOf(product.tenant);
    const revision = seedRevision(product, 3);
    const history: ArgoRevisionHistory[] = [1, 2, 3].map(step => ({
      id: step - 1,
      revision: seedRevision(product, step),
      deployStartedAt: new Date(
        now - (4 - step) * 24 * HOUR - index * 60_000 - 30_000,
      ).toISOString(),
      deployedAt: new Date(
        now - (4 - step) * 24 * HOUR - index * 60_000,
      ).toISOString(),
      initiatedBy:
        step === 2
          ? { automated: true }
          : {
              username: step === 3 ? 'akili-portal' : 'admin',
              automated: false,
            },
      source: source(product),
    }));
    const last = history[history.length - 1];
    const desiredDeployment = deployment(product, namespace, 2, 'v3');
    const desiredConfig = configMap(product, namespace, { LOG_LEVEL: 'info' });
    const managedResources: ArgoManagedResource[] = [
      {
        group: '',
        version: 'v1',
        kind: 'ConfigMap',
        namespace,
        name: `${product.name}-config`,
        target: desiredConfig,
        live:
          scenario === 'out-of-sync'
            ? configMap(product, namespace, { LOG_LEVEL: 'debug' })
            : desiredConfig,
      },
      {
        group: 'apps',
        version: 'v1',
        kind: 'Deployment',
        namespace,
        name: product.name,
        target: desiredDeployment,
        live:
          scenario === 'out-of-sync'
            ? deployment(product, namespace, 1, 'v2')
            : desiredDeployment,
        health: healthOf(product, scenario),
      },
    ];
    if (product.tenant === 'globex' && scenario === 'out-of-sync') {
      // Removed from Git, still in the cluster.
      managedResources.push({
        group: 'batch',
        version: 'v1',
        kind: 'CronJob',
        namespace,
        name: `${product.name}-backfill`,
        live: {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          metadata: { name: `${product.name}-backfill`, namespace },
          spec: { schedule: '0 3 * * *' },
        },
      });
    }
    const health = healthOf(product, scenario);
    const app: ArgoApplication = {
      metadata: {
        name: application,
        namespace: 'argocd',
        labels: {
          [TENANT_LABEL]: product.tenant,
          [PRODUCT_LABEL]: product.name,
        },
        creationTimestamp: new Date(now - 30 * 24 * HOUR).toISOString(),
      },
      spec: {
        project: projectOf(product.tenant),
        destination: {
          server: 'https://kubernetes.default.svc',
          namespace,
        },
        source: source(product),
        syncPolicy:
          scenario === 'synced'
            ? { automated: { prune: true, selfHeal: true } }
            : {},
      },
      status: {
        sync: {
          status: scenario === 'out-of-sync' ? 'OutOfSync' : 'Synced',
          revision,
          comparedTo: {
            source: source(product),
            destination: {
              server: 'https://kubernetes.default.svc',
              namespace,
            },
          },
        },
        health: {
          ...health,
          lastTransitionTime: new Date(now - HOUR).toISOString(),
        },
        history,
        operationState: {
          operation: {
            sync: { revision: last.revision },
            initiatedBy: last.initiatedBy,
          },
          phase: 'Succeeded',
          message: 'successfully synced (all tasks run)',
          startedAt: last.deployStartedAt!,
          finishedAt: last.deployedAt,
          syncResult: { revision: last.revision, source: source(product) },
        },
        reconciledAt: new Date(now - 60_000).toISOString(),
        sourceType: 'Kustomize',
        summary: { images: [image(product, 'v3')] },
        controllerNamespace: 'argocd',
      },
    };
    server.addApplication(app, {
      managedResources,
      events: [
        {
          reason: 'OperationCompleted',
          message: `Sync operation to ${last.revision} succeeded`,
          firstTimestamp: last.deployedAt,
        },
        ...(scenario === 'degraded'
          ? [
              {
                reason: 'ResourceUpdated',
                message: `Updated health status: Progressing -> Degraded`,
                type: 'Warning' as const,
                firstTimestamp: new Date(now - HOUR).toISOString(),
              },
            ]
          : []),
      ],
    });
    return { ...product, application, scenario };
  });
}

function healthOf(
  product: SeedProduct,
  scenario: SeedScenario,
): { status: string; message?: string } {
  if (scenario === 'degraded') {
    return {
      status: 'Degraded',
      message: `Deployment "${product.name}" exceeded its progress deadline`,
    };
  }
  if (scenario === 'progressing') {
    return {
      status: 'Progressing',
      message:
        'Waiting for rollout to finish: 1 of 2 updated replicas are available...',
    };
  }
  return { status: 'Healthy' };
}

function source(product: SeedProduct) {
  return {
    repoURL: `https://gitlab.example.com/akili/${product.tenant}/${product.name}.git`,
    path: 'deploy/overlays/production',
    targetRevision: 'main',
  };
}

function image(product: SeedProduct, tag: string) {
  return `registry.gitlab.example.com/akili/${product.tenant}/${product.name}:${tag}`;
}

function configMap(
  product: SeedProduct,
  namespace: string,
  data: Record<string, string>,
) {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: `${product.name}-config`,
      namespace,
      labels: { [PRODUCT_LABEL]: product.name },
    },
    data,
  };
}

function deployment(
  product: SeedProduct,
  namespace: string,
  replicas: number,
  tag: string,
) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: product.name,
      namespace,
      labels: { [PRODUCT_LABEL]: product.name },
    },
    spec: {
      replicas,
      selector: { matchLabels: { [PRODUCT_LABEL]: product.name } },
      template: {
        metadata: { labels: { [PRODUCT_LABEL]: product.name } },
        spec: {
          containers: [{ name: 'worker', image: image(product, tag) }],
        },
      },
    },
  };
}
