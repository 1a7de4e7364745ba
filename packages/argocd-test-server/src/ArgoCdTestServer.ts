import http from 'node:http';
import { AddressInfo } from 'node:net';
import { parseLabelSelector } from '@akili/kubernetes-test-server';

/**
 * An ArgoCD `Application` (`argoproj.io/v1alpha1`), in the shape of swagger.json's
 * `v1alpha1Application`. Only the fields the test server reads are typed.
 */
export interface ArgoApplication {
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    creationTimestamp?: string;
    resourceVersion?: string;
    [key: string]: unknown;
  };
  spec: {
    project: string;
    destination: { server?: string; name?: string; namespace?: string };
    source?: {
      repoURL: string;
      path?: string;
      targetRevision?: string;
      [key: string]: unknown;
    };
    [key: string]: unknown;
  };
  status?: {
    sync?: { status?: string; revision?: string; [key: string]: unknown };
    health?: { status?: string; message?: string; [key: string]: unknown };
    history?: ArgoRevisionHistory[];
    operationState?: ArgoOperationState;
    resources?: ArgoResourceStatus[];
    [key: string]: unknown;
  };
  operation?: Record<string, unknown>;
}

/** `v1alpha1RevisionHistory`. */
export interface ArgoRevisionHistory {
  id: number;
  revision: string;
  deployStartedAt?: string;
  deployedAt: string;
  initiatedBy?: { username?: string; automated?: boolean };
  source?: Record<string, unknown>;
}

/** `v1alpha1OperationState`. */
export interface ArgoOperationState {
  operation: {
    sync?: { revision?: string; prune?: boolean; [key: string]: unknown };
    initiatedBy?: { username?: string; automated?: boolean };
    [key: string]: unknown;
  };
  phase: 'Running' | 'Terminating' | 'Failed' | 'Error' | 'Succeeded';
  message?: string;
  startedAt: string;
  finishedAt?: string;
  syncResult?: Record<string, unknown>;
}

/** `applicationv1alpha1ResourceStatus`: one entry of `status.resources`. */
export interface ArgoResourceStatus {
  group?: string;
  version: string;
  kind: string;
  namespace?: string;
  name: string;
  status?: string;
  health?: { status?: string; message?: string };
  requiresPruning?: boolean;
}

/**
 * A resource the Application manages: its desired state (from Git) and its live state (in the
 * cluster), as objects. The server serves them as `v1alpha1ResourceDiff` (JSON strings).
 */
export interface ArgoManagedResource {
  group: string;
  version: string;
  kind: string;
  namespace?: string;
  name: string;
  /** Absent when the resource is missing from the cluster. */
  live?: Record<string, unknown>;
  /** Absent when the resource is no longer in Git (it requires pruning). */
  target?: Record<string, unknown>;
  health?: { status: string; message?: string };
}

/** A Kubernetes event about an Application or its resources (`eventsEvent`). */
export interface ArgoEvent {
  reason: string;
  message: string;
  type?: 'Normal' | 'Warning';
  involvedObject?: {
    kind: string;
    name: string;
    namespace?: string;
    apiVersion?: string;
  };
  firstTimestamp: string;
  lastTimestamp?: string;
  count?: number;
}

/** What a bearer token may do, as an ArgoCD RBAC policy of its account would say. */
export interface ArgoTokenGrant {
  /** The account's name: `initiatedBy.username` of the syncs it starts. */
  subject: string;
  /** Projects the account may `get` applications in; `'*'` for all. */
  projects: readonly string[] | '*';
  /** Whether it may `sync` applications of those projects. Default true. */
  sync?: boolean;
}

/** A request the server received. */
export interface ArgoRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  path: string;
  query: Record<string, string[]>;
  /** The bearer token sent, if any. */
  token?: string;
  /** The parsed JSON body of a POST. */
  body?: unknown;
}

/** Options of {@link ArgoCdTestServer}. */
export interface ArgoCdTestServerOptions {
  /** Accepted tokens; default one token `test-argocd-token` of account `admin` for every project. */
  tokens?: Record<string, ArgoTokenGrant>;
  /** How long a sync runs before it succeeds; default 1000 ms. */
  syncDurationMs?: number;
  /** A clock, for deterministic times. */
  now?: () => Date;
}

/** gRPC codes ArgoCD's REST gateway puts in `code`. */
const GRPC = {
  invalidArgument: 3,
  notFound: 5,
  permissionDenied: 7,
  failedPrecondition: 9,
  unimplemented: 12,
  unauthenticated: 16,
} as const;

const HTTP_OF_GRPC: Record<number, number> = {
  3: 400,
  5: 404,
  7: 403,
  9: 400,
  12: 501,
  16: 401,
};

class ArgoError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

const DEFAULT_TOKEN = 'test-argocd-token';

/**
 * An ArgoCD API server stand-in: the REST paths the portal's ArgoCD backend calls, answered in
 * the shapes of ArgoCD's swagger.json (`v1alpha1Application`, `v1alpha1ApplicationList`,
 * `v1alpha1ApplicationTree`, `applicationManagedResourcesResponse`, `eventsEventList`,
 * `versionVersionMessage`), errors as ArgoCD's gateway sends them (`{ error, code, message }`
 * with gRPC codes), bearer token auth and RBAC per token:
 *
 * - no or an unknown token: 401, `invalid session`;
 * - an application in a project the token may not read, or asked with a `project` it is not
 *   in: 403 `permission denied` (as ArgoCD, which answers a missing application the same way to
 *   callers who could not read it); a list silently leaves those applications out;
 * - an unknown application the token could read: 404 `applications.argoproj.io "<name>" not found`.
 *
 * A sync (`POST .../sync`) starts an operation (`status.operationState.phase` `Running`), which
 * succeeds after `syncDurationMs`: the live states become the desired ones, the application is
 * Synced and a history entry is appended with `initiatedBy.username` the token's account.
 * Every request is recorded in {@link ArgoCdTestServer.requests}.
 */
export class ArgoCdTestServer {
  private readonly apps = new Map<string, ArgoApplication>();
  private readonly managed = new Map<string, ArgoManagedResource[]>();
  private readonly events = new Map<string, ArgoEvent[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly tokens: Record<string, ArgoTokenGrant>;
  private readonly syncDurationMs: number;
  private readonly now: () => Date;
  private server?: http.Server;
  private resourceVersion = 1000;
  /** Requests seen, in order. */
  readonly requests: ArgoRequest[] = [];
  /** While set, every request gets this HTTP status with an ArgoCD error body (outage tests). */
  failWith?: { status: number; message: string };
  /** While set, requests are answered only after this many ms (timeout tests). */
  delayMs = 0;

  constructor(options: ArgoCdTestServerOptions = {}) {
    this.tokens = options.tokens ?? {
      [DEFAULT_TOKEN]: { subject: 'admin', projects: '*' },
    };
    this.syncDurationMs = options.syncDurationMs ?? 1000;
    this.now = options.now ?? (() => new Date());
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('ArgoCdTestServer is not started');
    return `http://127.0.0.1:${address.port}`;
  }

  /** Adds (or replaces) an application, with the resources it manages and its events. */
  addApplication(
    app: ArgoApplication,
    options: {
      managedResources?: ArgoManagedResource[];
      events?: ArgoEvent[];
    } = {},
  ) {
    const name = app.metadata.name;
    // As ArgoCD's API sends them: without `apiVersion` and `kind` (not in v1alpha1Application).
    this.apps.set(name, {
      ...app,
      metadata: {
        namespace: 'argocd',
        uid: `00000000-0000-4000-8000-${String(this.apps.size + 1).padStart(
          12,
          '0',
        )}`,
        creationTimestamp: this.now().toISOString(),
        resourceVersion: String(this.resourceVersion++),
        ...app.metadata,
      },
    });
    this.managed.set(name, options.managedResources ?? []);
    this.events.set(name, options.events ?? []);
    this.refreshResources(name);
  }

  /** An application as the server holds it (a copy). */
  getApplication(name: string): ArgoApplication | undefined {
    const app = this.apps.get(name);
    return app ? structuredClone(app) : undefined;
  }

  /** Names of the applications held, sorted. */
  applicationNames(): string[] {
    return [...this.apps.keys()].sort();
  }

  /** The resources an application manages (copies). */
  managedResources(name: string): ArgoManagedResource[] {
    return structuredClone(this.managed.get(name) ?? []);
  }

  /** Finishes a running sync of `name` now (instead of waiting for `syncDurationMs`). */
  completeSync(name: string) {
    const app = this.apps.get(name);
    const state = app?.status?.operationState;
    if (!app || !state || state.phase !== 'Running') {
      throw new Error(`Application ${name} has no running sync`);
    }
    const finishedAt = this.now().toISOString();
    const revision =
      state.operation.sync?.revision ??
      app.spec.source?.targetRevision ??
      'HEAD';
    const managed = this.managed.get(name) ?? [];
    const prune = state.operation.sync?.prune === true;
    const after = managed
      .filter(r => r.target || !prune)
      .map(r =>
        r.target
          ? {
              ...r,
              live: structuredClone(r.target),
              health: { status: 'Healthy' },
            }
          : r,
      );
    this.managed.set(name, after);
    state.phase = 'Succeeded';
    state.message = 'successfully synced (all tasks run)';
    state.finishedAt = finishedAt;
    state.syncResult = {
      revision,
      source: app.spec.source,
      resources: after.map(r => ({
        group: r.group,
        version: r.version,
        kind: r.kind,
        namespace: r.namespace ?? '',
        name: r.name,
        status: 'Synced',
        message: `${r.kind.toLowerCase()}/${r.name} configured`,
        hookPhase: 'Running',
        syncPhase: 'Sync',
      })),
    };
    delete app.operation;
    const history = (app.status!.history ??= []);
    history.push({
      id: history.reduce((max, h) => Math.max(max, h.id), -1) + 1,
      revision,
      deployStartedAt: state.startedAt,
      deployedAt: finishedAt,
      initiatedBy: state.operation.initiatedBy,
      ...(app.spec.source ? { source: app.spec.source } : {}),
    });
    // ArgoCD keeps revisionHistoryLimit entries, 10 by default.
    const limit = Number(app.spec.revisionHistoryLimit ?? 10);
    if (history.length > limit) history.splice(0, history.length - limit);
    app.status!.sync = {
      ...app.status!.sync,
      status: after.some(r => r.target === undefined) ? 'OutOfSync' : 'Synced',
      revision,
    };
    app.status!.health = { status: 'Healthy' };
    this.events.get(name)?.push({
      reason: 'OperationCompleted',
      message: `Sync operation to ${revision} succeeded`,
      type: 'Normal',
      involvedObject: {
        kind: 'Application',
        name,
        namespace: app.metadata.namespace,
        apiVersion: 'argoproj.io/v1alpha1',
      },
      firstTimestamp: finishedAt,
    });
    this.refreshResources(name);
  }

  async start(port = 0) {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch(error => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
        }
        res.end(
          JSON.stringify({
            error: String(error),
            code: 13,
            message: String(error),
          }),
        );
      });
    });
    await new Promise<void>(resolve =>
      this.server!.listen(port, '127.0.0.1', resolve),
    );
  }

  async stop() {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.server?.closeAllConnections();
    await new Promise<void>(resolve =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://x');
    const query: Record<string, string[]> = {};
    for (const [key, value] of url.searchParams) {
      (query[key] ??= []).push(value);
    }
    const authorization = req.headers.authorization;
    const token = authorization?.startsWith('Bearer ')
      ? authorization.slice('Bearer '.length)
      : undefined;
    let body: unknown;
    if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        body = text ? JSON.parse(text) : {};
      } catch {
        body = text;
      }
    }
    this.requests.push({
      method: req.method ?? 'GET',
      url: `${url.pathname}${url.search}`,
      path: url.pathname,
      query,
      ...(token ? { token } : {}),
      ...(body !== undefined ? { body } : {}),
    });
    if (this.delayMs > 0) {
      await new Promise(resolve => setTimeout(resolve, this.delayMs));
    }
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (this.failWith) {
      json(this.failWith.status, {
        error: this.failWith.message,
        code: 14,
        message: this.failWith.message,
      });
      return;
    }
    try {
      json(
        200,
        this.route(req.method ?? 'GET', url.pathname, query, token, body),
      );
    } catch (error) {
      if (error instanceof ArgoError) {
        json(HTTP_OF_GRPC[error.code] ?? 500, {
          error: error.message,
          code: error.code,
          message: error.message,
        });
        return;
      }
      throw error;
    }
  }

  private route(
    method: string,
    path: string,
    query: Record<string, string[]>,
    token: string | undefined,
    body: unknown,
  ): unknown {
    if (method === 'GET' && path === '/api/version') {
      return { Version: 'v3.1.0+test', Platform: 'linux/amd64' };
    }
    const grant = token ? this.tokens[token] : undefined;
    if (!grant) {
      throw new ArgoError(
        GRPC.unauthenticated,
        token
          ? 'invalid session: token signature is invalid'
          : 'no session information',
      );
    }
    const one = (key: string) => query[key]?.[query[key].length - 1];
    if (method === 'GET' && path === '/api/v1/applications') {
      return this.list(grant, query);
    }
    const match = /^\/api\/v1\/applications\/([^/]+)(?:\/([a-z-]+))?$/.exec(
      path,
    );
    if (!match) {
      throw new ArgoError(GRPC.unimplemented, 'Method Not Allowed');
    }
    const name = decodeURIComponent(match[1]);
    const sub = match[2];
    const action = method === 'POST' && sub === 'sync' ? 'sync' : 'get';
    const app = this.authorizedApp(
      grant,
      name,
      action,
      one('project'),
      one('appNamespace'),
    );
    if (method === 'GET' && sub === undefined) {
      return app;
    }
    if (method === 'GET' && sub === 'resource-tree') {
      return this.tree(name, app);
    }
    if (method === 'GET' && sub === 'managed-resources') {
      return this.managedResponse(name, query);
    }
    if (method === 'GET' && sub === 'events') {
      return {
        metadata: { resourceVersion: String(this.resourceVersion) },
        items: (this.events.get(name) ?? []).map((event, index) => ({
          metadata: {
            name: `${name}.${String(index).padStart(16, '0')}`,
            namespace: app.metadata.namespace,
            uid: `event-${name}-${index}`,
            creationTimestamp: event.firstTimestamp,
          },
          involvedObject: event.involvedObject ?? {
            kind: 'Application',
            name,
            namespace: app.metadata.namespace,
            apiVersion: 'argoproj.io/v1alpha1',
          },
          reason: event.reason,
          message: event.message,
          source: { component: 'argocd-application-controller' },
          firstTimestamp: event.firstTimestamp,
          lastTimestamp: event.lastTimestamp ?? event.firstTimestamp,
          count: event.count ?? 1,
          type: event.type ?? 'Normal',
        })),
      };
    }
    if (method === 'POST' && sub === 'sync') {
      return this.sync(name, app, grant, body);
    }
    throw new ArgoError(GRPC.unimplemented, 'Method Not Allowed');
  }

  private list(grant: ArgoTokenGrant, query: Record<string, string[]>) {
    // `projects` may repeat and may hold comma-separated names.
    const projects = (query.projects ?? [])
      .flatMap(p => p.split(','))
      .filter(Boolean);
    const selector = query.selector?.[query.selector.length - 1] ?? '';
    let requirements;
    try {
      requirements = parseLabelSelector(selector);
    } catch (error) {
      throw new ArgoError(
        GRPC.invalidArgument,
        `error parsing the selector: ${(error as Error).message}`,
      );
    }
    const name = query.name?.[query.name.length - 1];
    const items = [...this.apps.values()]
      .filter(
        app =>
          this.mayRead(grant, app.spec.project) &&
          (projects.length === 0 || projects.includes(app.spec.project)) &&
          (!name || app.metadata.name === name) &&
          requirements.every(r => r(app.metadata.labels ?? {})),
      )
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
      .map(app => structuredClone(app));
    return {
      metadata: { resourceVersion: String(this.resourceVersion) },
      items,
    };
  }

  private mayRead(grant: ArgoTokenGrant, project: string) {
    return grant.projects === '*' || grant.projects.includes(project);
  }

  private authorizedApp(
    grant: ArgoTokenGrant,
    name: string,
    action: 'get' | 'sync',
    project: string | undefined,
    appNamespace: string | undefined,
  ): ArgoApplication {
    const app = this.apps.get(name);
    const denied = () =>
      new ArgoError(
        GRPC.permissionDenied,
        `permission denied: applications, ${action}, ${
          project ?? app?.spec.project ?? ''
        }/${name}, sub: ${grant.subject}`,
      );
    if (
      !app ||
      (appNamespace !== undefined && appNamespace !== app.metadata.namespace)
    ) {
      // As ArgoCD: a caller who could not read such an application learns nothing of it.
      if (!this.mayRead(grant, project ?? '')) throw denied();
      throw new ArgoError(
        GRPC.notFound,
        `applications.argoproj.io "${name}" not found`,
      );
    }
    if (
      (project !== undefined && project !== app.spec.project) ||
      !this.mayRead(grant, app.spec.project) ||
      (action === 'sync' && grant.sync === false)
    ) {
      throw denied();
    }
    return structuredClone(app);
  }

  private tree(name: string, app: ArgoApplication) {
    const nodes = (this.managed.get(name) ?? [])
      .filter(r => r.live)
      .flatMap(r => {
        const uid = `uid-${name}-${r.kind}-${r.name}`.toLowerCase();
        const node = {
          group: r.group,
          version: r.version,
          kind: r.kind,
          namespace: r.namespace ?? '',
          name: r.name,
          uid,
          resourceVersion: String(this.resourceVersion),
          createdAt: app.metadata.creationTimestamp,
          ...(r.health ? { health: r.health } : {}),
        };
        if (r.kind !== 'Deployment') return [node];
        // The ReplicaSet and Pod a Deployment owns, as ArgoCD shows them.
        const rs = {
          group: 'apps',
          version: 'v1',
          kind: 'ReplicaSet',
          namespace: r.namespace ?? '',
          name: `${r.name}-7d9f8c6b5`,
          uid: `${uid}-rs`,
          parentRefs: [
            {
              group: r.group,
              kind: r.kind,
              namespace: r.namespace ?? '',
              name: r.name,
              uid,
            },
          ],
          info: [{ name: 'Revision', value: 'Rev:1' }],
          health: r.health ?? { status: 'Healthy' },
          createdAt: app.metadata.creationTimestamp,
        };
        const pod = {
          group: '',
          version: 'v1',
          kind: 'Pod',
          namespace: r.namespace ?? '',
          name: `${rs.name}-x2k4q`,
          uid: `${uid}-pod`,
          parentRefs: [
            {
              group: 'apps',
              kind: 'ReplicaSet',
              namespace: rs.namespace,
              name: rs.name,
              uid: rs.uid,
            },
          ],
          info: [
            { name: 'Status Reason', value: 'Running' },
            { name: 'Containers', value: '1/1' },
          ],
          images: containerImages(r.live),
          health: r.health ?? { status: 'Healthy' },
          createdAt: app.metadata.creationTimestamp,
        };
        return [node, rs, pod];
      });
    return { nodes };
  }

  private managedResponse(name: string, query: Record<string, string[]>) {
    const one = (key: string) => query[key]?.[query[key].length - 1];
    const items = (this.managed.get(name) ?? [])
      .filter(
        r =>
          (one('kind') === undefined || one('kind') === r.kind) &&
          (one('group') === undefined || one('group') === r.group) &&
          (one('name') === undefined || one('name') === r.name) &&
          (one('namespace') === undefined || one('namespace') === r.namespace),
      )
      .map(r => {
        // ArgoCD sends the states as JSON strings; `null` for a side that does not exist.
        const live = r.live ? JSON.stringify(r.live) : 'null';
        const target = r.target ? JSON.stringify(r.target) : 'null';
        return {
          group: r.group,
          kind: r.kind,
          namespace: r.namespace ?? '',
          name: r.name,
          liveState: live,
          targetState: target,
          normalizedLiveState: live,
          predictedLiveState: target,
          modified: live !== target,
          hook: false,
          resourceVersion: String(this.resourceVersion),
        };
      });
    return { items };
  }

  private sync(
    name: string,
    app: ArgoApplication,
    grant: ArgoTokenGrant,
    body: unknown,
  ) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new ArgoError(
        GRPC.invalidArgument,
        'invalid character in the request body',
      );
    }
    const request = body as {
      revision?: unknown;
      prune?: unknown;
      dryRun?: unknown;
      name?: unknown;
    };
    if (request.name !== undefined && request.name !== name) {
      throw new ArgoError(
        GRPC.invalidArgument,
        `name in the body (${String(
          request.name,
        )}) does not match the path (${name})`,
      );
    }
    if (
      request.revision !== undefined &&
      typeof request.revision !== 'string'
    ) {
      throw new ArgoError(GRPC.invalidArgument, 'revision must be a string');
    }
    const held = this.apps.get(name)!;
    if (held.status?.operationState?.phase === 'Running') {
      throw new ArgoError(
        GRPC.failedPrecondition,
        'another operation is already in progress',
      );
    }
    const revision =
      (request.revision as string | undefined) ||
      app.spec.source?.targetRevision ||
      'HEAD';
    const operation = {
      sync: {
        revision,
        ...(request.prune === true ? { prune: true } : {}),
        ...(request.dryRun === true ? { dryRun: true } : {}),
      },
      initiatedBy: { username: grant.subject },
      retry: {},
    };
    held.operation = operation;
    held.status ??= {};
    held.status.operationState = {
      operation,
      phase: 'Running',
      message: 'one or more tasks are running',
      startedAt: this.now().toISOString(),
    };
    held.metadata.resourceVersion = String(this.resourceVersion++);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.apps.get(name)?.status?.operationState?.phase === 'Running') {
        this.completeSync(name);
      }
    }, this.syncDurationMs);
    this.timers.add(timer);
    return structuredClone(held);
  }

  /** Recomputes `status.resources` and the sync status from the managed resources. */
  private refreshResources(name: string) {
    const app = this.apps.get(name)!;
    const managed = this.managed.get(name) ?? [];
    if (managed.length === 0) return;
    app.status ??= {};
    app.status.resources = managed.map(r => {
      const synced =
        r.live !== undefined &&
        r.target !== undefined &&
        JSON.stringify(r.live) === JSON.stringify(r.target);
      return {
        ...(r.group ? { group: r.group } : {}),
        version: r.version,
        kind: r.kind,
        ...(r.namespace ? { namespace: r.namespace } : {}),
        name: r.name,
        status: synced ? 'Synced' : 'OutOfSync',
        ...(r.health ? { health: r.health } : {}),
        ...(r.target === undefined ? { requiresPruning: true } : {}),
      };
    });
  }
}

function containerImages(live: Record<string, unknown> | undefined): string[] {
  const containers = (
    live as
      | {
          spec?: {
            template?: { spec?: { containers?: Array<{ image?: string }> } };
          };
        }
      | undefined
  )?.spec?.template?.spec?.containers;
  return (containers ?? [])
    .map(c => c.image)
    .filter((image): image is string => typeof image === 'string');
}

/** Starts an {@link ArgoCdTestServer} on `port` (default: a free one). */
export async function startArgoCdTestServer(
  options: ArgoCdTestServerOptions & { port?: number } = {},
): Promise<ArgoCdTestServer> {
  const server = new ArgoCdTestServer(options);
  await server.start(options.port);
  return server;
}

export { DEFAULT_TOKEN as DEFAULT_ARGOCD_TEST_TOKEN };
