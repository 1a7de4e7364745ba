import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  AuthService,
  BackendFeature,
  BackstageCredentials,
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  defaultServicesForTestBackend,
  testSignInProviderModule,
} from '@akili/plugin-akili-node/testUtils';
import { stringify } from 'yaml';
import { portalBackendFeatures } from '../../features';
import { sweepMarker, TENANT_A, TENANT_B, TenantFixture } from './fixtures';
import { startSweepLake, SweepLake } from './lake';
import { backendDir } from './paths';
import {
  readAppConfig,
  readConfigFile,
  startSweepPeers,
  sweepGitlabRootGroup,
  SweepPeers,
  SWEEP_CLUSTER,
  SWEEP_ARGOCD_TOKEN,
  SWEEP_KUBE_TOKEN,
} from './peers';

/**
 * The sweep's users and the ownership refs their tokens carry, as the Akili sign-in resolver
 * would issue them from Authentik groups: a developer and operator, and a consumer, of each
 * tenant. None is a platform admin.
 */
export const SWEEP_USERS = {
  alice: [
    'user:default/alice',
    'group:akili/acme.developer',
    'group:akili/acme.operator',
  ],
  carol: ['user:default/carol', 'group:akili/acme.consumer'],
  bob: [
    'user:default/bob',
    'group:akili/globex.developer',
    'group:akili/globex.operator',
  ],
  dave: ['user:default/dave', 'group:akili/globex.consumer'],
  /** A platform admin: registers the tenants' locations before the sweep. */
  root: ['user:default/root', 'group:akili/platform-admin'],
  /**
   * A developer and operator of a tenant outside the sweep: the other party of the sweep
   * tenants' access agreements (lake.ts). Not a viewer.
   */
  ivan: [
    'user:default/ivan',
    'group:akili/initech.developer',
    'group:akili/initech.operator',
  ],
} as const;

export type SweepUser = keyof typeof SWEEP_USERS;

/** The auth provider id of the test-only provider that issues the sweep users' tokens. */
export const SWEEP_AUTH_PROVIDER = 'sweep';

/**
 * A test-only auth provider module: `GET /api/auth/sweep/refresh?user=alice` issues a real
 * Backstage user token through the auth backend's own token issuer (the same signing keys and
 * JWKS every plugin verifies against), for one of {@link SWEEP_USERS}.
 */
const sweepAuthProviderModule = testSignInProviderModule({
  providerId: SWEEP_AUTH_PROVIDER,
  users: SWEEP_USERS,
});

/** What a probe plugin inside the backend can do with the real `AuthService`. */
export interface AuthProbe {
  /** A plugin-to-plugin token minted by the probe plugin for another plugin (`targetPluginId`). */
  serviceToken(targetPluginId: string): Promise<string>;
  /** A token for `targetPluginId` on behalf of the user whose token is given. */
  onBehalfOfUserToken(
    userToken: string,
    targetPluginId: string,
  ): Promise<string>;
}

function createAuthProbePlugin(): {
  plugin: ReturnType<typeof createBackendPlugin>;
  probe: AuthProbe;
} {
  let auth: AuthService | undefined;
  const ready = () => {
    if (!auth) throw new Error('The auth probe plugin has not started');
    return auth;
  };
  const plugin = createBackendPlugin({
    pluginId: 'sweep-probe',
    register(reg) {
      reg.registerInit({
        deps: { auth: coreServices.auth },
        async init(deps) {
          auth = deps.auth;
        },
      });
    },
  });
  const token = async (
    onBehalfOf: BackstageCredentials,
    targetPluginId: string,
  ) =>
    (await ready().getPluginRequestToken({ onBehalfOf, targetPluginId })).token;
  return {
    plugin,
    probe: {
      async serviceToken(targetPluginId) {
        return token(await ready().getOwnServiceCredentials(), targetPluginId);
      },
      async onBehalfOfUserToken(userToken, targetPluginId) {
        return token(await ready().authenticate(userToken), targetPluginId);
      },
    },
  };
}

/** The store the sweep runs on. */
export type SweepDatabase =
  | { client: 'better-sqlite3' }
  | { client: 'pg'; connection: string; prefix: string };

/**
 * Production configuration that adds routes (app-config.production.yaml): the GitLab webhook's
 * events ingress (`events.modules`), with test values for its environment variables.
 */
function productionRouteConfig() {
  const production = readConfigFile('app-config.production.yaml');
  const withTestValues = (value: unknown): unknown => {
    if (typeof value === 'string') {
      return value.replace(/\$\{(\w+)\}/g, (_, name: string) =>
        testValueOf(name),
      );
    }
    if (Array.isArray(value)) return value.map(withTestValues);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, withTestValues(v)]),
      );
    }
    return value;
  };
  return { events: { modules: withTestValues(production.events?.modules) } };
}

/** The sweep's value of an environment variable production configuration refers to. */
function testValueOf(variable: string): string {
  return `sweep-${variable.toLocaleLowerCase('en-US').replace(/_/g, '-')}`;
}

/** The GitLab webhook secret of the sweep (GITLAB_WEBHOOK_SECRET in production). */
export const SWEEP_GITLAB_WEBHOOK_SECRET = testValueOf('GITLAB_WEBHOOK_SECRET');

/** Relative `file` targets and folders under `catalog`, made absolute (from packages/backend). */
function absolutePaths(value: unknown): unknown {
  if (typeof value === 'string') {
    return /^\.\.?\//.test(value) ? path.resolve(backendDir, value) : value;
  }
  if (Array.isArray(value)) return value.map(absolutePaths);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, absolutePaths(v)]),
    );
  }
  return value;
}

/** `backend` without `listen`: the test backend listens on a free port. */
function withoutListen(backend: Record<string, unknown> = {}) {
  const { listen: _listen, ...rest } = backend;
  return rest;
}

/** Schedules under `catalog.providers`, made to run once right away. */
function runOnceNow(value: unknown, key?: string): unknown {
  if (key === 'schedule') {
    return {
      frequency: { minutes: 10 },
      timeout: { minutes: 1 },
      initialDelay: { seconds: 0 },
    };
  }
  if (Array.isArray(value)) return value.map(v => runOnceNow(v));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, runOnceNow(v, k)]),
    );
  }
  return value;
}

/**
 * The sweep's configuration: app-config.yaml as `make dev` loads it (catalog, `akili.*` with
 * the tenant seed, search, events, scaffolder, kubernetes service locator...), with relative
 * paths made absolute, and the deployment-specific parts of app-config.production.yaml pointed
 * at the sweep's test servers: the database, the GitLab integration, the Kubernetes cluster,
 * Dagster, and Authentik for `auth.providers.oidc`; plus the test-only sign-in provider, the
 * sweep's fixture entities and a stand-in for the built frontend.
 */
export function sweepConfig(
  database: SweepDatabase,
  peers: SweepPeers,
  dirs: { fixtures: string; app: string; products: string },
  lake: SweepLake,
) {
  const appConfig = readAppConfig();
  const catalog = runOnceNow(absolutePaths(appConfig.catalog ?? {})) as {
    locations?: object[];
    providers?: { akiliDataProducts?: object };
  };
  return {
    ...appConfig,
    app: { ...appConfig.app, packageName: dirs.app },
    backend: {
      ...withoutListen(appConfig.backend),
      baseUrl: 'http://localhost:7007',
      database:
        database.client === 'pg'
          ? {
              client: 'pg',
              connection: database.connection,
              prefix: database.prefix,
              // The test PostgreSQL is shared (100 connections): small pools, released when
              // idle (pools outlive a stopped backend).
              knexConfig: {
                pool: { min: 0, max: 3, idleTimeoutMillis: 1000 },
              },
            }
          : { client: 'better-sqlite3', connection: ':memory:' },
    },
    auth: {
      ...appConfig.auth,
      session: { secret: 'sweep-session-secret' },
      providers: {
        ...appConfig.auth?.providers,
        oidc: {
          development: {
            metadataUrl: peers.authentik.metadataUrl,
            clientId: 'akili-portal',
            clientSecret: 'akili-portal-secret',
            prompt: 'auto',
          },
        },
        [SWEEP_AUTH_PROVIDER]: {},
      },
    },
    integrations: { gitlab: [peers.gitlab.integrationConfig()] },
    permission: { enabled: true },
    catalog: {
      ...catalog,
      providers: {
        ...catalog.providers,
        // The lake fixture products (lake.ts), as the example products come: from a folder.
        akiliDataProducts: {
          ...catalog.providers?.akiliDataProducts,
          sweep: runOnceNow({ folder: dirs.products, schedule: {} }) as object,
        },
      },
      locations: [
        ...(catalog.locations ?? []),
        { type: 'file', target: path.join(dirs.fixtures, 'entities.yaml') },
      ],
    },
    search: {
      ...appConfig.search,
      collators: {
        catalog: {
          schedule: {
            frequency: { seconds: 5 },
            timeout: { minutes: 1 },
            initialDelay: { seconds: 2 },
          },
        },
      },
    },
    kubernetes: {
      ...appConfig.kubernetes,
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: SWEEP_CLUSTER,
              url: peers.kubernetes.url,
              authProvider: 'serviceAccount',
              serviceAccountToken: SWEEP_KUBE_TOKEN,
              skipTLSVerify: true,
              skipMetricsLookup: true,
            },
          ],
        },
      ],
    },
    events: {
      ...appConfig.events,
      ...productionRouteConfig().events,
    },
    akili: {
      ...appConfig.akili,
      tenancy: {
        ...appConfig.akili?.tenancy,
        // Production sets the GitLab root group of the tenants (contract C4).
        gitlab: {
          ...appConfig.akili?.tenancy?.gitlab,
          rootGroup: sweepGitlabRootGroup(),
        },
      },
    },
    // The lake on the test services' Ceph RGW, each sweep tenant in a bucket of this run.
    lake: lake.config(),
    dagster: { baseUrl: peers.dagster.url, tracker: { enabled: false } },
    argocd: { baseUrl: peers.argocd.url, token: SWEEP_ARGOCD_TOKEN },
  };
}

/** A tenant's scaffolder template: one harmless step, so its tasks run to the end. */
function templateOf(t: TenantFixture) {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name: t.template,
      namespace: t.tenant,
      title: `Sweep template (${sweepMarker(t.tenant)})`,
    },
    spec: {
      owner: `group:${t.tenant}/sweep-team`,
      type: 'service',
      parameters: [
        {
          title: `Parameters (${sweepMarker(t.tenant)})`,
          properties: { name: { type: 'string', title: 'Name' } },
        },
      ],
      steps: [
        {
          id: 'log',
          name: 'Log',
          action: 'debug:log',
          input: {
            message: `${sweepMarker(t.tenant)} \${{ parameters.name }}`,
          },
        },
      ],
      output: { text: [{ title: 'Done', content: sweepMarker(t.tenant) }] },
    },
  };
}

/** Writes the fixture entities, lake products and frontend stand-in; returns their directories. */
function writeFixtures(root: string, lake: SweepLake) {
  const fixtures = path.join(root, 'fixtures');
  fs.mkdirSync(fixtures, { recursive: true });
  fs.writeFileSync(
    path.join(fixtures, 'entities.yaml'),
    [TENANT_A, TENANT_B].map(t => stringify(templateOf(t))).join('---\n'),
  );
  // The built frontend (packages/app/dist) as plugin-app-backend serves it: an index page and
  // a static asset. Building the real app takes minutes; what is served does not depend on it.
  const app = path.join(root, 'app');
  fs.mkdirSync(path.join(app, 'dist/static'), { recursive: true });
  fs.writeFileSync(
    path.join(app, 'package.json'),
    JSON.stringify({ name: 'sweep-app', version: '0.0.0' }),
  );
  fs.writeFileSync(
    path.join(app, 'dist/index.html'),
    '<!doctype html><html><head><title>Akili Portal</title></head><body></body></html>',
  );
  fs.writeFileSync(path.join(app, 'dist/static/main.js'), 'void 0;\n');
  const products = lake.writeProducts(path.join(root, 'data-products'));
  fs.writeFileSync(
    path.join(app, 'dist/manifest.json'),
    JSON.stringify({ name: 'Akili Portal' }),
  );
  return { fixtures, app, products };
}

/**
 * Starts the portal backend as production runs it: every plugin and module of
 * `portalBackendFeatures()` (features.ts), on the default services of
 * `@backstage/backend-defaults` (real auth, httpAuth, userInfo, permissions and the Akili
 * tenant policy, database, scheduler, URL reader, events, actions...), with the sweep's
 * configuration and test servers for what cannot run here (Dagster, GitLab, Kubernetes,
 * Authentik), and the test-only sign-in provider.
 */
export async function startSweepBackend(database: SweepDatabase) {
  const { plugin: probePlugin, probe } = createAuthProbePlugin();
  const lake = await startSweepLake();
  const peers = await startSweepPeers().catch(async error => {
    await lake.stop();
    throw error;
  });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'akili-sweep-'));
  const dirs = writeFixtures(tmp, lake);
  const peersStopper = createBackendPlugin({
    pluginId: 'sweep-peers',
    register(reg) {
      reg.registerInit({
        deps: { lifecycle: coreServices.lifecycle },
        async init({ lifecycle }) {
          lifecycle.addShutdownHook(async () => {
            await peers.stop();
            await lake.stop();
            fs.rmSync(tmp, { recursive: true, force: true });
          });
        },
      });
    },
  });
  // Services the portal replaces (the scheduler) come from its features, not the defaults.
  // Outside jest (bench/load, run by Node's own loader) a module's default export comes
  // wrapped once more: `{ default: { default: feature } }`.
  const features = (await Promise.all(portalBackendFeatures())).map(m => {
    const feature = m.default as BackendFeature | { default: BackendFeature };
    return 'default' in feature ? feature.default : feature;
  });
  const replaced = new Set(
    features.map(f => (f as { service?: { id: string } }).service?.id),
  );
  const backend = await startTestBackend({
    features: [
      mockServices.rootConfig.factory({
        data: sweepConfig(database, peers, dirs, lake),
      }),
      ...(process.env.SWEEP_LOG
        ? [
            mockServices.rootLogger.factory({
              level: process.env.SWEEP_LOG as 'debug',
            }),
          ]
        : []),
      // The default services but configuration (the sweep's own), the HTTP server and
      // discovery (a free port) and logging (silent unless SWEEP_LOG is set).
      ...defaultServicesForTestBackend({ except: replaced }),
      ...features,
      sweepAuthProviderModule,
      probePlugin,
      peersStopper,
    ],
  }).catch(async error => {
    // A backend that did not start may not have run its shutdown hooks.
    await lake.stop().catch(() => undefined);
    throw error;
  });
  return { backend, server: backend.server, probe, peers, lake };
}
