import http from 'node:http';
import { AddressInfo } from 'node:net';
import { parseLabelSelector } from './labelSelector';

/** A Kubernetes object the stand-in serves. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** A resource type as the API path names it: group (`''` for core), version and plural. */
export interface KubeResourceType {
  group: string;
  version: string;
  plural: string;
}

/** A request the server received, parsed. */
export interface KubeRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  /** The resource type listed or read, when the path names one. */
  type?: KubeResourceType;
  /** The namespace of a namespaced path; `undefined` for a cluster-wide one. */
  namespace?: string;
  name?: string;
  labelSelector?: string;
}

/** The kinds of the resource types the Kubernetes backend reads, for the kind of their lists. */
const KINDS: Record<string, string> = {
  pods: 'Pod',
  services: 'Service',
  configmaps: 'ConfigMap',
  limitranges: 'LimitRange',
  resourcequotas: 'ResourceQuota',
  deployments: 'Deployment',
  replicasets: 'ReplicaSet',
  horizontalpodautoscalers: 'HorizontalPodAutoscaler',
  jobs: 'Job',
  cronjobs: 'CronJob',
  ingresses: 'Ingress',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
  secrets: 'Secret',
  persistentvolumes: 'PersistentVolume',
  persistentvolumeclaims: 'PersistentVolumeClaim',
  namespaces: 'Namespace',
};

/** The resource types of the objects the Kubernetes backend lists by default, by plural. */
export const KUBE_TYPES = {
  pods: { group: '', version: 'v1', plural: 'pods' },
  services: { group: '', version: 'v1', plural: 'services' },
  configmaps: { group: '', version: 'v1', plural: 'configmaps' },
  deployments: { group: 'apps', version: 'v1', plural: 'deployments' },
  replicasets: { group: 'apps', version: 'v1', plural: 'replicasets' },
  podMetrics: { group: 'metrics.k8s.io', version: 'v1beta1', plural: 'pods' },
} as const satisfies Record<string, KubeResourceType>;

/**
 * A Kubernetes API server stand-in: the read paths of the Kubernetes backend
 * (`/api/:version[/namespaces/:ns]/:plural[/:name]`,
 * `/apis/:group/:version[/namespaces/:ns]/:plural[/:name]`), lists with Kubernetes' list kinds
 * (`PodList`, ...) and `metadata.resourceVersion`, label selectors (equality and set based),
 * bearer token auth and Kubernetes' `Status` bodies for errors. A list of a type it holds nothing
 * of is empty, as on a real cluster. Every request is recorded in {@link KubernetesTestServer.requests}.
 */
export class KubernetesTestServer {
  private readonly objects: Array<{
    type: KubeResourceType;
    object: KubeObject;
  }> = [];
  private readonly logs = new Map<string, string>();
  private server?: http.Server;
  /** Requests seen, parsed, in order. */
  readonly requests: KubeRequest[] = [];

  constructor(readonly token = 'test-service-account-token') {}

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('KubernetesTestServer is not started');
    return `http://127.0.0.1:${address.port}`;
  }

  add(type: KubeResourceType, object: KubeObject) {
    this.objects.push({ type, object });
  }

  /** Every object of a namespace. */
  objectsIn(namespace: string): KubeObject[] {
    return this.objects
      .map(o => o.object)
      .filter(o => o.metadata.namespace === namespace);
  }

  /** Sets the log text of a pod (`GET .../pods/:name/log`); a pod without one logs nothing. */
  setLogs(namespace: string, pod: string, text: string) {
    this.logs.set(`${namespace}/${pod}`, text);
  }

  /** Starts listening on 127.0.0.1 (a free port unless one is given). */
  async start(port = 0) {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', resolve);
    });
  }

  async stop() {
    this.server?.closeAllConnections();
    await new Promise<void>(resolve => this.server?.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = this.parse(url.pathname);
    const labelSelector = url.searchParams.get('labelSelector') ?? undefined;
    this.requests.push({
      method: req.method ?? 'GET',
      url: `${url.pathname}${url.search}`,
      ...path,
      labelSelector,
    });
    const json = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const status = (code: number, reason: string, message: string) =>
      json(code, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message,
        reason,
        code,
      });
    // The API server's health and version endpoints, public as on a cluster
    // (system:public-info-viewer).
    if (url.pathname === '/readyz' || url.pathname === '/livez') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (url.pathname === '/version') {
      json(200, {
        major: '1',
        minor: '31',
        gitVersion: 'v1.31.0+k3s1',
        platform: 'linux/amd64',
      });
      return;
    }
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      status(401, 'Unauthorized', 'Unauthorized');
      return;
    }
    if (req.method !== 'GET') {
      status(405, 'MethodNotAllowed', 'the server does not allow this method');
      return;
    }
    const log = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/.exec(
      url.pathname,
    );
    if (log) {
      const [namespace, pod] = log.slice(1).map(decodeURIComponent);
      const exists = this.objects.some(
        o =>
          o.type.plural === 'pods' &&
          o.type.group === '' &&
          o.object.metadata.namespace === namespace &&
          o.object.metadata.name === pod,
      );
      if (!exists) {
        status(404, 'NotFound', `pods "${pod}" not found`);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(this.logs.get(`${namespace}/${pod}`) ?? '');
      return;
    }
    if (!path) {
      status(
        404,
        'NotFound',
        'the server could not find the requested resource',
      );
      return;
    }
    let requirements;
    try {
      requirements = parseLabelSelector(labelSelector ?? '');
    } catch (e) {
      status(400, 'BadRequest', (e as Error).message);
      return;
    }
    const { type, namespace, name } = path;
    const matches = this.objects
      .filter(
        o =>
          o.type.group === type.group &&
          o.type.version === type.version &&
          o.type.plural === type.plural &&
          (namespace === undefined ||
            o.object.metadata.namespace === namespace) &&
          requirements.every(r => r(o.object.metadata.labels ?? {})),
      )
      .map(o => o.object);
    if (name !== undefined) {
      const found = matches.find(o => o.metadata.name === name);
      if (!found) {
        status(404, 'NotFound', `${type.plural} "${name}" not found`);
        return;
      }
      json(200, found);
      return;
    }
    const kind =
      matches[0]?.kind ??
      KINDS[type.plural] ??
      `${type.plural[0].toUpperCase()}${type.plural.slice(1)}`;
    json(200, {
      kind: `${kind}List`,
      apiVersion: type.group ? `${type.group}/${type.version}` : type.version,
      metadata: { resourceVersion: '1' },
      items: matches,
    });
  }

  private parse(
    pathname: string,
  ): { type: KubeResourceType; namespace?: string; name?: string } | undefined {
    const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
    let group: string;
    let rest: string[];
    if (parts[0] === 'api' && parts.length >= 3) {
      group = '';
      rest = parts.slice(1);
    } else if (parts[0] === 'apis' && parts.length >= 4) {
      group = parts[1];
      rest = parts.slice(2);
    } else {
      return undefined;
    }
    const [version, ...tail] = rest;
    // `/namespaces` and `/namespaces/:name` are the namespaces themselves.
    if (tail[0] === 'namespaces' && tail.length >= 3) {
      const [, namespace, plural, name, ...more] = tail;
      if (more.length) return undefined;
      return { type: { group, version, plural }, namespace, name };
    }
    const [plural, name, ...more] = tail;
    if (more.length) return undefined;
    return { type: { group, version, plural }, name };
  }
}
