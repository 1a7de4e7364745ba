import { RootConfigService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  KafkaEventTransport,
  readAkiliEventsConfig,
} from '@akili/plugin-akili-node';
// The one reader of `starrocks.*` lives in the StarRocks backend (no -node package yet): reused,
// not copied, so the health check logs in exactly as the query engine would.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import { readStarrocksConfig } from '@akili/plugin-starrocks-backend';
import { PlatformDependencyId } from '@akili/plugin-platform-health-common';
import type { Knex } from 'knex';
import { createConnection } from 'mysql2/promise';
import { displayUrl } from './redact';
import { expectOk, httpRequest, joinUrl, jsonOf } from './http';

/**
 * A check of one configured dependency. `run` resolves when the dependency answered well,
 * resolves with `{ degraded }` when it answered only partly, and throws when it is down. The
 * runner adds the timeout (the signal), the latency and the redaction of `secrets`.
 */
export interface DependencyCheck {
  id: PlatformDependencyId;
  /** What is checked, for logs: scheme, host and path, never credentials. */
  target: string;
  /** Values that must never appear in a stored or shown message. */
  secrets: string[];
  run(signal: AbortSignal): Promise<void | { degraded: string }>;
}

/** The dependencies the portal cannot work without: the readiness includes them. */
export const CRITICAL_DEPENDENCIES: ReadonlySet<PlatformDependencyId> = new Set(
  ['postgresql'],
);

/** Resolves `promise` or rejects when `signal` aborts (for clients that take no signal). */
function untilAborted<T>(
  promise: Promise<T>,
  signal: AbortSignal,
  onAbort: () => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      onAbort();
      reject(signal.reason ?? new Error('aborted'));
    };
    if (signal.aborted) {
      abort();
      return;
    }
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      value => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      error => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}

/** PostgreSQL: the portal's own database, through the database service (`select 1`). */
function postgresqlCheck(db: () => Promise<Knex>): DependencyCheck {
  return {
    id: 'postgresql',
    target: 'the portal database',
    secrets: [],
    async run(signal) {
      const knex = await db();
      const query = knex.raw('select 1 as ok');
      await untilAborted(query, signal, () => {
        // knex queries are promises with a cancel on PostgreSQL; an abandoned one just finishes.
      });
    },
  };
}

/** Redpanda: the kafkajs client akili-node builds from `akili.events.kafka`; describeCluster. */
function redpandaCheck(
  config: RootConfigService,
  timeoutMs: number,
): DependencyCheck | undefined {
  const events = readAkiliEventsConfig(config);
  if (events.transport !== 'kafka' || !events.kafka) {
    return undefined;
  }
  const kafkaConfig = events.kafka;
  const sasl = kafkaConfig.sasl as { password?: string } | undefined;
  return {
    id: 'redpanda',
    target: kafkaConfig.brokers.join(','),
    secrets: sasl?.password ? [sasl.password] : [],
    async run(signal) {
      const transport = KafkaEventTransport.create({
        brokers: kafkaConfig.brokers,
        clientId: `${kafkaConfig.clientId}-health`,
        ssl: kafkaConfig.ssl,
        sasl: kafkaConfig.sasl,
        connectionTimeoutMs: timeoutMs,
        requestTimeoutMs: timeoutMs,
        retries: 0,
      });
      const admin = transport.kafka.admin();
      const disconnect = () => {
        admin.disconnect().catch(() => undefined);
      };
      try {
        const cluster = await untilAborted(
          admin.connect().then(() => admin.describeCluster()),
          signal,
          disconnect,
        );
        if (cluster.brokers.length === 0) {
          throw new Error('Redpanda answered with no brokers');
        }
        if (cluster.controller === null || cluster.controller < 0) {
          return { degraded: 'Redpanda has no controller' };
        }
        return undefined;
      } finally {
        disconnect();
      }
    },
  };
}

/** Dagster: `POST <baseUrl>/graphql` with `{ version }`. */
function dagsterCheck(config: RootConfigService): DependencyCheck | undefined {
  const baseUrl = config.getOptionalString('dagster.baseUrl');
  if (!baseUrl) {
    return undefined;
  }
  return {
    id: 'dagster',
    target: displayUrl(baseUrl),
    secrets: [],
    async run(signal) {
      const answer = await httpRequest(joinUrl(baseUrl, 'graphql'), {
        signal,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ version }' }),
      });
      expectOk('Dagster', answer);
      const body = jsonOf('Dagster', answer);
      if (typeof body?.data?.version !== 'string') {
        throw new Error('Dagster answered without a version');
      }
    },
  };
}

/** StarRocks: a MySQL-protocol login and `SELECT 1`. */
function starrocksCheck(
  config: RootConfigService,
  timeoutMs: number,
): DependencyCheck | undefined {
  const own = config.getOptionalConfig('platformHealth.starrocks');
  let login: { host: string; port: number; user: string; password: string };
  if (own) {
    login = {
      host: own.getString('host'),
      port: own.getOptionalNumber('port') ?? 9030,
      user: own.getString('user'),
      password: own.getString('password'),
    };
  } else {
    const starrocks = readStarrocksConfig(config);
    const first = Object.values(starrocks.tenants)[0];
    if (starrocks.engine !== 'mysql' || !first) {
      return undefined;
    }
    login = first;
  }
  return {
    id: 'starrocks',
    target: `mysql://${login.host}:${login.port}`,
    secrets: [login.password],
    async run(signal) {
      let destroy = () => {};
      const work = (async () => {
        const connection = await createConnection({
          host: login.host,
          port: login.port,
          user: login.user,
          password: login.password,
          connectTimeout: timeoutMs,
        });
        destroy = () => connection.destroy();
        try {
          await connection.query('SELECT 1');
        } finally {
          await connection.end().catch(() => connection.destroy());
        }
      })();
      await untilAborted(work, signal, () => destroy());
    },
  };
}

/** Ceph S3: an anonymous `GET` on the endpoint; any answer below 500 is a live gateway. */
function cephS3Check(config: RootConfigService): DependencyCheck | undefined {
  const endpoint = config.getOptionalString('lake.s3.endpoint');
  if (!endpoint) {
    return undefined;
  }
  return {
    id: 'ceph-s3',
    target: displayUrl(endpoint),
    secrets: [],
    async run(signal) {
      const answer = await httpRequest(endpoint, { signal });
      if (answer.status >= 500) {
        expectOk('Ceph S3', answer);
      }
    },
  };
}

/** The OIDC provider of `auth.providers.oidc` for `auth.environment` (or the first one). */
function oidcProvider(config: RootConfigService): Config | undefined {
  const providers = config.getOptionalConfig('auth.providers.oidc');
  if (!providers) {
    return undefined;
  }
  const environment = config.getOptionalString('auth.environment');
  const key =
    environment && providers.has(environment)
      ? environment
      : providers.keys()[0];
  return key ? providers.getConfig(key) : undefined;
}

/** Authentik: the OIDC discovery document of `auth.providers.oidc.*.metadataUrl`. */
function authentikCheck(
  config: RootConfigService,
): DependencyCheck | undefined {
  const metadataUrl = oidcProvider(config)?.getOptionalString('metadataUrl');
  if (!metadataUrl) {
    return undefined;
  }
  return {
    id: 'authentik',
    target: displayUrl(metadataUrl),
    secrets: [],
    async run(signal) {
      const answer = await httpRequest(metadataUrl, { signal });
      expectOk('Authentik', answer);
      const document = jsonOf('Authentik', answer);
      if (typeof document?.issuer !== 'string') {
        throw new Error(
          'Authentik answered a discovery document without issuer',
        );
      }
    },
  };
}

/** GitLab: `GET /api/v4/version` with the token of `integrations.gitlab[0]`. */
function gitlabCheck(config: RootConfigService): DependencyCheck | undefined {
  const integration = config.getOptionalConfigArray('integrations.gitlab')?.[0];
  if (!integration) {
    return undefined;
  }
  const host = integration.getString('host');
  const apiBaseUrl =
    integration.getOptionalString('apiBaseUrl') ??
    joinUrl(
      integration.getOptionalString('baseUrl') ?? `https://${host}`,
      'api/v4',
    );
  const token = integration.getOptionalString('token');
  return {
    id: 'gitlab',
    target: displayUrl(apiBaseUrl),
    secrets: token ? [token] : [],
    async run(signal) {
      const answer = await httpRequest(joinUrl(apiBaseUrl, 'version'), {
        signal,
        headers: token ? { 'private-token': token } : {},
      });
      expectOk('GitLab', answer);
      if (typeof jsonOf('GitLab', answer)?.version !== 'string') {
        throw new Error('GitLab answered without a version');
      }
    },
  };
}

/** ArgoCD: `GET /api/version`. */
function argocdCheck(config: RootConfigService): DependencyCheck | undefined {
  const baseUrl = config.getOptionalString('argocd.baseUrl');
  if (!baseUrl) {
    return undefined;
  }
  const token = config.getOptionalString('argocd.token');
  return {
    id: 'argocd',
    target: displayUrl(baseUrl),
    secrets: token ? [token] : [],
    async run(signal) {
      const answer = await httpRequest(joinUrl(baseUrl, 'api/version'), {
        signal,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      expectOk('ArgoCD', answer);
      if (typeof jsonOf('ArgoCD', answer)?.Version !== 'string') {
        throw new Error('ArgoCD answered without a Version');
      }
    },
  };
}

interface KubernetesCluster {
  name: string;
  url: string;
  token?: string;
  ca?: string;
  skipTLSVerify: boolean;
}

/** The clusters of `kubernetes.clusterLocatorMethods` of type `config`. */
function kubernetesClusters(config: RootConfigService): KubernetesCluster[] {
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  return methods
    .filter(method => method.getOptionalString('type') === 'config')
    .flatMap(method => method.getOptionalConfigArray('clusters') ?? [])
    .map(cluster => {
      const caData = cluster.getOptionalString('caData');
      return {
        name: cluster.getString('name'),
        url: cluster.getString('url'),
        token: cluster.getOptionalString('serviceAccountToken'),
        ca: caData ? Buffer.from(caData, 'base64').toString('utf8') : undefined,
        skipTLSVerify: cluster.getOptionalBoolean('skipTLSVerify') ?? false,
      };
    });
}

/**
 * Kubernetes: `GET /readyz` of every configured cluster with its service account token. Some
 * clusters down is `degraded`, all down is `down`.
 */
function kubernetesCheck(
  config: RootConfigService,
): DependencyCheck | undefined {
  const clusters = kubernetesClusters(config);
  if (clusters.length === 0) {
    return undefined;
  }
  return {
    id: 'kubernetes',
    target: clusters.map(c => displayUrl(c.url)).join(','),
    secrets: clusters.flatMap(c => (c.token ? [c.token] : [])),
    async run(signal) {
      const results = await Promise.allSettled(
        clusters.map(async cluster => {
          const secure = cluster.url.startsWith('https:');
          const answer = await httpRequest(joinUrl(cluster.url, 'readyz'), {
            signal,
            headers: cluster.token
              ? { authorization: `Bearer ${cluster.token}` }
              : {},
            tls:
              secure && (cluster.ca || cluster.skipTLSVerify)
                ? {
                    ca: cluster.ca,
                    rejectUnauthorized: !cluster.skipTLSVerify,
                  }
                : undefined,
          });
          expectOk(`Kubernetes cluster ${cluster.name}`, answer);
        }),
      );
      const failures = results.flatMap((result, index) =>
        result.status === 'rejected'
          ? [
              `${clusters[index].name}: ${
                result.reason instanceof Error
                  ? result.reason.message
                  : String(result.reason)
              }`,
            ]
          : [],
      );
      if (failures.length === clusters.length) {
        throw new Error(failures.join('; '));
      }
      return failures.length > 0
        ? { degraded: failures.join('; ') }
        : undefined;
    },
  };
}

/**
 * The checks of every dependency, from the configuration the portal already has; `undefined`
 * for a dependency without configuration (`not-configured`). A malformed configuration throws
 * at start-up naming its key (the readers of akili-node and starrocks-backend do).
 */
export function createDependencyChecks(options: {
  config: RootConfigService;
  database: () => Promise<Knex>;
  timeoutMs: number;
}): Record<PlatformDependencyId, DependencyCheck | undefined> {
  const { config, database, timeoutMs } = options;
  return {
    postgresql: postgresqlCheck(database),
    redpanda: redpandaCheck(config, timeoutMs),
    dagster: dagsterCheck(config),
    starrocks: starrocksCheck(config, timeoutMs),
    'ceph-s3': cephS3Check(config),
    authentik: authentikCheck(config),
    gitlab: gitlabCheck(config),
    argocd: argocdCheck(config),
    kubernetes: kubernetesCheck(config),
  };
}
