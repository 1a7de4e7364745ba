import { ServiceUnavailableError, NotFoundError } from '@backstage/errors';
import { ANNOTATION_KUBERNETES_AUTH_PROVIDER } from '@backstage/plugin-kubernetes-common';
import { ClusterDetails } from '@backstage/plugin-kubernetes-node';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';

/** Where a pod's service account token is mounted (the portal running in its cluster). */
const IN_CLUSTER_TOKEN_FILE =
  '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** Default time for one request to the Kubernetes API, body included. */
export const DEFAULT_KUBERNETES_TIMEOUT_MS = 5_000;

/** A pod as this module reads it (the fields it checks). */
export interface PodSummary {
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
  };
  spec?: {
    containers?: Array<{ name: string }>;
    initContainers?: Array<{ name: string }>;
  };
}

/**
 * A few read calls to a configured cluster's Kubernetes API, with the cluster's service
 * account token. A cluster that does not answer in time, refuses the connection or fails (5xx)
 * is a `ServiceUnavailableError` naming Kubernetes and the cluster.
 */
export class ClusterClient {
  constructor(
    private readonly cluster: ClusterDetails,
    private readonly timeoutMs = DEFAULT_KUBERNETES_TIMEOUT_MS,
  ) {}

  /** The pods of `namespace` that `labelSelector` selects. */
  async listPods(namespace: string, labelSelector: string) {
    const path = `/api/v1/namespaces/${encodeURIComponent(
      namespace,
    )}/pods?${new URLSearchParams({ labelSelector })}`;
    const body = await this.get(path);
    let list: { items?: PodSummary[] };
    try {
      list = JSON.parse(body);
    } catch {
      throw this.unavailable('answered a pod list that is not JSON');
    }
    return Array.isArray(list.items) ? list.items : [];
  }

  /** The last lines of a container's log. */
  async podLog(options: {
    namespace: string;
    pod: string;
    container: string;
    tailLines: number;
    limitBytes: number;
  }): Promise<string> {
    const query = new URLSearchParams({
      container: options.container,
      tailLines: String(options.tailLines),
      limitBytes: String(options.limitBytes),
    });
    return this.get(
      `/api/v1/namespaces/${encodeURIComponent(
        options.namespace,
      )}/pods/${encodeURIComponent(options.pod)}/log?${query}`,
    );
  }

  private unavailable(what: string, cause?: Error) {
    return new ServiceUnavailableError(
      `Kubernetes (cluster '${this.cluster.name}') ${what}`,
      cause,
    );
  }

  private async token(): Promise<string> {
    const provider =
      this.cluster.authMetadata[ANNOTATION_KUBERNETES_AUTH_PROVIDER];
    if (provider !== undefined && provider !== 'serviceAccount') {
      throw this.unavailable(
        `uses authProvider '${provider}'; pod logs are read with a serviceAccount cluster only`,
      );
    }
    const token = this.cluster.authMetadata.serviceAccountToken;
    if (token) {
      return token;
    }
    try {
      return (await readFile(IN_CLUSTER_TOKEN_FILE, 'utf8')).trim();
    } catch (error) {
      throw this.unavailable(
        'has no serviceAccountToken and the portal runs outside a cluster',
        error as Error,
      );
    }
  }

  private async get(path: string): Promise<string> {
    const token = await this.token();
    // The cluster's URL may carry a path (a proxy in front of the API server): keep it.
    const url = new URL(`${this.cluster.url.replace(/\/+$/, '')}${path}`);
    const secure = url.protocol === 'https:';
    let ca: Buffer | undefined;
    if (this.cluster.caData) {
      ca = Buffer.from(this.cluster.caData, 'base64');
    } else if (this.cluster.caFile) {
      ca = await readFile(this.cluster.caFile);
    }

    const { status, body } = await new Promise<{
      status: number;
      body: string;
    }>((resolve, reject) => {
      const request = (secure ? https : http).request(
        url,
        {
          method: 'GET',
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json, text/plain',
          },
          ...(secure && {
            ca,
            rejectUnauthorized: !this.cluster.skipTLSVerify,
          }),
        },
        response => {
          const chunks: Buffer[] = [];
          response.on('data', chunk => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          response.on('error', reject);
        },
      );
      // One timer for the whole exchange, body included.
      const timer = setTimeout(
        () => request.destroy(new Error(`no answer in ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
      request.on('close', () => clearTimeout(timer));
      request.on('error', reject);
      request.end();
    }).catch(error => {
      throw this.unavailable('did not answer', error);
    });

    if (status === 404) {
      throw new NotFoundError(`Kubernetes answered 404 for ${url.pathname}`);
    }
    if (status < 200 || status >= 300) {
      let message = body.slice(0, 200);
      try {
        message = JSON.parse(body).message ?? message;
      } catch {
        // not a Status body
      }
      throw this.unavailable(`answered ${status}: ${message}`);
    }
    return body;
  }
}
