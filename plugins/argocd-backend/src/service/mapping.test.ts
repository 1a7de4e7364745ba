import { computeDrift, toDeploymentApplication } from './mapping';
import { TenantProjects } from './DeploymentService';

describe('computeDrift', () => {
  const item = (live: unknown, desired: unknown) => ({
    group: 'apps',
    kind: 'Deployment',
    namespace: 'akili-acme',
    name: 'orders',
    liveState: JSON.stringify(live),
    targetState: JSON.stringify(desired),
  });

  it('names each differing field by its path, ignoring what the cluster sets', () => {
    const desired = {
      metadata: { name: 'orders', labels: { 'akili.io/product': 'orders' } },
      spec: {
        replicas: 2,
        template: { spec: { containers: [{ image: 'a:2' }] } },
      },
    };
    const live = {
      metadata: {
        name: 'orders',
        labels: { 'akili.io/product': 'other' },
        resourceVersion: '17',
        uid: 'u',
        managedFields: [{}],
      },
      spec: {
        replicas: 2,
        paused: true,
        template: { spec: { containers: [{ image: 'a:1' }, { image: 'b' }] } },
      },
      status: { readyReplicas: 1 },
    };
    expect(computeDrift({ items: [item(live, desired)] })).toEqual([
      {
        group: 'apps',
        kind: 'Deployment',
        namespace: 'akili-acme',
        name: 'orders',
        changes: [
          {
            path: 'metadata.labels["akili.io/product"]',
            live: 'other',
            desired: 'orders',
          },
          {
            path: 'spec.template.spec.containers[0].image',
            live: 'a:1',
            desired: 'a:2',
          },
          { path: 'spec.template.spec.containers[1]', live: { image: 'b' } },
          { path: 'spec.paused', live: true },
        ],
      },
    ]);
  });

  it('prefers ArgoCD’s normalized and predicted states, and skips resources in sync', () => {
    const same = { spec: { replicas: 1 } };
    expect(
      computeDrift({
        items: [
          {
            ...item({ spec: { replicas: 3 } }, same),
            normalizedLiveState: JSON.stringify(same),
            predictedLiveState: JSON.stringify(same),
          },
          item(same, same),
        ],
      }),
    ).toEqual([]);
  });

  it('says a resource is missing or to prune at path $', () => {
    expect(
      computeDrift({
        items: [
          { ...item({}, {}), liveState: 'null', name: 'missing' },
          { ...item({}, {}), targetState: 'null', name: 'prune' },
          { ...item({}, {}), liveState: 'null', targetState: 'null' },
        ],
      }).map(r => [r.name, r.changes]),
    ).toEqual([
      ['missing', [{ path: '$', live: null, desired: 'present' }]],
      ['prune', [{ path: '$', live: 'present', desired: null }]],
    ]);
  });

  it('caps the changes of one resource', () => {
    const live = Object.fromEntries(
      Array.from({ length: 500 }, (_, i) => [`k${i}`, i]),
    );
    const [drift] = computeDrift({
      items: [item({ data: live }, { data: {} })],
    });
    expect(drift.changes).toHaveLength(100);
  });
});

describe('toDeploymentApplication', () => {
  it('maps unknown statuses to Unknown and splits the running operation from the last sync', () => {
    const app = toDeploymentApplication({
      metadata: { name: 'x' },
      spec: { project: 'p', sources: [{ repoURL: 'r', targetRevision: 't' }] },
      status: {
        sync: { status: 'Weird' },
        health: { status: 'Odd' },
        operationState: {
          phase: 'Running',
          startedAt: '2026-01-01T00:00:00Z',
          operation: { initiatedBy: { automated: true } },
        },
      },
    });
    expect(app).toMatchObject({
      syncStatus: 'Unknown',
      health: { status: 'Unknown' },
      repoURL: 'r',
      targetRevision: 't',
      operation: { phase: 'Running', initiatedBy: { automated: true } },
      resources: [],
      history: [],
    });
    expect(app.lastSync).toBeUndefined();
    expect(app.url).toBeUndefined();
  });

  it('takes the last sync from the history while an operation runs', () => {
    const app = toDeploymentApplication({
      metadata: { name: 'x' },
      spec: { project: 'p', source: { repoURL: 'r' } },
      status: {
        operationState: {
          phase: 'Running',
          startedAt: '2026-01-03T00:00:00Z',
          operation: { initiatedBy: { username: 'olga' } },
        },
        history: [
          {
            id: 0,
            revision: 'aaa',
            deployStartedAt: '2026-01-01T00:00:00Z',
            deployedAt: '2026-01-01T00:01:00Z',
            initiatedBy: { automated: true },
          },
          {
            id: 1,
            revision: 'bbb',
            deployStartedAt: '2026-01-02T00:00:00Z',
            deployedAt: '2026-01-02T00:01:00Z',
            initiatedBy: { username: 'admin' },
          },
        ],
      },
    });
    expect(app.operation).toMatchObject({ phase: 'Running' });
    expect(app.lastSync).toEqual({
      phase: 'Succeeded',
      startedAt: '2026-01-02T00:00:00Z',
      finishedAt: '2026-01-02T00:01:00Z',
      revision: 'bbb',
      initiatedBy: { username: 'admin', automated: false },
    });
  });
});

describe('TenantProjects', () => {
  it('gives each tenant its project, and names the key of a bad pattern', () => {
    expect(new TenantProjects().projectOf('acme')).toBe('akili-acme');
    expect(new TenantProjects('{tenant}-data').projectOf('acme')).toBe(
      'acme-data',
    );
    expect(() => new TenantProjects('akili')).toThrow(
      /akili.tenancy.argocd.projectPattern must contain \{tenant\} exactly once/,
    );
    expect(() => new TenantProjects('Akili_{tenant}')).toThrow(
      /does not give ArgoCD project names/,
    );
  });
});
