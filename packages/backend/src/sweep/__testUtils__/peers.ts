import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  DagsterTestServer,
  addProductRuns,
  productTargetsFromManifests,
  startDagsterTestServer,
} from '@akili/dagster-test-server';
import { GitlabTestServer } from '@akili/gitlab-test-server';
import {
  ArgoCdTestServer,
  seedExampleApplications,
  seedRevision,
  startArgoCdTestServer,
} from '@akili/argocd-test-server';
import {
  AuthentikTestProvider,
  startAuthentikTestProvider,
} from '@akili/authentik-test-provider';
import { gitlabGroupOfTenant } from '@akili/plugin-akili-common';
import { TenantNamespaces } from '@akili/plugin-kubernetes-backend-module-akili';
import { ConfigReader } from '@backstage/config';
import { parse } from 'yaml';
import {
  KUBE_TYPES,
  KubernetesTestServer,
} from '@akili/kubernetes-test-server';
import {
  componentNameOf,
  manifestOf,
  SweepFixture,
  TENANT_A,
  TENANT_B,
  TenantFixture,
} from './fixtures';
import { repoRoot } from './paths';

/**
 * The GitLab root group of the tenants (`<root>/<tenant>/<product>`, contract C4):
 * `akili.tenancy.gitlab.rootGroup` of app-config.yaml, or this one when it sets none.
 */
const DEFAULT_SWEEP_ROOT_GROUP = 'data-products';

/** A configuration file of the repository root, parsed. */
export function readConfigFile(file: string): Record<string, any> {
  return parse(fs.readFileSync(path.join(repoRoot, file), 'utf8')) ?? {};
}

/** app-config.yaml, parsed. */
export function readAppConfig(): Record<string, any> {
  return readConfigFile('app-config.yaml');
}

/** The GitLab root group the sweep's tenants live in (see {@link DEFAULT_SWEEP_ROOT_GROUP}). */
export function sweepGitlabRootGroup(): string {
  return (
    readAppConfig().akili?.tenancy?.gitlab?.rootGroup ??
    DEFAULT_SWEEP_ROOT_GROUP
  );
}

/** The Kubernetes cluster the sweep configures, and the namespace of each tenant. */
export const SWEEP_CLUSTER = 'sweep';

/** What a tenant's peers hold that only the tenant may see: markers of leaks. */
export interface PeerData {
  /** Run ids of the tenant's runs in Dagster. */
  runIds: string[];
  /** The content of a private file in the tenant's GitLab project (`secret.txt`). */
  secret: string;
  /** Uids of the tenant's Kubernetes objects. */
  kubeUids: string[];
  /** Git revisions its ArgoCD Applications deployed. */
  argocdRevisions: string[];
}

/**
 * The outside systems the portal talks to, as test servers holding both tenants' data: Dagster
 * (the example products' runs), GitLab (one project per fixture product with its manifest, a
 * catalog-info.yaml and a private file), a Kubernetes API (each tenant's workloads in its own
 * namespace, plus one workload in the second tenant's namespace that carries the first
 * tenant's product label), and Authentik (the OIDC provider of `auth.providers.oidc`).
 */
export interface SweepPeers {
  dagster: DagsterTestServer;
  gitlab: GitlabTestServer;
  kubernetes: KubernetesTestServer;
  argocd: ArgoCdTestServer;
  authentik: AuthentikTestProvider;
  data: Record<string, PeerData>;
  /** The web URL of a fixture tenant's GitLab project. */
  gitlabProjectUrl(t: TenantFixture): string;
  /** The Kubernetes namespace of a tenant (akili.tenancy.kubernetes). */
  namespaceOf(tenant: string): string;
  /** What GitLab posts to a push webhook for a push to a fixture tenant's project. */
  pushEventOf(t: TenantFixture): SweepFixture['pushEvent'];
  stop(): Promise<void>;
}

const NAMESPACES = { group: '', version: 'v1', plural: 'namespaces' };

export const SWEEP_KUBE_TOKEN = 'sweep-kubernetes-token';
export const SWEEP_ARGOCD_TOKEN = 'sweep-argocd-token';

export async function startSweepPeers(): Promise<SweepPeers> {
  // The tenants' Kubernetes namespaces, as app-config.yaml binds them.
  const namespaces = TenantNamespaces.fromConfig(
    new ConfigReader(readAppConfig()),
  );
  const namespaceOf = (tenant: string) => namespaces.namespacesOf(tenant)[0];
  const data: Record<string, PeerData> = {};
  for (const t of [TENANT_A, TENANT_B]) {
    data[t.tenant] = {
      runIds: [],
      // Its first 10 characters are what a JSON parse error quotes of a file.
      secret: `${crypto.randomBytes(5).toString('hex')}-sweep-secret-${
        t.tenant
      }`,
      kubeUids: [],
      argocdRevisions: [],
    };
  }

  // Dagster: the example products' code locations and runs, and one failed run per tenant
  // fixture under a known id, for the routes that name a run.
  const dagster = await startDagsterTestServer();
  const targets = productTargetsFromManifests(
    path.join(repoRoot, 'examples/data-products'),
  );
  const runs = addProductRuns(dagster, targets, { runsPerProduct: 5 });
  for (const fixture of [TENANT_A, TENANT_B]) {
    const target = targets.find(
      t => t.tenant === fixture.tenant && t.name === fixture.product,
    );
    if (!target) {
      throw new Error(
        `examples/data-products/${fixture.tenant}/${fixture.product} names no Dagster job: the sweep needs one`,
      );
    }
    dagster.addRun({
      runId: fixture.runId,
      jobName: target.job,
      status: 'FAILURE',
      tags: {
        'akili/tenant': fixture.tenant,
        'akili/product': `dataproduct:${fixture.tenant}/${fixture.product}`,
      },
      repositoryOrigin: {
        repositoryLocationName: target.codeLocation,
        repositoryName: target.repository ?? '__repository__',
      },
    });
  }
  for (const [ref, productRuns] of runs) {
    const tenant = ref.replace(/^dataproduct:/, '').split('/')[0];
    data[tenant]?.runIds.push(...productRuns.map(r => r.runId));
  }

  // GitLab: a project per fixture product in its tenant's group.
  const gitlab = new GitlabTestServer('sweep-gitlab-token');
  await gitlab.start();
  [TENANT_A, TENANT_B].forEach((t, i) => {
    const other = i === 0 ? TENANT_B : TENANT_A;
    gitlab.addProject({
      id: 100 + i,
      pathWithNamespace: projectPath(t),
      defaultBranch: 'main',
      files: {
        main: {
          'dataproduct.yaml': manifestOf(t),
          'catalog-info.yaml': catalogInfoOf(t, namespaceOf(other.tenant)),
          'secret.txt': data[t.tenant].secret,
        },
      },
    });
  });

  // Kubernetes: each tenant's products run in the tenant's namespace.
  const kubernetes = new KubernetesTestServer(SWEEP_KUBE_TOKEN);
  await kubernetes.start();
  for (const t of [TENANT_A, TENANT_B]) {
    const namespace = namespaceOf(t.tenant);
    kubernetes.add(NAMESPACES, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, uid: kubeUid(data, t.tenant, 'namespace') },
    });
    const products = fs.readdirSync(
      path.join(repoRoot, 'examples/data-products', t.tenant),
    );
    for (const product of products) {
      addWorkload(kubernetes, data, t.tenant, namespace, product);
    }
  }
  // A workload of the second tenant that carries the first tenant's product label (tenants
  // choose their labels): reading the first tenant's product must not show it.
  addWorkload(
    kubernetes,
    data,
    TENANT_B.tenant,
    namespaceOf(TENANT_B.tenant),
    TENANT_A.product,
  );

  // ArgoCD: an Application per product of both tenants in the tenant's project and namespace,
  // plus one in the second tenant's project that carries the first tenant's product label
  // (labels are the tenant's to write): the first tenant's product must not show it.
  const argocd = await startArgoCdTestServer({
    syncDurationMs: 0,
    tokens: {
      [SWEEP_ARGOCD_TOKEN]: { subject: 'akili-portal', projects: '*' },
    },
  });
  const argocdProducts = [TENANT_A, TENANT_B].flatMap(t =>
    fs
      .readdirSync(path.join(repoRoot, 'examples/data-products', t.tenant))
      .map(name => ({ tenant: t.tenant, name })),
  );
  seedExampleApplications(argocd, { products: argocdProducts, namespaceOf });
  for (const product of argocdProducts) {
    data[product.tenant].argocdRevisions.push(
      ...[1, 2, 3].map(step => seedRevision(product, step)),
    );
  }
  const spoofRevision = seedRevision(
    { tenant: TENANT_B.tenant, name: 'spoof' },
    1,
  );
  data[TENANT_B.tenant].argocdRevisions.push(spoofRevision);
  argocd.addApplication({
    metadata: {
      name: `${TENANT_B.tenant}-spoof-${TENANT_A.product}`,
      labels: {
        'akili.io/tenant': TENANT_A.tenant,
        'akili.io/product': TENANT_A.product,
      },
    },
    spec: {
      project: `akili-${TENANT_B.tenant}`,
      destination: {
        server: 'https://kubernetes.default.svc',
        namespace: namespaceOf(TENANT_B.tenant),
      },
      source: {
        repoURL: `https://gitlab.example.com/data-products/${TENANT_B.tenant}/spoof.git`,
        path: 'deploy',
        targetRevision: 'main',
      },
    },
    status: {
      sync: { status: 'Synced', revision: spoofRevision },
      health: { status: 'Healthy' },
      history: [],
      resources: [],
    },
  });

  const authentik = await startAuthentikTestProvider({
    users: {},
    password: 'sweep',
    clients: [
      {
        clientId: 'akili-portal',
        clientSecret: 'akili-portal-secret',
        redirectUris: ['http://localhost:7007/api/auth/oidc/handler/frame'],
      },
    ],
  });

  return {
    dagster,
    gitlab,
    kubernetes,
    argocd,
    authentik,
    data,
    gitlabProjectUrl: t => `${gitlab.baseUrl}/${projectPath(t)}`,
    namespaceOf,
    pushEventOf: t =>
      gitlab.pushEvent(t === TENANT_A ? 100 : 101, {
        modified: ['dataproduct.yaml'],
      }),
    async stop() {
      await Promise.all([
        dagster.stop(),
        gitlab.stop(),
        kubernetes.stop(),
        argocd.stop(),
        authentik.close(),
      ]);
    },
  };
}

function projectPath(t: TenantFixture): string {
  return `${gitlabGroupOfTenant(sweepGitlabRootGroup(), t.tenant)}/${
    t.product
  }`;
}

/**
 * The component in a tenant's repository. Its annotations point the Kubernetes plugin at the
 * other tenant's namespace, as a tenant trying to read another's workloads would write them.
 */
function catalogInfoOf(t: TenantFixture, otherNamespace: string): string {
  return [
    'apiVersion: backstage.io/v1alpha1',
    'kind: Component',
    'metadata:',
    `  name: ${componentNameOf(t)}`,
    `  namespace: ${t.tenant}`,
    '  annotations:',
    `    backstage.io/kubernetes-id: ${t.product}`,
    `    backstage.io/kubernetes-namespace: ${otherNamespace}`,
    'spec:',
    '  type: service',
    '  lifecycle: production',
    `  owner: group:${t.tenant}/sweep-team`,
    '',
  ].join('\n');
}

function kubeUid(
  data: Record<string, PeerData>,
  tenant: string,
  what: string,
): string {
  const uid = `sweep-uid-${tenant}-${what}-${crypto
    .randomBytes(4)
    .toString('hex')}`;
  data[tenant].kubeUids.push(uid);
  return uid;
}

function addWorkload(
  kubernetes: KubernetesTestServer,
  data: Record<string, PeerData>,
  tenant: string,
  namespace: string,
  product: string,
) {
  const labels = {
    'backstage.io/kubernetes-id': product,
    'akili.io/product': product,
    app: product,
  };
  kubernetes.add(KUBE_TYPES.deployments, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: product,
      namespace,
      uid: kubeUid(data, tenant, `deployment-${product}`),
      labels,
    },
    spec: { replicas: 1, selector: { matchLabels: labels } },
    status: { replicas: 1, readyReplicas: 1 },
  });
  kubernetes.add(KUBE_TYPES.pods, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${product}-0`,
      namespace,
      uid: kubeUid(data, tenant, `pod-${product}`),
      labels,
    },
    spec: { containers: [{ name: 'main', image: `${product}:latest` }] },
    status: { phase: 'Running' },
  });
}
