/**
 * The shapes of the ArgoCD plugin's REST API (`/api/argocd/v1/...`). Status values are ArgoCD's
 * own (`v1alpha1SyncStatus.status`, `v1alpha1HealthStatus.status`, `v1alpha1OperationState.phase`).
 */

/**
 * Whether the live state of an Application (or one of its resources) matches Git.
 *
 * @public
 */
export type DeploymentSyncStatus = 'Synced' | 'OutOfSync' | 'Unknown';

/**
 * ArgoCD's health of an Application or resource.
 *
 * @public
 */
export type DeploymentHealthStatus =
  | 'Healthy'
  | 'Progressing'
  | 'Degraded'
  | 'Suspended'
  | 'Missing'
  | 'Unknown';

/**
 * The phase of a sync operation.
 *
 * @public
 */
export type DeploymentOperationPhase =
  | 'Running'
  | 'Terminating'
  | 'Failed'
  | 'Error'
  | 'Succeeded';

/**
 * Health with ArgoCD's message, if any.
 *
 * @public
 */
export interface DeploymentHealth {
  status: DeploymentHealthStatus;
  message?: string;
}

/**
 * Who started a sync: a user (`username`, e.g. the portal's account for a sync started in the
 * portal) or ArgoCD's automated sync policy.
 *
 * @public
 */
export interface DeploymentInitiator {
  username?: string;
  automated: boolean;
}

/**
 * A sync operation: the one running now (`operation`) or the last one (`lastSync`).
 *
 * @public
 */
export interface DeploymentOperation {
  phase: DeploymentOperationPhase;
  /** ISO 8601. */
  startedAt: string;
  /** ISO 8601; absent while running. */
  finishedAt?: string;
  message?: string;
  /** The revision being synced or synced. */
  revision?: string;
  initiatedBy: DeploymentInitiator;
}

/**
 * One Kubernetes resource managed by the Application.
 *
 * @public
 */
export interface DeploymentResource {
  /** API group; `''` for the core group. */
  group: string;
  kind: string;
  namespace?: string;
  name: string;
  syncStatus: DeploymentSyncStatus;
  health?: DeploymentHealth;
  /** In the cluster but no longer in Git. */
  requiresPruning?: boolean;
}

/**
 * One entry of the Application's sync history (ArgoCD keeps the last ten by default).
 *
 * @public
 */
export interface DeploymentHistoryEntry {
  id: number;
  revision: string;
  /** ISO 8601. */
  deployStartedAt?: string;
  /** ISO 8601. */
  deployedAt: string;
  initiatedBy: DeploymentInitiator;
}

/**
 * A data product's ArgoCD Application, as the portal shows it.
 *
 * @public
 */
export interface DeploymentApplication {
  name: string;
  /** The ArgoCD project: always the product's tenant's project. */
  project: string;
  /** The destination namespace: always the product's tenant's namespace. */
  namespace: string;
  /** Git repository of the desired state. */
  repoURL: string;
  /** Path of the manifests in the repository. */
  path?: string;
  /** Branch, tag or commit the Application follows. */
  targetRevision?: string;
  /** The revision last compared with the cluster. */
  revision?: string;
  syncStatus: DeploymentSyncStatus;
  health: DeploymentHealth;
  /** The sync operation in progress, if any. */
  operation?: DeploymentOperation;
  /** The last finished sync operation, if any. */
  lastSync?: DeploymentOperation;
  resources: DeploymentResource[];
  /** Oldest first, as ArgoCD keeps it. */
  history: DeploymentHistoryEntry[];
  /** The Application in ArgoCD's UI, when `argocd.baseUrl` is configured. */
  url?: string;
}

/**
 * The labels, project and namespace an Application must carry to be the product's.
 *
 * @public
 */
export interface ExpectedDeploymentApplication {
  project: string;
  namespace: string;
  labels: Record<string, string>;
}

/**
 * Answer of `GET /v1/products/:namespace/:name/deployment`: ArgoCD is not configured, the
 * product has no Application (yet) in its tenant's project, or its Application.
 *
 * @public
 */
export type ProductDeployment =
  | { status: 'not-configured' }
  | {
      status: 'not-deployed';
      expectedApplication: ExpectedDeploymentApplication;
    }
  | {
      status: 'deployed';
      application: DeploymentApplication;
      /** Whether the caller may start a sync (`akili.deployment.sync` in the tenant). */
      canSync?: boolean;
    };

/**
 * One difference between the live and the desired state of a resource. Values are JSON values
 * at `path`; `undefined` where the field is absent on that side.
 *
 * @public
 */
export interface DeploymentDriftChange {
  /** JSON path of the field, e.g. `spec.replicas` or `spec.template.spec.containers[0].image`. */
  path: string;
  live?: unknown;
  desired?: unknown;
}

/**
 * A resource whose live state differs from Git.
 *
 * @public
 */
export interface DeploymentResourceDrift {
  group: string;
  kind: string;
  namespace?: string;
  name: string;
  changes: DeploymentDriftChange[];
}

/**
 * Answer of `GET /v1/products/:namespace/:name/deployment/drift` (computed from ArgoCD's managed
 * resources). `status` mirrors {@link ProductDeployment}; `resources` is empty unless deployed.
 *
 * @public
 */
export interface DeploymentDrift {
  status: ProductDeployment['status'];
  /** Application name, when deployed. */
  application?: string;
  resources: DeploymentResourceDrift[];
}

/**
 * Optional body of `POST /v1/products/:namespace/:name/deployment/sync`.
 *
 * @public
 */
export interface SyncRequest {
  /** Revision to sync to; default the Application's target revision. */
  revision?: string;
  /** Delete resources no longer in Git. Default false. */
  prune?: boolean;
}

/**
 * Answer of `POST /v1/products/:namespace/:name/deployment/sync`: the sync started.
 *
 * @public
 */
export interface SyncResponse {
  application: string;
  /** The revision the sync was asked for (the target revision when none was given). */
  revision: string;
  /** The operation ArgoCD started. */
  operation?: DeploymentOperation;
  /** The audit entry's id. */
  auditId: string;
}

/**
 * One sync started from the portal, from the tenant's audit trail
 * (`GET /v1/tenants/:tenant/deployment-audit`, operators only), with its outcome: `unknown`
 * while ArgoCD's answer was never recorded.
 *
 * @public
 */
export interface DeploymentSyncAuditEntry {
  id: string;
  tenant: string;
  /** User entity ref, or `token:<id>`. */
  actor: string;
  /** The product's entity ref. */
  product: string;
  application: string;
  revision: string;
  /** ISO 8601: when it was asked. */
  at: string;
  outcome: 'succeeded' | 'failed' | 'unknown';
  /** ISO 8601. */
  outcomeAt?: string;
  /** What the caller was told when it failed. */
  error?: string;
}

/**
 * The `error.name` of the deployment API's ArgoCD failures, so the portal can say what is wrong
 * with ArgoCD rather than show a generic error.
 *
 * @public
 */
export const ARGOCD_ERROR_NAMES = {
  /** 503: a sync was asked while `argocd.baseUrl` is not configured. */
  notConfigured: 'ArgoCdNotConfiguredError',
  /** 503: ArgoCD did not answer in time, refused the connection, or failed. */
  unavailable: 'ArgoCdUnavailableError',
  /** 502: ArgoCD refused the portal's account (token or rights) or the request. */
  failed: 'ArgoCdFailedError',
  /** 409: ArgoCD is already running an operation on the Application. */
  conflict: 'ArgoCdConflictError',
} as const;
