import {
  DeploymentApplication,
  DeploymentDriftChange,
  DeploymentHealthStatus,
  DeploymentInitiator,
  DeploymentOperation,
  DeploymentOperationPhase,
  DeploymentResourceDrift,
  DeploymentSyncStatus,
} from '@akili/plugin-argocd-common';

/**
 * ArgoCD's answers as the portal reads them: the fields of `v1alpha1Application`,
 * `v1alpha1ResourceDiff` it uses, nothing else (an unknown value falls back to `Unknown`).
 */
export interface ArgoApplication {
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
  };
  spec: {
    project?: string;
    destination?: { server?: string; name?: string; namespace?: string };
    source?: { repoURL?: string; path?: string; targetRevision?: string };
    sources?: Array<{
      repoURL?: string;
      path?: string;
      targetRevision?: string;
    }>;
  };
  status?: {
    sync?: { status?: string; revision?: string };
    health?: { status?: string; message?: string };
    operationState?: {
      phase?: string;
      message?: string;
      startedAt?: string;
      finishedAt?: string;
      operation?: {
        sync?: { revision?: string };
        initiatedBy?: { username?: string; automated?: boolean };
      };
      syncResult?: { revision?: string };
    };
    history?: Array<{
      id?: number | string;
      revision?: string;
      deployStartedAt?: string;
      deployedAt?: string;
      initiatedBy?: { username?: string; automated?: boolean };
    }>;
    resources?: Array<{
      group?: string;
      kind?: string;
      namespace?: string;
      name?: string;
      status?: string;
      health?: { status?: string; message?: string };
      requiresPruning?: boolean;
    }>;
  };
}

/** `applicationManagedResourcesResponse`. */
export interface ArgoManagedResources {
  items?: Array<{
    group?: string;
    kind?: string;
    namespace?: string;
    name?: string;
    liveState?: string;
    targetState?: string;
    normalizedLiveState?: string;
    predictedLiveState?: string;
    modified?: boolean;
  }>;
}

const SYNC_STATUSES: readonly DeploymentSyncStatus[] = [
  'Synced',
  'OutOfSync',
  'Unknown',
];
const HEALTH_STATUSES: readonly DeploymentHealthStatus[] = [
  'Healthy',
  'Progressing',
  'Degraded',
  'Suspended',
  'Missing',
  'Unknown',
];
const PHASES: readonly DeploymentOperationPhase[] = [
  'Running',
  'Terminating',
  'Failed',
  'Error',
  'Succeeded',
];

const oneOf = <T extends string>(
  values: readonly T[],
  value: unknown,
  fallback: T,
): T => (values.includes(value as T) ? (value as T) : fallback);

function initiator(
  by: { username?: string; automated?: boolean } | undefined,
): DeploymentInitiator {
  return {
    ...(by?.username ? { username: by.username } : {}),
    automated: by?.automated === true,
  };
}

function operationOf(
  state: NonNullable<ArgoApplication['status']>['operationState'],
): DeploymentOperation | undefined {
  if (!state?.phase || !state.startedAt) return undefined;
  const revision =
    state.syncResult?.revision ?? state.operation?.sync?.revision;
  return {
    phase: oneOf(PHASES, state.phase, 'Error'),
    startedAt: state.startedAt,
    ...(state.finishedAt ? { finishedAt: state.finishedAt } : {}),
    ...(state.message ? { message: state.message } : {}),
    ...(revision ? { revision } : {}),
    initiatedBy: initiator(state.operation?.initiatedBy),
  };
}

function lastDeployment(
  history: NonNullable<ArgoApplication['status']>['history'],
): { lastSync?: DeploymentOperation } {
  const newest = [...(history ?? [])]
    .filter(entry => entry.deployedAt)
    .sort((a, b) => Date.parse(b.deployedAt!) - Date.parse(a.deployedAt!))[0];
  if (!newest) return {};
  return {
    lastSync: {
      phase: 'Succeeded',
      startedAt: newest.deployStartedAt ?? newest.deployedAt!,
      finishedAt: newest.deployedAt!,
      ...(newest.revision ? { revision: newest.revision } : {}),
      initiatedBy: initiator(newest.initiatedBy),
    },
  };
}

/**
 * An ArgoCD Application as the portal shows it. `operation` is the operation still running,
 * `lastSync` the last finished one. `uiBaseUrl` gives the link to ArgoCD's UI.
 */
export function toDeploymentApplication(
  app: ArgoApplication,
  uiBaseUrl?: string,
): DeploymentApplication {
  const source = app.spec.source ?? app.spec.sources?.[0] ?? {};
  const status = app.status ?? {};
  const operation = operationOf(status.operationState);
  const running =
    operation &&
    (operation.phase === 'Running' || operation.phase === 'Terminating');
  return {
    name: app.metadata.name,
    project: app.spec.project ?? '',
    namespace: app.spec.destination?.namespace ?? '',
    repoURL: source.repoURL ?? '',
    ...(source.path ? { path: source.path } : {}),
    ...(source.targetRevision ? { targetRevision: source.targetRevision } : {}),
    ...(status.sync?.revision ? { revision: status.sync.revision } : {}),
    syncStatus: oneOf(SYNC_STATUSES, status.sync?.status, 'Unknown'),
    health: {
      status: oneOf(HEALTH_STATUSES, status.health?.status, 'Unknown'),
      ...(status.health?.message ? { message: status.health.message } : {}),
    },
    ...(operation && running ? { operation } : {}),
    ...(operation && !running ? { lastSync: operation } : {}),
    // ArgoCD keeps only the current operation: while one runs, the last finished sync is the
    // newest entry of the history (which records successful deployments).
    ...(running ? lastDeployment(status.history) : {}),
    resources: (status.resources ?? []).map(resource => ({
      group: resource.group ?? '',
      kind: resource.kind ?? '',
      ...(resource.namespace ? { namespace: resource.namespace } : {}),
      name: resource.name ?? '',
      syncStatus: oneOf(SYNC_STATUSES, resource.status, 'Unknown'),
      ...(resource.health?.status
        ? {
            health: {
              status: oneOf(HEALTH_STATUSES, resource.health.status, 'Unknown'),
              ...(resource.health.message
                ? { message: resource.health.message }
                : {}),
            },
          }
        : {}),
      ...(resource.requiresPruning ? { requiresPruning: true } : {}),
    })),
    history: (status.history ?? []).map(entry => ({
      id: Number(entry.id ?? 0),
      revision: entry.revision ?? '',
      ...(entry.deployStartedAt
        ? { deployStartedAt: entry.deployStartedAt }
        : {}),
      deployedAt: entry.deployedAt ?? '',
      initiatedBy: initiator(entry.initiatedBy),
    })),
    ...(uiBaseUrl
      ? {
          url: `${uiBaseUrl}/applications/${encodeURIComponent(
            app.metadata.namespace ?? 'argocd',
          )}/${encodeURIComponent(app.metadata.name)}`,
        }
      : {}),
  };
}

/** Fields the cluster sets: never drift. */
const IGNORED_PATHS = new Set([
  'status',
  'metadata.managedFields',
  'metadata.resourceVersion',
  'metadata.uid',
  'metadata.generation',
  'metadata.creationTimestamp',
  'metadata.selfLink',
]);

/** At most this many changes per resource, so a huge drift stays a readable answer. */
export const MAX_CHANGES_PER_RESOURCE = 100;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (IDENTIFIER.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function diff(
  path: string,
  live: unknown,
  desired: unknown,
  changes: DeploymentDriftChange[],
) {
  if (IGNORED_PATHS.has(path) || changes.length >= MAX_CHANGES_PER_RESOURCE) {
    return;
  }
  if (isObject(live) && isObject(desired)) {
    const keys = [...new Set([...Object.keys(desired), ...Object.keys(live)])];
    for (const key of keys) {
      diff(childPath(path, key), live[key], desired[key], changes);
    }
    return;
  }
  if (Array.isArray(live) && Array.isArray(desired)) {
    for (let i = 0; i < Math.max(live.length, desired.length); i++) {
      diff(childPath(path, i), live[i], desired[i], changes);
    }
    return;
  }
  if (JSON.stringify(live) !== JSON.stringify(desired)) {
    changes.push({
      path,
      ...(live !== undefined ? { live } : {}),
      ...(desired !== undefined ? { desired } : {}),
    });
  }
}

function parseState(text: string | undefined): unknown {
  if (text === undefined || text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * The drift of an Application's managed resources: for each resource whose live state differs
 * from the desired one, the fields that differ. It compares ArgoCD's normalized live state with
 * its predicted live state (falling back to the raw live and target states), so what ArgoCD
 * ignores (defaults, `ignoreDifferences`) is not drift; fields the cluster sets (`status`,
 * `metadata.resourceVersion`, ...) never are. A resource missing from the cluster is one change
 * at path `$` with `live: null`; one no longer in Git (to prune) has `desired: null`.
 */
export function computeDrift(
  managed: ArgoManagedResources,
): DeploymentResourceDrift[] {
  const drift: DeploymentResourceDrift[] = [];
  for (const item of managed.items ?? []) {
    const live = parseState(item.normalizedLiveState ?? item.liveState);
    const desired = parseState(item.predictedLiveState ?? item.targetState);
    const changes: DeploymentDriftChange[] = [];
    if (live === null && desired === null) continue;
    if (live === null || desired === null) {
      changes.push({
        path: '$',
        live: live === null ? null : 'present',
        desired: desired === null ? null : 'present',
      });
    } else {
      diff('', live, desired, changes);
    }
    if (changes.length === 0) continue;
    drift.push({
      group: item.group ?? '',
      kind: item.kind ?? '',
      ...(item.namespace ? { namespace: item.namespace } : {}),
      name: item.name ?? '',
      changes,
    });
  }
  return drift;
}
