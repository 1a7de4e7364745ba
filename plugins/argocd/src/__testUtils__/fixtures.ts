import type { Entity } from '@backstage/catalog-model';
import type { AkiliIdentityInfo } from '@akili/plugin-akili-common';
import type {
  DeploymentApplication,
  DeploymentDrift,
  ProductDeployment,
  SyncResponse,
} from '@akili/plugin-argocd-common';

/** The orders data product of the acme tenant. */
export const ordersEntity: Entity = {
  apiVersion: 'akili.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'orders', namespace: 'acme', title: 'Shop orders' },
  spec: { type: 'source-aligned', owner: 'sales-analytics' },
};

export const DEPLOYED_SHA = '3f2a9c1e5b7d4a6c8e0f1a2b3c4d5e6f7a8b9c0d';
export const PREVIOUS_SHA = '9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b';

/** The orders Application: out of sync (its Deployment scaled by hand), degraded. */
export const ordersApplication: DeploymentApplication = {
  name: 'acme-orders',
  project: 'akili-acme',
  namespace: 'akili-acme',
  repoURL: 'https://gitlab.example.com/data-products/acme/orders.git',
  path: 'deploy',
  targetRevision: 'main',
  revision: DEPLOYED_SHA,
  syncStatus: 'OutOfSync',
  health: { status: 'Degraded', message: 'Deployment orders has 1/2 ready' },
  lastSync: {
    phase: 'Succeeded',
    startedAt: '2026-12-03T14:00:00Z',
    finishedAt: '2026-12-03T14:01:30Z',
    message: 'successfully synced (all tasks run)',
    revision: DEPLOYED_SHA,
    initiatedBy: { username: 'jane.doe', automated: false },
  },
  resources: [
    {
      group: 'apps',
      kind: 'Deployment',
      namespace: 'akili-acme',
      name: 'orders',
      syncStatus: 'OutOfSync',
      health: { status: 'Degraded', message: '1/2 ready' },
    },
    {
      group: '',
      kind: 'Service',
      namespace: 'akili-acme',
      name: 'orders',
      syncStatus: 'Synced',
      health: { status: 'Healthy' },
    },
    {
      group: '',
      kind: 'ConfigMap',
      namespace: 'akili-acme',
      name: 'orders-legacy',
      syncStatus: 'OutOfSync',
      requiresPruning: true,
    },
  ],
  history: [
    {
      id: 1,
      revision: PREVIOUS_SHA,
      deployStartedAt: '2026-12-02T10:00:00Z',
      deployedAt: '2026-12-02T10:01:00Z',
      initiatedBy: { automated: true },
    },
    {
      id: 2,
      revision: DEPLOYED_SHA,
      deployStartedAt: '2026-12-03T14:00:00Z',
      deployedAt: '2026-12-03T14:01:30Z',
      initiatedBy: { username: 'jane.doe', automated: false },
    },
  ],
  url: 'https://argocd.example.com/applications/argocd/acme-orders',
};

export const deployed: Extract<ProductDeployment, { status: 'deployed' }> = {
  status: 'deployed',
  application: ordersApplication,
};

export const notDeployed: ProductDeployment = {
  status: 'not-deployed',
  expectedApplication: {
    project: 'akili-acme',
    namespace: 'akili-acme',
    labels: {
      'akili.io/tenant': 'acme',
      'akili.io/product': 'orders',
    },
  },
};

export const ordersDrift: DeploymentDrift = {
  status: 'deployed',
  application: 'acme-orders',
  resources: [
    {
      group: 'apps',
      kind: 'Deployment',
      namespace: 'akili-acme',
      name: 'orders',
      changes: [
        { path: 'spec.replicas', live: 1, desired: 2 },
        {
          path: 'spec.template.spec.containers[0].image',
          live: 'registry.example.com/acme/orders:1.3.0',
          desired: 'registry.example.com/acme/orders:1.4.0',
        },
      ],
    },
  ],
};

export const syncResponse: SyncResponse = {
  application: 'acme-orders',
  revision: DEPLOYED_SHA,
  operation: {
    phase: 'Running',
    startedAt: '2026-12-03T15:00:00Z',
    revision: DEPLOYED_SHA,
    initiatedBy: { username: 'olivia.operator', automated: false },
  },
  auditId: 'audit-1',
};

export const acmeOperator: AkiliIdentityInfo = {
  userEntityRef: 'user:default/olivia.operator',
  platformAdmin: false,
  tenants: [{ name: 'acme', roles: ['operator'] }],
};

export const acmeConsumer: AkiliIdentityInfo = {
  userEntityRef: 'user:default/carl.consumer',
  platformAdmin: false,
  tenants: [
    { name: 'acme', roles: ['consumer'] },
    { name: 'globex', roles: ['operator'] },
  ],
};
